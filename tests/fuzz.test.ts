import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { answerProblems, fuzzRequest } from './fuzz-inputs.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

// A bounded, reproducible run; `npm run fuzz -- --runs N` runs as long as you like.
const RUNS = 1000;
const SEED = 20230923;

describe('fuzzing the API with hostile queries and variables', () => {
  it(`answers ${RUNS} generated requests well-formed, never with a 5xx, and stays sound`, async () => {
    const database = openDatabase(':memory:');
    seedDatabase(database.db);
    const yoga = createTimelineYoga({ db: database.db, tokens: TEST_TOKEN_STORE });
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async ({ query, variables }) => {
        tried++;
        const response = await yoga.fetch(
          new Request('http://timeline.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.admin}` },
            body: JSON.stringify({ query, variables }),
          }),
        );
        expect(answerProblems(response.status, await response.text())).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(tried).toBe(RUNS);
    const health = await yoga.fetch(new Request('http://timeline.test/graphql?query=%7Bevents%7BtotalCount%7D%7D'));
    expect(((await health.json()) as any).data.events.totalCount).toBeGreaterThan(0);
    expect(database.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(database.db.$client.pragma('foreign_key_check')).toEqual([]);
    database.close();
  });
});
