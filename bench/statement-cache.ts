// graphql-js as the server runs it (src/main.ts): in production mode unless NODE_ENV says otherwise.
import '../src/production-mode.js';
import { parseCommandLine, usageFailure, wholeNumber } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { askInProcess, ensureDatabase, median, takeTurns } from './harness.js';
import { WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench:statements -- [--size 10000] [--workloads Q1,Q2,Q4] [--rounds 7]

Measures the statement cache alone (src/db/statement-cache.ts): two servers in this process over
the same synthetic SQLite database, one with the cache and one that has drizzle build every
query, both with the response cache off, called through Yoga's fetch (no HTTP), taking turns
round by round. Prints each one's median time per request and their ratio.

  --size N            events in the synthetic database (default 10000)
  --workloads Q1,...  which workloads (default Q1,Q2,Q4)
  --rounds N          measurements of each server per workload (default 7)
  --help              show this`;

const { values } = parseCommandLine(USAGE, {
  options: {
    size: { type: 'string', default: '10000' },
    workloads: { type: 'string', default: 'Q1,Q2,Q4' },
    rounds: { type: 'string', default: '7' },
  },
});
const size = wholeNumber(USAGE, 'size', values.size);
const rounds = wholeNumber(USAGE, 'rounds', values.rounds);
const workloads = values.workloads.split(',').map((name) => WORKLOADS.find((w) => w.name === name) ?? usageFailure(USAGE, `--workloads: there is no workload "${name}".`));

const { path } = await ensureDatabase(size);
const servers = {
  cached: createTimelineYoga({ database: await openDatabase(path), responseCache: false }),
  built: createTimelineYoga({ database: await openDatabase(path, { statementCache: false }), responseCache: false }),
};
for (const workload of workloads) {
  // About a second of requests per measurement.
  const perRound = workload.name === 'Q4' ? 500 : 60;
  const { wall } = await takeTurns([askInProcess(servers.cached, workload, size), askInProcess(servers.built, workload, size)], rounds, perRound);
  const [cached, built] = wall.map((ms) => median(ms) * 1000) as [number, number];
  console.log(`${size} events, ${workload.name}: ${cached.toFixed(0)} µs a request with the statement cache, ${built.toFixed(0)} µs without; ratio ${(cached / built).toFixed(2)}`);
}
process.exit(0);
