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

/** A drizzle query that, awaited, runs in its turn; everything else about it (`.toSQL()`) is the query's own. */
function takingTurn<Query extends object>(query: Query, turns: Turns): Query {
  return new Proxy(query, {
    get(target, property, receiver) {
      if (property !== 'then') return Reflect.get(target, property, receiver);
      const then = Reflect.get(target, property, receiver) as PromiseLike<unknown>['then'];
      return (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) =>
        turns.take(() => ({ then: (resolve, reject) => then.call(target, resolve, reject) }) as PromiseLike<unknown>).then(onFulfilled, onRejected);
    },
  });
}

const FINDERS = new Set(['findMany', 'findFirst']);

/**
 * The database as requests read it: every relational query (`db.query.<table>.findMany/findFirst`)
 * and `$count`, awaited, takes its turn.
 */
export function takingTurns<Db extends { query: object; $count: unknown }>(db: Db, turns: Turns): Db {
  const tables = new Map<PropertyKey, object>();
  const query = new Proxy(db.query, {
    get(target, table, receiver) {
      const finder = Reflect.get(target, table, receiver) as object | undefined;
      if (typeof finder !== 'object' || finder === null) return finder;
      let wrapped = tables.get(table);
      if (!wrapped) {
        wrapped = new Proxy(finder, {
          get(inner, name, innerReceiver) {
            const value = Reflect.get(inner, name, innerReceiver);
            return FINDERS.has(String(name)) && typeof value === 'function'
              ? (...args: unknown[]) => takingTurn((value as (...a: unknown[]) => object).apply(inner, args), turns)
              : value;
          },
        });
        tables.set(table, wrapped);
      }
      return wrapped;
    },
  });
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'query') return query;
      const value = Reflect.get(target, property, receiver);
      if (property === '$count' && typeof value === 'function') return (...args: unknown[]) => takingTurn((value as (...a: unknown[]) => object).apply(target, args), turns);
      return value;
    },
  });
}
