import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { DatabaseHandle, OpenDatabaseOptions, StoredRevision, TimelineDatabase, TimelineTransaction } from '../client.js';
import { redactPassword, WRITE_WAIT_MS } from '../client.js';
import { DatabaseBusyError, DatabaseUnavailableError, isBusyError, isUnavailableError } from '../failures.js';
import { readsThrough } from '../reads.js';
import { timelineRelations } from '../relations.js';
import type * as sqliteSchema from '../schema.js';
import { STATEMENT_BUDGET_MS } from '../statement-budget.js';
import { createStatementCache } from '../statement-cache.js';
import { CHANGES_CHANNEL, createNotifyChangeFeed } from './change-feed.js';
import * as schema from './schema.js';
import { namedAfterSecondRun } from './statement-names.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle/postgres', import.meta.url));

/** Connections at most, unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** How long a request waits for a connection before the database counts as unavailable. */
const CONNECT_TIMEOUT_MS = 3_000;

/** Keys of the advisory locks: every write transaction holds the first; migrations, the second. */
const WRITE_LOCK = 7_244_110_001;
const MIGRATION_LOCK = 7_244_110_002;

// Counts (bigint) as numbers, as SQLite gives them: no count here comes near 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

const relations = timelineRelations(schema as unknown as typeof sqliteSchema);

/**
 * Opens the PostgreSQL database at `url` through a bounded pool and brings its schema up to date
 * (one instance at a time migrates; the others wait for it). Writes are serialized across every
 * instance by an advisory lock held until COMMIT: writers wait their turn as on SQLite, and
 * revision ids follow commit order, which the change stamp and the change feed rely on.
 */
export async function openPostgres(url: string, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const budgetMs = options.statementBudgetMs ?? STATEMENT_BUDGET_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'timeline',
    // The statement budget, enforced by the server: a statement past it is cancelled (57014).
    ...(budgetMs > 0 ? { statement_timeout: budgetMs } : {}),
    // JIT compilation cannot be cancelled by statement_timeout (a heavy query compiled for 7 s),
    // and the service's statements are short: compiling never pays.
    options: '-c jit=off',
  });
  // An idle connection the server dropped (a restart): the pool discards it; the next request gets a new one.
  pool.on('error', () => {});
  const raw = drizzle({ client: pool, relations, logger: options.logger, jit: true });
  const statements =
    options.statementCache === false
      ? undefined
      : createStatementCache(raw._.relations, {
          finder: (table) => raw.query[table as keyof typeof raw.query],
          ...namedAfterSecondRun(),
        });
  const db = readsThrough(raw, async (work) => work(), statements) as unknown as TimelineDatabase;
  try {
    await migrateOnce(pool);
  } catch (error) {
    await pool.end();
    throw isUnavailableError(error) ? new DatabaseUnavailableError(error) : error;
  }

  const writeWaitMs = options.writeWaitMs ?? WRITE_WAIT_MS;
  const changes = createNotifyChangeFeed(url, db);

  const failure = (error: unknown, duringWrite: boolean) => {
    if (isBusyError(error)) return new DatabaseBusyError(writeWaitMs);
    if (isUnavailableError(error)) return new DatabaseUnavailableError(error, { duringWrite });
    return error;
  };
  // Writes queue here before they take a connection: waiting in the database for the write lock,
  // each would hold one, and a burst of writes would leave none for reads.
  const writers = createWriteQueue(writeWaitMs);
  const newestRevisionId = async () => (await pool.query<{ id: number | null }>('select max(id) as id from revisions')).rows[0]?.id ?? 0;

  return {
    dialect: 'postgres',
    db,
    location: redactPassword(url),
    async write(work) {
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await writers.run((remainingMs) => raw.transaction(async (tx) => {
          // The wait for the lock is bounded by lock_timeout, not by the statement budget; the
          // budget applies again from the statement after it.
          await tx.execute(sql`select set_config('lock_timeout', ${String(remainingMs)}, true), set_config('statement_timeout', '0', true)`);
          await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK}), set_config('statement_timeout', ${String(budgetMs)}, true)`);
          const value = await work(tx as unknown as TimelineTransaction);
          // Delivered to every listening instance when (and only if) the transaction commits.
          await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, '')`);
          return value;
        }));
      } catch (error) {
        throw failure(error, true);
      }
      changes.written();
      return result;
    },
    async read(work) {
      try {
        return await raw.transaction((tx) => work(tx as unknown as TimelineTransaction), { isolationLevel: 'repeatable read', accessMode: 'read only' });
      } catch (error) {
        throw failure(error, false);
      }
    },
    // Writes commit one at a time (the write lock), so the newest revision's id moves with every commit.
    changeStamp: async () => String(await newestRevisionId()),
    async revisionsAfter(afterId, limit) {
      const { rows } = await pool.query<StoredRevision>(
        'select id, entity_type as "entityType", entity_id as "entityId", entity_slug as "entitySlug", before, after from revisions where id > $1 order by id limit $2',
        [afterId, limit],
      );
      return rows;
    },
    newestRevisionId,
    changes,
    async ping() {
      try {
        await pool.query('select 1');
      } catch (error) {
        throw new DatabaseUnavailableError(error);
      }
    },
    async refreshStatistics() {
      // Without statistics the planner guesses (six participations an actor), and can pick plans
      // that build every nested list before cutting it to a page.
      await withoutBudget(pool, (client) => client.query('analyze'));
    },
    async close() {
      if (pool.ended) return;
      await changes.close();
      await pool.end();
    },
  };
}

/**
 * One write at a time per process, in arrival order. `run` hands the work what is left of the
 * wait (`waitMs` in all, for the queue and the lock together), or fails with DatabaseBusyError
 * once the queue alone has taken it.
 */
function createWriteQueue(waitMs: number) {
  let last: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: (remainingMs: number) => Promise<T>): Promise<T> {
      const queuedAt = Date.now();
      const turn = last.then(() => {
        const remainingMs = waitMs - (Date.now() - queuedAt);
        if (remainingMs <= 0) throw new DatabaseBusyError(waitMs);
        return work(Math.round(remainingMs));
      });
      last = turn.catch(() => undefined);
      return turn;
    },
  };
}

/**
 * Runs `use` on one pooled connection with no statement budget (work over a whole timeline:
 * migrations, statistics), restoring the budget before the connection goes back to the pool.
 */
async function withoutBudget<T>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('set statement_timeout = 0');
    try {
      return await use(client);
    } finally {
      await client.query('reset statement_timeout');
    }
  } finally {
    client.release();
  }
}

function migrateOnce(pool: pg.Pool) {
  return withoutBudget(pool, async (client) => {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}
