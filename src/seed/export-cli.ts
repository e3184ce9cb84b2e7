import { parseCommandLine, runCommand, usageFailure } from '../cli/command.js';
import { articlesDirectory, readDatabaseConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { exportSeedTo } from './export.js';
import { DEFAULT_SEED_DIR } from './files.js';

const USAGE = `Usage: npm run export -- [DIR]

Writes the database DATABASE_URL names as seed files into DIR (default: ${DEFAULT_SEED_DIR}),
so \`git diff\` shows what editors changed through the API. The database is then marked as synced
with the files: \`npm run seed\` loads them (or files edited from them) without asking.
An article's text is named in the files, not copied into them: a text the articles directory
(TIMELINE_ARTICLES_DIR) lacks is written there as <article-slug>.txt.

  --help    show this`;

const { positionals } = parseCommandLine(USAGE, { allowPositionals: true });
if (positionals.length > 1) usageFailure(USAGE, `Expected at most one DIR, got ${positionals.length}.`);
const dir = positionals[0] ?? DEFAULT_SEED_DIR;

await runCommand(async () => {
  const database = readDatabaseConfig(process.env);
  const handle = await openDatabase(database.url, { poolSize: database.poolSize, statementBudgetMs: 0 });
  try {
    await exportSeedTo(handle, dir, articlesDirectory(process.env));
    console.log(`Exported ${handle.location} to ${dir}.`);
  } finally {
    await handle.close();
  }
});
