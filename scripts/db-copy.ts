import { CommandError, parseCommandLine, runCommand, usageFailure } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { copyDatabase, TargetNotEmptyError } from '../src/db/copy.js';

const USAGE = `Usage: npm run db:copy -- --from DATABASE --to DATABASE

Copies a whole timeline (every record and every revision, with their ids) from one database into
an empty one: SQLite to PostgreSQL to grow past one machine, or back. Each DATABASE is an SQLite
path or file: URL, or a postgres:// URL, as DATABASE_URL takes them. The target is created and
migrated if need be, and written in one transaction: all of it, or nothing.

  --from DATABASE   where the timeline is now
  --to DATABASE     an empty database to copy it into
  --help            show this

Exit codes: 0 done, 1 failed (nothing written), 2 wrong usage, 75 a database busy or unreachable (try again).`;

const { values } = parseCommandLine(USAGE, { options: { from: { type: 'string' }, to: { type: 'string' } } });
if (!values.from || !values.to) usageFailure(USAGE, 'Expected both --from and --to.');
if (values.from === values.to) usageFailure(USAGE, '--from and --to name the same database.');

await runCommand(async () => {
  // Copying a large timeline runs statements longer than a request may.
  const from = await openDatabase(values.from!, { statementBudgetMs: 0 });
  try {
    const to = await openDatabase(values.to!, { statementBudgetMs: 0 });
    try {
      let shown = '';
      const { rows } = await copyDatabase(from, to, (table, count) => {
        if (count % 50_000 === 0 && process.stderr.isTTY) process.stderr.write(`\r${table}: ${count} rows`);
        shown = table;
      });
      if (shown && process.stderr.isTTY) process.stderr.write('\n');
      const listed = Object.entries(rows).filter(([, n]) => n > 0).map(([table, n]) => `${n} ${table}`).join(', ');
      console.log(`Copied ${from.location} to ${to.location}: ${listed || 'nothing (the source is empty)'}.`);
    } catch (error) {
      if (error instanceof TargetNotEmptyError) throw new CommandError(error.message);
      throw error;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
});
