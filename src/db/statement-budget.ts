import type Database from 'better-sqlite3';
import { type Column, type SQL, sql } from 'drizzle-orm';
import type { Dialect } from './client.js';
import { chain } from './failures.js';

/**
 * How long one SQL statement may run, in milliseconds. PostgreSQL enforces it itself
 * (statement_timeout). better-sqlite3 cannot interrupt a statement and runs it on the server's
 * only thread, so there a statement's own conditions check the clock: while one runs, nothing
 * else (not even /health) can answer.
 */
export const STATEMENT_BUDGET_MS = 500;

const BUDGET_FUNCTION = 'timeline_within_budget';

/** A statement ran past its budget and was stopped; it changed nothing. */
export class StatementBudgetError extends Error {
  override name = 'StatementBudgetError';
  constructor(readonly budgetMs: number) {
    super(
      `The query asks the database for too much in one step (more than ${budgetMs} ms) and was stopped. ` +
        'Ask for smaller pages (first), fewer nested connections, or narrower filters.',
    );
  }
}

/** True for a statement stopped by its budget, on either database (PostgreSQL's query_canceled). */
export function isOverBudget(error: unknown): boolean {
  for (const current of chain(error)) {
    if (current instanceof StatementBudgetError || current.code === '57014') return true;
  }
  return false;
}

/** Registers the function budget checks call, with the connection's budget; openDatabase does this. */
export function installStatementBudget(client: Database.Database, budgetMs = STATEMENT_BUDGET_MS) {
  // 0 (or less): no budget, for scripts that copy or load whole databases.
  if (budgetMs <= 0) {
    // Taking the two arguments the budget's conditions pass: SQLite checks a function's arity.
    client.function(BUDGET_FUNCTION, { deterministic: false }, (_startedAt, _row) => 1);
    return;
  }
  client.function(BUDGET_FUNCTION, { deterministic: false }, (startedAt, _row) => {
    if (Date.now() - Number(startedAt) > budgetMs) throw new StatementBudgetError(budgetMs);
    return 1;
  });
}

/**
 * A condition that holds for every row and stops the statement once it has run past the
 * connection's budget (on SQLite; PostgreSQL needs no help). It mentions `row` so that SQLite checks it for each row of that table the
 * statement visits; put it before other conditions. Build it right before the statement runs.
 */
export function withinStatementBudget(dialect: Dialect, row: Column | SQL): SQL {
  if (dialect === 'postgres') return sql`true`;
  // One row in eight calls back (a call into JavaScript costs more than SQLite's own work on a row);
  // a statement that visits many rows still looks at the clock every few microseconds.
  return sql`(${row} & 7 <> 0 or ${sql.raw(BUDGET_FUNCTION)}(${Date.now()}, ${row}))`;
}
