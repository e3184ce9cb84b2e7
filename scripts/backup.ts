import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError, parseCommandLine, runCommand, usageFailure } from '../src/cli/command.js';
import { databaseLocation } from '../src/config.js';
import { backupDatabase } from '../src/db/backup.js';
import { openDatabase } from '../src/db/client.js';

const USAGE = `Usage: npm run backup -- FILE

Writes a consistent copy of the database DATABASE_URL names to FILE, while the server keeps
serving. Restore by stopping the server and putting FILE in the database's place.

  --help    show this`;

const { positionals } = parseCommandLine(USAGE, { allowPositionals: true });
const [target] = positionals;
if (positionals.length !== 1 || !target) usageFailure(USAGE, 'Expected the FILE to write the copy to.');

await runCommand(async () => {
  const handle = openDatabase(databaseLocation(process.env));
  try {
    const sameFile = (() => {
      try {
        return realpathSync(target) === realpathSync(handle.path);
      } catch {
        return resolve(target) === resolve(handle.path);
      }
    })();
    if (sameFile) throw new CommandError(`${target} is the live database itself; name another file for the copy.`);
    const { pages } = await backupDatabase(handle.db, target);
    console.log(`Backed up ${handle.path} to ${target} (${pages} pages).`);
  } finally {
    handle.close();
  }
});
