import type { TimelineDatabase } from './client.js';

/**
 * Copies the database into `target` with SQLite's online backup API: a consistent snapshot,
 * taken in steps so the process holding `db` keeps serving (and writing) meanwhile.
 */
export async function backupDatabase(db: TimelineDatabase, target: string): Promise<{ pages: number }> {
  const { totalPages } = await db.$client.backup(target);
  return { pages: totalPages };
}
