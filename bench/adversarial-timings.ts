import { existsSync } from 'node:fs';
import { parseCommandLine } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { ADVERSARIAL_QUERIES } from './adversarial.js';

const USAGE = `Usage: npm run bench:adversarial -- --database FILE [--budget-ms N] [--only TEXT]

Times each hostile query of bench/adversarial.ts once, in-process and without the response cache,
against FILE (make one with npm run seed:synthetic).

  --database FILE   the database to query
  --budget-ms N     lift the per-statement budget to N ms, to see what a query would cost unbounded
  --only TEXT       only the queries whose name contains TEXT
  --help            show this`;

const { values } = parseCommandLine(USAGE, {
  options: { database: { type: 'string' }, 'budget-ms': { type: 'string' }, only: { type: 'string' } },
});
if (!values.database || !existsSync(values.database)) {
  console.error(`${values.database ? `${values.database} does not exist` : '--database is required'}.\n\n${USAGE}`);
  process.exit(2);
}
let statements = 0;
const database = await openDatabase(values.database, {
  statementBudgetMs: values['budget-ms'] === undefined ? undefined : Number(values['budget-ms']),
  logger: { logQuery: () => void statements++ },
});
const yoga = createTimelineYoga({ database, responseCache: false });
for (const { name, query, variables } of ADVERSARIAL_QUERIES) {
  if (values.only && !name.includes(values.only)) continue;
  statements = 0;
  const started = performance.now();
  const response = await yoga.fetch(
    new Request('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    }),
  );
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const outcome = body.errors ? body.errors.map((error) => error.extensions?.code).join(',') : 'data';
  console.log(`${seconds.padStart(7)} s  ${String(statements).padStart(2)} statements  ${String(response.status)}  ${outcome.padEnd(16)} ${name}`);
}
await database.close();
