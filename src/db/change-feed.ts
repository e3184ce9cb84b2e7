import type { revisions } from './schema.js';

/** A committed write, as its revision records it. */
export type CommittedRevision = typeof revisions.$inferSelect;

/**
 * Tells listeners of every write committed to the database, by any process: the API in this
 * process or another instance, `npm run seed`. Every write leaves a revision, so the revisions
 * table is the log to follow: SQLite's feed polls it, PostgreSQL's is woken by NOTIFY.
 */
export interface ChangeFeed {
  /** Calls `listener` with each batch of new revisions, oldest first, until the returned function is called. */
  listen(listener: (batch: CommittedRevision[]) => void): () => void;
  /** A write was just committed here: look now rather than wait. */
  written(): void;
}

/** Revisions read at a time; a burst of writes arrives in several batches, in order. */
export const CHANGE_BATCH = 500;

/**
 * The part both feeds share: listeners, and reading what was added since the last look, in
 * batches. `readAfter(id)` reads up to CHANGE_BATCH revisions after `id`; `latestId()` where to
 * start. Looks never overlap: one asked for while another runs happens right after it. A look
 * that fails (the database is away) is dropped: the next one reads from where the last succeeded.
 */
export function createRevisionFollower(readAfter: (id: number) => Promise<CommittedRevision[]>, latestId: () => Promise<number>) {
  const listeners = new Set<(batch: CommittedRevision[]) => void>();
  let lastId: number | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  async function lookOnce() {
    lastId ??= await latestId();
    for (;;) {
      const batch = await readAfter(lastId);
      if (batch.length === 0) return;
      lastId = batch.at(-1)!.id;
      for (const listener of listeners) listener(batch);
      if (batch.length < CHANGE_BATCH) return;
    }
  }

  function look(): Promise<void> {
    if (listeners.size === 0) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await lookOnce().catch(() => {});
      } while (again && listeners.size > 0);
      running = undefined;
    })();
    return running;
  }

  return {
    listeners,
    look,
    /** Where the next look starts: now, for the first listener. */
    async begin() {
      lastId = undefined;
      lastId = await latestId().catch(() => undefined);
    },
  };
}
