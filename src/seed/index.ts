import type { TimelineDatabase } from '../db/client.js';
import { DEFAULT_SEED_DIR, readSeedFiles } from './files.js';
import { loadSeed, type SeedSummary } from './load.js';
import { validateSeed } from './validate.js';

export { SeedError } from './errors.js';
export { isTimelineEmpty } from './load.js';

/** Reads, validates and loads the seed files in `dir`; throws a SeedError and writes nothing if they are wrong. */
export function seedDatabase(db: TimelineDatabase, dir: string = DEFAULT_SEED_DIR): SeedSummary {
  return loadSeed(db, validateSeed(readSeedFiles(dir)));
}
