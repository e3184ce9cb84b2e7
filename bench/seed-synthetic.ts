import { parseCommandLine, wholeNumber } from '../src/cli/command.js';
import { databaseLocation } from '../src/config.js';
import { seedSynthetic } from './synthetic.js';

const USAGE = `Usage: npm run seed:synthetic -- [--events 10000] [--database FILE]

Fills a database with a deterministic synthetic timeline of N events (with actors, places,
citations and links), for benchmarks.

  --events N        how many events (default 10000)
  --database FILE   where (default: DATABASE_URL, else ./data/timeline.db)
  --help            show this`;

const { values } = parseCommandLine(USAGE, { options: { events: { type: 'string', default: '10000' }, database: { type: 'string' } } });
const events = wholeNumber(USAGE, 'events', values.events);
const database = values.database ?? databaseLocation(process.env);
let lastShown = -1;
const summary = seedSynthetic(database, events, (done, total) => {
  const percent = Math.floor((done / total) * 100);
  if (percent >= lastShown + 5 || done === total) {
    lastShown = percent;
    process.stderr.write(`\r${done.toLocaleString('en')} / ${total.toLocaleString('en')} events (${percent}%)`);
  }
});
process.stderr.write('\n');
console.log(
  `Seeded ${summary.events.toLocaleString('en')} synthetic events (${summary.rows.toLocaleString('en')} rows) into ${database} ` +
    `in ${summary.seconds.toFixed(1)} s: ${summary.rowsPerSecond.toLocaleString('en')} rows/s.`,
);
