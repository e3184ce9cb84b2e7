import { asc } from 'drizzle-orm';
import YAML from 'yaml';
import type { TimelineDatabase } from '../db/client.js';
import { inTransaction } from '../editing/editor.js';
import { ENTITY_DEFINITIONS, type EntityDefinition } from '../editing/entities.js';
import type { EntityType } from '../domain/vocabulary.js';
import { SEED_FILES, type SeedFileName, type SeedListName } from './files.js';

const LIST_OF: Record<EntityType, SeedListName> = {
  Source: 'sources',
  Actor: 'actors',
  Place: 'places',
  Article: 'articles',
  Event: 'events',
};

/**
 * The database as seed files, file name to YAML text: every record in the shape an editor
 * writes, in the order it was created, so loading the files gives the same database back.
 */
export function exportSeed(db: TimelineDatabase): Record<SeedFileName, string> {
  const lists = inTransaction(db, (tx) => {
    const records = {} as Record<SeedListName, unknown[]>;
    for (const definition of ENTITY_DEFINITIONS as readonly EntityDefinition<unknown, any>[]) {
      const table = definition.table;
      const ids = tx.select({ id: table.id }).from(table as never).orderBy(asc(table.id)).all() as { id: number }[];
      records[LIST_OF[definition.type]] = ids.map(({ id }) => definition.read(tx, id));
    }
    return records;
  });
  const files = {} as Record<SeedFileName, string>;
  for (const [file, names] of Object.entries(SEED_FILES) as [SeedFileName, readonly SeedListName[]][]) {
    const document = Object.fromEntries(names.map((name) => [name, lists[name]]));
    files[file] = YAML.stringify(document, { lineWidth: 0 });
  }
  return files;
}
