import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { getTableColumns, getTableName, is, SQL, sql, Table } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { getTableConfig as pgTableConfig, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earliestStartInReach, earliestWithinLongestSpan, eventSpanDays } from '../src/db/postgres/dates.js';
import { resetIdentitySequences } from '../src/db/postgres/identity.js';
import * as pgSchema from '../src/db/postgres/schema.js';
import { countSearchHitsPostgres, matchesSearchPostgres, searchEverythingPostgres } from '../src/db/postgres/search.js';
import * as sqliteSchema from '../src/db/schema.js';
import { freshPostgresDatabase, type PostgresDatabase } from './postgres-database.js';

const MIGRATIONS = fileURLToPath(new URL('../drizzle/postgres', import.meta.url));

function tablesOf<T extends Table>(schema: Record<string, unknown>): Record<string, T> {
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => is(value, Table))) as Record<string, T>;
}

const pgDialect = new PgDialect();
const sqliteDialect = new SQLiteSyncDialect();

/** A table as both dialects can state it: names, kinds, nullability, defaults, keys, indexes, checks. */
function describeTable(config: ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>, render: (value: SQL) => string) {
  return {
    name: config.name,
    columns: config.columns.map((column) => ({
      name: column.name,
      kind: column.getSQLType(),
      notNull: column.notNull,
      primary: column.primary,
      default: column.default,
    })),
    indexes: config.indexes
      .map(({ config: index }) => ({
        name: index.name,
        unique: index.unique,
        // An expression (the span index) is written in each dialect's own functions; its name is compared.
        columns: index.columns.map((part) => (is(part, SQL) ? 'expression' : (part as { name: string }).name)),
      }))
      .sort((a, b) => a.name!.localeCompare(b.name!)),
    foreignKeys: config.foreignKeys
      .map((foreignKey) => {
        const reference = foreignKey.reference();
        return {
          columns: reference.columns.map((column) => column.name),
          table: getTableName(reference.foreignTable),
          foreignColumns: reference.foreignColumns.map((column) => column.name),
          onDelete: foreignKey.onDelete,
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    checks: config.checks.map((check) => ({ name: check.name, sql: render(check.value) })),
  };
}

describe('the PostgreSQL schema mirrors the SQLite one', () => {
  const sqliteTables = tablesOf<SQLiteTable>(sqliteSchema);
  const pgTables = tablesOf<PgTable>(pgSchema);

  it('has the same tables under the same export names', () => {
    expect(Object.keys(pgTables).sort()).toEqual(Object.keys(sqliteTables).sort());
  });

  it.each(Object.keys(sqliteTables))('%s: same columns, properties, keys, indexes and checks', (key) => {
    const sqliteTable = sqliteTables[key]!;
    const pgTable = pgTables[key]!;
    expect(Object.keys(getTableColumns(pgTable))).toEqual(Object.keys(getTableColumns(sqliteTable)));
    const sqlite = describeTable(sqliteTableConfig(sqliteTable), (value) => sqliteDialect.sqlToQuery(value).sql);
    const postgres = describeTable(pgTableConfig(pgTable), (value) => pgDialect.sqlToQuery(value).sql);
    expect(postgres).toEqual(sqlite);
    for (const column of sqlite.columns) expect(['integer', 'text']).toContain(column.kind);
  });

  it('gives every id an identity that accepts explicit values', () => {
    for (const table of Object.values(pgTables)) {
      const id = pgTableConfig(table).columns.find((column) => column.name === 'id')!;
      expect(id.generatedIdentity?.type).toBe('byDefault');
    }
  });
});

const databases: PostgresDatabase[] = [];
const pools: pg.Pool[] = [];

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await Promise.all(databases.map((database) => database.drop()));
});

/** A new, empty database on the run's PostgreSQL server, and a pool of connections to it. */
async function emptyDatabase(): Promise<pg.Pool> {
  const database = await freshPostgresDatabase();
  databases.push(database);
  const pool = new pg.Pool({ connectionString: database.url });
  pools.push(pool);
  return pool;
}

/** A new database with the migrations applied, and a drizzle instance over the PostgreSQL tables. */
async function migratedDatabase(): Promise<NodePgDatabase> {
  const db = drizzle({ client: await emptyDatabase() });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

async function rows<T>(db: NodePgDatabase, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

describe('PostgreSQL migrations', () => {
  it('apply to an empty database, and again without effect', async () => {
    const pool = await emptyDatabase();
    const db = drizzle({ client: pool });
    // The test server's databases come with unaccent; the migrations must create it themselves.
    await pool.query('drop extension unaccent');

    await migrate(db, { migrationsFolder: MIGRATIONS });
    const applied = await pool.query('select hash from drizzle.__drizzle_migrations order by id');
    await migrate(db, { migrationsFolder: MIGRATIONS });
    const reapplied = await pool.query('select hash from drizzle.__drizzle_migrations order by id');

    const folders = readdirSync(MIGRATIONS, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(applied.rows).toHaveLength(folders.length);
    expect(reapplied.rows).toEqual(applied.rows);
    expect((await pool.query(`select 1 from pg_extension where extname = 'unaccent'`)).rowCount).toBe(1);
  });

  it('create exactly the columns and indexes the schema declares, plus the search indexes', async () => {
    const db = await migratedDatabase();
    const columns = await rows<{ table: string; column: string; nullable: string; type: string }>(
      db,
      sql`select table_name as table, column_name as column, is_nullable as nullable, data_type as type
          from information_schema.columns where table_schema = current_schema()`,
    );
    const indexes = await rows<{ name: string }>(db, sql`select indexname as name from pg_indexes where schemaname = current_schema()`);
    const expectedColumns = Object.values(tablesOf<PgTable>(pgSchema)).flatMap((table) => {
      const config = pgTableConfig(table);
      return config.columns.map((column) => ({
        table: config.name,
        column: column.name,
        nullable: column.notNull ? 'NO' : 'YES',
        type: column.getSQLType(),
      }));
    });
    const searchTable = [
      { table: 'event_search', column: 'id', nullable: 'NO', type: 'integer' },
      { table: 'event_search', column: 'document', nullable: 'NO', type: 'tsvector' },
    ];
    const byName = (a: { table: string; column: string }, b: { table: string; column: string }) =>
      `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`);
    expect(columns.sort(byName)).toEqual([...expectedColumns, ...searchTable].sort(byName));
    const declared = Object.values(tablesOf<PgTable>(pgSchema)).flatMap((table) => pgTableConfig(table).indexes.map((index) => index.config.name));
    expect(indexes.map((index) => index.name)).toEqual(
      expect.arrayContaining([...declared, 'actors_search_idx', 'sources_search_idx', 'event_search_document_idx']),
    );
  });
});

describe('PostgreSQL full-text search', () => {
  let db: NodePgDatabase;
  const { actors, sources, articles, events, citations } = pgSchema;
  const eventIds: Record<string, number> = {};

  const event = (slug: string, title: string, summary = '') => ({
    slug,
    title,
    summary,
    kind: 'MEETING' as const,
    status: 'OCCURRED' as const,
    startIso: '2023-09-23',
    startPrecision: 'DAY' as const,
    startEarliest: '2023-09-23',
    startLatest: '2023-09-23',
    earliest: '2023-09-23',
    latest: '2023-09-23',
    dateBasis: 'STATED' as const,
  });

  beforeAll(async () => {
    db = await migratedDatabase();
    await db.insert(actors).values([
      { slug: 'kono-taro', name: 'Kōno Tarō', kind: 'PERSON', description: 'Foreign minister of Japan' },
      { slug: 'han-duck-soo', name: 'Han Duck-soo', kind: 'PERSON', description: 'Prime minister of South Korea' },
      { slug: 'xinhua-actor', name: 'Xinhua', kind: 'ORGANIZATION' },
    ]);
    const [source] = await db
      .insert(sources)
      .values([{ slug: 'xinhua', name: 'Xinhua' }, { slug: 'yonhap', name: 'Yonhap', description: 'News agency of South Korea' }])
      .returning({ id: sources.id });
    const [article] = await db
      .insert(articles)
      .values({
        slug: 'article',
        title: 'Article',
        sourceId: source!.id,
        publishedIso: '2023-09-25',
        publishedPrecision: 'DAY',
        publishedEarliest: '2023-09-25',
        publishedLatest: '2023-09-25',
      })
      .returning({ id: articles.id });
    const inserted = await db
      .insert(events)
      .values([
        // Inserted worst match first, so that an order by id alone cannot pass for an order by rank.
        event('quote-match', 'Phone call'),
        event('summary-match', 'Meeting of ministers', 'They prepared the summit.'),
        event('title-match', 'Summit in Seoul', 'Leaders met.'),
        event('kono-visit', 'Kono visits Beijing', 'U.S. officials watched.'),
        event('xinhua-1', 'Xinhua'),
        event('xinhua-2', 'Xinhua'),
        event('counting', 'Counting', 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen'),
      ])
      .returning({ id: events.id, slug: events.slug });
    for (const { id, slug } of inserted) eventIds[slug] = id;
    await db.insert(citations).values({ eventId: eventIds['quote-match']!, articleId: article!.id, quote: 'A summit may follow, “soon”.' });
  });

  const hits = async (text: string, page = { limit: 100, offset: 0 }) =>
    (await searchEverythingPostgres(db, text, page)).map((hit) => `${hit.type}:${hit.id}`);
  const eventHits = async (text: string) =>
    (await db.select({ slug: events.slug }).from(events).where(matchesSearchPostgres('events', events.id, text)).orderBy(events.slug)).map(
      (row) => row.slug,
    );

  it('matches records containing every word, in any field', async () => {
    expect(await eventHits('summit')).toEqual(['quote-match', 'summary-match', 'title-match']);
    expect(await eventHits('seoul summit')).toEqual(['title-match']);
    expect(await eventHits('summit tokyo')).toEqual([]);
    expect(await eventHits('phone summit')).toEqual(['quote-match']);
  });

  it('ignores case and accents, on either side', async () => {
    const kono = await hits('kono');
    expect(kono).toHaveLength(2);
    expect(await hits('Kōno')).toEqual(kono);
    expect(await hits('KŌNO tarō')).toEqual(await hits('kono taro'));
    expect(await hits('kono taro')).toHaveLength(1);
  });

  it('splits the indexed text at punctuation as SQLite does', async () => {
    expect(await eventHits('U S officials')).toEqual(['kono-visit']);
    expect(await eventHits('U.S.')).toEqual(['kono-visit']);
    expect(await eventHits('soon')).toEqual(['quote-match']);
    const duck = (await searchEverythingPostgres(db, 'duck soo', { limit: 10, offset: 0 })).map((hit) => hit.type);
    expect(duck).toEqual(['Actor']);
  });

  it.each([
    '"summit"',
    'summit & | ! ( ) : *',
    "summit'",
    '!summit',
    'summit:*',
    "'; drop table events; --",
  ])('reads %j as plain words', async (text) => {
    const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.join(' ') === 'summit') {
      expect(await eventHits(text)).toEqual(await eventHits('summit'));
    } else {
      expect(await eventHits(text)).toEqual([]);
    }
    expect(await countSearchHitsPostgres(db, text)).toBe((await hits(text)).length);
  });

  it('does not read operators: no OR, no negation, no prefixes', async () => {
    expect(await eventHits('seoul | ministers')).toEqual([]);
    expect(await eventHits('!seoul')).toEqual(['title-match']);
    expect(await eventHits('summ:*')).toEqual([]);
    expect(await eventHits('summ*')).toEqual([]);
  });

  it('finds nothing when the text has no word', async () => {
    for (const text of ['', '   ', '!!! *** ()']) {
      expect(await searchEverythingPostgres(db, text, { limit: 10, offset: 0 })).toEqual([]);
      expect(await countSearchHitsPostgres(db, text)).toBe(0);
      expect(await eventHits(text)).toEqual([]);
    }
  });

  it('takes the first 16 words and ignores the rest', async () => {
    const sixteen = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
    expect(await eventHits(`${sixteen} missing`)).toEqual(['counting']);
    expect(await eventHits(`missing ${sixteen}`)).toEqual([]);
  });

  it('ranks a title match above a summary match above a quote match', async () => {
    expect(await hits('summit')).toEqual([
      `Event:${eventIds['title-match']}`,
      `Event:${eventIds['summary-match']}`,
      `Event:${eventIds['quote-match']}`,
    ]);
  });

  it('orders equal ranks by type, then id, and pages through them', async () => {
    const [xinhuaActor] = await db.select({ id: actors.id }).from(actors).where(sql`${actors.slug} = 'xinhua-actor'`);
    const [xinhuaSource] = await db.select({ id: sources.id }).from(sources).where(sql`${sources.slug} = 'xinhua'`);
    const all = await hits('xinhua');
    expect(all).toEqual([
      `Actor:${xinhuaActor!.id}`,
      `Event:${eventIds['xinhua-1']}`,
      `Event:${eventIds['xinhua-2']}`,
      `Source:${xinhuaSource!.id}`,
    ]);
    expect(await hits('xinhua', { limit: 2, offset: 1 })).toEqual(all.slice(1, 3));
    expect(await countSearchHitsPostgres(db, 'xinhua')).toBe(4);
    expect(await countSearchHitsPostgres(db, 'south korea')).toBe(2);
  });

  it('keeps events in step with their citations and their own writes', async () => {
    const eventId = eventIds['xinhua-2']!;
    const [article] = await db.select({ id: articles.id }).from(articles);
    const [citation] = await db
      .insert(citations)
      .values({ eventId, articleId: article!.id, quote: 'Trilateral talks resume.' })
      .returning({ id: citations.id });
    expect(await eventHits('trilateral')).toEqual(['xinhua-2']);

    await db.update(citations).set({ quote: 'Bilateral talks resume.' }).where(sql`${citations.id} = ${citation!.id}`);
    expect(await eventHits('trilateral')).toEqual([]);
    expect(await eventHits('bilateral')).toEqual(['xinhua-2']);

    await db.update(citations).set({ eventId: eventIds['xinhua-1']! }).where(sql`${citations.id} = ${citation!.id}`);
    expect(await eventHits('bilateral')).toEqual(['xinhua-1']);

    await db.delete(citations).where(sql`${citations.id} = ${citation!.id}`);
    expect(await eventHits('bilateral')).toEqual([]);

    await db.update(events).set({ title: 'Xinhua report' }).where(sql`${events.id} = ${eventId}`);
    expect(await eventHits('report')).toEqual(['xinhua-2']);
    await db.update(events).set({ status: 'SCHEDULED' }).where(sql`${events.id} = ${eventId}`);
    expect(await eventHits('report')).toEqual(['xinhua-2']);

    // One statement that writes citations of several events refreshes each of them.
    await db.insert(citations).values([
      { eventId: eventIds['xinhua-1']!, articleId: article!.id, quote: 'Joint statement.' },
      { eventId, articleId: article!.id, quote: 'Joint press conference.' },
      { eventId, articleId: article!.id, quote: 'A joint communique.' },
    ]);
    expect(await eventHits('joint')).toEqual(['xinhua-1', 'xinhua-2']);
    expect(await eventHits('joint communique')).toEqual(['xinhua-2']);
    await db.delete(citations).where(sql`${citations.quote} like 'Joint%'`);
    expect(await eventHits('joint')).toEqual(['xinhua-2']);

    const [doomed] = await db.insert(events).values(event('doomed', 'Ephemeral')).returning({ id: events.id });
    await db.insert(citations).values({ eventId: doomed!.id, articleId: article!.id, quote: 'Gone soon.' });
    await db.delete(events).where(sql`${events.id} = ${doomed!.id}`);
    expect(await eventHits('ephemeral')).toEqual([]);
    expect(await rows(db, sql`select id from event_search where id = ${doomed!.id}`)).toEqual([]);
  });

  it('answers matches from the GIN indexes', async () => {
    const plans = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const plan = async (query: SQL) =>
        ((await tx.execute(sql`explain ${query}`)).rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
      return {
        events: await plan(sql`select id from events where ${matchesSearchPostgres('events', events.id, 'summit')}`),
        actors: await plan(sql`select id from actors where ${matchesSearchPostgres('actors', actors.id, 'kono')}`),
        sources: await plan(sql`select id from sources where ${matchesSearchPostgres('sources', sources.id, 'xinhua')}`),
      };
    });
    expect(plans.events).toContain('event_search_document_idx');
    expect(plans.actors).toContain('actors_search_idx');
    expect(plans.sources).toContain('sources_search_idx');
  });
});

describe('PostgreSQL date arithmetic', () => {
  let db: NodePgDatabase;
  const sqlite = new Database(':memory:');
  afterAll(() => sqlite.close());
  sqlite.exec('create table spans (earliest text, latest text)');

  beforeAll(async () => {
    db = await migratedDatabase();
  });

  const PAIRS: [string, string][] = [
    ['0000-01-01', '0000-01-01'],
    ['0000-02-28', '0000-03-01'],
    ['0000-01-01', '9999-12-31'],
    ['0001-01-01', '0001-12-31'],
    ['1900-02-28', '1900-03-01'],
    ['2000-02-28', '2000-03-01'],
    ['2023-01-01', '2023-12-31'],
    ['2024-02-29', '2025-02-28'],
    ['9999-12-31', '9999-12-31'],
  ];

  it('counts the days of a span as SQLite julianday does, years 0000 to 9999', async () => {
    for (const [earliest, latest] of PAIRS) {
      const [row] = await rows<{ days: number }>(db, sql`select ${eventSpanDays({ earliest: sql`${earliest}::text`, latest: sql`${latest}::text` })} as days`);
      const expected = sqlite.prepare('select julianday(?) - julianday(?) as days').get(latest, earliest) as { days: number };
      expect({ earliest, latest, days: row!.days }).toEqual({ earliest, latest, days: expected.days });
    }
  });

  const event = (slug: string, earliest: string, latest: string) => ({
    slug,
    title: slug,
    kind: 'MEETING' as const,
    status: 'OCCURRED' as const,
    startIso: earliest,
    startPrecision: 'DAY' as const,
    startEarliest: earliest,
    startLatest: latest,
    earliest,
    latest,
    dateBasis: 'STATED' as const,
  });

  it.each([
    { name: 'no events', spans: [] as [string, string][], froms: ['0000-01-01', '2023-09-23', '9999-12-31'] },
    { name: 'one-day events', spans: [['2023-09-23', '2023-09-23']] as [string, string][], froms: ['0000-01-01', '9999-12-31'] },
    {
      name: 'a year-long event',
      spans: [['2023-01-01', '2023-12-31'], ['2023-06-01', '2023-06-01']] as [string, string][],
      froms: ['0000-01-01', '0000-12-31', '0001-03-01', '2024-03-01', '9999-12-31'],
    },
    { name: 'an event over every year', spans: [['0000-01-01', '9999-12-31']] as [string, string][], froms: ['0000-01-01', '5000-06-15', '9999-12-31'] },
  ])('bounds the window start as SQLite does: $name', async ({ spans, froms }) => {
    const { events } = pgSchema;
    await db.delete(events);
    if (spans.length > 0) await db.insert(events).values(spans.map(([earliest, latest], index) => event(`e${index}`, earliest, latest)));
    sqlite.exec('delete from spans');
    for (const [earliest, latest] of spans) sqlite.prepare('insert into spans values (?, ?)').run(earliest, latest);

    for (const from of froms) {
      const [row] = await rows<{ start: string }>(db, sql`select ${earliestStartInReach(from)} as start`);
      // src/db/event-filters.ts's bound, over the same spans.
      const expected = sqlite
        .prepare(
          `select coalesce(date(?, '-' || (select coalesce(max(julianday(latest) - julianday(earliest)), 0) from spans) || ' days'), '0000-01-01') as start`,
        )
        .get(from) as { start: string };
      // SQLite writes a day before year 0000 with a negative year ('-0001-12-31'): no event starts before it, nor before 0000-01-01.
      const expectedStart = expected.start < '0000-01-01' ? '0000-01-01' : expected.start;
      expect({ from, start: row!.start }).toEqual({ from, start: expectedStart });
    }
  });

  it('keeps the events that can reach the window, and finds the longest span from its index', async () => {
    const { events } = pgSchema;
    await db.delete(events);
    await db.insert(events).values([event('long', '2023-01-01', '2023-12-31'), event('late', '2023-06-01', '2023-06-01'), event('early', '2022-01-01', '2022-01-01')]);
    const kept = await db.select({ slug: events.slug }).from(events).where(earliestWithinLongestSpan(events, '2024-03-01')).orderBy(events.slug);
    // 2024-03-01 less 364 days is 2023-03-03: 'late' starts after it, 'long' and 'early' before.
    expect(kept.map((row) => row.slug)).toEqual(['late']);

    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute(sql`explain select id from events where ${earliestWithinLongestSpan(events, '2024-03-01')}`);
      return (result.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('events_span_idx');
  });
});

describe('resetIdentitySequences', () => {
  it('moves each sequence past explicit ids, and never back', async () => {
    const db = await migratedDatabase();
    const { actors, sources } = pgSchema;
    const insertActor = (values: { id?: number; slug: string }) =>
      db.insert(actors).values({ ...values, name: values.slug, kind: 'PERSON' }).returning({ id: actors.id });

    await insertActor({ id: 10, slug: 'restored' });
    await expect(insertActor({ slug: 'unlucky' })).resolves.toEqual([{ id: 1 }]);
    await db.insert(actors).values({ id: 2, slug: 'copied', name: 'copied', kind: 'PERSON' });
    await resetIdentitySequences(db);
    await expect(insertActor({ slug: 'next' })).resolves.toEqual([{ id: 11 }]);

    await db.delete(actors).where(sql`${actors.id} >= 10`);
    await resetIdentitySequences(db);
    await expect(insertActor({ slug: 'after-delete' })).resolves.toEqual([{ id: 12 }]);

    // A table nobody wrote to still starts at 1.
    await expect(db.insert(sources).values({ slug: 'first', name: 'first' }).returning({ id: sources.id })).resolves.toEqual([{ id: 1 }]);
  });
});
