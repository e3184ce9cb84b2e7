import { type SQL, sql } from 'drizzle-orm';
import { revisions } from './schema.js';

/**
 * Revisions made at or after `since` (a stored instant), for a query ordered by id. The id bound
 * lets the scan start near `since` instead of at the first revision: ids and instants rise
 * together, but not strictly (writers on several machines), so the instant is compared as well.
 * The unary plus keeps SQLite from walking the ids up from the oldest to find the least: the
 * instant's index finds the revisions since, and the least id among them.
 */
export function revisionsMadeSince(table: typeof revisions, since: string): SQL {
  return sql`${table.at} >= ${since} and ${table.id} >= (select min(+${revisions.id}) from ${revisions} where ${revisions.at} >= ${since})`;
}
