import { once } from 'node:events';
import { availableParallelism } from 'node:os';
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

/**
 * Events generated per COPY write. Small chunks keep the generated rows in V8's young
 * generation: at 500 events, generating and encoding takes under half the CPU it takes at 20,000.
 */
const CHUNK_EVENTS = 500;

/** Connections building indexes or search documents at once: one per core (more only queue), at least two. */
const BUILDERS = Math.max(2, availableParallelism());

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

/**
 * One COPY … FROM STDIN per table, on a connection of its own, open until `finish`. The table is
 * truncated (it is empty) in the COPY's own transaction: then COPY may FREEZE its rows (written
 * visible to all, so VACUUM has nothing left to do), and on a cluster with wal_level = minimal,
 * as the bench cluster, it writes no WAL for them.
 */
function copyInto(url: string, table: SyntheticTableName, keys: string[]) {
  const columns = getTableColumns(postgresSchema[table] as Table) as Record<string, { name: string }>;
  const names = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${table} has no column for ${key} in src/db/postgres/schema.ts`);
    return pg.escapeIdentifier(column.name);
  });
  const client = new pg.Client({ connectionString: url });
  const ready = (async () => {
    await client.connect();
    await client.query('begin');
    await client.query(`truncate only ${pg.escapeIdentifier(table)}`);
    return client.query(copyFrom(`COPY ${pg.escapeIdentifier(table)} (${names.join(', ')}) FROM STDIN (FREEZE)`));
  })();
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
      await client.query('commit');
      await client.end();
    },
    abort: () => client.end().catch(() => {}),
  };
}

interface Deferred {
  /** Secondary indexes (not those behind a primary key or unique constraint), as CREATE INDEX statements. */
  indexes: { table: string; name: string; definition: string }[];
  /** Foreign key, unique and exclusion constraints on or referencing the tables, in the order they can be added back. */
  constraints: { table: string; name: string; definition: string; foreignKey: boolean }[];
}

/**
 * Drops what makes a bulk load slow row by row, remembering how to put it back: building an index
 * once from all the rows beats updating it per row, and a foreign key checked once by a join beats
 * a trigger per row. Primary keys stay (ids come in order; their indexes only grow at the end).
 */
async function dropForLoad(client: pg.Client): Promise<Deferred> {
  const tables = [...LOADED_TABLES, SEARCH_TABLE].map((table) => pg.escapeIdentifier(table));
  const { rows: constraints } = await client.query<{ table: string; name: string; definition: string; foreignKey: boolean }>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as definition, c.contype = 'f' as "foreignKey"
     from pg_constraint c where (c.conrelid = any($1::regclass[]) and c.contype in ('f', 'u', 'x')) or (c.confrelid = any($1::regclass[]) and c.contype = 'f')
     order by c.contype desc, c.conname`,
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
  for (const { table, name } of [...constraints].reverse()) await client.query(`alter table ${table} drop constraint ${pg.escapeIdentifier(name)}`);
  for (const { name } of indexes) await client.query(`drop index ${name}`);
  for (const table of LOADED_TABLES) await client.query(`alter table ${pg.escapeIdentifier(table)} disable trigger user`);
  return { indexes, constraints };
}

/** A statement of the build after the load, and what must be done before it. */
interface BuildStep {
  name: string;
  sql: string;
  after: BuildStep[];
}

/**
 * Runs the steps on `connections` connections at once: each connection takes the first step
 * whose predecessors have all finished, so the cores stay busy until the last step.
 */
async function runSteps(url: string, steps: BuildStep[], connections: number, log: (line: string) => void) {
  const pending = [...steps];
  const finished = new Set<BuildStep>();
  const running = new Set<Promise<void>>();
  await Promise.all(
    Array.from({ length: Math.min(connections, steps.length) }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        while (pending.length > 0) {
          const index = pending.findIndex((step) => step.after.every((before) => finished.has(before)));
          if (index === -1) {
            // Every step left waits for one another connection is running.
            await Promise.race(running);
            continue;
          }
          const [step] = pending.splice(index, 1);
          const began = performance.now();
          const run = client.query(step!.sql).then(() => {
            finished.add(step!);
            log(`[${finished.size}/${steps.length}] ${step!.name}: ${((performance.now() - began) / 1000).toFixed(1)} s`);
          });
          running.add(run);
          await run.finally(() => running.delete(run));
        }
      } finally {
        await client.end();
      }
    }),
  );
}

