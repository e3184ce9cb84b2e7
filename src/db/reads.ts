import { type StatementCache, UNCACHED } from './statement-cache.js';

/** Runs a read: on SQLite in its turn (turn-taking.ts), on PostgreSQL's pool at once. */
export type RunRead = <T>(work: () => T | PromiseLike<T>) => Promise<T>;

/**
 * A drizzle query that, awaited, runs through `run`, answered from its cached statement when
 * `cached` gives an answer; everything else about it (`.toSQL()`) is the query's own.
 */
function runningThrough<Query extends object>(query: Query, run: RunRead, cached?: () => unknown): Query {
  return new Proxy(query, {
    get(target, property, receiver) {
      if (property !== 'then') return Reflect.get(target, property, receiver);
      const then = Reflect.get(target, property, receiver) as PromiseLike<unknown>['then'];
      return (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) =>
        run(() => {
          const answer = cached ? cached() : UNCACHED;
          return answer !== UNCACHED ? answer : ({ then: (resolve, reject) => then.call(target, resolve, reject) } as PromiseLike<unknown>);
        }).then(onFulfilled, onRejected);
    },
  });
}

const FINDERS = { findMany: 'many', findFirst: 'first' } as const;

/**
 * The database as requests read it: every relational query (`db.query.<table>.findMany/findFirst`)
 * and `$count`, awaited, runs through `run`; relational queries are answered from `statements`,
 * built once per shape.
 */
export function readsThrough<Db extends { query: object; $count: unknown }>(db: Db, run: RunRead, statements?: StatementCache): Db {
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
            const mode = Object.hasOwn(FINDERS, name) ? FINDERS[name as keyof typeof FINDERS] : undefined;
            if (mode === undefined || typeof value !== 'function') return value;
            return (config?: unknown) =>
              runningThrough((value as (c?: unknown) => object).call(inner, config), run, statements && (() => statements.run(String(table), mode, config)));
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
      if (property === '$count' && typeof value === 'function') return (...args: unknown[]) => runningThrough((value as (...a: unknown[]) => object).apply(target, args), run);
      return value;
    },
  });
}
