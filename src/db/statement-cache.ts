/**
 * Relational queries built once per shape. drizzle builds a relational query's SQL, prepares the
 * statement and generates its row mapper anew every time it runs: for a one-row lookup that is
 * most of what the database layer costs (npm run bench). Queries of one shape differ only in their
 * values, so each shape's statement is built once, with placeholders where the values go, and
 * every later query of that shape only binds its own.
 *
 * A query's shape is everything but its values: the columns, relations, orderings and filters it
 * names, and the SQL text of each condition or extra column it builds itself (a function drizzle
 * calls with the table, as plugin-drizzle's filters do). Those functions still run for every
 * query, with the table they were given the first time, so their SQL and its values are always
 * this query's own. A value becomes a placeholder only where binding it is the same as drizzle
 * inlining it: a string or number compared with a column that stores values as given (no
 * encoding), a page's limit or offset, or a parameter of such a function's SQL (bound through its
 * own encoder). A null or a boolean is part of the shape. Anything else (a placeholder, a date,
 * SQL drizzle would inline, SQL whose parts are not plain SQL) keeps the query out of the cache:
 * it is built as drizzle always does.
 */
import { Column, getTableName, is, Name, operators, Param, Placeholder, SQL, StringChunk, Table, type TableRelationalConfig, type TablesRelationalConfig } from 'drizzle-orm';

// drizzle's own symbols (Symbol.for), which its typings keep internal.
const TABLE_SCHEMA = Symbol.for('drizzle:Schema');
const IS_ALIAS = Symbol.for('drizzle:IsAlias');

/** At most this many shapes, and statements, are kept; the oldest go first. */
export const STATEMENT_CACHE_CAPACITY = 1_000;

export type QueryMode = 'many' | 'first';

export interface StatementCache {
  /** The answer to `config` on `table` from its shape's statement, or UNCACHED when it has no shape to cache. */
  run(table: string, mode: QueryMode, config: unknown): unknown;
  /** How many statements have been built, and how many are kept. */
  readonly built: number;
  readonly kept: number;
}

export const UNCACHED: unique symbol = Symbol('uncached');

export interface StatementDriver<Prepared> {
  /** The relational finder of `table` (`db.query[table]`), unwrapped. */
  finder(table: string): { findMany(config: unknown): unknown; findFirst(config: unknown): unknown };
  /** Builds `query` (as `findMany`/`findFirst` returned it) into a reusable statement. */
  prepare(query: unknown): Prepared;
  /** Runs the statement with these placeholder values; the answer as the query itself would give it. */
  execute(prepared: Prepared, mode: QueryMode, values: Record<string, unknown>): unknown;
}

class Uncacheable extends Error {}
const uncacheable = (why: string): never => {
  throw new Uncacheable(why);
};

/** A condition or extra column the query builds itself (a function drizzle calls with the table), or gives as SQL. */
type Fragment = ((...args: unknown[]) => unknown) | SQL;

/** What walking a query's config found: its shape, its placeholders' values by name, and its fragments. */
interface Walked {
  shape: string;
  values: Record<string, unknown>;
  fragments: Fragment[];
}

/** The arguments drizzle passed each fragment function when the shape was first built, or null for one it never called. */
type FragmentArguments = (unknown[] | null)[];

