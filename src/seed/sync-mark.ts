import { asc, eq, gt, max } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import { revisions, seedSync } from '../db/schema.js';

/** The author the seed loader writes revisions as. */
export const SEED_AUTHOR = 'seed';

/**
 * The last revision the seed files are known to hold: the stored mark, or, in a database from
 * before the mark existed, the last revision the seed loader wrote.
 */
export async function syncMark(tx: TimelineTransaction): Promise<number> {
  const [mark] = await tx.select({ revisionId: seedSync.revisionId }).from(seedSync).where(eq(seedSync.id, 1));
  if (mark) return mark.revisionId;
  const [lastLoad] = await tx.select({ id: max(revisions.id) }).from(revisions).where(eq(revisions.author, SEED_AUTHOR));
  return lastLoad?.id ?? 0;
}

export async function latestRevisionId(tx: TimelineTransaction): Promise<number> {
  const [latest] = await tx.select({ id: max(revisions.id) }).from(revisions);
  return latest?.id ?? 0;
}

/** Records that the seed files hold everything up to `revisionId`. The mark never moves back, and a mark that stays is not rewritten. */
export async function setSyncMark(tx: TimelineTransaction, revisionId: number, action: 'load' | 'export') {
  const [mark] = await tx.select({ revisionId: seedSync.revisionId }).from(seedSync).where(eq(seedSync.id, 1));
  if (mark && mark.revisionId >= revisionId) return;
  await tx
    .insert(seedSync)
    .values({ id: 1, revisionId, action })
    .onConflictDoUpdate({ target: seedSync.id, set: { revisionId, action } });
}

export type RevisionSummary = Pick<typeof revisions.$inferSelect, 'entityType' | 'entityId' | 'entitySlug' | 'action' | 'author' | 'at'>;

/** Every revision after the mark, oldest first. */
export async function revisionsSinceMark(tx: TimelineTransaction): Promise<RevisionSummary[]> {
  const mark = await syncMark(tx);
  return tx
    .select({
      entityType: revisions.entityType,
      entityId: revisions.entityId,
      entitySlug: revisions.entitySlug,
      action: revisions.action,
      author: revisions.author,
      at: revisions.at,
    })
    .from(revisions)
    .where(gt(revisions.id, mark))
    .orderBy(asc(revisions.id));
}
