import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { parseCommandLine, runCommand } from '../src/cli/command.js';
import { schema } from '../src/schema/index.js';

const USAGE = `Usage: npm run schema:print

Rewrites schema.graphql, the committed SDL that frontends build against, from the schema in src/schema/.

  --help    show this`;

parseCommandLine(USAGE, {});
await runCommand(() => {
  const target = new URL('../schema.graphql', import.meta.url);
  writeFileSync(target, `${printSchema(schema)}\n`);
  console.log(`Wrote ${target.pathname}`);
});
