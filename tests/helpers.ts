import { afterAll, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, type OpenDatabaseOptions, openDatabase } from '../src/db/client.js';
import { parsePartialDate } from '../src/domain/partial-date.js';
import type { SeedData } from '../src/seed/validate.js';
import { hashToken, type StoredToken } from '../src/server/auth.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { freshPostgresDatabase, type PostgresDatabase } from './postgres-database.js';

export type Backend = DatabaseHandle['dialect'];

/** The backend this test project runs on: vitest.config.ts sets TIMELINE_TEST_BACKEND per project; SQLite by default. */
export const TEST_BACKEND: Backend = process.env.TIMELINE_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestTimeline {
  database: DatabaseHandle;
  /** Every SQL statement sent since the last `resetStatements()`. */
  statements: string[];
  resetStatements(): void;
  query<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string },
  ): Promise<GraphQLResponse<TData>>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Secrets of the test tokens, by role; the server knows only their hashes. */
export const TEST_TOKENS = { reader: 'reader-secret', editor: 'editor-secret', admin: 'admin-secret' } as const;

export const TEST_TOKEN_STORE: StoredToken[] = Object.entries(TEST_TOKENS).map(([role, secret]) => ({
  name: `test-${role}`,
  role: role as StoredToken['role'],
  sha256: hashToken(secret),
}));

export type TestDatabase = DatabaseHandle & {
  /** The URL it was opened with: ":memory:" for SQLite, a fresh database's for PostgreSQL. */
  url: string;
};

/**
 * A new database on `backend`, empty or `seeded` from the seed files: SQLite in memory, or a fresh
 * database on the run's PostgreSQL server. Closing it drops the PostgreSQL database.
 */
export async function openTestDatabase({
  backend = TEST_BACKEND,
  seeded = false,
  copyOf,
  ...options
}: OpenDatabaseOptions & { backend?: Backend; seeded?: boolean; copyOf?: string } = {}): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    if (copyOf !== undefined) throw new Error('An in-memory SQLite database cannot be copied by URL.');
    const database = Object.assign(await openDatabase(':memory:', options), { url: ':memory:' });
    if (seeded) await seedDatabase(database);
    return database;
  }
  // On PostgreSQL, a copy of a database seeded once per run (or of `copyOf`).
  const fresh = await freshPostgresDatabase(undefined, { seeded, copyOf });
  const database = await openDatabase(fresh.url, options);
  return {
    ...database,
    url: fresh.url,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}

/** A fresh database, optionally seeded from the real seed files (or a copy of `copyOf`), behind the real server. */
export async function openTestTimeline({ seed = true, backend = TEST_BACKEND, copyOf }: { seed?: boolean; backend?: Backend; copyOf?: string } = {}): Promise<TestTimeline> {
  const statements: string[] = [];
  const database = await openTestDatabase({ backend, seeded: seed && copyOf === undefined, copyOf, logger: { logQuery: (sql) => statements.push(sql) } });
  statements.length = 0;
  return timelineOver(database, statements);
}

/**
 * Opens timelines that each begin as `write` leaves a fresh, empty one (through the API, say),
 * each on a database of its own. On PostgreSQL `write` runs once per test file, into a database
 * that every timeline is then a file copy of (CREATE DATABASE … TEMPLATE): writing a timeline
 * through the API costs more than the test that reads it. The copy holds the same rows and the
 * same sequences, so ids handed out by the first write (global ids kept by the test file) name
 * the same rows in every copy. On SQLite, in memory, each timeline is written anew. Call at the
 * top of a test file (the template is dropped after the file).
 */
export function timelinesWrittenBy(write: (timeline: TestTimeline) => Promise<void>, backend: Backend = TEST_BACKEND): () => Promise<TestTimeline> {
  if (backend === 'sqlite') {
    return async () => {
      const timeline = await openTestTimeline({ seed: false, backend });
      await write(timeline);
      return timeline;
    };
  }
  let template: Promise<PostgresDatabase> | undefined;
  afterAll(async () => {
    await (await template?.catch(() => undefined))?.drop();
  });
  return async () => {
    template ??= (async () => {
      const fresh = await freshPostgresDatabase();
      const statements: string[] = [];
      const database = Object.assign(await openDatabase(fresh.url, { logger: { logQuery: (sql) => statements.push(sql) } }), { url: fresh.url });
      try {
        await write(timelineOver(database, statements));
      } catch (error) {
        await database.close();
        await fresh.drop();
        throw error;
      }
      // Closed to every connection, so that it can be copied.
      await database.close();
      return fresh;
    })();
    return openTestTimeline({ seed: false, backend, copyOf: (await template).url });
  };
}

