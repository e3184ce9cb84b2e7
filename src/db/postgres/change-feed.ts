import { asc, gt, max } from 'drizzle-orm';
import pg from 'pg';
import { type ChangeFeed, CHANGE_BATCH, createRevisionFollower } from '../change-feed.js';
import type { TimelineDatabase } from '../client.js';
import { revisions } from '../schema.js';

/** The channel every write notifies, inside its transaction, so the notice goes out on COMMIT. */
export const CHANGES_CHANNEL = 'timeline_changes';

/** How long the listening connection waits before it reconnects, doubling up to RECONNECT_MAX_MS. */
const RECONNECT_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * PostgreSQL's feed: while anyone listens, one dedicated connection LISTENs; each NOTIFY (a write
 * committed by any instance) has it read the revisions added since it last looked. The notice
 * carries nothing (payloads are small and lost on reconnect): the revisions table is the log. When
 * the connection drops (a restart), it reconnects with backoff and catches up on what it missed.
 */
export function createNotifyChangeFeed(url: string, db: TimelineDatabase): ChangeFeed & { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let delay = RECONNECT_MS;
  let closed = false;
  const follower = createRevisionFollower(
    (id) => db.select().from(revisions).where(gt(revisions.id, id)).orderBy(asc(revisions.id)).limit(CHANGE_BATCH),
    async () => (await db.select({ id: max(revisions.id) }).from(revisions))[0]?.id ?? 0,
  );

  const disconnect = () => {
    clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    const current = client;
    client = undefined;
    return current?.end().catch(() => {});
  };
  const scheduleReconnect = () => {
    if (closed || follower.listeners.size === 0 || reconnectTimer) return;
    void disconnect();
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
    reconnectTimer.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };
  async function connect() {
    const listening = new pg.Client({ connectionString: url, application_name: 'timeline-changes' });
    client = listening;
    listening.on('error', scheduleReconnect);
    listening.on('end', () => {
      if (client === listening) scheduleReconnect();
    });
    listening.on('notification', () => void follower.look());
    try {
      await listening.connect();
      await listening.query(`listen ${CHANGES_CHANNEL}`);
      delay = RECONNECT_MS;
      // Whatever was committed while nobody listened.
      void follower.look();
    } catch {
      if (client === listening) scheduleReconnect();
    }
  }

  return {
    listen(listener) {
      if (follower.listeners.size === 0) {
        void follower.begin();
        void connect();
      }
      follower.listeners.add(listener);
      return () => {
        follower.listeners.delete(listener);
        if (follower.listeners.size === 0) void disconnect();
      };
    },
    written() {
      void follower.look();
    },
    async close() {
      closed = true;
      follower.listeners.clear();
      await disconnect();
    },
  };
}
