import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, usageFailure } from '../src/cli/command.js';
import { buildServer, ensureDatabase, graphqlRequests, machine, measure, resultsDir, SERVER_ARGS, SERVER_READY, start, stop } from './harness.js';
import { WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench:profile -- [--size 1000000] [--workload Q1] [--seconds 20] [--connections 1] [--cache off|on]

Runs the built server under \`node --cpu-prof\`, loads it with one workload (autocannon), stops it,
and prints where its CPU time went, by package and by function. The .cpuprofile (open it in
Chrome DevTools) and a JSON summary land in bench/results/.

  --size N          database size in events (default 1000000)
  --workload NAME   ${WORKLOADS.map((w) => w.name).join(', ')} (default Q1)
  --seconds N       seconds of load (default 20)
  --connections N   concurrent connections (default 1)
  --cache off|on    the response cache (default off)
  --help            show this`;

const { values } = parseCommandLine(USAGE, {
  options: {
    size: { type: 'string', default: '1000000' },
    workload: { type: 'string', default: 'Q1' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '1' },
    cache: { type: 'string', default: 'off' },
  },
});
const size = Number(values.size);
const workload = WORKLOADS.find((w) => w.name === values.workload);
if (!workload) usageFailure(USAGE, `--workload must be one of ${WORKLOADS.map((w) => w.name).join(', ')}, not "${values.workload}".`);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

buildServer();
const { path } = await ensureDatabase(size);
const profileDir = mkdtempSync(join(tmpdir(), 'timeline-profile-'));
const server = await start(['--cpu-prof', '--cpu-prof-dir', profileDir, ...SERVER_ARGS], { PORT: '0', DATABASE_URL: path, TIMELINE_RESPONSE_CACHE: values.cache }, SERVER_READY);
const load = graphqlRequests(workload, size);
const result = await measure(server.base, load, Number(values.connections), Number(values.seconds));
await stop(server.child); // the profile is written as the server exits
const profileName = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
if (!profileName) throw new Error(`the server wrote no profile to ${profileDir}`);
const profileFile = join(resultsDir, `${workload.name}-${size}.cpuprofile`);
renameSync(join(profileDir, profileName), profileFile);
const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
for (const [id] of selfTime) if (nodes.get(id)!.callFrame.functionName === '(idle)') selfTime.delete(id);
const busyMicroseconds = [...selfTime.values()].reduce((a, b) => a + b, 0);
// drizzle's generated row mappers have a "drizzle:" URL; Node's own modules "node:".
const where = (url: string) =>
  /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
  (url.startsWith('drizzle:') ? 'drizzle-orm' : url.includes('/dist/') ? 'project (dist/)' : url.startsWith('node:') ? 'node' : url || '(native: SQLite, GC, V8)');
const tally = (key: (url: string, name: string, line: number) => string, top: number) => {
  const sums = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const { url, functionName, lineNumber } = nodes.get(id)!.callFrame;
    const k = key(url, functionName, lineNumber);
    sums.set(k, (sums.get(k) ?? 0) + time);
  }
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, time]) => ({ name, percent: Math.round((time / busyMicroseconds) * 1000) / 10 }));
};

const summary = {
  at: new Date().toISOString(),
  machine: machine(),
  size,
  workload: workload.name,
  connections: Number(values.connections),
  seconds: Number(values.seconds),
  responseCache: values.cache,
  requests: result.requests,
  requestsPerSecond: Math.round(result.rps),
  failures: result.failures,
  // Busy CPU time of the server process (start-up included, idle excluded) over the requests served.
  cpuMsPerRequest: Math.round(busyMicroseconds / 1000 / result.requests * 100) / 100,
  byPackage: tally((url) => where(url), 12),
  byFunction: tally((url, fn, line) => `${fn || '(anonymous)'} (${where(url)}:${line + 1})`, 20),
};
writeFileSync(join(resultsDir, `profile-${workload.name}-${size}.json`), `${JSON.stringify(summary, null, 2)}\n`);

console.log(
  `${workload.name} at ${size.toLocaleString('en')} events, ${summary.connections} connection(s), cache ${values.cache}: ` +
    `${summary.requests} requests (${summary.requestsPerSecond}/s, ${summary.failures} failed), ${summary.cpuMsPerRequest} ms of server CPU each.`,
);
console.log(`Profile: ${profileFile}`);
console.log('By package (self time):');
for (const { name, percent } of summary.byPackage) console.log(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
console.log('By function (self time):');
for (const { name, percent } of summary.byFunction) console.log(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