function timelineOver(database: TestDatabase, statements: string[]): TestTimeline {
  const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
  const fetchPath = (path: string, init?: RequestInit) => Promise.resolve(yoga.fetch(new Request(`http://timeline.test${path}`, init)));
  return {
    database,
    statements,
    resetStatements: () => {
      statements.length = 0;
    },
    async query(query, variables, options = {}) {
      const response = await fetchPath('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    fetch: fetchPath,
    close: () => database.close(),
  };
}

/** node-postgres drizzle's raw query method, which SQLite's drizzle type does not have. */
type PostgresExecute = { execute(query: ReturnType<typeof sql>): Promise<{ rows: unknown[] }> };

/** Every row of every timeline table, for comparing whole databases of one backend. */
export async function dumpTables(database: DatabaseHandle): Promise<Record<string, unknown[]>> {
  return database.read(async (tx) => {
    const tables = (
      database.dialect === 'sqlite'
        ? // The search tables' own contents count; FTS5's internal shadow tables do not.
          tx.all<{ name: string }>(
            sql.raw(
              "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' " +
                "and name not like '%\\_search\\_%' escape '\\' and name not like '\\_\\_drizzle%' escape '\\' order by name",
            ),
          )
        : ((await (tx as unknown as PostgresExecute).execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)) as { rows: { name: string }[] }).rows
    ).map(({ name }) => name);
    const dump: Record<string, unknown[]> = {};
    for (const name of tables) {
      dump[name] =
        database.dialect === 'sqlite'
          ? tx.all(sql.raw(`select rowid as row_id, * from "${name}" order by rowid`))
          : ((await (tx as unknown as PostgresExecute).execute(sql.raw(`select * from "${name}" order by 1`))) as { rows: unknown[] }).rows;
    }
    return dump;
  });
}

/** A timeline large enough that first: 100 returns 100 events, each with several participants and citations. */
export function syntheticTimeline(eventCount: number): SeedData {
  const actors = Array.from({ length: 12 }, (_, i) => ({
    slug: `actor-${i}`,
    name: `Actor ${i}`,
    kind: 'PERSON' as const,
    description: '',
    affiliations: [],
  }));
  return {
    actors,
    places: [],
    sources: [{ slug: 'outlet', name: 'Outlet', description: '' }],
    articles: [{ slug: 'article', title: 'Article', source: 'outlet', publishedOn: parsePartialDate('2020'), dateNote: '' }],
    events: Array.from({ length: eventCount }, (_, i) => ({
      slug: `event-${i}`,
      title: `Event ${i}`,
      summary: '',
      kind: 'MEETING' as const,
      status: 'OCCURRED' as const,
      start: parsePartialDate(`${1990 + (i % 30)}-${String((i % 12) + 1).padStart(2, '0')}`),
      dateBasis: 'STATED' as const,
      dateNote: '',
      dateSupport: [0],
      placeBasis: 'CITED' as const,
      placeNote: '',
      placeSupport: [],
      participants: [0, 1, 2].map((k) => ({ actor: `actor-${(i + k) % 12}`, role: 'PARTICIPANT' as const, basis: 'CITED' as const, note: '', supportedBy: [k % 2] })),
      citations: [0, 1].map((k) => ({ article: 'article', quote: `Quote ${k} about event ${i}` })),
      related: [],
      disputes: [],
    })),
  };
}

/** A query's data, failing the test on any error. */
export async function queryData<T = Record<string, any>>(timeline: TestTimeline, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await timeline.query<T>(query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

/** The slugs of the events matching `filter`, in date order; totalCount must agree with the page. */
export async function eventSlugs(timeline: TestTimeline, filter: Record<string, unknown>): Promise<string[]> {
  const result = await queryData<{ events: { totalCount: number; edges: { node: { slug: string } }[] } }>(
    timeline,
    'query ($filter: EventFilter) { events(filter: $filter, first: 100) { totalCount edges { node { slug } } } }',
    { filter },
  );
  expect(result.events.totalCount).toBe(result.events.edges.length);
  return result.events.edges.map((edge) => edge.node.slug);
}

/** An event input the seed's articles support, dated in the 1990s (after the seed's 1992, before its 2014) and with China taking part. */
export const NINETIES_EVENT = {
  slug: 'ties-in-the-nineties',
  title: 'A test event in the 1990s',
  kind: 'STATEMENT',
  status: 'OCCURRED',
  start: '1995',
  dateBasis: 'OUTSIDE',
  dateNote: 'A date for the test.',
  participants: [{ actor: 'china', role: 'PARTICIPANT', supportedBy: [0] }],
  citations: [{ article: 'bloomberg-south-korea-seeks-xi-visit', quote: 'China established diplomatic ties with South Korea in 1992' }],
};
