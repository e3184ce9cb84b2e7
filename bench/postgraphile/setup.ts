import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const FUNCTIONS = fileURLToPath(new URL('functions.sql', import.meta.url));
const ENSURE_NODE22 = fileURLToPath(new URL('../../scripts/ensure-node22.sh', import.meta.url));

/** The Node 22 binary PostGraphile 5 runs on, installed on first use into bench/.data/node22. */
export function node22Binary(): string {
  return execFileSync('bash', [ENSURE_NODE22], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** How to start bench/postgraphile/server.ts under that binary (with tsx, from the project root), and its ready line. */
export const POSTGRAPHILE_ARGS = ['--import', 'tsx', 'bench/postgraphile/server.ts'];
export const POSTGRAPHILE_READY = /postgraphile listening on (\d+)/;

/** Creates (or replaces) in the database at `url` the SQL functions PostGraphile's workload queries call. */
export async function installPostGraphileFunctions(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(FUNCTIONS, 'utf8'));
  } finally {
    await client.end();
  }
}
