import Database from 'better-sqlite3';
import type { DatabaseHandle } from './client.js';

/**
 * The one line that says how to back up a PostgreSQL database: with its own tool, pg_dump. The URL
 * is shown as redactPassword leaves it; a password in it wins over PGPASSWORD, so "***" must be
 * replaced rather than left in.
 */
export function postgresBackupAdvice(redactedUrl: string, target: string): string {
  const password = redactedUrl.includes(':***@') ? ' (with the password in place of ***)' : '';
  return (
    'npm run backup copies SQLite databases; a PostgreSQL database is backed up with pg_dump: ' +
    `pg_dump --format=custom --file=${shellQuote(target)} ${shellQuote(redactedUrl)}${password}, and restored with pg_restore.`
  );
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Copies the SQLite database into `target` with SQLite's online backup API: a consistent snapshot,
 * taken in steps so the process holding `handle` keeps serving (and writing) meanwhile.
 *
 * The copy is read through a connection of its own, inside one read transaction. The handle's
 * connection cannot be used: its writes span awaits, and a backup step that lands inside one
 * would copy what is not committed yet, or nothing at all. The read transaction pins a WAL
 * snapshot, so writes committed during the copy neither appear in it halfway nor restart it.
 */
export async function backupDatabase(handle: DatabaseHandle, target: string): Promise<{ pages: number }> {
  if (handle.dialect !== 'sqlite') throw new Error(postgresBackupAdvice(handle.location, target));
  if (handle.location === ':memory:') throw new Error('An in-memory database has no file to copy.');
  const source = new Database(handle.location, { readonly: true, fileMustExist: true });
  try {
    source.exec('BEGIN');
    // The snapshot is taken at the first read, not at BEGIN.
    source.prepare('select count(*) from sqlite_schema').get();
    const { totalPages } = await source.backup(target);
    source.exec('COMMIT');
    return { pages: totalPages };
  } finally {
    source.close();
  }
}
