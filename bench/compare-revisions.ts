import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, wholeNumber } from '../src/cli/command.js';
import { checkoutRevision, ensureDatabase, git, graphqlRequests, machine, measure, median, projectRoot, SERVER_READY, start, stop, type Started } from './harness.js';
import { WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench:compare -- --before REV [--size 100000] [--workloads Q1,Q2,Q4]
         [--rounds 5] [--seconds 5] [--connections 1]

Measures the server as built from another revision (REV: a commit, tag or branch) beside the
server as it is now, on the same synthetic SQLite database with the response cache off,
alternating the two round by round so that both see the same machine. Prints the median
requests per second and mean latency of each, and their ratio.

  --before REV        the revision to compare with (built in bench/.data/rev-<commit>, with this
                      checkout's node_modules: for a change to a patched dependency, use
                      npm run bench:in-process -- --before REV)
  --size N            events in the synthetic database (default 100000)
  --workloads Q1,...  which workloads (default Q1,Q2,Q4)
  --rounds N          measurements of each server per workload (default 5)
  --seconds N         seconds per measurement (default 5)
  --connections N     concurrent connections (default 1)
  --help              show this`;

const { values } = parseCommandLine(USAGE, {
  options: {
    before: { type: 'string' },
    size: { type: 'string', default: '100000' },
    workloads: { type: 'string', default: 'Q1,Q2,Q4' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '1' },
  },
});
if (!values.before) {
  console.error(`--before REV is needed.\n\n${USAGE}`);
  process.exit(2);
}
const size = wholeNumber(USAGE, 'size', values.size);
const rounds = wholeNumber(USAGE, 'rounds', values.rounds);
const seconds = wholeNumber(USAGE, 'seconds', values.seconds);
const connections = wholeNumber(USAGE, 'connections', values.connections);
const workloads = values.workloads.split(',').map((name) => {
  const workload = WORKLOADS.find((w) => w.name === name);
  if (!workload) throw new Error(`No workload ${name}`);
  return workload;
});

const tsc = (cwd: string) => execFileSync(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd, stdio: 'inherit' });

/** A checkout of `revision`, built, sharing this checkout's node_modules (its dependencies are a subset or the same). */
function buildRevision(revision: string): string {
  const dir = checkoutRevision(revision, 'rev');
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'));
  tsc(dir);
  return dir;
}

const beforeDir = buildRevision(values.before);
tsc(projectRoot);
const { path } = await ensureDatabase(size);
const env = { PORT: '0', DATABASE_URL: path, TIMELINE_RESPONSE_CACHE: 'off' };
const servers: Record<'before' | 'now', Started> = {
  before: await start(['--enable-source-maps', join(beforeDir, 'dist', 'main.js')], env, SERVER_READY),
  now: await start(['--enable-source-maps', join(projectRoot, 'dist', 'main.js')], env, SERVER_READY),
};

console.log(`${values.before} (${git('rev-parse', '--short', values.before)}) against now (${git('rev-parse', '--short', 'HEAD')}), ${size.toLocaleString('en')} events, ${connections} connection(s), cache off, ${rounds} × ${seconds} s each, alternated`);
console.log(JSON.stringify(machine()));
console.log('| workload | before req/s | now req/s | now / before | before mean ms | now mean ms |');
console.log('|---|---|---|---|---|---|');
try {
  for (const workload of workloads) {
    const requests = graphqlRequests(workload, size);
    const figures = { before: [] as { rps: number; mean: number }[], now: [] as { rps: number; mean: number }[] };
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always gets the warmer machine.
      const order = round % 2 === 0 ? (['before', 'now'] as const) : (['now', 'before'] as const);
      for (const which of order) {
        const result = await measure(servers[which].base, requests, connections, seconds);
        if (result.failures > 0) throw new Error(`${workload.name} on ${which}: ${result.failures} failed requests`);
        figures[which].push(result);
      }
    }
    const rps = (which: 'before' | 'now') => median(figures[which].map((f) => f.rps));
    const mean = (which: 'before' | 'now') => median(figures[which].map((f) => f.mean));
    console.log(`| ${workload.name} | ${rps('before').toFixed(0)} | ${rps('now').toFixed(0)} | ${(rps('now') / rps('before')).toFixed(2)}× | ${mean('before').toFixed(2)} | ${mean('now').toFixed(2)} |`);
  }
} finally {
  await stop(servers.before.child);
  await stop(servers.now.child);
}
