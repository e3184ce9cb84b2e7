import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, start, stop } from '../bench/harness.js';
import { migratePostgres, seedPostgresSynthetic } from '../bench/postgres/seed.js';
import { installPostGraphileFunctions, node22Binary, POSTGRAPHILE_ARGS, POSTGRAPHILE_READY } from '../bench/postgraphile/setup.js';
import { syntheticTimeline } from '../bench/synthetic.js';
import { WORKLOADS } from '../bench/workloads.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { freshPostgresDatabase, type PostgresDatabase } from './postgres-database.js';

const EVENTS = 3_000;
let database: PostgresDatabase;
let client: pg.Client;
let service: DatabaseHandle;
let ceiling: Started;
let postgraphile: Started;

const query = async <Row extends object>(text: string, values: unknown[] = []) => (await client.query<Row>(text, values)).rows;

beforeAll(async () => {
  database = await freshPostgresDatabase();
  await seedPostgresSynthetic(database.url, EVENTS);
  await installPostGraphileFunctions(database.url);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  service = await openDatabase(database.url);
  ceiling = await start(['--import', 'tsx', 'bench/postgres/ceiling.ts'], { PORT: '0', DATABASE_URL: database.url }, /ceiling listening on (\d+)/);
  postgraphile = await start(POSTGRAPHILE_ARGS, { PORT: '0', DATABASE_URL: database.url, NODE_ENV: 'production' }, POSTGRAPHILE_READY, node22Binary());
}, 300_000);

afterAll(async () => {
  await Promise.all([ceiling, postgraphile].map((server) => server && stop(server.child)));
  await service?.close();
  await client?.end();
  await database?.drop();
});

