import { parseArgs } from 'node:util';
import { databaseLocation } from '../src/config.js';
import { seedSynthetic } from './synthetic.js';

// npm run seed:synthetic -- --events 100000 [--database ./data/synthetic.db]
const { values } = parseArgs({ options: { events: { type: 'string', default: '10000' }, database: { type: 'string' } } });
const database = values.database ?? databaseLocation(process.env);
let lastShown = -1;
const summary = seedSynthetic(database, Number(values.events), (done, total) => {
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
