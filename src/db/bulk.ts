import type { InferInsertModel } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { TimelineDatabase } from './client.js';

/** The search triggers that re-index an event (and index a quote) on every citation; a bulk load indexes once at the end. */
const DEFERRED_TRIGGERS = ['events_search_insert', 'citations_search_insert', 'citations_quote_search_insert'];

export interface BulkLoader {
  /** Inserts rows (objects keyed by the table's TypeScript column names) with one prepared statement. */
  insert<T extends SQLiteTable>(table: T, rows: readonly InferInsertModel<T>[]): void;
  /** Commits what was inserted so far and starts a new transaction. */
  commit(): void;
  /** Commits, rebuilds the indexes and the search index, and refreshes the planner's statistics. */
  finish(): void;
}

/**
 * Loads a large amount of data fast: secondary indexes are dropped and rebuilt once (building
 * an index from sorted data beats updating it row by row), the event search index is filled in
 * one statement at the end, and rows go in through prepared statements in a few big transactions.
 * Meant for a fresh database (benchmarks, imports); ordinary writes go through the write path.
 */
export function beginBulkLoad(db: TimelineDatabase): BulkLoader {
  const client = db.$client;
  client.pragma('cache_size = -262144');
  const firstNewEvent = (client.prepare('select coalesce(max(id), 0) + 1 as id from events').get() as { id: number }).id;
  const indexes = client
    .prepare("select sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('events', 'participations', 'citations', 'event_relations')")
    .all() as { sql: string }[];
  const triggers = client
    .prepare(`select sql from sqlite_master where type = 'trigger' and name in (${DEFERRED_TRIGGERS.map(() => '?').join(', ')})`)
    .all(...DEFERRED_TRIGGERS) as { sql: string }[];
  client.exec('begin');
  for (const name of DEFERRED_TRIGGERS) client.exec(`drop trigger if exists ${name}`);
  for (const { sql } of indexes) client.exec(`drop index if exists ${/INDEX\s+`?(\w+)`?/i.exec(sql)![1]}`);

  const statements = new Map<SQLiteTable, { statement: ReturnType<typeof client.prepare>; keys: string[]; defaults: unknown[] }>();
  function prepared(table: SQLiteTable) {
    let entry = statements.get(table);
    if (!entry) {
      const config = getTableConfig(table);
      const keys = Object.keys(table).filter((key) => config.columns.some((column) => (table as any)[key] === column));
      const names = keys.map((key) => (table as any)[key].name as string);
      const statement = client.prepare(`insert into "${config.name}" (${names.map((name) => `"${name}"`).join(', ')}) values (${names.map(() => '?').join(', ')})`);
      // A value left out takes the column's default, as an ordinary insert would.
      const defaults = keys.map((key) => ((table as any)[key].hasDefault ? (table as any)[key].default : null));
      entry = { statement, keys, defaults };
      statements.set(table, entry);
    }
    return entry;
  }

  return {
    insert(table, rows) {
      const { statement, keys, defaults } = prepared(table);
      for (const row of rows) statement.run(keys.map((key, i) => (row as Record<string, unknown>)[key] ?? defaults[i]));
    },
    commit() {
      client.exec('commit; begin');
    },
    finish() {
      for (const { sql } of indexes) client.exec(sql);
      client
        .prepare(
          `insert into event_search (rowid, title, summary, quotes)
           select e.id, e.title, e.summary, coalesce(q.quotes, '') from events e
           left join (select event_id, group_concat(quote, ' ') as quotes from citations where event_id >= ? group by event_id) q on q.event_id = e.id
           where e.id >= ?`,
        )
        .run(firstNewEvent, firstNewEvent);
      client.prepare('insert into citation_search (rowid, quote) select id, quote from citations where event_id >= ?').run(firstNewEvent);
      for (const { sql } of triggers) client.exec(sql);
      client.exec('commit');
      client.exec('analyze');
      client.pragma('wal_checkpoint(truncate)');
    },
  };
}
