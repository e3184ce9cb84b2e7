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

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/** True for the driver's "database is locked" errors (also when drizzle wraps them as a cause). */
export function isBusyError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && BUSY_CODES.has(code)) return true;
  }
  return false;
}
