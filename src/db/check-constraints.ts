import { sql } from 'drizzle-orm';

/** A check constraint's condition that `column` holds one of `values` (the vocabularies), for either dialect. */
export function oneOf(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}
