import { asc, gt, max } from 'drizzle-orm';
import { type ChangeFeed, CHANGE_BATCH, createRevisionFollower } from '../change-feed.js';
import { revisions } from '../schema.js';
import type { Turns } from '../turn-taking.js';
import type { SqliteDrizzle } from './client.js';

interface FeedSource {
  raw: SqliteDrizzle;
  turns: Turns;
  changeStamp: () => string;
  isOpen: () => boolean;
}

/**
 * SQLite's feed: while anyone listens, it checks the change stamp every `intervalMs` (a pragma,
 * no table read) and reads the revisions added since it last looked only when the stamp moved.
 * Nothing runs while nobody listens.
 */
export function createPollingChangeFeed({ raw, turns, changeStamp, isOpen }: FeedSource, { intervalMs = 100 }: { intervalMs?: number } = {}): ChangeFeed {
  let timer: NodeJS.Timeout | undefined;
  let lastStamp = '';
  const follower = createRevisionFollower(
    (id) => turns.take(() => raw.select().from(revisions).where(gt(revisions.id, id)).orderBy(asc(revisions.id)).limit(CHANGE_BATCH).all()),
    () => turns.take(() => raw.select({ id: max(revisions.id) }).from(revisions).all()[0]?.id ?? 0),
  );
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const poll = () => {
    if (!isOpen()) return stop();
    const stamp = changeStamp();
    if (stamp === lastStamp) return;
    lastStamp = stamp;
    void follower.look();
  };

  return {
    listen(listener) {
      if (follower.listeners.size === 0) {
        lastStamp = changeStamp();
        void follower.begin();
        timer = setInterval(poll, intervalMs);
        // Listening alone never keeps a process alive.
        timer.unref();
      }
      follower.listeners.add(listener);
      return () => {
        follower.listeners.delete(listener);
        if (follower.listeners.size === 0) stop();
      };
    },
    written() {
      if (!timer) return;
      // This process's own write: read it now, and the next poll need not look again.
      lastStamp = changeStamp();
      void follower.look();
    },
  };
}
