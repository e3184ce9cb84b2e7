import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import YAML from 'yaml';
import type { DatabaseHandle, TimelineTransaction } from '../db/client.js';
import { ENTITY_DEFINITIONS, type EntityDefinition } from '../editing/entities.js';
import type { EntityType } from '../domain/vocabulary.js';
import { writeFileAtomically } from '../write-file-atomically.js';
import { SEED_FILES, type SeedFileName, type SeedListName } from './files.js';
import { latestRevisionId, setSyncMark } from './sync-mark.js';

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
export function exportSeed(database: DatabaseHandle): Promise<Record<SeedFileName, string>> {
  return database.read(seedFilesOf);
}

/**
 * Writes the database as seed files into `dir` and marks it synced with them: the files now hold
 * every change made through the API, so a load of them may overwrite what was there.
 */
export async function exportSeedTo(database: DatabaseHandle, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await database.write(async (tx) => {
    for (const [file, text] of Object.entries(await seedFilesOf(tx))) writeFileAtomically(join(dir, file), text);
    // Marked only once the files are written; if the commit failed after that, the next load would merely ask.
    await setSyncMark(tx, await latestRevisionId(tx), 'export');
  });
}

async function seedFilesOf(tx: TimelineTransaction): Promise<Record<SeedFileName, string>> {
  const records = {} as Record<SeedListName, unknown[]>;
  for (const definition of ENTITY_DEFINITIONS as readonly EntityDefinition<unknown, any>[]) {
    const table = definition.table;
    const ids = (await tx.select({ id: table.id }).from(table as never).orderBy(asc(table.id))) as { id: number }[];
    const read: unknown[] = [];
    // One at a time: a transaction's queries share one connection.
    for (const { id } of ids) read.push(await definition.read(tx, id));
    records[LIST_OF[definition.type]] = read;
  }
  const files = {} as Record<SeedFileName, string>;
  for (const [file, names] of Object.entries(SEED_FILES) as [SeedFileName, readonly SeedListName[]][]) {
    const document = Object.fromEntries(names.map((name) => [name, records[name]]));
    files[file] = YAML.stringify(document, { lineWidth: 0 });
  }
  return files;
}
