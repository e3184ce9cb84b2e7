import { inject } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { createDatabaseOn, databaseNameOf, dropDatabaseOn, withClient } from '../scripts/postgres-server.js';

export interface PostgresDatabase {
  url: string;
  /** Drops it, ending any connections still open to it. */
  drop(): Promise<void>;
}

/** A database holding the seed files' timeline, which seeded test databases are copied from. */
const SEEDED_TEMPLATE = 'timeline_seeded_template';
/** Serializes the test processes that would make it: the first makes it, the others find it made. */
const SEEDED_TEMPLATE_LOCK = 7_244_110_101;
let seededTemplate: Promise<void> | undefined;

/** Makes the seeded template once per run (the server is the run's own): migrated, seeded, analyzed, closed to connections. */
function ensureSeededTemplate(adminUrl: string): Promise<void> {
  seededTemplate ??= withClient(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [SEEDED_TEMPLATE_LOCK]);
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [SEEDED_TEMPLATE]);
      if (rowCount) return;
      const building = `${SEEDED_TEMPLATE}_building_${process.pid}`;
      const url = await createDatabaseOn(adminUrl, building);
      const database = await openDatabase(url);
      await seedDatabase(database);
      await database.close();
      await client.query(`alter database ${building} rename to ${SEEDED_TEMPLATE}`);
      await client.query(`alter database ${SEEDED_TEMPLATE} with is_template true allow_connections false`);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [SEEDED_TEMPLATE_LOCK]);
    }
  });
  return seededTemplate;
}

/**
 * A new, uniquely named database on the run's PostgreSQL server, which tests/global-setup.ts
 * starts (`adminUrl` names another server): empty (with `unaccent`), or with `seeded` a copy of
 * one holding the seed files' timeline, made once per run, which is much faster than seeding each;
 * or with `copyOf` a copy of that database (the URL of one on the same server, with no connections open).
 */
export async function freshPostgresDatabase(
  adminUrl: string | undefined = inject('postgresAdminUrl'),
  { seeded = false, copyOf }: { seeded?: boolean; copyOf?: string } = {},
): Promise<PostgresDatabase> {
  if (adminUrl === undefined) {
    throw new Error('This run has no PostgreSQL server: TIMELINE_TEST_BACKENDS leaves out postgres, or vitest.config.ts lacks globalSetup tests/global-setup.ts.');
  }
  if (seeded) await ensureSeededTemplate(adminUrl);
  const template = copyOf !== undefined ? databaseNameOf(copyOf) : seeded ? SEEDED_TEMPLATE : undefined;
  const url = await createDatabaseOn(adminUrl, undefined, template);
  return { url, drop: () => dropDatabaseOn(adminUrl, url) };
}
