import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Logger } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DatabaseBusyError, isBusyError } from './busy.js';
import { relations } from './relations.js';
import { installStatementBudget } from './statement-budget.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** How long a write waits for other writers to finish before it gives up with DatabaseBusyError. */
export const WRITE_WAIT_MS = 5_000;

export interface OpenDatabaseOptions {
  /** Receives every SQL statement drizzle sends; tests count them. */
  logger?: Logger;
  /** How long a write waits for the lock; WRITE_WAIT_MS unless a test wants less. */
  writeWaitMs?: number;
  /** How long one guarded statement may run (statement-budget.ts); STATEMENT_BUDGET_MS unless a test wants less. */
  statementBudgetMs?: number;
}

function createDrizzle(client: Database.Database, logger?: Logger) {
  // Generated row mappers: about 4% off a timeline page at a million events (npm run bench:profile).
  return drizzle({ client, relations, logger, jit: true });
}

export type TimelineDatabase = ReturnType<typeof createDrizzle>;

/** The transaction handle drizzle passes to `db.transaction` callbacks. */
export type TimelineTransaction = Parameters<Parameters<TimelineDatabase['transaction']>[0]>[0];

export interface DatabaseHandle {
  db: TimelineDatabase;
  /** Where the database lives, or ":memory:". */
  path: string;
  close(): void;
}

/**
 * Opens (creating if need be) the SQLite database at `path`, a file path, a `file:` URL or
 * ":memory:", and brings its schema up to date.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  const filePath = databaseFilePath(path);
  if (filePath !== ':memory:') {
    mkdirSync(dirname(filePath), { recursive: true });
  }
  const client = new Database(filePath);
  // Durability and concurrency; the README explains each choice.
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = FULL');
  client.pragma('foreign_keys = ON');
  client.pragma(`busy_timeout = ${options.writeWaitMs ?? WRITE_WAIT_MS}`);
  installStatementBudget(client, options.statementBudgetMs);
  const db = createDrizzle(client, options.logger);
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, path: filePath, close: () => client.close() };
}

/** Accepts "./data/x.db", "/abs/x.db", "file:./x.db", "file:///abs/x.db" or ":memory:". */
export function databaseFilePath(location: string): string {
  if (location === ':memory:') return location;
  if (location.startsWith('file://')) return fileURLToPath(location);
  if (location.startsWith('file:')) return resolve(location.slice('file:'.length));
  return resolve(location);
}


const stampStatements = new WeakMap<TimelineDatabase, () => string>();

/**
 * A value that changes whenever the database does: SQLite's data_version moves when another
 * connection (another process, another worker) commits, total_changes() when this one writes.
 * Equal stamps mean nothing was written in between, so a cached answer is still right.
 */
export function changeStamp(db: TimelineDatabase): string {
  let stamp = stampStatements.get(db);
  if (!stamp) {
    const own = db.$client.prepare('select total_changes()').pluck();
    stamp = () => `${db.$client.pragma('data_version', { simple: true })}:${own.get()}`;
    stampStatements.set(db, stamp);
  }
  return stamp();
}

/**
 * Runs `write` in one transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE): all
 * of it is written, or (on any error) none of it. A plain BEGIN would start as a reader and fail at
 * once with SQLITE_BUSY when it later tries to write after another connection committed; taking
 * the lock first lets every writer wait its turn, up to the busy timeout. A write that still cannot
 * get the lock fails with DatabaseBusyError, having written nothing.
 */
export function writeTransaction<T>(db: TimelineDatabase, write: (tx: TimelineTransaction) => T): T {
  try {
    return db.transaction((tx) => write(tx) as never, { behavior: 'immediate' }) as T;
  } catch (error) {
    if (isBusyError(error)) throw new DatabaseBusyError(Number(db.$client.pragma('busy_timeout', { simple: true })));
    throw error;
  }
}

/** Runs `read` in one transaction that only reads: a consistent snapshot that takes no write lock. */
export function readTransaction<T>(db: TimelineDatabase, read: (tx: TimelineTransaction) => T): T {
  return db.transaction((tx) => read(tx) as never, { behavior: 'deferred' }) as T;
}

/**
 * `writeTransaction` for a server, where SQLite's own wait (the busy timeout) would sleep on the one
 * thread that answers every request: it tries to take the lock without waiting, and between tries
 * waits on the event loop (a few milliseconds, doubling to 50), up to the same busy timeout.
 */
export async function writeTransactionWhenFree<T>(db: TimelineDatabase, write: (tx: TimelineTransaction) => T): Promise<T> {
  const client = db.$client;
  const waitMs = Number(client.pragma('busy_timeout', { simple: true }));
  const started = Date.now();
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    client.pragma('busy_timeout = 0');
    try {
      return writeTransaction(db, write);
    } catch (error) {
      if (!(error instanceof DatabaseBusyError)) throw error;
      if (Date.now() - started >= waitMs) throw new DatabaseBusyError(waitMs);
    } finally {
      client.pragma(`busy_timeout = ${waitMs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, waitMs - (Date.now() - started)))));
  }
}
