import { databaseLocation } from '../src/config.js';
import { backupDatabase } from '../src/db/backup.js';
import { openDatabase } from '../src/db/client.js';

// npm run backup -- FILE: a consistent copy of the database DATABASE_URL names, taken while the
// server keeps serving. Restore by stopping the server and putting FILE in the database's place.
const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run backup -- FILE');
  process.exit(2);
}
const handle = openDatabase(databaseLocation(process.env));
try {
  const { pages } = await backupDatabase(handle.db, target);
  console.log(`Backed up ${handle.path} to ${target} (${pages} pages).`);
} finally {
  handle.close();
}
