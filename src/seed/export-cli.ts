import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseLocation } from '../config.js';
import { openDatabase } from '../db/client.js';
import { exportSeed } from './export.js';
import { DEFAULT_SEED_DIR } from './files.js';

// npm run export [-- DIR]: writes the database named by DATABASE_URL as seed files into DIR
// (default: the project's seed/ folder, so `git diff` shows what editors changed through the API).
const dir = process.argv[2] ?? DEFAULT_SEED_DIR;
const handle = openDatabase(databaseLocation(process.env));
try {
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(exportSeed(handle.db))) writeFileSync(join(dir, file), text);
  console.log(`Exported ${handle.path} to ${dir}.`);
} finally {
  handle.close();
}
