import { type SQL, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, type OpenDatabaseOptions } from '../src/db/client.js';
import { NAMED_STATEMENTS } from '../src/db/postgres/statement-names.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestTimeline, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

// Hostile requests and bursts of writers against the PostgreSQL backend (one database of its own).

const fresh = await freshPostgresDatabase();
const opened: DatabaseHandle[] = [];
async function instance(options: OpenDatabaseOptions = {}) {
  const database = await openDatabase(fresh.url, options);
  opened.push(database);
  return database;
}
const seeded = await instance();
await seedDatabase(seeded);
afterAll(async () => {
  for (const database of opened) await database.close();
  await fresh.drop();
});

function serverOver(database: DatabaseHandle) {
  const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, responseCache: false });
  return async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const response = await yoga.fetch('http://timeline.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: await response.json() };
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hostile read arguments', () => {
  it.each(['sqlite', 'postgres'] as const)('a NUL character anywhere in a request is refused as a bad request, on %s alike', async (backend) => {
    const timeline = await openTestTimeline({ backend });
    try {
      const refusal = {
        status: 400,
        errors: [{ message: 'The request holds a NUL character (U+0000), which no text in this API may contain.', extensions: { code: 'BAD_REQUEST' } }],
      };
      expect(await timeline.query('query($s: String!) { event(slug: $s) { slug } }', { s: 'a\u0000b' })).toMatchObject(refusal);
      expect(await timeline.query('query($s: String!) { events(filter: { actors: [$s] }) { totalCount } }', { s: 'china\u0000' })).toMatchObject(refusal);
      expect(await timeline.query('{ history(type: EVENT, slug: "\u0000") { totalCount } }')).toMatchObject(refusal);
      expect(await timeline.query('query($s: String!) { event(slug: $s) { slug } }', { s: 'a\\u0000b' })).toEqual({ status: 200, data: { event: null } });
    } finally {
      await timeline.close();
    }
  });

  it('/timelinejs.json with a NUL in a parameter is a 400 naming it', async () => {
    const yoga = createTimelineYoga({ database: seeded, responseCache: false });
    const response = await yoga.fetch('http://timeline.test/timelinejs.json?actors=%00');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'The parameter "actors" holds a NUL character (%00), which no slug or date has.', parameter: 'actors' }] });
  });

  it('a cursor whose id is past the integer range is refused as bad input, not an internal error', async () => {
    const query = serverOver(seeded);
    const first = await query('{ actors(first: 1) { edges { cursor } } }');
    const issued = Buffer.from(first.body.data.actors.edges[0].cursor, 'base64').toString('utf8');
    const forged = Buffer.from(issued.replace(/"N:\d+"/, '"N:99999999999999"')).toString('base64');
    expect(forged).not.toBe(first.body.data.actors.edges[0].cursor);
    const answer = await query('query($after: String!) { actors(first: 2, after: $after) { edges { node { slug } } } }', { after: forged });
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^A value in the request cannot be used here: a number out of range/), extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
  });
});

describe('writers waiting for the write lock on PostgreSQL', () => {
  it('do not take every pooled connection: a read still answers while more writes wait than the pool holds', async () => {
    const holder = await instance();
    const busy = await instance({ poolSize: 2 });
    const query = serverOver(busy);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.write(async () => held);
    await sleep(100);
    const writes = [0, 1].map((n) => query(`mutation { createActor(input: { slug: "waiting-${n}", name: "Waiting ${n}", kind: PERSON }) { __typename } }`, undefined, TEST_TOKENS.editor));
    await sleep(200);
    const read = query('{ actors(first: 1) { totalCount } }');
    // Past the pool's 3 s wait for a connection, well inside the writers' 5 s wait for the lock.
    await sleep(3_800);
    release();
    await holding;
    await Promise.all(writes);
    expect(await read).toMatchObject({ status: 200, body: { data: { actors: { totalCount: expect.any(Number) } } } });
  });

});

describe('statements PostgreSQL keeps prepared', () => {
  const FIELDS = ['slug', 'title', 'summary', 'dateNote', 'dateBasis', 'kind', 'status', 'startDate { iso }', 'endDate { iso }'];

  it('are named from a shape’s second run, and no client can make a connection hold more than NAMED_STATEMENTS of them', async () => {
    const database = await instance({ poolSize: 1 });
    const ask = serverOver(database);
    const prepared = async () => {
      // The pool's one connection, which ran every statement above.
      const execute = (database.db as unknown as { execute(query: SQL): Promise<{ rows: { name: string; statement: string }[] }> }).execute;
      return (await execute.call(database.db, sql`select name, statement from pg_prepared_statements where name like 'timeline\_%'`)).rows;
    };
    const page = (fields: string[]) => `query($first: Int!) { events(first: $first) { edges { node { ${fields.join(' ')} } } } }`;
    const first = await ask(page(['slug']), { first: 2 });
    expect(await prepared()).toEqual([]);
    const second = await ask(page(['slug']), { first: 3 });
    expect(second.body.data.events.edges.map((edge: { node: { slug: string } }) => edge.node.slug).slice(0, 2)).toEqual(
      first.body.data.events.edges.map((edge: { node: { slug: string } }) => edge.node.slug),
    );
    expect(await prepared()).toEqual([{ name: 'timeline_1', statement: expect.stringContaining('"events"') }]);

    // Every subset of the fields is a shape of its own; each runs twice.
    const subsets = Array.from({ length: 2 ** FIELDS.length - 1 }, (_, mask) => FIELDS.filter((_, bit) => ((mask + 1) >> bit) & 1));
    expect(subsets.length).toBeGreaterThan(NAMED_STATEMENTS);
    for (const fields of subsets) {
      for (let run = 0; run < 2; run++) expect((await ask(page(fields), { first: 1 })).body.errors).toBeUndefined();
    }
    expect(await prepared()).toHaveLength(NAMED_STATEMENTS);
  }, 60_000);
});
