import type { StatementDriver } from '../statement-cache.js';

/** How many query shapes, at most, one process ever has PostgreSQL keep prepared by name. */
export const NAMED_STATEMENTS = 256;

interface Statement {
  execute(values: Record<string, unknown>): Promise<unknown>;
}

/** What drizzle's node-postgres statement is made of: its built SQL, how rows come back, and their mapper. */
interface BuiltStatement extends Statement {
  query: unknown;
  mode: unknown;
  mapper: unknown;
}

/** A drizzle relational query, as `findMany`/`findFirst` return it, and the session that prepares its statements. */
interface RelationalQuery {
  _prepare(name: undefined, generateName: false): BuiltStatement;
  session: { prepareQuery(query: unknown, mode: unknown, name: string, mapper: unknown): Statement };
}

interface Shape {
  statement: Statement;
  built: BuiltStatement;
  session: RelationalQuery['session'];
  runs: number;
}

/**
 * How the statement cache prepares PostgreSQL statements. An unnamed statement is parsed and
 * planned again on every run; a named one is parsed once per connection, and after a few runs
 * PostgreSQL may keep a generic plan for it. But a named statement stays prepared on each pooled
 * connection that ran it, for the connection's life. So a shape gets a name only on its second
 * run (a one-off shape never takes one), and the process hands out at most `capacity` names,
 * never reused: each connection holds at most that many, whatever shapes clients send. Past
 * them, shapes run unnamed, as every shape did before.
 */
export function namedAfterSecondRun(capacity = NAMED_STATEMENTS): Pick<StatementDriver<Shape>, 'prepare' | 'execute'> {
  let named = 0;
  return {
    prepare: (query) => {
      const relational = query as RelationalQuery;
      const built = relational._prepare(undefined, false);
      return { statement: built, built, session: relational.session, runs: 0 };
    },
    execute: (shape, _mode, values) => {
      if (++shape.runs === 2 && named < capacity) {
        // The statement already built, under a name: building the query again would call its fragments again.
        const { query, mode, mapper } = shape.built;
        shape.statement = shape.session.prepareQuery(query, mode, `timeline_${++named}`, mapper);
      }
      return shape.statement.execute(values);
    },
  };
}
