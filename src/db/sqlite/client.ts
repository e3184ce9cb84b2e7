import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Logger } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { DatabaseHandle, OpenDatabaseOptions, StoredRevision, TimelineTransaction } from '../client.js';
import { WRITE_WAIT_MS } from '../client.js';
import { DatabaseBusyError, isBusyError } from '../failures.js';
import { readsThrough } from '../reads.js';
import { relations } from '../relations.js';
import { installStatementBudget } from '../statement-budget.js';
import { createStatementCache } from '../statement-cache.js';
import { createTurns, type Turns } from '../turn-taking.js';
import { createPollingChangeFeed } from './change-feed.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

function createDrizzle(client: Database.Database, logger?: Logger) {
  // Generated row mappers: about 4% off a timeline page at a million events (npm run bench:profile).
  return drizzle({ client, relations, logger, jit: true });
}

export type SqliteDrizzle = ReturnType<typeof createDrizzle>;

/**
 * Opens (creating if need be) the SQLite database at `path`, a file path or ":memory:", and brings
 * its schema up to date. One connection serves the process; everything on it takes turns
 * (turn-taking.ts), and a write transaction is one turn from BEGIN IMMEDIATE to COMMIT.
 */
export function openSqlite(path: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path);
  // Durability and concurrency; the README explains each choice.
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = FULL');
  client.pragma('foreign_keys = ON');
  // Writes wait on the event loop (beginWhenFree), never inside SQLite, which would sleep on the thread.
  client.pragma('busy_timeout = 0');
  installStatementBudget(client, options.statementBudgetMs);
  const raw = createDrizzle(client, options.logger);
  migrate(raw, { migrationsFolder: MIGRATIONS_FOLDER });

  const turns = createTurns();
  const writeWaitMs = options.writeWaitMs ?? WRITE_WAIT_MS;
  const own = client.prepare('select total_changes()').pluck();
  // data_version moves when another connection (another process, another worker) commits,
  // total_changes() when this one writes.
  const changeStamp = () => `${client.pragma('data_version', { simple: true })}:${own.get()}`;
  const revisionsAfter = client.prepare<[number, number], StoredRevision>(
    'select id, entity_type as entityType, entity_id as entityId, entity_slug as entitySlug, before, after from revisions where id > ? order by id limit ?',
  );
  const newestRevision = client.prepare<[], number | null>('select max(id) from revisions').pluck();
  const statements =
    options.statementCache === false
      ? undefined
      : createStatementCache(raw._.relations, {
          finder: (table) => raw.query[table as keyof typeof raw.query],
          prepare: (query) => (query as ReturnType<typeof raw.query.events.findMany>).prepare(),
          execute: (prepared, mode, values) => (mode === 'first' ? prepared.get(values) : prepared.all(values)),
        });
  const changes = createPollingChangeFeed({ raw, turns, changeStamp, isOpen: () => client.open }, { intervalMs: options.changePollMs });

  /** Runs `work` in the transaction just begun, then commits it, or rolls it back on any error. */
  async function inTransaction<T>(work: (tx: TimelineTransaction) => Promise<T>): Promise<T> {
    try {
      const result = await work(raw);
      client.exec('COMMIT');
      return result;
    } catch (error) {
      if (client.inTransaction) client.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    dialect: 'sqlite',
    db: readsThrough(raw, (work) => turns.take(work), statements),
    location: path,
    async write(work) {
      const result = await beginWhenFree(turns, client, writeWaitMs, () => inTransaction(work));
      changes.written();
      return result;
    },
    read: (work) =>
      turns.take(() => {
        client.exec('BEGIN DEFERRED');
        return inTransaction(work);
      }),
    changeStamp: async () => changeStamp(),
    revisionsAfter: (afterId, limit) => turns.take(() => revisionsAfter.all(afterId, limit)),
    newestRevisionId: () => turns.take(() => newestRevision.get() ?? 0),
    changes,
    ping: async () => {
      await turns.take(() => client.prepare('select 1').get());
    },
    refreshStatistics: async () => {
      await turns.take(() => client.pragma('optimize'));
    },
    close: async () => {
      await turns.take(() => client.close());
    },
  };
}

/**
 * Takes the write lock (BEGIN IMMEDIATE) in a turn of its own, and runs `write` in that turn. When another process holds it, the turn is given back and the next try waits on the
 * event loop (a few milliseconds, doubling to 50), so reads here go on meanwhile; after `waitMs`
 * it gives up with DatabaseBusyError, having written nothing. A plain BEGIN would start as a
 * reader and fail with SQLITE_BUSY when it later tried to write after another connection committed.
 */
async function beginWhenFree<T>(turns: Turns, client: Database.Database, waitMs: number, write: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const attempt = await turns.take(async () => {
      try {
        client.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (isBusyError(error)) return null;
        throw error;
      }
      // Begun: whatever fails from here on is rolled back and reported, never tried again.
      return { value: await write() };
    });
    if (attempt) return attempt.value;
    if (Date.now() - started >= waitMs) throw new DatabaseBusyError(waitMs);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, waitMs - (Date.now() - started)))));
  }
}
