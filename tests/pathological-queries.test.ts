import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIAL_QUERIES } from '../bench/adversarial.js';
import { generateSyntheticTimeline } from '../bench/synthetic.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';

/** Answers a POST /graphql, counting the SQL statements it sends. */
function serve(database: DatabaseHandle, statements: { count: number }) {
  const yoga = createTimelineYoga({ db: database.db, responseCache: false });
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

describe('hostile queries within the request limits, on 20,000 events', () => {
  const statements = { count: 0 };
  let database: DatabaseHandle;
  let query: ReturnType<typeof serve>;
  beforeAll(() => {
    database = openDatabase(':memory:', { logger: { logQuery: () => void statements.count++ } });
    generateSyntheticTimeline(database, { eventCount: 20_000 });
    query = serve(database, statements);
  }, 60_000);
  afterAll(() => database.close());

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
  it('stops a statement that runs past it with a clear LIMIT_EXCEEDED error, and the server answers the next request', async () => {
    const statements = { count: 0 };
    // A budget already spent when the statement starts: every guarded statement is stopped.
    const database = openDatabase(':memory:', { statementBudgetMs: -1, logger: { logQuery: () => void statements.count++ } });
    seedDatabase(database.db);
    const query = serve(database, statements);
    // Every row of the timeline (one in eight of the rows a statement visits looks at the clock).
    const answer = await query('{ events(first: 20) { edges { node { slug } } } }');
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('The query asks the database for too much in one step (more than -1 ms) and was stopped.'),
        extensions: { code: 'LIMIT_EXCEEDED' },
      }),
    ]);
    expect((await query('{ places(first: 1) { edges { node { slug } } } }')).data).toEqual({ places: { edges: [{ node: { slug: expect.any(String) } }] } });
    database.close();
  });
});
