import { asc, eq, gt, max } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import { revisions, seedSync } from '../db/schema.js';

/** The author the seed loader writes revisions as. */
export const SEED_AUTHOR = 'seed';

/**
 * The last revision the seed files are known to hold: the stored mark, or, in a database from
 * before the mark existed, the last revision the seed loader wrote.
 */
export function syncMark(tx: TimelineTransaction): number {
  const [mark] = tx.select({ revisionId: seedSync.revisionId }).from(seedSync).where(eq(seedSync.id, 1)).all();
  if (mark) return mark.revisionId;
  const [lastLoad] = tx.select({ id: max(revisions.id) }).from(revisions).where(eq(revisions.author, SEED_AUTHOR)).all();
  return lastLoad?.id ?? 0;
}

export function latestRevisionId(tx: TimelineTransaction): number {
  const [latest] = tx.select({ id: max(revisions.id) }).from(revisions).all();
  return latest?.id ?? 0;
}

/** Records that the seed files hold everything up to `revisionId`. The mark never moves back, and a mark that stays is not rewritten. */
export function setSyncMark(tx: TimelineTransaction, revisionId: number, action: 'load' | 'export') {
  const [mark] = tx.select({ revisionId: seedSync.revisionId }).from(seedSync).where(eq(seedSync.id, 1)).all();
  if (mark && mark.revisionId >= revisionId) return;
  tx.insert(seedSync)
    .values({ id: 1, revisionId, action })
    .onConflictDoUpdate({ target: seedSync.id, set: { revisionId, action } })
    .run();
}

export type RevisionSummary = Pick<typeof revisions.$inferSelect, 'entityType' | 'entityId' | 'entitySlug' | 'action' | 'author' | 'at'>;

/** Every revision after the mark, oldest first. */
export function revisionsSinceMark(tx: TimelineTransaction): RevisionSummary[] {
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
    .where(gt(revisions.id, syncMark(tx)))
    .orderBy(asc(revisions.id))
    .all();
}
