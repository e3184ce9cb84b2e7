/**
 * SQLite runs in this thread, synchronously, on one connection per process. Everything that runs
 * SQL on it takes turns: a read (a relational query, a count, a search) is one turn, and a write
 * transaction is one turn from BEGIN to COMMIT, however many awaits it spans. So no read runs in
 * the middle of a write and sees what it has not committed yet, and writes in one process queue
 * here rather than at SQLite's lock.
 *
 * Turns also keep a request that issues many statements (or many requests at once) from holding
 * the thread: once it has been held for HOLD_MS, the next turn first lets the event loop serve
 * other requests (and /health). Each statement is bounded by the statement budget.
 */
const HOLD_MS = 50;

/** When the event loop last ran its timers: a heartbeat that cannot fire while the thread is busy. */
let lastTurn = Date.now();
setInterval(() => (lastTurn = Date.now()), 10).unref();

/**
 * Resolves once the event loop has polled for I/O: two hops through the check phase, since one
 * setImmediate scheduled from an I/O callback runs before the next poll.
 */
function afterOtherRequests(): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() =>
      setImmediate(() => {
        lastTurn = Date.now();
        resolve();
      }),
    ),
  );
}

export interface Turns {
  /** Runs `work` once every turn queued before it has finished, and holds the turn until `work` settles. */
  take<T>(work: () => T | PromiseLike<T>): Promise<T>;
}

export function createTurns(): Turns {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    take(work) {
      const turn = queue.then(async () => {
        if (Date.now() - lastTurn > HOLD_MS) await afterOtherRequests();
        return work();
      });
      queue = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    },
  };
}
