import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { parseCommandLine, runCommand, wholeNumber } from '../src/cli/command.js';
import { EXAMPLE_QUERIES } from '../src/server/example-queries.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** A mix of what readers do: the examples, a filtered page, a lookup, a search. */
const MIX = [
  ...Object.values(EXAMPLE_QUERIES).map((query) => ({ query })),
  { query: 'query ($from: PartialDateString) { events(filter: { from: $from }, first: 50) { totalCount edges { node { slug startDate { iso } } } } }', variables: { from: '2023' } },
  { query: '{ actors(first: 100) { totalCount edges { node { slug name events(first: 5) { totalCount } } } } }' },
  { query: '{ event(slug: "camp-david-summit") { title participants { edges { role node { name } } } } }' },
  { query: 'query ($q: String!) { search(query: $q) { totalCount } }', variables: { q: 'turning point' } },
];

export interface SoakReport {
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts, non-2xx statuses and GraphQL errors in 2xx answers. */
  errors: number;
  rssStartMb: number;
  rssEndMb: number;
  rssGrowthPercent: number;
}

function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', DATABASE_URL: join(mkdtempSync(join(tmpdir(), 'timeline-soak-')), 'timeline.db') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /GraphiQL at http:\/\/[^\s/]+:(\d+)\/graphql/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}/graphql` });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
}

function load(url: string, connections: number, seconds: number, onGraphQLError: () => void) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: MIX.map((body) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      onResponse: (status: number, responseBody: string) => {
        if (status === 200 && responseBody.includes('"errors"')) onGraphQLError();
      },
    })),
  });
}

/**
 * Holds `connections` connections of mixed reads against the real server for `seconds`, after a
 * warm-up that is not counted, and reports throughput, latency, errors and the server's memory.
 */
export async function runSoak({ seconds, connections, warmupSeconds = 5 }: { seconds: number; connections: number; warmupSeconds?: number }): Promise<SoakReport> {
  const { child, url } = await startServer();
  try {
    let graphQLErrors = 0;
    await load(url, connections, warmupSeconds, () => {});
    const rssStartMb = rssMb(child.pid!);
    const result = await load(url, connections, seconds, () => graphQLErrors++);
    const rssEndMb = rssMb(child.pid!);
    return {
      seconds,
      connections,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx + graphQLErrors,
      rssStartMb: Math.round(rssStartMb),
      rssEndMb: Math.round(rssEndMb),
      rssGrowthPercent: Math.round(((rssEndMb - rssStartMb) / rssStartMb) * 1000) / 10,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const USAGE = `Usage: npm run soak -- [--seconds 300] [--connections 64] [--warmup 5]

Starts the server on a scratch database and keeps it under a mix of reader queries (autocannon),
then reports throughput, latency, errors and memory growth. Exits 1 on any error or >= 10% RSS growth.

  --seconds N       how long to measure (default 300)
  --connections N   concurrent connections (default 64)
  --warmup N        seconds of load before measuring, not counted (default 5)
  --help            show this`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseCommandLine(USAGE, {
    options: { seconds: { type: 'string', default: '300' }, connections: { type: 'string', default: '64' }, warmup: { type: 'string', default: '5' } },
  });
  const seconds = wholeNumber(USAGE, 'seconds', values.seconds);
  const connections = wholeNumber(USAGE, 'connections', values.connections);
  const warmupSeconds = wholeNumber(USAGE, 'warmup', values.warmup);
  await runCommand(async () => {
    const report = await runSoak({ seconds, connections, warmupSeconds });
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `${report.connections} connections for ${report.seconds} s: ${report.requests} requests (${report.requestsPerSecond}/s), ` +
        `p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, ${report.errors} errors; RSS ${report.rssStartMb} → ${report.rssEndMb} MB (${report.rssGrowthPercent}%).`,
    );
    process.exitCode = report.errors === 0 && report.rssGrowthPercent < 10 ? 0 : 1;
  });
}
