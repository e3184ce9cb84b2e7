import { type ChildProcess, spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The pids of its cluster workers (WORKERS=N), read from the process table. */
  workerPids(): number[];
  stop(): Promise<number | null>;
}

/** Starts `src/main.ts` with `env` and resolves once every worker (WORKERS, default 1) listens. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const listeners = Number(env.WORKERS ?? 1);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const check = () => {
      const ports = [...output.matchAll(/GraphiQL at (http:\/\/[^\s/]+\/graphql)/g)];
      if (ports.length < listeners) return;
      child.stdout!.off('data', check);
      resolve({
        child,
        url: ports[0]![1]!,
        output: () => output,
        // Children running src/main.ts: the primary has others too, such as tsx's esbuild service.
        workerPids: () =>
          execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' })
            .split('\n')
            .filter((line) => line.includes('src/main.ts'))
            .map((line) => Number.parseInt(line.trim(), 10))
            .filter((pid) => pid > 0),
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`server exited early (${code}): ${output}`)));
  });
}

export interface GraphQLAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export async function post(url: string, query: string, token?: string): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
