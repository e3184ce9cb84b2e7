import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPostgresSynthetic } from '../bench/postgres/seed.js';
import { seedSynthetic } from '../bench/synthetic.js';
import { Q1_QUERY, Q2_QUERY } from '../bench/workloads.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_BACKEND, type TestDatabase } from './helpers.js';

const SYNTHETIC_EVENTS = 2_000;

/** The plan the database chooses for the one statement a GraphQL request runs, as the lines of its EXPLAIN. */
async function planOf(location: string, body: object): Promise<string> {
  const statements: { sql: string; params: unknown[] }[] = [];
  const handle = await openDatabase(location, { logger: { logQuery: (sql, params) => statements.push({ sql, params }) } });
  try {
    const yoga = createTimelineYoga({ database: handle, responseCache: false });
    statements.length = 0; // opening runs the migration check
    const response = await yoga.fetch(new Request('http://plans/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(statements).toHaveLength(1);
    return (await explain(handle, statements[0]!.sql, statements[0]!.params)).join('\n');
  } finally {
    await handle.close();
  }
}

async function explain(handle: DatabaseHandle, sql: string, params: unknown[]): Promise<string[]> {
  if (handle.dialect === 'sqlite') {
    return (handle.db.$client.prepare(`explain query plan ${sql}`).all(...(params as never[])) as { detail: string }[]).map((row) => row.detail);
  }
  // On PostgreSQL drizzle's client is node-postgres's pool.
  const { rows } = await (handle.db.$client as unknown as pg.Pool).query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params);
  return rows.map((row) => row['QUERY PLAN']);
}

/** Raw SQL with `$1`-style parameters on either backend, for setting data and probes up beneath the API. */
async function rawQuery<T>(handle: DatabaseHandle, text: string, params: unknown[] = []): Promise<T[]> {
  if (handle.dialect === 'sqlite') {
    const statement = handle.db.$client.prepare(text.replace(/\$\d+/g, '?'));
    if (statement.reader) return statement.all(...(params as never[])) as T[];
    statement.run(...(params as never[]));
    return [];
  }
  // On PostgreSQL drizzle's client is node-postgres's pool.
  return (await (handle.db.$client as unknown as pg.Pool).query(text, params)).rows as T[];
}

/**
 * Installs `timeline_probe(value)`, which returns its argument and counts its calls, and answers a
 * function that reads the count and starts it again from zero.
 */
async function installProbe(handle: DatabaseHandle): Promise<() => Promise<number>> {
  if (handle.dialect === 'sqlite') {
    let calls = 0;
    handle.db.$client.function('timeline_probe', { deterministic: false }, (value: unknown) => {
      calls += 1;
      return value;
    });
    return async () => {
      const counted = calls;
      calls = 0;
      return counted;
    };
  }
  // A sequence counts outside any transaction, so every evaluation is seen.
  await rawQuery(handle, 'create sequence if not exists timeline_probe_calls');
  await rawQuery(handle, "create or replace function timeline_probe(value anyelement) returns anyelement language plpgsql volatile as $$ begin perform nextval('timeline_probe_calls'); return value; end $$");
  const readAndReset = async () => {
    const [row] = await rawQuery<{ calls: string }>(handle, 'select case when is_called then last_value else 0 end as calls from timeline_probe_calls');
    await rawQuery(handle, "select setval('timeline_probe_calls', 1, false)");
    return Number(row!.calls);
  };
  await readAndReset();
  return readAndReset;
}

/** The nested pages the API builds, checked by what they return and what they compute, on either backend. */
function describeNestedPages(location: () => string): void {
  it('a sorted page computes its nested selection only for the rows it keeps, not for every row it sorts', async () => {
    const handle = await openDatabase(location());
    try {
      // Counts how often the database evaluates the nested citations' select list.
      const evaluations = await installProbe(handle);
      const { participations: joined } = (await handle.db.query.actors.findFirst({ where: { slug: 'actor-3' }, with: { participations: { columns: { id: true } } } }))!;
      const page = async (limit: number) => {
        await evaluations();
        const actor = await handle.db.query.actors.findFirst({
          where: { slug: 'actor-3' },
          with: {
            events: {
              orderBy: { earliest: 'desc', id: 'desc' },
              limit,
              with: { citations: { extras: { probe: (citation) => sql<number>`timeline_probe(${citation.id})` } } },
            },
          },
        });
        return { events: actor!.events, evaluated: await evaluations() };
      };
      expect(joined.length).toBeGreaterThan(10);
      const firstTwo = await page(2);
      expect(firstTwo.events).toHaveLength(2);
      expect(firstTwo.evaluated).toBe(firstTwo.events.reduce((sum, event) => sum + event.citations.length, 0));
      // The kept rows are the first of the whole sorted list.
      const all = await page(joined.length);
      expect(all.events).toHaveLength(joined.length);
      expect(firstTwo.events.map((event) => event.id)).toEqual(all.events.slice(0, 2).map((event) => event.id));
      expect(all.evaluated).toBe(all.events.reduce((sum, event) => sum + event.citations.length, 0));
    } finally {
      await handle.close();
    }
  });

  it('a page through a join table counts each row once, so a pair listed twice does not shorten it', async () => {
    const handle = await openDatabase(location());
    try {
      // Two citations of one article in one event: the article's events, through citations, list it twice.
      const [first] = await rawQuery<{ article_id: number; event_id: number }>(handle, 'select article_id, event_id from citations order by id limit 1');
      const { article_id: articleId, event_id: eventId } = first!;
      await rawQuery(handle, "insert into citations (event_id, article_id, quote) select event_id, article_id, quote || ' (again)' from citations where event_id = $1 and article_id = $2 limit 1", [eventId, articleId]);
      const [counted] = await rawQuery<{ n: number | string }>(handle, 'select count(distinct event_id) as n from citations where article_id = $1', [articleId]);
      const distinct = Number(counted!.n);
      const article = await handle.db.query.articles.findFirst({
        where: { id: articleId },
        with: { events: { orderBy: { id: 'asc' }, limit: distinct, with: { citations: { columns: { id: true } } } } },
      });
      expect(new Set(article!.events.map((event) => event.id)).size).toBe(distinct);
      expect(article!.events).toHaveLength(distinct);
    } finally {
      await handle.close();
    }
  });
}

if (TEST_BACKEND === 'sqlite') describe('query plans of the hot queries, on SQLite', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'timeline-plans-')), 'synthetic.db');
  beforeAll(() => seedSynthetic(path, SYNTHETIC_EVENTS), 60_000);

  it('a date-window page searches the date index from near the window, never scanning all events', async () => {
    const plan = await planOf(path, { query: Q1_QUERY, variables: { from: '2020', to: '2020', first: 50 } });
    expect(plan).toMatch(/SEARCH d0 USING (COVERING )?INDEX events_date_order_idx \(earliest>\?/);
    expect(plan).not.toMatch(/SCAN d0\b/);
    // Participants and citations of each event come through their event-id indexes.
    expect(plan).toMatch(/participations_event_actor_unique/);
    expect(plan).toMatch(/SEARCH .*citations.* USING INDEX|citations_event_article_quote_unique/);
  });

  it("an actor's timeline starts from the actor's participations", async () => {
    const plan = await planOf(path, { query: Q2_QUERY, variables: { slug: 'actor-3' } });
    expect(plan).toMatch(/actors_slug_unique/);
    expect(plan).toMatch(/participations_actor_event_idx/);
  });

  describeNestedPages(() => path);

  it('the changes since an instant start from the first revision made then, not from the oldest', async () => {
    const plan = await planOf(path, { query: '{ changes(since: "2026-12-01T00:00:00Z", first: 20) { edges { node { action slug } } } }' });
    expect(plan).toMatch(/SEARCH d0 USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(plan).toMatch(/SEARCH revisions USING COVERING INDEX revisions_at_idx \(at>\?\)/);
  });
});

