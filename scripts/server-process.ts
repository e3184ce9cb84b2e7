import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** What `npm start` runs: the built server. */
const SERVER_ENTRY = 'dist/main.js';

let built = false;

/**
 * The command that starts the server as `npm start` does, from dist/, built first if a source
 * changed since the last build (scripts/build-if-stale.mjs): a second faster to start than
 * through tsx, which tests that start many servers pay each time.
 */
export function serverCommand(): [string, string[]] {
  if (!built) {
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the server failed:\n${build.stdout}${build.stderr}`);
    built = true;
  }
  return [process.execPath, ['--enable-source-maps', SERVER_ENTRY]];
}

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

/** Starts the server with `env` and resolves once every worker (WORKERS, default 1) listens. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const [command, args] = serverCommand();
  const child = spawn(command, args, {
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
        // Children running the server: the primary may have others too.
        workerPids: () =>
          execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' })
            .split('\n')
            .filter((line) => line.includes(SERVER_ENTRY))
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
