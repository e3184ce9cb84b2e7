import { sql } from 'drizzle-orm';
import { PgRelationalQuery } from 'drizzle-orm/pg-core/query-builders/query';
import { SQLiteRelationalQuery } from 'drizzle-orm/sqlite-core/query-builders/query';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.js';
import { relations } from '../src/db/relations.js';
import { namedAfterSecondRun } from '../src/db/postgres/statement-names.js';
import { createStatementCache, UNCACHED } from '../src/db/statement-cache.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_BACKEND, TEST_TOKEN_STORE } from './helpers.js';
import { type Ids, QUERIES, tokenFor, WRITES } from './wide-queries.js';

/**
 * The database layer builds each shape of relational query into a statement once, and later
 * queries of that shape only bind their values (src/db/statement-cache.ts). Here one database has
 * the cache and another does not; every answer must be the same, through every kind of write.
 */

type Ask = (query: string, variables?: Record<string, unknown>, token?: string) => Promise<any>;

let withCache: DatabaseHandle;
let withoutCache: DatabaseHandle;
let ask: { cached: Ask; built: Ask };

/** Counts drizzle building a relational query's SQL, on either dialect. */
function countBuilds() {
  const prototype = (TEST_BACKEND === 'sqlite' ? SQLiteRelationalQuery.prototype : PgRelationalQuery.prototype) as unknown as { _toSQL(): unknown };
  return vi.spyOn(prototype, '_toSQL');
}

beforeAll(async () => {
  [withCache, withoutCache] = await Promise.all([openTestDatabase({ seeded: true }), openTestDatabase({ seeded: true, statementCache: false })]);
  const over = (database: DatabaseHandle): Ask => {
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, responseCache: false });
    return async (query, variables, token) => {
      const response = await yoga.fetch('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    };
  };
  ask = { cached: over(withCache), built: over(withoutCache) };
});
afterAll(async () => {
  await Promise.all([withCache.close(), withoutCache.close()]);
});

const WINDOW = /* GraphQL */ `
  query ($from: PartialDateString, $to: PartialDateString, $first: Int) {
    events(filter: { from: $from, to: $to }, first: $first) {
      edges { node { slug participants(first: 3) { edges { role node { name } } } citations(first: 2) { edges { node { quote article { title source { name } } } } } } }
    }
  }
`;
const LOOKUP = '{ node(id: $id) { ... on Event { slug title startDate { iso } } } }'.replace('{ node', 'query ($id: ID!) { node');
const ACTOR = 'query ($slug: String!) { actor(slug: $slug) { name events(first: 5, orderBy: DATE_DESC) { edges { node { slug } } } } }';

