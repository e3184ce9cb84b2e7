import { join } from 'node:path';
import { parseCommandLine, usageFailure, wholeNumber } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { askInProcess, dataDir, ensureDatabase, median } from './harness.js';
import { startBenchCluster } from './postgres/cluster.js';
import { ensurePostgresDatabase } from './postgres/run.js';
import { WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench:in-process -- [--backend sqlite|postgres] [--size 10000] [--workloads Q1,Q2,Q4] [--rounds 7]

The service in this process, response cache off, called through Yoga's fetch (no HTTP, no load
generator): for each workload, the median over rounds of this process's CPU time a request
(user and system; PostgreSQL's own work is not in it) and of the wall time a request. Run it on
each side of a change, taking turns, to set the two against each other.

  --backend NAME      sqlite (bench/.data/events-N.db) or postgres (the benchmark's cluster) (default sqlite)
  --size N            events in the synthetic database (default 10000)
  --workloads Q1,...  which workloads (default Q1,Q2,Q4)
  --rounds N          measurements per workload (default 7)
  --help              show this`;

const { values } = parseCommandLine(USAGE, {
  options: {
    backend: { type: 'string', default: 'sqlite' },
    size: { type: 'string', default: '10000' },
    workloads: { type: 'string', default: 'Q1,Q2,Q4' },
    rounds: { type: 'string', default: '7' },
  },
});
if (values.backend !== 'sqlite' && values.backend !== 'postgres') usageFailure(USAGE, `--backend must be sqlite or postgres, not "${values.backend}".`);
const size = wholeNumber(USAGE, 'size', values.size);
const rounds = wholeNumber(USAGE, 'rounds', values.rounds);
const workloads = values.workloads.split(',').map((name) => WORKLOADS.find((w) => w.name === name) ?? usageFailure(USAGE, `--workloads: there is no workload "${name}".`));

const cluster = values.backend === 'postgres' ? await startBenchCluster(join(dataDir, 'postgres')) : undefined;
const location = cluster ? (await ensurePostgresDatabase(cluster, size)).url : (await ensureDatabase(size)).path;
const database = await openDatabase(location);
const yoga = createTimelineYoga({ database, responseCache: false });
for (const workload of workloads) {
  const ask = askInProcess(yoga, workload, size);
  // About a second of requests per measurement, after as many to warm up.
  const perRound = workload.name === 'Q4' ? 500 : 100;
  for (let i = 0; i < perRound; i++) await ask(i);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < perRound; i++) await ask(round * perRound + i);
    wall.push((performance.now() - started) / perRound);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / perRound);
  }
  console.log(`${values.backend}, ${size} events, ${workload.name}: ${median(cpu).toFixed(0)} µs of CPU a request, ${median(wall).toFixed(2)} ms wall`);
}
await database.close();
await cluster?.stop();
process.exit(0);
