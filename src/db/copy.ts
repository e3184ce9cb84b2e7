import { asc, count, getTableName, gt } from 'drizzle-orm';
import type { DatabaseHandle, TimelineTransaction } from './client.js';
import { resetIdentitySequences } from './postgres/identity.js';
import type { PostgresExecutor } from './postgres/search.js';
import * as schema from './schema.js';

/** Every table, parents before the tables that refer to them. */
const TABLES_IN_ORDER = [
  schema.sources,
  schema.actors,
  schema.affiliations,
  schema.places,
  schema.articles,
  schema.events,
  schema.participations,
  schema.citations,
  schema.claimSupports,
  schema.rivalClaims,
  schema.rivalClaimCitations,
  schema.eventRelations,
  schema.revisions,
  schema.seedSync,
] as const;

/** Rows read and written at a time: well under either database's limit on a statement's parameters. */
const BATCH = 500;

export interface CopySummary {
  /** Rows copied, by table. */
  rows: Record<string, number>;
}

/** The target already holds records: copying into it would mix two timelines. */
export class TargetNotEmptyError extends Error {
  override name = 'TargetNotEmptyError';
}

/**
 * Copies a whole timeline, every record and every revision with its id, from one database into
 * another that holds none (either may be SQLite or PostgreSQL), in one write transaction on the
 * target: it is all there, or (on any error) none of it. The source is read in one read
 * transaction, so the copy is a consistent snapshot even while the source keeps serving.
 * Search indexes follow the rows (their triggers); identity sequences are moved past the copied ids.
 */
export async function copyDatabase(
  from: DatabaseHandle,
  to: DatabaseHandle,
  onProgress: (table: string, rows: number) => void = () => {},
): Promise<CopySummary> {
  const rows: Record<string, number> = {};
  await to.write(async (target) => {
    await refuseUnlessEmpty(target, to.location);
    await from.read(async (source) => {
      for (const table of TABLES_IN_ORDER) {
        const name = tableName(table);
        rows[name] = 0;
        for (let after = 0; ; ) {
          const batch = await source.select().from(table).where(gt(table.id, after)).orderBy(asc(table.id)).limit(BATCH);
          if (batch.length === 0) break;
          await target.insert(table).values(batch as never);
          after = batch.at(-1)!.id;
          rows[name] += batch.length;
          onProgress(name, rows[name]);
        }
      }
    });
    if (to.dialect === 'postgres') await resetIdentitySequences(target as unknown as PostgresExecutor);
  });
  await to.refreshStatistics();
  return { rows };
}

async function refuseUnlessEmpty(tx: TimelineTransaction, location: string) {
  for (const table of TABLES_IN_ORDER) {
    const [row] = await tx.select({ n: count() }).from(table);
    if ((row?.n ?? 0) > 0) {
      throw new TargetNotEmptyError(`${location} already holds a timeline (its ${tableName(table)} table has rows); copy into an empty database.`);
    }
  }
}

const tableName = (table: (typeof TABLES_IN_ORDER)[number]): string => getTableName(table);
