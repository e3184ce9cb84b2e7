import type { DatabaseHandle } from '../db/client.js';
import { DEFAULT_SEED_DIR, readSeedFiles } from './files.js';
import { type LoadOptions, loadSeed, type SeedSummary } from './load.js';
import { validateSeed } from './validate.js';

export { describeConflict, type SeedConflict, SeedConflictError, SeedError } from './errors.js';
export { isTimelineEmpty } from './load.js';

/**
 * Reads, validates and loads the seed files in `dir`. Throws a SeedError listing every problem of
 * the files, or a SeedConflictError naming records changed outside the files; either way it writes nothing.
 */
export async function seedDatabase(
  database: DatabaseHandle,
  dir: string = DEFAULT_SEED_DIR,
  options: Omit<LoadOptions, 'editor'> & { articlesDir?: string } = {},
): Promise<SeedSummary> {
  return loadSeed(database, validateSeed(readSeedFiles(dir, options.articlesDir)), options);
}
