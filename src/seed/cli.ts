import { existsSync } from 'node:fs';
import { CommandError, parseCommandLine, runCommand, usageFailure } from '../cli/command.js';
import { articlesDirectory, DEFAULT_ARTICLES_DIR, readDatabaseConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { DEFAULT_SEED_DIR, readSeedFiles } from './files.js';
import { describeConflict, SeedConflictError, SeedError } from './index.js';
import { loadSeed, seedCounts, type SeedSummary } from './load.js';
import { validateSeed } from './validate.js';

const USAGE = `Usage: npm run seed -- [--check] [--force] [SEED_DIR]

Loads the seed files (default: ${DEFAULT_SEED_DIR}) into the database DATABASE_URL names,
in one transaction: all of it or none of it. Articles name their texts (text: <file>) in the
articles directory, TIMELINE_ARTICLES_DIR (default: ${DEFAULT_ARTICLES_DIR}); every quote is
checked against its article's text, character for character.

It refuses to overwrite, delete or re-create records changed outside the seed files (through the
API) since they were last loaded or exported, and names them. Keep those changes with
\`npm run export\` first, or discard them with --force (their revisions keep what they were).

  --check   validate the files and report what a load would change (and any conflicts); write nothing
  --force   overwrite records changed outside the seed files
  --help    show this

Exit codes: 0 done, 1 bad files or conflicts, 2 wrong usage, 75 database busy (try again).`;

const { values, positionals } = parseCommandLine(USAGE, {
  options: { check: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
  allowPositionals: true,
});
if (positionals.length > 1) usageFailure(USAGE, `Expected at most one SEED_DIR, got ${positionals.length}.`);
const dir = positionals[0] ?? DEFAULT_SEED_DIR;

const counted = (counts: SeedSummary['counts']) =>
  `${counts.events} events, ${counts.citations} citations, ${counts.actors} actors, ${counts.places} places, ${counts.sources} sources, ${counts.articles} articles`;
const records = (n: number) => (n === 1 ? '1 record' : `${n} records`);

await runCommand(async () => {
  let data;
  try {
    data = validateSeed(readSeedFiles(dir, articlesDirectory(process.env)));
  } catch (error) {
    if (error instanceof SeedError) throw new CommandError(error.message);
    throw error;
  }
  const database = readDatabaseConfig(process.env);
  const { location } = database;
  if (values.check && location.dialect === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    console.log(`The seed files in ${dir} are valid (${counted(seedCounts(data))}); ${location.path} does not exist yet.`);
    return;
  }
  const handle = await openDatabase(database.url, { poolSize: database.poolSize, statementBudgetMs: 0 });
  try {
    const summary = await loadSeed(handle, data, { force: values.force, dryRun: values.check });
    if (values.check) {
      console.log(`The seed files in ${dir} are valid (${counted(summary.counts)}); loading them into ${handle.location} would change ${records(summary.changes)}.`);
    } else {
      console.log(`Seeded ${handle.location}: ${counted(summary.counts)} (${records(summary.changes)} changed).`);
    }
    if (summary.overwritten.length > 0) {
      console.log(
        `${values.check ? 'Would overwrite' : 'Overwrote'} ${records(summary.overwritten.length)} changed outside the seed files: ` +
          summary.overwritten.map(describeConflict).join('; '),
      );
    }
  } catch (error) {
    if (error instanceof SeedConflictError) throw new CommandError(error.message);
    throw error;
  } finally {
    await handle.close();
  }
});
