// graphql-js as the server runs it (src/main.ts): in production mode unless NODE_ENV says otherwise.
import '../src/production-mode.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { parseCommandLine, usageFailure, wholeNumber } from '../src/cli/command.js';
import { createFloorYoga } from './floor-yoga.js';
import { askInProcess, checkoutRevision, dataDir, ensureDatabase, median, projectRoot, takeTurns } from './harness.js';
import { startBenchCluster } from './postgres/cluster.js';
import { ensurePostgresDatabase } from './postgres/run.js';
import { WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench:in-process -- [--backend sqlite|postgres] [--size 10000] [--workloads Q1,Q2,Q4]
         [--rounds 7] [--before REV | --floor]

The service in this process, response cache off, called through Yoga's fetch (no HTTP, no load
generator): for each workload, the median over rounds of this process's CPU time a request
(user and system; PostgreSQL's own work is not in it) and of the wall time a request.

With --before, the service as another revision has it runs in this same process beside it, on
the same database: the two take turns round by round (which goes first alternating), so both see
the same machine, and the ratio now ÷ before is printed. The revision gets a checkout and an
install of its own (bench/.data/in-process-<commit>, npm ci the first time), so a change to a
patched dependency is measured too.

With --floor (SQLite only), the floor takes the other turn: bare graphql-yoga answering from the
ceiling's hand-written statements (bench/floor-yoga.ts), as the HTTP benchmark's floor does, so
the ratio is the service's cost against Yoga's and graphql-js's own, without HTTP.

  --backend NAME      sqlite (bench/.data/events-N.db) or postgres (the benchmark's cluster) (default sqlite)
  --size N            events in the synthetic database (default 10000)
  --workloads Q1,...  which workloads (default Q1,Q2,Q4)
  --rounds N          measurements per workload, of each service (default 7)
  --before REV        a commit, tag or branch to measure beside the working tree
  --floor             measure the floor beside the working tree instead
  --help              show this`;

const { values } = parseCommandLine(USAGE, {
  options: {
    backend: { type: 'string', default: 'sqlite' },
    size: { type: 'string', default: '10000' },
    workloads: { type: 'string', default: 'Q1,Q2,Q4' },
    rounds: { type: 'string', default: '7' },
    before: { type: 'string' },
    floor: { type: 'boolean', default: false },
  },
});
if (values.backend !== 'sqlite' && values.backend !== 'postgres') usageFailure(USAGE, `--backend must be sqlite or postgres, not "${values.backend}".`);
if (values.floor && (values.before !== undefined || values.backend !== 'sqlite')) usageFailure(USAGE, '--floor is measured on SQLite, and not with --before.');
const size = wholeNumber(USAGE, 'size', values.size);
const rounds = wholeNumber(USAGE, 'rounds', values.rounds);
const workloads = values.workloads.split(',').map((name) => WORKLOADS.find((w) => w.name === name) ?? usageFailure(USAGE, `--workloads: there is no workload "${name}".`));

/** A checkout of `revision` with its own dependencies, installed as its lockfile and patches say. */
function installedRevision(revision: string): string {
  const dir = checkoutRevision(revision, 'in-process');
  if (!existsSync(join(dir, 'node_modules'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  return dir;
}

/** The service of the tree at `root`, loaded from its own sources (and so its own dependencies). */
async function serviceOf(root: string, location: string) {
  const { openDatabase } = await import(pathToFileURL(join(root, 'src', 'db', 'client.ts')).href);
  const { createTimelineYoga } = await import(pathToFileURL(join(root, 'src', 'server', 'yoga.ts')).href);
  const database = await openDatabase(location);
  return { name: root === projectRoot ? 'now' : `before (${values.before})`, database, yoga: createTimelineYoga({ database, responseCache: false }) };
}

/** The floor over the same database file, read-only as the HTTP benchmark opens it. */
function floorOf(path: string) {
  const database = new Database(path, { readonly: true });
  return { name: 'the floor', database: { close: async () => database.close() }, yoga: createFloorYoga(database) };
}

const beforeRoot = values.before === undefined ? undefined : installedRevision(values.before);
const cluster = values.backend === 'postgres' ? await startBenchCluster(join(dataDir, 'postgres')) : undefined;
const location = cluster ? (await ensurePostgresDatabase(cluster, size)).url : (await ensureDatabase(size)).path;
const services = [
  await serviceOf(projectRoot, location),
  ...(beforeRoot ? [await serviceOf(beforeRoot, location)] : []),
  ...(values.floor ? [floorOf(location)] : []),
];
for (const workload of workloads) {
  // About a second of requests per measurement, after as many to warm up.
  const perRound = workload.name === 'Q4' ? 500 : 100;
  const { cpu, wall } = await takeTurns(
    services.map((service) => askInProcess(service.yoga, workload, size)),
    rounds,
    perRound,
  );
  const figures = (which: number) => `${median(cpu[which]!).toFixed(0)} µs of CPU a request, ${median(wall[which]!).toFixed(2)} ms wall`;
  const heading = `${values.backend}, ${size} events, ${workload.name}`;
  if (services.length === 1) console.log(`${heading}: ${figures(0)}`);
  else {
    const ratio = (of: number[][]) => (median(of[0]!) / median(of[1]!)).toFixed(2);
    console.log(`${heading}: now ${figures(0)}; ${services[1]!.name} ${figures(1)}; now ÷ ${values.floor ? 'floor' : 'before'}: CPU ${ratio(cpu)}×, wall ${ratio(wall)}×`);
  }
}
for (const service of services) await service.database.close();
await cluster?.stop();
process.exit(0);
