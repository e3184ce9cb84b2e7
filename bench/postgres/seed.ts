import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { getTableColumns, type Table } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as postgresSchema from '../../src/db/postgres/schema.js';
import { type SyntheticSummary, type SyntheticTableName, syntheticTimeline } from '../synthetic.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/postgres', import.meta.url));

/** The tables the synthetic timeline fills, in the order their rows come. */
const LOADED_TABLES: SyntheticTableName[] = ['actors', 'sources', 'places', 'articles', 'events', 'participations', 'citations'];

/** Filled at the end from the loaded rows (events' search documents include their citations' quotes). */
const SEARCH_TABLE = 'event_search';

/** Connections building indexes or search documents at once; more than the machine's cores only queue behind each other. */
const BUILDERS = 2;

export interface PostgresSeedSummary extends SyntheticSummary {
  /** Seconds spent streaming rows in; the rest went to indexes, constraints, search and statistics. */
  copySeconds: number;
}

/** Brings the database at `url` to the schema of drizzle/postgres/, as the service does on start. */
export async function migratePostgres(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end();
  }
}

/** COPY's text format: tab-separated, \N for NULL, backslash escapes for the characters that delimit. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}

/** One COPY … FROM STDIN per table, on a connection of its own, open until `finish`. */
function copyInto(url: string, table: SyntheticTableName, keys: string[]) {
  const columns = getTableColumns(postgresSchema[table] as Table) as Record<string, { name: string }>;
  const names = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${table} has no column for ${key} in src/db/postgres/schema.ts`);
    return pg.escapeIdentifier(column.name);
  });
  const client = new pg.Client({ connectionString: url });
  const ready = client.connect().then(() => client.query(copyFrom(`COPY ${pg.escapeIdentifier(table)} (${names.join(', ')}) FROM STDIN`)));
  let failure: Error | null = null;
  const stream = ready.then((copy) => {
    copy.on('error', (error: Error) => (failure ??= error));
    return copy;
  });
  return {
    async write(rows: readonly Record<string, unknown>[]) {
      let text = '';
      for (const row of rows) {
        text += copyValue(row[keys[0]!]);
        for (let i = 1; i < keys.length; i++) text += `\t${copyValue(row[keys[i]!])}`;
        text += '\n';
      }
      const copy = await stream;
      if (failure) throw failure;
      if (!copy.write(text)) await once(copy, 'drain');
    },
    async finish() {
      const copy = await stream;
      copy.end();
      if (!copy.writableFinished) await once(copy, 'finish');
      if (failure) throw failure;
      await client.end();
    },
    abort: () => client.end().catch(() => {}),
  };
}

interface Deferred {
  /** Secondary indexes (not those behind a primary key or unique constraint), as CREATE INDEX statements. */
  indexes: { table: string; definition: string }[];
  /** Foreign key, unique and exclusion constraints: ALTER TABLE … ADD CONSTRAINT statements. */
  constraints: string[];
}

/**
 * Drops what makes a bulk load slow row by row, remembering how to put it back: building an index
 * once from all the rows beats updating it per row, and a foreign key checked once by a join beats
 * a trigger per row. Primary keys stay (ids come in order; their indexes only grow at the end).
 */
async function dropForLoad(client: pg.Client): Promise<Deferred> {
  const tables = [...LOADED_TABLES, SEARCH_TABLE].map((table) => pg.escapeIdentifier(table));
  const { rows: constraints } = await client.query<{ table_name: string; name: string; definition: string }>(
    `select c.conrelid::regclass::text as table_name, c.conname as name, pg_get_constraintdef(c.oid) as definition
     from pg_constraint c where c.conrelid = any($1::regclass[]) and c.contype in ('f', 'u', 'x') order by c.contype desc, c.conname`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ table: string; name: string; definition: string }>(
    `select i.indrelid::regclass::text as table, i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition from pg_index i
     where i.indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u', 'x'))
     order by 1`,
    [tables],
  );
  // Foreign keys first: a unique constraint may be what one of them references.
  for (const { table_name, name } of [...constraints].reverse()) await client.query(`alter table ${table_name} drop constraint ${pg.escapeIdentifier(name)}`);
  for (const { name } of indexes) await client.query(`drop index ${name}`);
  for (const table of LOADED_TABLES) await client.query(`alter table ${pg.escapeIdentifier(table)} disable trigger user`);
  return {
    indexes: indexes.map(({ table, definition }) => ({ table, definition })),
    constraints: constraints.map(({ table_name, name, definition }) => `alter table ${table_name} add constraint ${pg.escapeIdentifier(name)} ${definition}`),
  };
}

/** Runs `statements` on `connections` connections at once, each taking the next statement when it is free. */
async function runSpread(url: string, statements: string[], connections: number) {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: Math.min(connections, queue.length) }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (let statement = queue.shift(); statement !== undefined; statement = queue.shift()) await client.query(statement);
      } finally {
        await client.end();
      }
    }),
  );
}

/**
 * Migrates the empty PostgreSQL database at `url` and fills it with the same synthetic timeline
 * as the SQLite generator (bench/synthetic.ts), by COPY, one stream per table; then builds the
 * indexes, checks the constraints, fills the search index, moves the id sequences past the
 * loaded ids and gathers the planner's statistics. Refuses a database that already has events.
 */
export async function seedPostgresSynthetic(
  url: string,
  eventCount: number,
  { onProgress, log = () => {} }: { onProgress?: (done: number, total: number) => void; log?: (line: string) => void } = {},
): Promise<PostgresSeedSummary> {
  const started = performance.now();
  await migratePostgres(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const streams = new Map<SyntheticTableName, ReturnType<typeof copyInto>>();
  try {
    const existing = Number((await client.query<{ n: string }>('select count(*) as n from events')).rows[0]!.n);
    if (existing > 0) throw new Error(`the database already holds ${existing} events; give an empty one`);
    const deferred = await dropForLoad(client);

    let rows = 0;
    for (const chunk of syntheticTimeline({ eventCount })) {
      for (const { table, rows: batch } of chunk.batches) {
        if (batch.length === 0) continue;
        let stream = streams.get(table);
        if (!stream) streams.set(table, (stream = copyInto(url, table, Object.keys(batch[0]!))));
        await stream.write(batch as unknown as Record<string, unknown>[]);
        rows += batch.length;
      }
      if (chunk.eventsDone > 0) onProgress?.(chunk.eventsDone, eventCount);
    }
    for (const stream of streams.values()) await stream.finish();
    streams.clear();
    const copySeconds = (performance.now() - started) / 1000;
    log(`copied ${rows.toLocaleString('en')} rows in ${copySeconds.toFixed(1)} s`);

    let phase = performance.now();
    // The search table's indexes wait until it is filled.
    const [searchIndexes, tableIndexes] = [true, false].map((search) => deferred.indexes.filter((index) => (index.table === SEARCH_TABLE) === search).map((index) => index.definition));
    await runSpread(url, tableIndexes!, BUILDERS);
    log(`${tableIndexes!.length} indexes in ${((performance.now() - phase) / 1000).toFixed(1)} s`);
    phase = performance.now();
    // One at a time: adding a foreign key locks both its tables against the others.
    for (const statement of deferred.constraints) await client.query(statement);
    log(`${deferred.constraints.length} constraints checked in ${((performance.now() - phase) / 1000).toFixed(1)} s`);

    phase = performance.now();
    for (const table of LOADED_TABLES) await client.query(`alter table ${pg.escapeIdentifier(table)} enable trigger user`);
    // One share of the events per connection. An event's document is search_document over its
    // title, summary and quotes in citation order, as the migration's refresh_event_search writes
    // it; that function, given every id at once, searches its id array once per event.
    await runSpread(
      url,
      Array.from(
        { length: BUILDERS },
        (_, share) => `insert into event_search (id, document)
          select events.id, search_document(events.title, events.summary, quotes.text) from events
          left join (select event_id, string_agg(quote, ' ' order by id) as text from citations where event_id % ${BUILDERS} = ${share} group by event_id) as quotes
            on quotes.event_id = events.id
          where events.id % ${BUILDERS} = ${share}`,
      ),
      BUILDERS,
    );
    await runSpread(url, searchIndexes!, BUILDERS);
    log(`search index in ${((performance.now() - phase) / 1000).toFixed(1)} s`);
    for (const table of LOADED_TABLES) {
      await client.query(`select setval(pg_get_serial_sequence($1, 'id'), max(id)) from ${pg.escapeIdentifier(table)}`, [table]);
    }
    phase = performance.now();
    await client.query('vacuum analyze');
    log(`vacuum analyze in ${((performance.now() - phase) / 1000).toFixed(1)} s`);

    const seconds = (performance.now() - started) / 1000;
    return { events: eventCount, rows, seconds, rowsPerSecond: Math.round(rows / seconds), copySeconds };
  } finally {
    for (const stream of streams.values()) await stream.abort();
    await client.end();
  }
}
