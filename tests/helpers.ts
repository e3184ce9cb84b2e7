import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { parsePartialDate } from '../src/domain/partial-date.js';
import type { SeedData } from '../src/seed/validate.js';
import { hashToken, type StoredToken } from '../src/server/auth.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';

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
  close(): void;
}

/** Secrets of the test tokens, by role; the server knows only their hashes. */
export const TEST_TOKENS = { reader: 'reader-secret', editor: 'editor-secret', admin: 'admin-secret' } as const;

export const TEST_TOKEN_STORE: StoredToken[] = Object.entries(TEST_TOKENS).map(([role, secret]) => ({
  name: `test-${role}`,
  role: role as StoredToken['role'],
  sha256: hashToken(secret),
}));

/** A fresh in-memory database, optionally seeded from the real seed files, behind the real server. */
export function openTestTimeline({ seed = true }: { seed?: boolean } = {}): TestTimeline {
  const statements: string[] = [];
  const database = openDatabase(':memory:', { logger: { logQuery: (sql) => statements.push(sql) } });
  if (seed) seedDatabase(database.db);
  statements.length = 0;
  const yoga = createTimelineYoga({ db: database.db, tokens: TEST_TOKEN_STORE });
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

/** Every row of every timeline table, for comparing whole databases. */
export function dumpTables(database: DatabaseHandle): Record<string, unknown[]> {
  const client = database.db.$client;
  const tables = client
    .prepare(
      // The search tables' own contents count; FTS5's internal shadow tables do not.
      "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' " +
        "and name not like '%\\_search\\_%' escape '\\' and name not like '\\_\\_drizzle%' escape '\\' order by name",
    )
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, client.prepare(`select rowid as row_id, * from "${name}" order by rowid`).all()]));
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
      participants: [0, 1, 2].map((k) => ({ actor: `actor-${(i + k) % 12}`, role: 'PARTICIPANT' as const })),
      citations: [0, 1].map((k) => ({ article: 'article', quote: `Quote ${k} about event ${i}` })),
      related: [],
    })),
  };
}
