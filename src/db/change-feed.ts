import { asc, gt, max } from 'drizzle-orm';
import { changeStamp, type TimelineDatabase } from './client.js';
import { revisions } from './schema.js';

/** A committed write, as its revision records it. */
export type CommittedRevision = typeof revisions.$inferSelect;

/**
 * Tells listeners of every write committed to the database, by any process: the API in this
 * worker or another, a second server on the same file, `npm run seed`. Every write leaves a
 * revision, so the revisions table is the log to follow.
 */
export interface ChangeFeed {
  /** Calls `listener` with each batch of new revisions, oldest first, until the returned function is called. */
  listen(listener: (batch: CommittedRevision[]) => void): () => void;
  /** A write was just committed here: look now rather than at the next interval. */
  written(): void;
}

/** Revisions read at a time; a burst of writes arrives in several batches, in order. */
const BATCH = 500;

/**
 * SQLite's feed: while anyone listens, it checks the change stamp every `intervalMs` (a pragma,
 * no table read) and reads the revisions added since it last looked only when the stamp moved.
 * Nothing runs while nobody listens. (A PostgreSQL feed would use LISTEN/NOTIFY instead.)
 */
export function createPollingChangeFeed(db: TimelineDatabase, { intervalMs = 100 }: { intervalMs?: number } = {}): ChangeFeed {
  const listeners = new Set<(batch: CommittedRevision[]) => void>();
  let timer: NodeJS.Timeout | undefined;
  let lastId = 0;
  let lastStamp = '';

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const look = () => {
    if (!db.$client.open) return stop();
    const stamp = changeStamp(db);
    if (stamp === lastStamp) return;
    lastStamp = stamp;
    for (;;) {
      const batch = db.select().from(revisions).where(gt(revisions.id, lastId)).orderBy(asc(revisions.id)).limit(BATCH).all();
      if (batch.length === 0) return;
      lastId = batch.at(-1)!.id;
      for (const listener of listeners) listener(batch);
      if (batch.length < BATCH) return;
    }
  };
  const start = () => {
    lastStamp = changeStamp(db);
    lastId = db.select({ id: max(revisions.id) }).from(revisions).all()[0]?.id ?? 0;
    timer = setInterval(look, intervalMs);
    // Listening alone never keeps a process alive.
    timer.unref();
  };

  return {
    listen(listener) {
      if (listeners.size === 0) start();
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    written() {
      if (timer) look();
    },
  };
}
