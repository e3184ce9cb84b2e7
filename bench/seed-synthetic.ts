import { parseCommandLine, runCommand, wholeNumber } from '../src/cli/command.js';
import { parseDatabaseLocation, redactPassword } from '../src/db/client.js';
import { readDatabaseConfig } from '../src/config.js';
import { seedPostgresSynthetic } from './postgres/seed.js';
import { seedSynthetic } from './synthetic.js';

const USAGE = `Usage: npm run seed:synthetic -- [--events 10000] [--database FILE|postgres://…]

Fills a database with a deterministic synthetic timeline of N events (with actors, places,
citations and links), for benchmarks: an SQLite file, or an empty PostgreSQL database (migrated
first, then loaded by COPY). The same events either way.

  --events N        how many events (default 10000)
  --database WHERE  an SQLite file or a postgres:// URL (default: DATABASE_URL, else ./data/timeline.db)
  --help            show this`;

const { values } = parseCommandLine(USAGE, { options: { events: { type: 'string', default: '10000' }, database: { type: 'string' } } });
const events = wholeNumber(USAGE, 'events', values.events);
let lastShown = -1;
const onProgress = (done: number, total: number) => {
  const percent = Math.floor((done / total) * 100);
  if (percent >= lastShown + 5 || done === total) {
    lastShown = percent;
    process.stderr.write(`\r${done.toLocaleString('en')} / ${total.toLocaleString('en')} events (${percent}%)`);
  }
};
// A refusal (a database that already has events), a bad DATABASE_URL or an unreachable server is one line, not a stack.
await runCommand(async () => {
  const database = values.database ?? readDatabaseConfig(process.env).url;
  const summary =
    parseDatabaseLocation(database).dialect === 'postgres'
      ? await seedPostgresSynthetic(database, events, { onProgress, log: (line) => process.stderr.write(`\n${line}`) })
      : await seedSynthetic(database, events, onProgress);
  process.stderr.write('\n');
  console.log(
    `Seeded ${summary.events.toLocaleString('en')} synthetic events (${summary.rows.toLocaleString('en')} rows) into ${redactPassword(database)} ` +
      `in ${summary.seconds.toFixed(1)} s: ${summary.rowsPerSecond.toLocaleString('en')} rows/s.`,
  );
});
