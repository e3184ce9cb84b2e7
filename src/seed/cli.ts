import { databaseFilePath, openDatabase } from '../db/client.js';
import { databaseLocation } from '../config.js';
import { SeedError, seedDatabase } from './index.js';

// npm run seed [-- SEED_DIR]: loads the seed files into the database named by DATABASE_URL.
const location = databaseLocation(process.env);
const handle = openDatabase(location);
try {
  const summary = seedDatabase(handle.db, process.argv[2]);
  const { counts } = summary;
  console.log(
    `Seeded ${databaseFilePath(location)}: ${counts.events} events, ${counts.citations} citations, ${counts.actors} actors, ` +
      `${counts.places} places, ${counts.sources} sources, ${counts.articles} articles (${summary.changes} rows changed).`,
  );
} catch (error) {
  if (!(error instanceof SeedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  handle.close();
}
