/**
 * The database stayed locked by other writers for longer than a write may wait. Nothing was
 * written; the same write can simply be sent again (the API answers 503 with Retry-After).
 */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  constructor(readonly waitedMs: number) {
    super(`The database is busy with other writes (waited ${waitedMs} ms); nothing was written. Try again shortly.`);
  }
}

/**
 * The database server cannot be reached (stopped, restarting, or the network is down). Nothing
 * was written; the request can be sent again once it is back (the API answers 503 with Retry-After).
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  /** `duringWrite`: a write transaction failed, so it was rolled back; otherwise a read did. */
  constructor(cause?: unknown, { duringWrite = false }: { duringWrite?: boolean } = {}) {
    super(`The database is unavailable right now${duringWrite ? '; nothing was written' : ''}. Try again shortly.`, { cause });
  }
}

/**
 * PostgreSQL refused a value the request sent (SQLSTATE class 22, data exception): a number past
 * its column's range, a NUL character, a forged cursor's value of the wrong kind. The stored data
 * never holds such values, so the request is at fault; SQLite compares them and finds nothing.
 */
export function isRefusedValue(error: unknown): boolean {
  for (const current of chain(error)) {
    if (typeof current.code === 'string' && current.code.startsWith('22')) return true;
  }
  return false;
}

const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  // PostgreSQL: lock_not_available, when the wait for the write lock passed lock_timeout.
  '55P03',
]);

/**
 * Codes for "the server is not there": Node's socket errors, and PostgreSQL's connection
 * exceptions (08…), shutdowns (57P01–57P03) and the pool's wait for a connection timing out.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03']);
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /Connection ended unexpectedly/i, /the database system is (starting up|shutting down|in recovery mode)/i];

/** The error and its causes, as drizzle and the drivers wrap them. */
export function* chain(error: unknown) {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) yield current as { code?: unknown; message?: unknown };
}

/** True for the drivers' "database is locked" errors (also when drizzle wraps them as a cause). */
export function isBusyError(error: unknown): boolean {
  for (const current of chain(error)) {
    if (typeof current.code === 'string' && BUSY_CODES.has(current.code)) return true;
  }
  return false;
}

/** True when the error says the database server could not be reached or went away. */
export function isUnavailableError(error: unknown): boolean {
  for (const current of chain(error)) {
    if (current instanceof DatabaseUnavailableError) return true;
    if (typeof current.code === 'string' && (UNAVAILABLE_CODES.has(current.code) || current.code.startsWith('08'))) return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(current.message as string))) return true;
  }
  return false;
}
