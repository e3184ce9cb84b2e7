import type { TimelineDatabase } from './client.js';

/**
 * How long a request may keep the thread, running SQLite statements back to back, before the next
 * statement waits for the event loop to serve other requests (and /health) first. SQLite runs in
 * this thread, synchronously; each statement is bounded by the statement budget, and this keeps a
 * request that issues many of them (or many requests at once) from queueing everyone else.
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

/**
 * Queries awaited through `takingTurns` run one after another, and each looks at the clock right
 * before it runs: many awaited in the same moment (a document's aliases, a batch of loads, the
 * pushes of one change to many subscribers) still let other requests in between them.
 */
let queue: Promise<unknown> = Promise.resolve();

function inTurn<T>(run: () => PromiseLike<T>): Promise<T> {
  const turn = queue.then(async () => {
    if (Date.now() - lastTurn > HOLD_MS) await afterOtherRequests();
    return run();
  });
  queue = turn.then(
    () => undefined,
    () => undefined,
  );
  return turn;
}

/** A drizzle query that, awaited, runs in its turn; everything else (`.sync()`, `.toSQL()`) is the query's own. */
function takingTurn<Query extends object>(query: Query): Query {
  return new Proxy(query, {
    get(target, property, receiver) {
      if (property !== 'then') return Reflect.get(target, property, receiver);
      const then = Reflect.get(target, property, receiver) as PromiseLike<unknown>['then'];
      return (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) =>
        inTurn(() => ({ then: (resolve, reject) => then.call(target, resolve, reject) }) as PromiseLike<unknown>).then(onFulfilled, onRejected);
    },
  });
}

const FINDERS = new Set(['findMany', 'findFirst']);

/**
 * The database as requests read it: every relational query (`db.query.<table>.findMany/findFirst`)
 * and `$count`, awaited, takes its turn. Writes and `.sync()` calls are left as they are.
 */
export function takingTurns(db: TimelineDatabase): TimelineDatabase {
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
              ? (...args: unknown[]) => takingTurn((value as (...a: unknown[]) => object).apply(inner, args))
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
      if (property === '$count' && typeof value === 'function') return (...args: unknown[]) => takingTurn((value as (...a: unknown[]) => object).apply(target, args));
      return value;
    },
  });
}
