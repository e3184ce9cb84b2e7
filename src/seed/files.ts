import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { SeedError } from './errors.js';

export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../../seed', import.meta.url));

/** The seed files and the top-level lists each holds. */
export const SEED_FILES = {
  'actors.yaml': ['actors'],
  'places.yaml': ['places'],
  'sources.yaml': ['sources', 'articles'],
  'events.yaml': ['events'],
} as const;

export type SeedFileName = keyof typeof SEED_FILES;
export type SeedListName = (typeof SEED_FILES)[SeedFileName][number];

/** Each top-level list as written, with the file it came from. */
export type RawSeed = Record<SeedListName, { file: SeedFileName; records: unknown[] }>;

export function readSeedFiles(dir: string = DEFAULT_SEED_DIR): RawSeed {
  const raw: Partial<RawSeed> = {};
  for (const [file, lists] of Object.entries(SEED_FILES) as [SeedFileName, readonly SeedListName[]][]) {
    const document = parseYaml(file, readSeedFile(dir, file));
    for (const list of lists) {
      const records = document[list] ?? [];
      if (!Array.isArray(records)) {
        throw new SeedError([{ file, record: list, message: `"${list}" must be a list` }]);
      }
      raw[list] = { file, records };
    }
  }
  return raw as RawSeed;
}

function readSeedFile(dir: string, file: SeedFileName): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    throw new SeedError([{ file, record: '(file)', message: `cannot be read: ${(error as Error).message}` }]);
  }
}

function parseYaml(file: SeedFileName, text: string): Record<string, unknown> {
  const document = YAML.parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  const firstError = document.errors[0];
  if (firstError) {
    throw new SeedError([{ file, record: '(file)', message: `is not valid YAML: ${firstError.message}` }]);
  }
  const value: unknown = document.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw new SeedError([{ file, record: '(file)', message: 'must be a mapping of lists' }]);
  }
  return value as Record<string, unknown>;
}
