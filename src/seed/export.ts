import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import YAML from 'yaml';
import { DEFAULT_ARTICLES_DIR } from '../config.js';
import type { DatabaseHandle, TimelineTransaction } from '../db/client.js';
import type { ArticleInput } from '../domain/records.js';
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

/** The seed files, and the articles' texts they name (file name, relative to the articles directory, to text). */
export interface ExportedSeed {
  files: Record<SeedFileName, string>;
  texts: Map<string, string>;
}

/** An article's text would overwrite a different file of the same name in the articles directory. */
export class ArticleTextConflictError extends Error {
  override name = 'ArticleTextConflictError';
}

/**
 * The database as seed files, file name to YAML text: every record in the shape an editor
 * writes, in the order it was created, so loading the files gives the same database back. An
 * article's text is named, not copied: `text: <file>` in the articles directory.
 */
export async function exportSeed(database: DatabaseHandle): Promise<Record<SeedFileName, string>> {
  return (await database.read(seedFilesOf)).files;
}

/**
 * Writes the database as seed files into `dir`, and each article text the articles directory
 * lacks into it (never over a different file), and marks the database synced with the files:
 * they now hold every change made through the API, so a load of them may overwrite what was there.
 */
export async function exportSeedTo(database: DatabaseHandle, dir: string, articlesDir: string = DEFAULT_ARTICLES_DIR): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await database.write(async (tx) => {
    const { files, texts } = await seedFilesOf(tx);
    const missing = [...texts].filter(([file, text]) => {
      const path = join(articlesDir, file);
      if (!existsSync(path)) return true;
      if (readFileSync(path, 'utf8') === text) return false;
      throw new ArticleTextConflictError(`${path} holds a different text than the stored article that names it; move the file away, or load it (npm run seed) first`);
    });
    if (missing.length > 0) mkdirSync(articlesDir, { recursive: true });
    for (const [file, text] of missing) writeFileAtomically(join(articlesDir, file), text);
    for (const [file, text] of Object.entries(files)) writeFileAtomically(join(dir, file), text);
    // Marked only once the files are written; if the commit failed after that, the next load would merely ask.
    await setSyncMark(tx, await latestRevisionId(tx), 'export');
  });
}

async function seedFilesOf(tx: TimelineTransaction): Promise<ExportedSeed> {
  const records = {} as Record<SeedListName, unknown[]>;
  const texts = new Map<string, string>();
  for (const definition of ENTITY_DEFINITIONS as readonly EntityDefinition<unknown, any>[]) {
    const table = definition.table;
    const ids = (await tx.select({ id: table.id }).from(table as never).orderBy(asc(table.id))) as { id: number }[];
    const read: unknown[] = [];
    // One at a time: a transaction's queries share one connection.
    for (const { id } of ids) read.push(await definition.read(tx, id));
    records[LIST_OF[definition.type]] = definition.type === 'Article' ? (read as ArticleInput[]).map((article) => namingItsText(article, texts)) : read;
  }
  const files = {} as Record<SeedFileName, string>;
  for (const [file, names] of Object.entries(SEED_FILES) as [SeedFileName, readonly SeedListName[]][]) {
    const document = Object.fromEntries(names.map((name) => [name, records[name]]));
    files[file] = YAML.stringify(document, { lineWidth: 0 });
  }
  return { files, texts };
}

/** The article as the seed files write it: `text` names its file (the one it came from, or one named after its slug). */
function namingItsText({ text, textFile, ...article }: ArticleInput, texts: Map<string, string>) {
  if (text === undefined) return article;
  const file = textFile ?? `${article.slug}.txt`;
  texts.set(file, text);
  return { ...article, text: file };
}
