import type { TestProject } from 'vitest/node';
import { type PostgresServer, startPostgres } from '../scripts/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL server; absent when the run leaves PostgreSQL out. */
    postgresAdminUrl?: string;
  }
}

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The backends this run tests: TIMELINE_TEST_BACKENDS, a comma-separated list, by default both. */
export function testBackends(env: NodeJS.ProcessEnv = process.env): Backend[] {
  const names = (env.TIMELINE_TEST_BACKENDS || BACKENDS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`TIMELINE_TEST_BACKENDS names no such backend: ${unknown.join(', ')} (there are ${BACKENDS.join(', ')}).`);
  return [...new Set(names as Backend[])];
}

/**
 * vitest runs a globalSetup once for the root and once for each project in the run, all in its
 * main process: they share one server, which the last teardown destroys.
 */
const shared = globalThis as typeof globalThis & { timelinePostgres?: { server: Promise<PostgresServer>; users: number } };

/** Starts one PostgreSQL server for the whole run, when the run tests that backend, and destroys it after. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!testBackends().includes('postgres')) return undefined;
  shared.timelinePostgres ??= {
    server: startPostgres().catch((error: Error) => {
      throw new Error(`${error.message}\n(To test without PostgreSQL, set TIMELINE_TEST_BACKENDS=sqlite.)`);
    }),
    users: 0,
  };
  const run = shared.timelinePostgres;
  run.users++;
  const server = await run.server;
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    if (--run.users > 0) return;
    delete shared.timelinePostgres;
    await server.destroy();
  };
}