export function createStatementCache<Prepared>(schema: TablesRelationalConfig, driver: StatementDriver<Prepared>, capacity = STATEMENT_CACHE_CAPACITY): StatementCache {
  // Shape → the arguments its fragments were called with; shape + fragments' SQL → statement.
  const shapes = new Map<string, FragmentArguments>();
  const statements = new Map<string, Prepared>();
  const uncacheableShapes = new Map<string, true>();
  let built = 0;
  const remember = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (map.size >= capacity) map.delete(map.keys().next().value as K);
    map.set(key, value);
  };

  /** Builds the query's shape into a statement, keeps it, and runs it with this query's values. */
  function build(table: string, mode: QueryMode, config: unknown, tableConfig: TableRelationalConfig) {
    const fragmentKeys: string[] = [];
    const called: FragmentArguments = [];
    // The config again, with placeholders for its values, and fragments that record their arguments.
    const walked = walkConfig(config, tableConfig, schema, mode, (fragment, index, values) => {
      called[index] = null;
      const parameterized = (sql: SQL | undefined) => {
        const own = parameterize(sql, index, values);
        fragmentKeys[index] = own.key;
        return own.sql;
      };
      if (fragment instanceof SQL) return parameterized(fragment);
      return (...args: unknown[]) => {
        if (called[index] !== null) uncacheable('a fragment was called twice');
        called[index] = args;
        return parameterized(sqlOf(fragment, args));
      };
    });
    const finder = driver.finder(table);
    const prepared = driver.prepare(mode === 'first' ? finder.findFirst(walked.rewritten) : finder.findMany(walked.rewritten));
    built++;
    remember(shapes, walked.shape, called);
    remember(statements, statementKey(walked.shape, fragmentKeys), prepared);
    return driver.execute(prepared, mode, walked.values);
  }

  return {
    get built() {
      return built;
    },
    get kept() {
      return statements.size;
    },
    run(table, mode, config) {
      const tableConfig = schema[table];
      if (!tableConfig) return UNCACHED;
      let walked: Walked;
      try {
        walked = walkConfig(config, tableConfig, schema, mode);
      } catch (error) {
        if (error instanceof Uncacheable) return UNCACHED;
        throw error;
      }
      if (uncacheableShapes.has(walked.shape)) return UNCACHED;
      const calledWith = shapes.get(walked.shape);
      if (calledWith === undefined) return buildOrUncached(table, mode, config, tableConfig, walked.shape);
      // Every fragment runs again, for this query's SQL and values.
      const fragmentKeys: string[] = [];
      try {
        walked.fragments.forEach((fragment, index) => {
          const args = calledWith[index];
          if (fragment instanceof SQL || args) fragmentKeys[index] = parameterize(sqlOf(fragment, args ?? []), index, walked.values).key;
        });
      } catch (error) {
        if (error instanceof Uncacheable) return UNCACHED;
        throw error;
      }
      const prepared = statements.get(statementKey(walked.shape, fragmentKeys));
      if (prepared === undefined) return buildOrUncached(table, mode, config, tableConfig, walked.shape);
      return driver.execute(prepared, mode, walked.values);
    },
  };

  function buildOrUncached(table: string, mode: QueryMode, config: unknown, tableConfig: TableRelationalConfig, shape: string) {
    try {
      return build(table, mode, config, tableConfig);
    } catch (error) {
      if (!(error instanceof Uncacheable)) throw error;
      // Its fragments build SQL this cache cannot take apart: this shape is built as drizzle always does.
      remember(uncacheableShapes, shape, true);
      return UNCACHED;
    }
  }
}

const statementKey = (shape: string, fragmentKeys: string[]) => `${shape}\u0000${fragmentKeys.join('\u0001')}`;

