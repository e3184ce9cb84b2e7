import { and, eq, inArray } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import type { Column, Table } from '../db/schema.js';

export type Row = Record<string, unknown>;
export type TableWithId = Table & { id: Column };

// Drizzle's builders are typed per table; these helpers work on any of them.
const loose = (table: TableWithId) => table as any;

const sameValue = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * Writes `row` as the row `id` (updating only if a value differs), or inserts it when `id` is
 * undefined, optionally with `newId`. Returns the row's id and whether anything was written.
 */
export async function writeRow(
  tx: TimelineTransaction,
  table: TableWithId,
  id: number | undefined,
  row: Row,
  newId?: number,
): Promise<{ id: number; changed: boolean }> {
  if (id === undefined) {
    const values = newId === undefined ? row : { ...row, id: newId };
    const [inserted] = (await tx.insert(loose(table)).values(values).returning({ id: table.id })) as { id: number }[];
    return { id: inserted!.id, changed: true };
  }
  const [current] = (await tx.select().from(loose(table)).where(eq(table.id, id))) as Row[];
  if (current && Object.entries(row).every(([column, value]) => sameValue(current[column], value))) {
    return { id, changed: false };
  }
  await tx.update(loose(table)).set(row).where(eq(table.id, id));
  return { id, changed: true };
}

/**
 * Makes the rows of `table` whose `parentColumn` is `parentId` exactly `rows`, matched on
 * `keyColumns`: unchanged rows keep their ids, changed ones are updated, the rest inserted or deleted.
 * Returns how many rows were written.
 */
export async function syncChildRows(
  tx: TimelineTransaction,
  table: TableWithId,
  parentColumn: Column,
  parentId: number,
  keyColumns: readonly string[],
  rows: Row[],
): Promise<number> {
  const keyOf = (row: Row) => keyColumns.map((column) => String(row[column])).join('\u0000');
  const existing = new Map<string, Row>();
  for (const row of (await tx.select().from(loose(table)).where(eq(parentColumn, parentId))) as Row[]) {
    existing.set(keyOf(row), row);
  }
  let changes = 0;
  for (const row of rows) {
    const current = existing.get(keyOf(row));
    existing.delete(keyOf(row));
    if (current === undefined) {
      await tx.insert(loose(table)).values(row);
      changes++;
    } else if (!Object.entries(row).every(([column, value]) => sameValue(current[column], value))) {
      await tx.update(loose(table)).set(row).where(eq(table.id, current.id as number));
      changes++;
    }
  }
  const stale = [...existing.values()].map((row) => row.id as number);
  if (stale.length > 0) await tx.delete(loose(table)).where(and(eq(parentColumn, parentId), inArray(table.id, stale)));
  return changes + stale.length;
}