if (TEST_BACKEND === 'postgres') describe('query plans of the hot queries, on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
    // Loads, indexes and analyzes, so the planner has the statistics it would have in service.
    await seedPostgresSynthetic(database.url, SYNTHETIC_EVENTS);
  }, 60_000);
  afterAll(() => database.close());

  it('a date-window page finds its events through the date index, never scanning all events', async () => {
    const plan = await planOf(database.url, { query: Q1_QUERY, variables: { from: '2020', to: '2020', first: 50 } });
    expect(plan).toMatch(/Index Scan (Backward )?(on|using) events_date_order_idx/);
    expect(plan).toMatch(/Index Cond: \(\(earliest >= /);
    expect(plan).not.toMatch(/Seq Scan on events\b/);
    // Participants and citations of each event come through their event-id indexes.
    expect(plan).toMatch(/using participations_event_actor_unique on participations/);
    expect(plan).toMatch(/using citations_event_article_quote_unique on citations/);
  });

  it("an actor's timeline reaches its events through indexes, never scanning all events or participations", async () => {
    const plan = await planOf(database.url, { query: Q2_QUERY, variables: { slug: 'actor-3' } });
    expect(plan).not.toMatch(/Seq Scan on (events|participations)\b/);
    expect(plan).toMatch(/using (participations_actor_event_idx|participations_event_actor_unique) on participations/);
  });

  describeNestedPages(() => database.url);
});