/** What the service answers to `body`, in process. */
async function serviceAnswer(body: object) {
  const yoga = createTimelineYoga({ database: service, responseCache: false });
  const response = await yoga.fetch(new Request('http://timeline.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return (await response.json()) as { data: unknown; errors?: unknown };
}

async function postgraphileAnswer(body: object) {
  const response = await fetch(`${postgraphile.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as { data: any; errors?: unknown };
}

type PgEvent = { slug: string; title: string; startIso: string; startPrecision: string };
type PgCitations = { nodes: { quote: string; articleByArticleId: { title: string; sourceBySourceId: { name: string } } }[] };

const card = (event: PgEvent) => ({ slug: event.slug, title: event.title, startDate: { iso: event.startIso, precision: event.startPrecision } });
const citations = (list: PgCitations) => ({
  edges: list.nodes.map((c) => ({ node: { quote: c.quote, article: { title: c.articleByArticleId.title, source: { name: c.articleByArticleId.sourceBySourceId.name } } } })),
});

/** PostGraphile's answer to a workload, in the shape of the service's (field names differ; the data must not). */
const asServiceShape: Record<string, (data: any) => unknown> = {
  Q1: (data) => ({
    events: {
      edges: data.eventsInWindow.nodes.map((event: PgEvent & { participationsByEventId: { nodes: { role: string; actorByActorId: { name: string } }[] }; citationsByEventId: PgCitations }) => ({
        node: {
          ...card(event),
          participants: { edges: event.participationsByEventId.nodes.map((p) => ({ role: p.role, node: { name: p.actorByActorId.name } })) },
          citations: citations(event.citationsByEventId),
        },
      })),
    },
  }),
  Q2: (data) => ({
    actor: data.actorBySlug && {
      name: data.actorBySlug.name,
      events: { edges: data.actorBySlug.latestEvents.nodes.map((event: PgEvent & { citationsByEventId: PgCitations }) => ({ node: { ...card(event), citations: citations(event.citationsByEventId) } })) },
    },
  }),
  Q3: (data) => ({
    search: {
      edges: data.searchEverything.nodes.map((hit: { type: string; slug: string; label: string }) => ({
        node: { __typename: hit.type, slug: hit.slug, [hit.type === 'Event' ? 'title' : 'name']: hit.label },
      })),
    },
  }),
  Q4: (data) => ({ node: data.node && card(data.node) }),
};

describe('the PostgreSQL benchmark', () => {
  it('seeds the synthetic timeline by COPY: the generator rows, with every index, constraint and trigger back', async () => {
    const expected = new Map<string, number>();
    const eventRows: { slug: string; title: string; startIso: string; status: string }[] = [];
    for (const chunk of syntheticTimeline({ eventCount: EVENTS })) {
      for (const batch of chunk.batches) {
        expected.set(batch.table, (expected.get(batch.table) ?? 0) + batch.rows.length);
        if (batch.table === 'events') eventRows.push(...batch.rows.map(({ slug, title, startIso, status }) => ({ slug, title, startIso, status })));
      }
    }
    for (const [table, count] of expected) {
      const [row] = await query<{ n: number }>(`select count(*)::integer as n from ${pg.escapeIdentifier(table)}`);
      expect(row!.n, table).toBe(count);
    }
    expect(expected.get('events')).toBe(EVENTS);
    const loaded = await query<{ slug: string; title: string; startIso: string; status: string }>('select slug, title, start_iso as "startIso", status from events order by id');
    expect(loaded).toEqual(eventRows);
    expect(await query(`select min(n)::integer as low, max(n)::integer as high from (select count(*) as n from participations group by event_id) as counts`)).toEqual([{ low: 2, high: 4 }]);

    // The same indexes and constraints as a database the migrations alone made, all enforced.
    const schemaOf = async (url: string) => {
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      try {
        const indexes = (await other.query(`select indexdef from pg_indexes where schemaname = 'public' order by indexdef`)).rows;
        const constraints = (await other.query(`select conname, pg_get_constraintdef(oid) as definition, convalidated from pg_constraint where connamespace = 'public'::regnamespace order by conname`)).rows;
        const triggers = (await other.query(`select tgname, tgenabled from pg_trigger where not tgisinternal order by tgname`)).rows;
        return { indexes, constraints, triggers };
      } finally {
        await other.end();
      }
    };
    const migrated = await freshPostgresDatabase();
    try {
      await migratePostgres(migrated.url);
      const reference = await schemaOf(migrated.url);
      expect(reference.indexes.length).toBeGreaterThan(20);
      expect(await schemaOf(database.url)).toEqual(reference);
    } finally {
      await migrated.drop();
    }

    // Every event has its search document, as the migration's own refresh function writes it.
    expect(await query('select count(*)::integer as n from event_search')).toEqual([{ n: EVENTS }]);
    const documents = () => query<{ document: string }>('select document::text from event_search where id <= 50 order by id');
    const seeded = await documents();
    await query('select refresh_event_search(array(select generate_series(1, 50)))');
    expect(await documents()).toEqual(seeded);
    expect(await query(`select count(*)::integer as n from event_search where document @@ search_query('treaty')`)).not.toEqual([{ n: 0 }]);

    // The identity sequences continue after the loaded ids.
    expect(await query(`select nextval(pg_get_serial_sequence('events', 'id'))::integer as id`)).toEqual([{ id: EVENTS + 1 }]);
    expect(await query(`select nextval(pg_get_serial_sequence('citations', 'id'))::integer as id`)).toEqual([{ id: expected.get('citations')! + 1 }]);

    await expect(seedPostgresSynthetic(database.url, 10)).rejects.toThrow(/already holds 3000 events/);
  });

  it.each(WORKLOADS.map((workload) => [workload.name, workload] as const))('%s: the ceiling and PostGraphile answer with the data the service does', async (name, workload) => {
    let slugs = 0;
    for (const request of workload.requests(EVENTS)) {
      const answer = await serviceAnswer(request.graphql);
      expect(answer.errors).toBeUndefined();
      const raw = (await (await fetch(`${ceiling.base}${request.ceiling}`)).json()) as { data: unknown };
      expect(raw.data).toEqual(answer.data);
      const generic = await postgraphileAnswer(request.postgraphile);
      expect(generic.errors).toBeUndefined();
      expect(asServiceShape[name]!(generic.data)).toEqual(answer.data);
      slugs += JSON.stringify(answer.data).split('"slug"').length - 1;
    }
    // The answers compared hold real rows, not empty pages.
    expect(slugs).toBeGreaterThanOrEqual(workload.requests(EVENTS).length);
  });
});
