import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { answerProblems, fuzzRequest } from './fuzz-inputs.js';
import { openTestDatabase, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

// A bounded, reproducible run; `npm run fuzz -- --runs N` runs as long as you like.
const RUNS = 1000;
const SEED = 20230923;

/** node-postgres drizzle's raw query method, which SQLite's drizzle type does not have. */
type PostgresExecute = { execute(query: ReturnType<typeof sql>): Promise<{ rows: unknown[] }> };

/**
 * What is unsound in the stored data: SQLite's own integrity and foreign key checks; on
 * PostgreSQL, which enforces its constraints itself, any constraint not validated or whose
 * enforcing trigger was switched off.
 */
async function unsoundness(database: DatabaseHandle): Promise<unknown[]> {
  if (database.dialect === 'sqlite') {
    const client = database.db.$client;
    const integrity = client.pragma('integrity_check', { simple: true });
    return [...(integrity === 'ok' ? [] : [integrity]), ...(client.pragma('foreign_key_check') as unknown[])];
  }
  return database.read(async (tx) => {
    const { rows } = await (tx as unknown as PostgresExecute).execute(sql`
      select conname as problem from pg_constraint where connamespace = 'public'::regnamespace and not convalidated
      union all
      select tgname from pg_trigger where tgconstraint <> 0 and tgenabled = 'D'`);
    return rows;
  });
}

describe('fuzzing the API with hostile queries and variables', () => {
  it(`answers ${RUNS} generated requests well-formed, never with a 5xx, and stays sound`, async () => {
    const database = await openTestDatabase();
    await seedDatabase(database);
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
    let tried = 0;
    try {
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
      expect(await unsoundness(database)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
