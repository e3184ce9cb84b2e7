import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { seedSynthetic } from './synthetic.js';
import type { Workload } from './workloads.js';

/** What the benchmark scripts share: building and starting servers, databases, load. */

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const resultsDir = join(projectRoot, 'bench', 'results');
/** Benchmark databases and tools, kept between runs (gitignored). */
export const dataDir = join(projectRoot, 'bench', '.data');

export const machine = () => ({ cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version });

export const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

export const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();

/** A checkout of `revision` (a commit, tag or branch) in bench/.data/<purpose>-<commit>, made the first time. */
export function checkoutRevision(revision: string, purpose: string): string {
  const commit = git('rev-parse', '--verify', `${revision}^{commit}`);
  const dir = join(dataDir, `${purpose}-${commit.slice(0, 12)}`);
  if (!existsSync(dir)) git('worktree', 'add', '--detach', dir, commit);
  return dir;
}

/** Compiles src/ to dist/, as `npm start` does before it runs the server. */
export function buildServer() {
  execFileSync(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: projectRoot, stdio: 'inherit' });
}

/** The server as `npm start` runs it: built to JavaScript in dist/. */
export const SERVER_ARGS = ['--enable-source-maps', 'dist/main.js'];
export const SERVER_READY = /GraphiQL at http:\/\/[^\s/]+:(\d+)\/graphql/;

export interface Started {
  child: ChildProcess;
  base: string;
  startupMs: number;
}

/** Spawns `node args…` (this Node, unless `node` names another) and resolves once its output matches `ready`, whose first group is the port. */
export function start(args: string[], env: Record<string, string>, ready: RegExp, node = process.execPath): Promise<Started> {
  const began = performance.now();
  const child = spawn(node, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const port = ready.exec(output)?.[1];
      if (port) resolve({ child, base: `http://127.0.0.1:${port}`, startupMs: Math.round(performance.now() - began) });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
}

export function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Median of five starts, from spawning the process to its "listening" line, on the database at `path` (a file or a URL). */
export async function startupMs(path: string) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = await start(SERVER_ARGS, { PORT: '0', DATABASE_URL: path }, SERVER_READY);
    times.push(started.startupMs);
    await stop(started.child);
  }
  return median(times);
}

/** Peak resident memory of a process and its children (cluster workers), each at its own peak. */
export function peakRssMb(pid: number): number {
  const ownKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return Math.round(ownKb / 1024) + children.reduce((sum, child) => sum + peakRssMb(child), 0);
}

/** SQL statements one request of `body` costs, counted through drizzle's logger. */
export async function statementsPerRequest(path: string, body: object) {
  let count = 0;
  const handle = await openDatabase(path, { logger: { logQuery: () => void count++ } });
  const yoga = createTimelineYoga({ database: handle, responseCache: false });
  const run = () =>
    Promise.resolve(yoga.fetch(new Request('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))).then((r) => r.json());
  await run();
  count = 0;
  const answer = (await run()) as { errors?: unknown };
  await handle.close();
  if (answer.errors) throw new Error(`workload failed: ${JSON.stringify(answer.errors)}`);
  return count;
}

/** The synthetic database of `size` events in bench/.data/, seeded on first use, and its seeding figures. */
export async function ensureDatabase(size: number) {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, `events-${size}.db`);
  const facts = `${path}.seed.json`;
  if (!existsSync(path) || !existsSync(facts)) {
    console.error(`Seeding ${size.toLocaleString('en')} events...`);
    writeFileSync(facts, JSON.stringify(await seedSynthetic(path, size)));
  }
  return { path, seed: JSON.parse(readFileSync(facts, 'utf8')) as { seconds: number; rowsPerSecond: number; rows: number } };
}

/** autocannon's default: a request unanswered this long counts as a timeout. */
export const CLIENT_TIMEOUT_MS = 10_000;

export async function measure(base: string, requests: autocannon.Request[], connections: number, duration: number) {
  const result = await autocannon({ url: base, connections, duration, requests, timeout: CLIENT_TIMEOUT_MS / 1000 });
  const failures = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, mean: result.latency.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, failures };
}

/** A workload's requests as autocannon sends them to the GraphQL server, or (`server: 'postgraphile'`) to PostGraphile. */
export const graphqlRequests = (workload: Workload, size: number, server: 'graphql' | 'postgraphile' = 'graphql'): autocannon.Request[] =>
  workload.requests(size).map((r) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r[server]) }));

/**
 * Times `asks` taking turns in this process: after `perRound` requests each to warm up, `rounds`
 * rounds of `perRound` requests each, which goes first alternating round by round, so that all
 * see the same machine. For each ask, every round's CPU time of this process (µs) and wall time
 * (ms), a request.
 */
export async function takeTurns(asks: ((i: number) => Promise<void>)[], rounds: number, perRound: number) {
  const cpu = asks.map((): number[] => []);
  const wall = asks.map((): number[] => []);
  for (const ask of asks) for (let i = 0; i < perRound; i++) await ask(i);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [...asks.keys()] : [...asks.keys()].reverse();
    for (const which of order) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < perRound; i++) await asks[which]!(round * perRound + i);
      wall[which]!.push((performance.now() - started) / perRound);
      const used = process.cpuUsage(cpuBefore);
      cpu[which]!.push((used.user + used.system) / perRound);
    }
  }
  return { cpu, wall };
}

/**
 * Sends the `i`-th of a workload's requests (cycling) to `yoga` in this process, through its fetch
 * (no HTTP); fails unless the answer is data.
 */
export function askInProcess(yoga: { fetch(url: string, init: RequestInit): Response | Promise<Response> }, workload: Workload, size: number) {
  const requests = graphqlRequests(workload, size);
  return async (i: number) => {
    const response = await yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: requests[i % requests.length]!.body as string });
    const text = await response.text();
    if (!text.startsWith('{"data":{')) throw new Error(`${workload.name} failed: ${text.slice(0, 300)}`);
  };
}
