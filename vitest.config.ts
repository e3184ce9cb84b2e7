import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { testBackends } from './tests/global-setup.js';

const require = createRequire(import.meta.url);

/**
 * Test files that run on PostgreSQL too: the API suite (queries, pagination, filters, search,
 * mutations, revisions, limits, HTTP conformance, fuzzing, subscriptions, the export, seeding).
 * The rest test SQLite itself (its lock, its files, its turn-taking), run whole servers once, or
 * test what is checked before any database is asked (input bounds, tokens), once.
 */
const BOTH_BACKENDS = [
  'tests/api-pagination.test.ts',
  'tests/api-queries.test.ts',
  'tests/as-of.test.ts',
  'tests/autocomplete.test.ts',
  'tests/changes-feed.test.ts',
  'tests/date-windows.property.test.ts',
  'tests/disputes.test.ts',
  'tests/disputes-attack.test.ts',
  'tests/deadline.test.ts',
  'tests/edtf-dates.test.ts',
  'tests/editing.test.ts',
  'tests/event-counts.test.ts',
  'tests/filters.test.ts',
  'tests/fuzz.test.ts',
  'tests/http-conformance.test.ts',
  'tests/http-edges.test.ts',
  'tests/limits.test.ts',
  'tests/pathological-queries.test.ts',
  'tests/provenance-attack.test.ts',
  'tests/provenance.test.ts',
  'tests/query-plans.test.ts',
  'tests/relation-cycles.test.ts',
  'tests/reported-by.test.ts',
  'tests/response-cache.test.ts',
  'tests/response-cache-writes.test.ts',
  'tests/revisions.test.ts',
  'tests/schema-and-server.test.ts',
  'tests/search.test.ts',
  'tests/seed-cli.test.ts',
  'tests/seed-loader.test.ts',
  'tests/statement-cache.test.ts',
  'tests/statement-count.test.ts',
  'tests/subscription.test.ts',
  'tests/timelinejs.test.ts',
];

/** Test files about PostgreSQL itself, or moving between the two: they run in the postgres project only. */
const POSTGRES_ONLY = ['tests/bench-postgres.test.ts', 'tests/db-copy.test.ts', 'tests/postgres-server.test.ts', 'tests/postgres-instances.test.ts', 'tests/postgres-schema.test.ts', 'tests/postgres-writes.test.ts', 'tests/postgres-hostile.test.ts'];

/**
 * Test files that start whole servers or processes, or whose assertions bound a time (a deadline,
 * a statement budget, a stall): they run after the rest, two at a time (one per core), so that no
 * more files run than there are cores.
 */
const ONE_PER_CORE = [
  'tests/attack.test.ts',
  'tests/bench-ceiling.test.ts',
  'tests/bench-postgres.test.ts',
  'tests/browser.test.ts',
  'tests/db-copy.test.ts',
  'tests/deadline.test.ts',
  'tests/export-and-tokens.test.ts',
  'tests/http-edges.test.ts',
  'tests/limits.test.ts',
  'tests/live-changes.test.ts',
  'tests/pathological-queries.test.ts',
  'tests/postgres-hostile.test.ts',
  'tests/postgres-instances.test.ts',
  'tests/postgres-server.test.ts',
  'tests/postgres-writes.test.ts',
  'tests/provenance-attack.test.ts',
  'tests/resilience.test.ts',
  'tests/seed-cli.test.ts',
  'tests/startup.test.ts',
  'tests/subscription.test.ts',
  'tests/tokens.test.ts',
  'tests/turn-taking.test.ts',
];

/**
 * Files that keep both cores busy on their own (eight writing processes at once; every script's
 * --help started at once): beside another, that one's servers start too slowly. They run last, alone.
 */
const ALONE = ['tests/concurrency.test.ts', 'tests/script-help.test.ts'];

const backends = testBackends();

/**
 * A backend's files (null: every test file) as projects: the in-process ones, then those that
 * run one per core, then those that run alone. sequence.groupOrder runs the groups in turn. A
 * group runs as many files at once as its projects' maxWorkers (which must agree), whichever
 * projects they belong to: so a group of maxWorkers 1 runs one file at a time in all.
 */
function projectsFor(backend: 'sqlite' | 'postgres', files: string[] | null, exclude: string[] = []) {
  const env = { TIMELINE_TEST_BACKEND: backend };
  const chosen = (list: string[]) => (files ?? list).filter((file) => list.includes(file) && !exclude.includes(file));
  return [
    { extends: true as const, test: { name: backend, include: files ?? ['tests/**/*.test.ts'], exclude: [...exclude, ...ONE_PER_CORE, ...ALONE], env, maxWorkers: 2, sequence: { groupOrder: 0 } } },
    { extends: true as const, test: { name: `${backend}-one-per-core`, include: chosen(ONE_PER_CORE), env, maxWorkers: 2, sequence: { groupOrder: 1 } } },
    { extends: true as const, test: { name: `${backend}-alone`, include: chosen(ALONE), env, maxWorkers: 1, sequence: { groupOrder: 2 } } },
  ].filter((project) => project.test.include.length > 0);
}

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the libraries; the project's own code must use the
    // same copy, or graphql-js refuses types "from another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    // Files share one module graph per worker instead of importing the schema and drivers anew:
    // that import was a fifth of the run. The design already keeps state out of modules (the
    // database comes from each test's own handle), so files cannot leak into each other.
    isolate: false,
    // Set-up starts servers and seeds databases: on a busy machine that takes longer than a test.
    hookTimeout: 60_000,
    reporters: ['default', './tests/summary-reporter.ts'],
    // One PostgreSQL server for the run, when it tests PostgreSQL (TIMELINE_TEST_BACKENDS).
    globalSetup: ['./tests/global-setup.ts'],
    projects: [
      ...(backends.includes('sqlite') ? projectsFor('sqlite', null, POSTGRES_ONLY) : []),
      ...(backends.includes('postgres') ? projectsFor('postgres', [...BOTH_BACKENDS, ...POSTGRES_ONLY]) : []),
    ],
  },
});
