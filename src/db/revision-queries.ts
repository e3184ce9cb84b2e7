import { asc, gt, max, type SQL, sql } from 'drizzle-orm';
import type { DatabaseHandle } from './client.js';
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

/** Up to `limit` revisions after `afterId`, oldest first, with what a cache needs to tell what each changed. */
export function revisionsAfter(database: DatabaseHandle, afterId: number, limit: number) {
  return database.read(async (tx) => tx
    .select({ id: revisions.id, entityType: revisions.entityType, entityId: revisions.entityId, entitySlug: revisions.entitySlug, before: revisions.before, after: revisions.after })
    .from(revisions)
    .where(gt(revisions.id, afterId))
    .orderBy(asc(revisions.id))
    .limit(limit));
}

/** The newest revision's id, or 0 before the first. */
export async function newestRevisionId(database: DatabaseHandle): Promise<number> {
  const [row] = await database.read(async (tx) => tx.select({ id: max(revisions.id) }).from(revisions));
  return row?.id ?? 0;
}