/** A fragment's SQL, called with `args` if it is a function; a condition may also be undefined, for none. */
function sqlOf(fragment: Fragment, args: unknown[]): SQL | undefined {
  const result = fragment instanceof SQL ? fragment : fragment(...args);
  return result === undefined || result instanceof SQL ? result : uncacheable('a fragment returned something other than SQL');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

const CONFIG_KEYS = new Set(['columns', 'with', 'extras', 'where', 'orderBy', 'limit', 'offset']);

/** The column filter's own words; every other operator is one of drizzle's `operators`. */
const COLUMN_OPERATORS = new Set(['OR', 'AND', 'NOT', 'isNull', 'isNotNull', 'in', 'notIn']);

/**
 * What stands for an encoder's or decoder's behaviour: its function (drizzle gives each column
 * mode a class of its own), with a column's type (PostgreSQL casts parameters by it). Aliased
 * columns and `mapWith`'s mappers are new objects with every build, so they cannot stand for it.
 */
const functions = new WeakMap<object, number>();
let functionsSeen = 0;
function behaviourOf(mapper: object, method: 'mapToDriverValue' | 'mapFromDriverValue'): string {
  const map = (mapper as Record<string, unknown>)[method] as object;
  let id = functions.get(map);
  if (id === undefined) functions.set(map, (id = ++functionsSeen));
  return is(mapper, Column) ? `${id}:${mapper.columnType}:${mapper.getSQLType()}` : String(id);
}

/**
 * Walks a relational query's config: its shape, its values (named v0, v1, … in order), and its
 * fragments in order. Given `rewrite`, it also returns the config again with each value replaced by
 * its placeholder and each fragment by what `rewrite` makes of it (which may add its own values).
 */
function walkConfig(
  config: unknown,
  tableConfig: TableRelationalConfig,
  schema: TablesRelationalConfig,
  mode: QueryMode,
  rewrite?: (fragment: Fragment, index: number, values: Record<string, unknown>) => unknown,
): Walked & { rewritten: unknown } {
  const values: Record<string, unknown> = {};
  let valueCount = 0;
  const fragments: Fragment[] = [];
  const shape: string[] = [tableConfig.name, mode];
  // A value compared with a column is bound as drizzle binds it, through the column (its encoder and casts).
  const value = (v: unknown, column?: Column) => {
    shape.push('?');
    const name = `v${valueCount++}`;
    values[name] = v;
    if (!rewrite) return v;
    const placeholder = new Placeholder(name);
    return column ? new Param(placeholder, column) : placeholder;
  };
  const fragment = (source: unknown) => {
    if (typeof source !== 'function' && !(source instanceof SQL)) uncacheable('not a fragment');
    shape.push('F');
    fragments.push(source as Fragment);
    return rewrite ? rewrite(source as Fragment, fragments.length - 1, values) : source;
  };
  const literal = <T>(v: T): T => {
    shape.push(JSON.stringify(v) ?? 'u');
    return v;
  };
  // Without `rewrite`, only the shape and the values are wanted: nothing is copied.
  const entries = (part: Record<string, unknown>, each: (key: string, value: unknown) => unknown) => {
    shape.push('{');
    const copied: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(part)) {
      // Quoted, so that no name can pass for another part of the shape.
      shape.push(JSON.stringify(key));
      const walkedPart = v === undefined ? literal(v) : each(key, v);
      if (rewrite) copied[key] = walkedPart;
    }
    shape.push('}');
    return rewrite ? copied : part;
  };
  const list = (part: unknown, each: (value: unknown) => unknown) => {
    if (!Array.isArray(part)) return uncacheable('list');
    shape.push(`[${part.length}`);
    const copied = rewrite ? part.map(each) : (part.forEach(each), part);
    shape.push(']');
    return copied;
  };

  const walkQuery = (query: unknown, table: TableRelationalConfig): unknown => {
    if (query === true) return literal(query);
    if (!isPlainObject(query)) return uncacheable('config');
    return entries(query, (key, part) => {
      if (!CONFIG_KEYS.has(key)) return uncacheable(`config key ${key}`);
      switch (key) {
        case 'columns':
          if (!isPlainObject(part) || !Object.values(part).every((v) => typeof v === 'boolean' || v === undefined)) return uncacheable('columns');
          return literal(part);
        case 'with':
          if (!isPlainObject(part)) return uncacheable('with');
          return entries(part, (name, sub) => {
            const relation = table.relations[name] ?? uncacheable(`relation ${name}`);
            return sub === false ? literal(sub) : walkQuery(sub, schema[relation.targetTableName] ?? uncacheable('target'));
          });
        case 'extras':
          return isPlainObject(part) ? entries(part, (_name, extra) => fragment(extra)) : uncacheable('extras');
        case 'where':
          return walkFilter(part, table);
        case 'orderBy':
          if (typeof part === 'function') return fragment(part);
          if (isPlainObject(part) && Object.values(part).every((v) => v === 'asc' || v === 'desc')) return literal(part);
          return uncacheable('orderBy');
        default: // limit, offset
          return typeof part === 'number' ? value(part) : uncacheable(key);
      }
    });
  };

  const walkFilter = (filter: unknown, table: TableRelationalConfig): unknown => {
    if (!isPlainObject(filter)) return uncacheable('filter');
    return entries(filter, (key, part) => {
      if (key === 'RAW') return fragment(part);
      if (key === 'OR' || key === 'AND') return list(part, (each) => walkFilter(each, table));
      if (key === 'NOT') return walkFilter(part, table);
      const column = table.table[key as keyof typeof table.table] as unknown;
      if (is(column, Column)) return walkColumnFilter(part, column);
      const relation = table.relations[key] ?? uncacheable(`filter key ${key}`);
      return typeof part === 'boolean' ? literal(part) : walkFilter(part, schema[relation.targetTableName] ?? uncacheable('target'));
    });
  };

  const walkColumnFilter = (filter: unknown, column: Column): unknown => {
    // Strings and numbers, for a column that stores them as given; other values are part of the shape, or keep the query out.
    const bindable = (v: unknown) => (typeof v === 'string' || typeof v === 'number') && (column.mapToDriverValue as { isNoop?: boolean }).isNoop === true;
    if (bindable(filter)) {
      // drizzle reads an object here as operators: a bound value goes in as the equality it stands for.
      const bound = value(filter, column);
      return rewrite ? { eq: bound } : bound;
    }
    if (filter === null || typeof filter === 'boolean') return literal(filter);
    if (!isPlainObject(filter)) return uncacheable('column filter');
    return entries(filter, (operator, operand) => {
      // A name drizzle does not know is left for drizzle to refuse.
      if (!COLUMN_OPERATORS.has(operator) && typeof (operators as Record<string, unknown>)[operator] !== 'function') return uncacheable(`operator ${operator}`);
      if (operator === 'OR' || operator === 'AND') return list(operand, (each) => walkColumnFilter(each, column));
      if (operator === 'NOT') return walkColumnFilter(operand, column);
      if (Array.isArray(operand)) return list(operand, (each) => (bindable(each) ? value(each, column) : uncacheable('list item')));
      if (bindable(operand)) return value(operand, column);
      if (operand === null || typeof operand === 'boolean') return literal(operand);
      return uncacheable('operand');
    });
  };

  const rewritten = walkQuery(config, tableConfig);
  return { shape: shape.join('\u0001'), values, fragments, rewritten };
}

