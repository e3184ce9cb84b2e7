// graphql-js as the server runs it (src/main.ts): in production mode unless NODE_ENV says otherwise.
import '../src/production-mode.js';
import { parse, validate } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { parseCommandLine, wholeNumber } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { schema } from '../src/schema/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { median, takeTurns } from './harness.js';
import { WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench:pipeline -- [--rounds 7] [--requests 2000]

What a request costs before any resolver runs, in this process (Yoga's fetch, no HTTP): the
service and bare graphql-yoga (its defaults, a one-field schema) each answer { __typename },
taking turns round by round; and what Yoga's parse and validation cache saves, as the time
graphql-js takes to parse and validate each workload's document against the service's schema.
Prints medians in µs.

  --rounds N     measurements of each (default 7)
  --requests N   requests or documents a measurement (default 2000)
  --help         show this`;

const { values } = parseCommandLine(USAGE, {
  options: { rounds: { type: 'string', default: '7' }, requests: { type: 'string', default: '2000' } },
});
const rounds = wholeNumber(USAGE, 'rounds', values.rounds);
const perRound = wholeNumber(USAGE, 'requests', values.requests);

const database = await openDatabase(':memory:');
const servers = {
  service: createTimelineYoga({ database, responseCache: false }),
  bare: createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }), logging: false }),
};
const body = JSON.stringify({ query: '{ __typename }' });
const ask = async (server: keyof typeof servers) => {
  const response = await servers[server].fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (text !== '{"data":{"__typename":"Query"}}') throw new Error(`${server} answered ${text.slice(0, 300)}`);
};
const { wall } = await takeTurns([() => ask('service'), () => ask('bare')], rounds, perRound);
const [service, bare] = wall.map((ms) => median(ms) * 1000) as [number, number];
console.log(`{ __typename }: the service ${service.toFixed(0)} µs a request, bare Yoga ${bare.toFixed(0)} µs; the service's own ${(service - bare).toFixed(0)} µs (${(service / bare).toFixed(2)}×)`);

for (const workload of WORKLOADS) {
  const { query } = workload.requests(10_000)[0]!.graphql;
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < perRound; i++) {
      const errors = validate(schema, parse(query));
      if (errors.length) throw new Error(`${workload.name}: ${errors[0]!.message}`);
    }
    times.push(((performance.now() - started) / perRound) * 1000);
  }
  console.log(`${workload.name}: parse and validate ${median(times).toFixed(0)} µs a document, which Yoga's cache answers for every later request of it`);
}
await database.close();
process.exit(0);