describe('relational queries built once per shape', () => {
  it('answers a shape asked with other values without building it again, and answers it right', async () => {
    const builds = countBuilds();
    try {
      const windows = [
        { from: '2023', to: '2023', first: 5 },
        { from: '1992', to: '2014', first: 5 },
        { from: '2019-12', to: '2023-09', first: 2 },
      ];
      await ask.cached(WINDOW, windows[0]);
      builds.mockClear();
      for (const window of windows.slice(1)) {
        const cached = await ask.cached(WINDOW, window);
        expect(cached.errors).toBeUndefined();
        expect(cached).toEqual(await ask.built(WINDOW, window));
      }
      const slugs = (await ask.built(WINDOW, windows[1])).data.events.edges.map((edge: { node: { slug: string } }) => edge.node.slug);
      expect(slugs.length).toBeGreaterThan(1);
      // The uncached database built each of its queries; the cached one none of its own.
      const builtWithoutCache = builds.mock.calls.length;
      builds.mockClear();
      await ask.cached(WINDOW, windows[2]);
      expect(builds).not.toHaveBeenCalled();
      expect(builtWithoutCache).toBeGreaterThan(0);

      const ids = (await ask.built('{ events(first: 3) { edges { node { id } } } }')).data.events.edges.map((edge: { node: { id: string } }) => edge.node.id);
      await ask.cached(LOOKUP, { id: ids[0] });
      await ask.cached(ACTOR, { slug: 'china' });
      builds.mockClear();
      for (const id of ids) expect(await ask.cached(LOOKUP, { id })).toEqual(await ask.built(LOOKUP, { id }));
      for (const slug of ['south-korea', 'united-states', 'no-such-actor']) expect(await ask.cached(ACTOR, { slug })).toEqual(await ask.built(ACTOR, { slug }));
      const builtByBoth = builds.mock.calls.length;
      builds.mockClear();
      await ask.cached(LOOKUP, { id: ids[1] });
      await ask.cached(ACTOR, { slug: 'japan' });
      expect(builds).not.toHaveBeenCalled();
      expect(builtByBoth).toBeGreaterThan(0);
    } finally {
      builds.mockRestore();
    }
  });

  it('gives a filter that builds other SQL a statement of its own', async () => {
    const query = 'query ($filter: EventFilter) { events(filter: $filter, first: 20) { totalCount edges { node { slug } } } }';
    const filters = [{ from: '2019' }, { to: '2019' }, { from: '2014', to: '2023-08' }, { actors: ['china'] }, { actors: ['china', 'japan'] }, { disputed: true }, {}];
    // Twice over, so that the second round is answered from the statements the first built.
    for (let round = 0; round < 2; round++) {
      for (const filter of filters) {
        const cached = await ask.cached(query, { filter });
        expect(cached.errors, JSON.stringify(filter)).toBeUndefined();
        expect(cached, JSON.stringify(filter)).toEqual(await ask.built(query, { filter }));
      }
    }
  });

  // The cache holds no data, only statements: the set is compared on the seed, with an event
  // deleted, and after every write, rather than after each one (the response cache's test does that).
  it('answers every query of a wide set, through every kind of write, as drizzle building each one does', async () => {
    const { data } = await ask.built('{ event(slug: "camp-david-summit") { citations(first: 1) { edges { node { id } } } } }');
    const ids: Ids = { campDavidCitation: data.event.citations.edges[0].node.id };
    const compare = async (after: string) => {
      for (const [name, query] of Object.entries(QUERIES)) {
        const built = await ask.built(query);
        expect(built.errors, `${name} after ${after}`).toBeUndefined();
        expect(await ask.cached(query), `${name} after ${after}`).toEqual(built);
      }
    };
    await compare('the seed');
    for (const write of WRITES) {
      const [cached, built] = [await ask.cached(write.mutation, write.variables?.(ids), tokenFor(write)), await ask.built(write.mutation, write.variables?.(ids), tokenFor(write))];
      expect(cached, write.name).toEqual(built);
      expect(JSON.stringify(built), write.name).toMatch(/Success"/);
      if (write.name === 'deleteEvent') await compare(write.name);
    }
    await compare('every write');
  }, 180_000);

  it('runs SQL it cannot take apart as drizzle builds it, and still answers right', async () => {
    // Inlined parameters are part of the statement's text: such a query is never cached.
    const inlined = (slug: string) => withCache.db.query.events.findMany({ columns: { slug: true }, where: { RAW: (events) => sql`${events.slug} = ${slug}`.inlineParams() } });
    expect(await inlined('camp-david-summit')).toEqual([{ slug: 'camp-david-summit' }]);
    expect(await inlined('xi-han-duck-soo-hangzhou-meeting')).toEqual([{ slug: 'xi-han-duck-soo-hangzhou-meeting' }]);
    // Lists of other lengths, and a null, are shapes of their own.
    const slugsIn = (slugs: string[]) => withCache.db.query.events.findMany({ columns: { slug: true }, where: { slug: { in: slugs } }, orderBy: { slug: 'asc' } });
    expect(await slugsIn(['camp-david-summit'])).toEqual([{ slug: 'camp-david-summit' }]);
    expect(await slugsIn(['xi-han-duck-soo-hangzhou-meeting', 'camp-david-summit'])).toEqual([{ slug: 'camp-david-summit' }, { slug: 'xi-han-duck-soo-hangzhou-meeting' }]);
    const withoutEnd = await withCache.db.query.events.findMany({ columns: { slug: true }, where: { endIso: { isNull: true } } });
    const withEnd = await withCache.db.query.events.findMany({ columns: { slug: true }, where: { endIso: { isNotNull: true } } });
    const all = await withCache.db.query.events.findMany({ columns: { slug: true } });
    expect(withoutEnd.length + withEnd.length).toBe(all.length);
    expect(withoutEnd.length).toBeGreaterThan(0);
  });
});

describe('what tells one statement from another', () => {
  it('an extra column decoded otherwise, with the same SQL, is another statement', async () => {
    const decoded = (asText: boolean) =>
      withCache.db.query.events.findFirst({
        columns: { id: true },
        orderBy: { id: 'asc' },
        extras: { same: (events) => (asText ? sql`${events.id}`.mapWith(String) : sql`${events.id}`.mapWith(Number)) },
      });
    const asNumber = await decoded(false);
    const asText = await decoded(true);
    expect(typeof asNumber?.same).toBe('number');
    expect(asText?.same).toBe(String(asNumber?.same));
  });

  it('names that hold the shape’s own separators, or operators drizzle does not know, never pass for another query', async () => {
    const first = await withCache.db.query.events.findFirst({ columns: { id: true }, orderBy: { id: 'asc' }, extras: { ['x\u0001:\u0001F\u0001y']: () => sql`1` } } as never);
    const second = await withCache.db.query.events.findFirst({ columns: { id: true }, orderBy: { id: 'asc' }, extras: { x: () => sql`1`, y: () => sql`2` } } as never);
    expect(Object.keys(first ?? {})).toEqual(['id', 'x\u0001:\u0001F\u0001y']);
    expect(second).toMatchObject({ x: 1, y: 2 });
    await withCache.db.query.events.findMany({ columns: { id: true }, where: { id: { gt: 3, lt: 6 } } });
    const unknown = () => withCache.db.query.events.findMany({ columns: { id: true }, where: { id: { ['gt\u0001?\u0001lt']: 7 } } } as never);
    const drizzles = () => withoutCache.db.query.events.findMany({ columns: { id: true }, where: { id: { ['gt\u0001?\u0001lt']: 7 } } } as never);
    const refusal = await drizzles().then(() => null, (error: Error) => error.message);
    expect(refusal).not.toBeNull();
    await expect(unknown()).rejects.toThrow(refusal!);
  });
});

describe('the statement cache, over a stand-in driver', () => {
  /** A driver whose "statement" is the rewritten config; running it calls RAW as drizzle would, and returns the values bound. */
  function standIn(capacity?: number) {
    const prepared: unknown[] = [];
    const driver = {
      finder: (table: string) => ({ findMany: (config: unknown) => ({ table, config }), findFirst: (config: unknown) => ({ table, config }) }),
      prepare: (query: unknown) => {
        const { config } = query as { config: { where?: { RAW?: (table: string) => unknown } } };
        config.where?.RAW?.('the table');
        prepared.push(config);
        return config;
      },
      execute: (_statement: unknown, _mode: string, values: Record<string, unknown>) => values,
    };
    return { prepared, cache: createStatementCache(relations, driver, capacity) };
  }

  it('builds a shape once, binds each query’s own values, and keeps its fragments’ values current', () => {
    const { prepared, cache } = standIn();
    const bySlug = (slug: string, limit: number, since: string) =>
      cache.run('events', 'many', { where: { slug, RAW: (table: unknown) => sql`${sql.raw(String(table))} > ${since}` }, limit });
    expect(bySlug('a', 5, '2019')).toEqual({ v0: 'a', v1: 5, f0_0: '2019' });
    expect(bySlug('b', 7, '2023')).toEqual({ v0: 'b', v1: 7, f0_0: '2023' });
    expect(prepared).toHaveLength(1);
    // Another table, or a fragment that builds other SQL, is another shape.
    expect(cache.run('actors', 'many', { where: { slug: 'a' }, limit: 5 })).toEqual({ v0: 'a', v1: 5 });
    cache.run('events', 'many', { where: { slug: 'c', RAW: () => sql`true` }, limit: 1 });
    expect(prepared).toHaveLength(3);
    expect(cache.built).toBe(3);
  });

  it('keeps values whose binding could differ from drizzle inlining them out of the statement', () => {
    const { cache } = standIn();
    expect(cache.run('events', 'many', { where: { endIso: null } })).toEqual({});
    expect(cache.run('events', 'many', { where: { RAW: () => sql`x = ${'y'}`.inlineParams() } })).toBe(UNCACHED);
    expect(cache.run('events', 'many', { where: { noSuchColumn: 1 } })).toBe(UNCACHED);
    expect(cache.run('events', 'many', { where: { id: new Date() } })).toBe(UNCACHED);
    expect(cache.run('events', 'many', { unknownOption: true })).toBe(UNCACHED);
  });

  it('holds at most its capacity of statements, the oldest forgotten first', () => {
    const { prepared, cache } = standIn(2);
    for (const limit of [1, 1, 1]) for (const columns of [{ id: true }, { slug: true }, { title: true }]) cache.run('events', 'many', { columns, limit });
    expect(cache.kept).toBe(2);
    // Each round asks for the one the round before forgot.
    expect(prepared).toHaveLength(9);
    cache.run('events', 'many', { columns: { title: true }, limit: 3 });
    expect(prepared).toHaveLength(9);
  });
});

describe('PostgreSQL statements by name', () => {
  /** A stand-in for drizzle's relational query and its session: preparing records the name, running returns it. */
  function query(prepared: (string | undefined)[]) {
    const statement = (name: string | undefined) => {
      prepared.push(name);
      return { query: 'the SQL', mode: 'arrays', mapper: 'the mapper', execute: async () => name };
    };
    return {
      _prepare: () => statement(undefined),
      session: {
        prepareQuery: (built: unknown, mode: unknown, name: string, mapper: unknown) => {
          // The statement built the first time, under a name.
          expect([built, mode, mapper]).toEqual(['the SQL', 'arrays', 'the mapper']);
          return statement(name);
        },
      },
    };
  }

  it('runs a shape unnamed the first time, by a name of its own from the second, and prepares it no more', async () => {
    const driver = namedAfterSecondRun(2);
    const prepared: (string | undefined)[] = [];
    const shape = driver.prepare(query(prepared));
    const runs = [];
    for (let run = 0; run < 4; run++) runs.push(await driver.execute(shape, 'many', {}));
    expect(runs).toEqual([undefined, 'timeline_1', 'timeline_1', 'timeline_1']);
    expect(prepared).toEqual([undefined, 'timeline_1']);
  });

  it('hands out at most its capacity of names, never the same one twice; shapes past them stay unnamed', async () => {
    const driver = namedAfterSecondRun(2);
    const prepared: (string | undefined)[] = [];
    const shapes = [0, 1, 2].map(() => driver.prepare(query(prepared)));
    const second = [];
    for (const shape of shapes) {
      await driver.execute(shape, 'many', {});
      second.push(await driver.execute(shape, 'many', {}));
    }
    expect(second).toEqual(['timeline_1', 'timeline_2', undefined]);
    expect(prepared.filter((name) => name !== undefined)).toEqual(['timeline_1', 'timeline_2']);
  });
});