/**
 * The `index`th fragment's SQL with its parameters replaced by placeholders (f<index>_0, _1, …, their
 * values added to `values`), and a key that is the same for any SQL that builds the same text.
 */
function parameterize(fragment: SQL | undefined, index: number, values: Record<string, unknown>): { sql: SQL | undefined; key: string } {
  const key: string[] = [];
  let position = 0;
  const bind = (value: unknown) => {
    const name = `f${index}_${position++}`;
    values[name] = value;
    key.push('?');
    return new Placeholder(name);
  };
  const tableKey = (table: Table) => {
    const own = table as unknown as Record<symbol, unknown>;
    return JSON.stringify([String(own[TABLE_SCHEMA]), getTableName(table), own[IS_ALIAS] === true]);
  };
  const copy = (chunk: unknown): unknown => {
    if (chunk === undefined) return void key.push('u');
    // Texts are quoted, so that no two different statements share a key.
    if (is(chunk, StringChunk)) {
      key.push(JSON.stringify(chunk.value.join('')));
      return chunk;
    }
    if (is(chunk, SQL)) {
      if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams) uncacheable('inlined parameters');
      // Its decoder maps an extra column's values: part of what the statement's row mapper does.
      key.push(`(${behaviourOf((chunk as unknown as { decoder: object }).decoder, 'mapFromDriverValue')}`);
      const chunks = chunk.queryChunks.map(copy);
      key.push(')');
      return Object.assign(Object.create(Object.getPrototypeOf(chunk) as object) as SQL, chunk, { queryChunks: chunks });
    }
    if (is(chunk, Param)) {
      if (is(chunk.value, SQL) || is(chunk.value, Placeholder)) uncacheable('parameter');
      // An encoder that turns the value into SQL would change the statement's text.
      if (chunk.value !== null && !(chunk.encoder.mapToDriverValue as { isNoop?: boolean }).isNoop && is(chunk.encoder.mapToDriverValue(chunk.value), SQL)) uncacheable('encoded as SQL');
      const placeholder = bind(chunk.value);
      key.push(`E${behaviourOf(chunk.encoder, 'mapToDriverValue')}`);
      return Object.assign(Object.create(Object.getPrototypeOf(chunk) as object) as Param, chunk, { value: placeholder });
    }
    if (is(chunk, Name)) {
      key.push(`N${JSON.stringify(chunk.value)}`);
      return chunk;
    }
    if (is(chunk, Column)) {
      key.push(`C${chunk.isAlias ? '@' : ''}${tableKey((chunk as unknown as { table: Table }).table)}${JSON.stringify(chunk.name)}`);
      return chunk;
    }
    if (is(chunk, Table)) {
      key.push(`T${tableKey(chunk)}`);
      return chunk;
    }
    if (Array.isArray(chunk)) {
      key.push(`[${chunk.length}`);
      const copied = chunk.map(copy);
      key.push(']');
      return copied;
    }
    if (typeof chunk === 'string' || typeof chunk === 'number') return bind(chunk);
    return uncacheable('chunk');
  };
  const sql = copy(fragment) as SQL | undefined;
  return { sql, key: key.join(' ') };
}
