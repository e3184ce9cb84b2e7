import fc from 'fast-check';
import { CommandError, parseCommandLine, runCommand, wholeNumber } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { hashToken } from '../src/server/auth.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { answerProblems, fuzzRequest } from '../tests/fuzz-inputs.js';

const USAGE = `Usage: npm run fuzz -- [--runs 20000] [--seed N]

The test suite's fuzzing, for as long as you like: random and mangled GraphQL requests (with an
admin token) against an in-memory seeded server; every answer must be well-formed and the
database must pass integrity_check. A failure prints the counterexample and the seed to replay it.

  --runs N   how many requests (default 20000)
  --seed N   replay a run (default: from the clock)
  --help     show this`;

const { values } = parseCommandLine(USAGE, { options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string' } } });
const runs = wholeNumber(USAGE, 'runs', values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : wholeNumber(USAGE, 'seed', values.seed, 0);

await runCommand(async () => {
  const database = await openDatabase(':memory:');
  await seedDatabase(database);
  const admin = 'fuzz-admin-secret';
  const yoga = createTimelineYoga({ database, tokens: [{ name: 'fuzz', role: 'admin', sha256: hashToken(admin) }] });
  const statuses = new Map<number, number>();
  const started = Date.now();
  try {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async ({ query, variables }) => {
        const response = await yoga.fetch(
          new Request('http://timeline.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${admin}` },
            body: JSON.stringify({ query, variables }),
          }),
        );
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problems = answerProblems(response.status, await response.text());
        if (problems.length > 0) throw new Error(problems.join('; '));
      }),
      { numRuns: runs, seed },
    );
  } catch (error) {
    // fast-check's report (the counterexample, the seed, the path) is the point; its stack is not.
    throw new CommandError((error as Error).message.split('\n').filter((line) => !/^\s+at /.test(line)).join('\n'));
  }

  const integrity = database.db.$client.pragma('integrity_check', { simple: true });
  console.log(`Tried ${runs} inputs (seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s; no failures.`);
  console.log(`HTTP statuses: ${[...statuses].sort().map(([status, n]) => `${status}×${n}`).join(', ')}; integrity_check: ${integrity}`);
  await database.close();
  if (integrity !== 'ok') process.exitCode = 1;
});
