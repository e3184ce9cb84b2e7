import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIAL_QUERIES } from '../bench/adversarial.js';
import { seedPostgresSynthetic } from '../bench/postgres/seed.js';
import { generateSyntheticTimeline } from '../bench/synthetic.js';
import type { DatabaseHandle } from '../src/db/client.js';
import { isOverBudget, STATEMENT_BUDGET_MS, withinStatementBudget } from '../src/db/statement-budget.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_BACKEND, type TestDatabase } from './helpers.js';

/** Answers a POST /graphql, counting the SQL statements it sends. */
function serve(database: DatabaseHandle, statements: { count: number }) {
  const yoga = createTimelineYoga({ database, responseCache: false });
  return async (query: string, variables?: Record<string, unknown>) => {
    statements.count = 0;
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      }),
    );
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: response.status, statements: statements.count, ...body };
  };
}

/** node-postgres drizzle's raw query method, which SQLite's drizzle type does not have. */
type PostgresExecute = { execute(query: ReturnType<typeof sql>): Promise<unknown> };

const SYNTHETIC_EVENTS = 20_000;
const statements = { count: 0 };
let synthetic: TestDatabase;
beforeAll(async () => {
  synthetic = await openTestDatabase({ logger: { logQuery: () => void statements.count++ } });
  if (synthetic.dialect === 'sqlite') generateSyntheticTimeline(synthetic, { eventCount: SYNTHETIC_EVENTS });
  else await seedPostgresSynthetic(synthetic.url, SYNTHETIC_EVENTS);
}, 120_000);
afterAll(() => synthetic.close());

describe(`hostile queries within the request limits, on ${SYNTHETIC_EVENTS.toLocaleString('en')} events`, () => {
  let query: ReturnType<typeof serve>;
  beforeAll(() => {
    query = serve(synthetic, statements);
  });

  it.each(ADVERSARIAL_QUERIES.map((q) => [q.name, q] as const))('%s: answers with data or a clear error, in a few statements', async (_name, { query: document, variables }) => {
    const answer = await query(document, variables);
    for (const error of answer.errors ?? []) {
      // A limit named in the message, never a masked crash.
      expect(['LIMIT_EXCEEDED', 'TIMEOUT']).toContain(error.extensions?.code);
      expect(error.message).toMatch(/limit|too much|longer than/);
    }
    if (!answer.errors) expect(answer.data).toBeTruthy();
    expect(answer.statements).toBeLessThanOrEqual(6);
  });
});

describe('the statement budget', () => {
  it('stops a statement that runs past it, near the budget, with a clear LIMIT_EXCEEDED error, and the server answers the next request', async () => {
    // The heaviest statement here runs about 0.5–1 s on SQLite with no budget (4 s on PostgreSQL), too
    // close to the default budget to be sure to pass it on every machine: on SQLite a database of its
    // own with a budget that statement is sure to pass.
    const budgetMs = synthetic.dialect === 'sqlite' ? 100 : STATEMENT_BUDGET_MS;
    const ownDatabase = synthetic.dialect === 'sqlite' ? await openTestDatabase({ statementBudgetMs: budgetMs }) : undefined;
    const database = ownDatabase ?? synthetic;
    try {
      if (ownDatabase) generateSyntheticTimeline(ownDatabase, { eventCount: SYNTHETIC_EVENTS });
      const heavy = ADVERSARIAL_QUERIES.find((q) => q.name === 'common word under a date window, nested')!;
      const query = serve(database, { count: 0 });
      const started = performance.now();
      const answer = await query(heavy.query, heavy.variables);
      const elapsedMs = performance.now() - started;
      expect(answer.status).toBe(200);
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining(`The query asks the database for too much in one step (more than ${budgetMs} ms) and was stopped.`),
          extensions: { code: 'LIMIT_EXCEEDED' },
        }),
      ]);
      expect(elapsedMs).toBeLessThan(budgetMs + 1_000);
      expect((await query('{ places(first: 1) { edges { node { slug } } } }')).data).toEqual({ places: { edges: [{ node: { slug: expect.any(String) } }] } });
    } finally {
      await ownDatabase?.close();
    }
  }, 60_000);

  it('with no budget (0, for scripts over whole databases), the statements that carry its check still run', async () => {
    const database = await openTestDatabase({ seeded: true, statementBudgetMs: 0 });
    try {
      const events = await database.db.query.events.findMany({ columns: { slug: true }, where: { RAW: (table) => withinStatementBudget(database.dialect, table.id) } });
      expect(events.length).toBeGreaterThan(5);
    } finally {
      await database.close();
    }
  });

  // PostgreSQL's budget is statement_timeout: the server cancels the statement (query_canceled, 57014).
  if (TEST_BACKEND === 'postgres') it('is statement_timeout on PostgreSQL: a statement past it is stopped with an error isOverBudget recognises, and the connection serves on', async () => {
    const database = await openTestDatabase({ statementBudgetMs: 50 });
    try {
      const sleep = (seconds: number) => sql`select pg_sleep(${seconds})`;
      const failure = (work: Promise<unknown>) => work.then(() => null, (error: unknown) => error);
      // Outside a transaction and inside a read or a write alike; a write past it commits nothing.
      const outside = await failure((database.db as unknown as PostgresExecute).execute(sleep(0.5)));
      const inRead = await failure(database.read((tx) => (tx as unknown as PostgresExecute).execute(sleep(0.5))));
      const inWrite = await failure(
        database.write(async (tx) => {
          await (tx as unknown as PostgresExecute).execute(sql`insert into sources (slug, name, description) values ('past-budget', 'Past budget', '')`);
          await (tx as unknown as PostgresExecute).execute(sleep(0.5));
        }),
      );
      for (const error of [outside, inRead, inWrite]) {
        expect(error).toBeInstanceOf(Error);
        expect(isOverBudget(error)).toBe(true);
      }
      expect(await database.db.query.sources.findFirst({ where: { slug: 'past-budget' } })).toBeUndefined();
      // A statement within it runs as usual.
      await expect((database.db as unknown as PostgresExecute).execute(sleep(0.01))).resolves.toBeDefined();
      await database.ping();
    } finally {
      await database.close();
    }
  });
});