/**
 * What the load put off, as steps: the search documents (one share of the events per
 * connection), the indexes, the foreign key checks and each table's VACUUM ANALYZE. On one
 * table they go in that order, as each takes a lock the next one's would wait for (an index
 * build blocks a check; both block VACUUM); different tables' steps run side by side.
 */
function buildSteps(deferred: Deferred, tables: string[]): BuildStep[] {
  const done = new Map<string, BuildStep[]>();
  /** One stage's steps: each waits for the earlier stages' steps on its table, not for its own stage's. */
  const stage = (steps: { table: string; name: string; sql: string }[]) => {
    const made = steps.map(({ table, name, sql }) => ({ table, step: { name, sql, after: [...(done.get(table) ?? [])] } }));
    for (const { table, step } of made) done.set(table, [...(done.get(table) ?? []), step]);
    return made.map(({ step }) => step);
  };
  // An event's document is search_document over its title, summary and quotes in citation order,
  // as the migration's refresh_event_search writes it; that function, given every id at once,
  // searches its id array once per event.
  const fills = stage(
    Array.from({ length: BUILDERS }, (_, share) => ({
      table: SEARCH_TABLE,
      name: `search documents ${share + 1}/${BUILDERS}`,
      sql: `insert into ${SEARCH_TABLE} (id, document)
            select events.id, search_document(events.title, events.summary, quotes.text) from events
            left join (select event_id, string_agg(quote, ' ' order by id) as text from citations where event_id % ${BUILDERS} = ${share} group by event_id) as quotes
              on quotes.event_id = events.id
            where events.id % ${BUILDERS} = ${share}`,
    })),
  );
  const indexes = stage(deferred.indexes.map(({ table, name, definition }) => ({ table, name: `index ${name}`, sql: definition })));
  const checks = stage(
    deferred.constraints
      .filter((constraint) => constraint.foreignKey)
      .map(({ table, name }) => ({ table, name: `check ${name}`, sql: `alter table ${table} validate constraint ${pg.escapeIdentifier(name)}` })),
  );
  const vacuums = stage(tables.map((table) => ({ table, name: `vacuum analyze ${table}`, sql: `vacuum analyze ${table}` })));
  return [...fills, ...indexes, ...checks, ...vacuums];
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
    for (const table of LOADED_TABLES) {
      const { rowCount } = await client.query(`select 1 from ${pg.escapeIdentifier(table)} limit 1`);
      if (rowCount) throw new Error(`the database already holds ${table}; give an empty one`);
    }
    const deferred = await dropForLoad(client);

    let rows = 0;
    for (const chunk of syntheticTimeline({ eventCount, chunkSize: CHUNK_EVENTS })) {
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

    // A foreign key goes back unchecked (adding one locks both its tables against every other
    // step), and is checked later, beside the other tables' steps.
    for (const { table, name, definition, foreignKey } of deferred.constraints) {
      await client.query(`alter table ${table} add constraint ${pg.escapeIdentifier(name)} ${definition}${foreignKey ? ' not valid' : ''}`);
    }
    for (const table of LOADED_TABLES) {
      await client.query(`alter table ${pg.escapeIdentifier(table)} enable trigger user`);
      await client.query(`select setval(pg_get_serial_sequence($1, 'id'), max(id)) from ${pg.escapeIdentifier(table)}`, [table]);
    }
    const built = performance.now();
    const { rows: tables } = await client.query<{ name: string }>(`select oid::regclass::text as name from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace order by 1`);
    const steps = buildSteps(deferred, tables.map(({ name }) => name));
    await runSteps(url, steps, BUILDERS, log);
    log(`search documents, indexes, checks and statistics in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    const seconds = (performance.now() - started) / 1000;
    return { events: eventCount, rows, seconds, rowsPerSecond: Math.round(rows / seconds), copySeconds };
  } finally {
    for (const stream of streams.values()) await stream.abort();
    await client.end();
  }
}
