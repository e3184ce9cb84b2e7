import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'drizzle-orm';
import type { EntityType } from '../domain/vocabulary.js';
import type { ChangeFeed } from './change-feed.js';
import type { SqliteDrizzle } from './sqlite/client.js';

/**
 * The one database interface the rest of the service sees, whichever database is behind it. Code
 * outside src/db reads through `db` (relational queries, awaited) and writes through `write`; it
 * never calls a driver, a synchronous query method or dialect-specific SQL.
 */
export type Dialect = 'sqlite' | 'postgres';

/** A revision as the response cache reads it: what changed, before and after (JSON as stored). */
export interface StoredRevision {
  id: number;
  entityType: EntityType;
  entityId: number;
  entitySlug: string;
  before: string | null;
  after: string | null;
}

/**
 * drizzle, as typed for SQLite: both dialects run the same awaited queries over tables of the same
 * names and columns (src/db/schema.ts and src/db/postgres/schema.ts, which a test keeps equal).
 * Its synchronous methods (`.sync()`, `.all()`, `.get()`, `.run()`) exist only on SQLite; the
 * boundary test keeps them inside src/db.
 */
export type TimelineDatabase = SqliteDrizzle;

/** What `write` and `read` hand their work: every query on it runs inside that one transaction. */
export type TimelineTransaction = TimelineDatabase;

export interface DatabaseHandle {
  readonly dialect: Dialect;
  /** For reads outside a transaction: relational queries (`db.query.<table>`) and `$count`, awaited. */
  readonly db: TimelineDatabase;
  /** Where it is, for messages: a file path, ":memory:", or a URL without its password. */
  readonly location: string;
  /**
   * Runs `work` as one transaction: all of it is committed, or (on any error) none of it. Writers
   * take turns, in this process and across processes: a write waits for the others (up to
   * WRITE_WAIT_MS, then DatabaseBusyError) rather than failing, and no read sees it before it commits.
   */
  write<T>(work: (tx: TimelineTransaction) => Promise<T>): Promise<T>;
  /** Runs `work` in one read-only transaction: every read sees the same committed state. */
  read<T>(work: (tx: TimelineTransaction) => Promise<T>): Promise<T>;
  /** A value that changes whenever anyone commits a write: equal stamps mean a cached answer is still right. */
  changeStamp(): Promise<string>;
  /**
   * Up to `limit` revisions after `afterId`, oldest first: for the response cache to tell what a
   * write changed. Like the stamp, read beside drizzle, so the statement log shows only what
   * answering a request took.
   */
  revisionsAfter(afterId: number, limit: number): Promise<StoredRevision[]>;
  /** The newest revision's id, 0 before the first; read beside drizzle too. */
  newestRevisionId(): Promise<number>;
  /** Every write committed by any process, for subscriptions. */
  readonly changes: ChangeFeed;
  /** Resolves when the database answers; rejects with DatabaseUnavailableError when it does not. */
  ping(): Promise<void>;
  /** After a large load: refreshes the query planner's statistics (PostgreSQL's ANALYZE, SQLite's PRAGMA optimize). */
  refreshStatistics(): Promise<void>;
  close(): Promise<void>;
}

/** How long a write waits for other writers to finish before it gives up with DatabaseBusyError. */
export const WRITE_WAIT_MS = 5_000;

export interface OpenDatabaseOptions {
  /** Receives every SQL statement drizzle sends; tests count them. */
  logger?: Logger;
  /** How long a write waits for the lock; WRITE_WAIT_MS unless a test wants less. */
  writeWaitMs?: number;
  /** How long one statement may run (statement-budget.ts); STATEMENT_BUDGET_MS unless set, 0 for no limit (scripts copying whole databases). */
  statementBudgetMs?: number;
  /** PostgreSQL: at most this many connections (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** How often the SQLite change feed looks for other processes' writes. */
  changePollMs?: number;
  /** Relational queries built once per shape (statement-cache.ts); on unless a test compares against drizzle building each. */
  statementCache?: boolean;
}

export type DatabaseLocation = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * Reads DATABASE_URL's forms: a path ("./data/x.db", "/abs/x.db"), a `file:` URL or ":memory:"
 * for SQLite; a `postgres://` or `postgresql://` URL for PostgreSQL. Any other scheme is an Error
 * that says so, rather than a file in a folder named after it.
 */
export function parseDatabaseLocation(location: string): DatabaseLocation {
  if (location === ':memory:') return { dialect: 'sqlite', path: location };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase();
  // One letter before a colon is a Windows drive, not a scheme.
  if (scheme === undefined || scheme.length === 1) return { dialect: 'sqlite', path: resolve(location) };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!URL.canParse(location)) throw new Error(`DATABASE_URL is not a valid PostgreSQL URL: ${redactPassword(location)}`);
    return { dialect: 'postgres', url: location };
  }
  if (scheme === 'file') {
    return { dialect: 'sqlite', path: location.startsWith('file://') ? fileURLToPath(location) : resolve(location.slice('file:'.length)) };
  }
  throw new Error(
    `DATABASE_URL has the scheme "${scheme}:", which is neither SQLite (a path or file: URL) nor PostgreSQL (postgres:// or postgresql://)`,
  );
}

/** The URL as it may be shown: without its password. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * Opens the database at `location` (see parseDatabaseLocation), creating an SQLite file if need
 * be, and brings its schema up to date.
 */
export async function openDatabase(location: string, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const parsed = parseDatabaseLocation(location);
  if (parsed.dialect === 'sqlite') {
    const { openSqlite } = await import('./sqlite/client.js');
    return openSqlite(parsed.path, options);
  }
  const { openPostgres } = await import('./postgres/client.js');
  return openPostgres(parsed.url, options);
}
