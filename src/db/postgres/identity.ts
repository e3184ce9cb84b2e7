import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import type { PostgresExecutor } from './search.js';

const identityColumns = Object.values(schema).flatMap((table) => {
  const { name, columns } = getTableConfig(table);
  return columns.filter((column) => column.generatedIdentity).map((column) => ({ table: name, column: column.name }));
});

/**
 * Moves every table's identity sequence past the largest id in the table. Inserting explicit ids
 * (copying a database, loading records with their ids) leaves the sequence behind, and the next
 * insert without an id would be handed one already taken. A sequence never moves back: an id it
 * handed out once, for a record since deleted, stays retired (revisions still name it).
 */
export async function resetIdentitySequences(db: PostgresExecutor): Promise<void> {
  const resets = identityColumns.map(({ table, column }) => {
    const sequence = sql`pg_get_serial_sequence(${table}, ${column})::regclass`;
    const largestId = sql`(select max(${sql.identifier(column)}) from ${sql.identifier(table)})`;
    // The last id handed out or taken; 0 when there is none, and then the next id is 1.
    const lastId = sql`greatest(${largestId}, pg_sequence_last_value(${sequence}), 0)`;
    return sql`setval(${sequence}, greatest(${lastId}, 1), ${lastId} > 0)`;
  });
  await db.execute(sql`select ${sql.join(resets, sql`, `)}`);
}
