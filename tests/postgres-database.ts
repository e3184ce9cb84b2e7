import { inject } from 'vitest';
import { createDatabaseOn, dropDatabaseOn } from '../scripts/postgres-server.js';

export interface PostgresDatabase {
  url: string;
  /** Drops it, ending any connections still open to it. */
  drop(): Promise<void>;
}

/**
 * A new, empty, uniquely named database (with `unaccent`) on the run's PostgreSQL server, which
 * tests/global-setup.ts starts; `adminUrl` names another server.
 */
export async function freshPostgresDatabase(adminUrl: string | undefined = inject('postgresAdminUrl')): Promise<PostgresDatabase> {
  if (adminUrl === undefined) {
    throw new Error('This run has no PostgreSQL server: TIMELINE_TEST_BACKENDS leaves out postgres, or vitest.config.ts lacks globalSetup tests/global-setup.ts.');
  }
  const url = await createDatabaseOn(adminUrl);
  return { url, drop: () => dropDatabaseOn(adminUrl, url) };
}
