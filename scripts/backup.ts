import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError, EXIT, parseCommandLine, runCommand, usageFailure } from '../src/cli/command.js';
import { readDatabaseConfig } from '../src/config.js';
import { backupDatabase, postgresBackupAdvice } from '../src/db/backup.js';
import { openDatabase, redactPassword } from '../src/db/client.js';

const USAGE = `Usage: npm run backup -- FILE

Writes a consistent copy of the SQLite database DATABASE_URL names to FILE, while the server keeps
serving. Restore by stopping the server and putting FILE in the database's place.
A PostgreSQL database is backed up with pg_dump instead; for one, this prints the command.

  --help    show this`;

const { positionals } = parseCommandLine(USAGE, { allowPositionals: true });
const [target] = positionals;
if (positionals.length !== 1 || !target) usageFailure(USAGE, 'Expected the FILE to write the copy to.');

await runCommand(async () => {
  const { url, location } = readDatabaseConfig(process.env);
  // Refused before connecting: the advice holds whether or not the server is up.
  if (location.dialect === 'postgres') throw new CommandError(postgresBackupAdvice(redactPassword(url), target), EXIT.usage);
  const sameFile = (() => {
    try {
      return realpathSync(target) === realpathSync(location.path);
    } catch {
      return resolve(target) === resolve(location.path);
    }
  })();
  if (sameFile) throw new CommandError(`${target} is the live database itself; name another file for the copy.`);
  const handle = await openDatabase(url);
  try {
    const { pages } = await backupDatabase(handle, target);
    console.log(`Backed up ${handle.location} to ${target} (${pages} pages).`);
  } finally {
    await handle.close();
  }
});
