import { and, eq, inArray } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { TimelineTransaction } from '../db/client.js';

export type Row = Record<string, unknown>;
export type TableWithId = SQLiteTable & { id: SQLiteColumn };

// Drizzle's builders are typed per table; these helpers work on any of them.
const loose = (table: TableWithId) => table as any;

const sameValue = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * Writes `row` as the row `id` (updating only if a value differs), or inserts it when `id` is
 * undefined, optionally with `newId`. Returns the row's id and whether anything was written.
 */
export function writeRow(
  tx: TimelineTransaction,
  table: TableWithId,
  id: number | undefined,
  row: Row,
  newId?: number,
): { id: number; changed: boolean } {
  if (id === undefined) {
    const values = newId === undefined ? row : { ...row, id: newId };
    const [inserted] = tx.insert(loose(table)).values(values).returning({ id: table.id }).all() as { id: number }[];
    return { id: inserted!.id, changed: true };
  }
  const [current] = tx.select().from(loose(table)).where(eq(table.id, id)).all() as Row[];
  if (current && Object.entries(row).every(([column, value]) => sameValue(current[column], value))) {
    return { id, changed: false };
  }
  tx.update(loose(table)).set(row).where(eq(table.id, id)).run();
  return { id, changed: true };
}

/**
 * Makes the rows of `table` whose `parentColumn` is `parentId` exactly `rows`, matched on
 * `keyColumns`: unchanged rows keep their ids, changed ones are updated, the rest inserted or deleted.
 * Returns how many rows were written.
 */
export function syncChildRows(
  tx: TimelineTransaction,
  table: TableWithId,
  parentColumn: SQLiteColumn,
  parentId: number,
  keyColumns: readonly string[],
  rows: Row[],
): number {
  const keyOf = (row: Row) => keyColumns.map((column) => String(row[column])).join('\u0000');
  const existing = new Map<string, Row>();
  for (const row of tx.select().from(loose(table)).where(eq(parentColumn, parentId)).all() as Row[]) {
    existing.set(keyOf(row), row);
  }
  let changes = 0;
  for (const row of rows) {
    const current = existing.get(keyOf(row));
    existing.delete(keyOf(row));
    if (current === undefined) {
      tx.insert(loose(table)).values(row).run();
      changes++;
    } else if (!Object.entries(row).every(([column, value]) => sameValue(current[column], value))) {
      tx.update(loose(table)).set(row).where(eq(table.id, current.id as number)).run();
      changes++;
    }
  }
  const stale = [...existing.values()].map((row) => row.id as number);
  if (stale.length > 0) tx.delete(loose(table)).where(and(eq(parentColumn, parentId), inArray(table.id, stale))).run();
  return changes + stale.length;
}
