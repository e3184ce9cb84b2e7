import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { events } from '../src/db/schema.js';
import { DEFAULT_SEED_DIR } from '../src/seed/files.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { dumpTables, TEST_BACKEND, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const STACK_FRAME = /^\s+at .+[:(]/m;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run seed -- ...args` (the CLI itself, without npm's own output) against `database`. */
async function seedCli(database: string, ...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts', ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: database },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const scratch = () => mkdtempSync(join(tmpdir(), 'timeline-seed-cli-'));

const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const drop of drops.splice(0)) await drop();
});

/** The DATABASE_URL of a new, empty database on the backend under test: an SQLite file not yet created, or a fresh PostgreSQL database. */
async function newDatabase(): Promise<string> {
  if (TEST_BACKEND === 'sqlite') return join(scratch(), 'timeline.db');
  const database = await freshPostgresDatabase();
  drops.push(database.drop);
  return database.url;
}

/** A seeded database with one event's title edited through the API by the test editor. */
async function databaseEditedThroughApi(): Promise<string> {
  const url = await newDatabase();
  const handle = await openDatabase(url);
  await seedDatabase(handle);
  const yoga = createTimelineYoga({ database: handle, tokens: TEST_TOKEN_STORE });
  const response = await yoga.fetch(
    new Request('http://timeline.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
      body: JSON.stringify({ query: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }' }),
    }),
  );
  expect(await response.json()).toEqual({ data: { updateEvent: { __typename: 'MutationUpdateEventSuccess' } } });
  await handle.close();
  return url;
}

async function contentsOf(url: string) {
  const handle = await openDatabase(url);
  try {
    return await dumpTables(handle);
  } finally {
    await handle.close();
  }
}

async function titleOf(url: string, slug: string) {
  const handle = await openDatabase(url);
  try {
    return (await handle.db.query.events.findFirst({ columns: { title: true }, where: { slug } }))?.title;
  } finally {
    await handle.close();
  }
}

/** The URL of a database the run's PostgreSQL server does not have. */
function missingPostgresDatabase(): string {
  const url = new URL(inject('postgresAdminUrl')!);
  url.pathname = '/no_such_timeline_database';
  return url.toString();
}

/**
 * Runs `work` while `holder`, another connection to the database, holds its write lock (as a
 * long load in another process would), and releases the lock when `work` is done.
 */
async function whileWriteLockHeld<T>(holder: DatabaseHandle, work: () => Promise<T>): Promise<T> {
  let outcome!: Promise<T>;
  await holder.write(async () => {
    outcome = work();
    await outcome.catch(() => {});
  });
  return outcome;
}

function seedDirWith(file: string, edit: (text: string) => string): string {
  const dir = scratch();
  cpSync(DEFAULT_SEED_DIR, dir, { recursive: true });
  const before = readFileSync(join(dir, file), 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(join(dir, file), after);
  return dir;
}

describe('npm run seed beside the API', () => {
  it('refuses to revert an API edit: names the record, who and when, says what to do, changes nothing', async () => {
    const url = await databaseEditedThroughApi();
    const before = await contentsOf(url);
    const { code, stderr } = await seedCli(url);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Event "camp-david-summit": edited by test-editor at \d{4}-\d\d-\d\dT/);
    expect(stderr).toMatch(/npm run export/);
    expect(stderr).toMatch(/npm run seed -- --force/);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(await contentsOf(url)).toEqual(before);
  });

  it('--force overwrites, and says what it overwrote', async () => {
    const url = await databaseEditedThroughApi();
    const { code, stdout } = await seedCli(url, '--force');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Overwrote 1 record changed outside the seed files: Event "camp-david-summit"/);
    const title = await titleOf(url, 'camp-david-summit');
    expect(title).toBeDefined();
    expect(title).not.toBe('Edited through the API');
  });
});

describe('npm run seed -- --check', () => {
  it('validates and reports what a load would change, writing nothing', async () => {
    const url = await newDatabase();
    const handle = await openDatabase(url);
    await seedDatabase(handle);
    await handle.close();
    const before = await contentsOf(url);
    const dir = seedDirWith('events.yaml', (text) => text.replace('start: "2023-09-21"', 'start: "2023-09-20"'));
    const { code, stdout } = await seedCli(url, '--check', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid/);
    expect(stdout).toMatch(/would change 1 record/);
    expect(await contentsOf(url)).toEqual(before);
  });

  it('reports the conflicts a load would meet, exits 1, writes nothing', async () => {
    const url = await databaseEditedThroughApi();
    const before = await contentsOf(url);
    const { code, stderr } = await seedCli(url, '--check');
    expect(code).toBe(1);
    expect(stderr).toMatch(/Event "camp-david-summit": edited by test-editor/);
    expect(await contentsOf(url)).toEqual(before);
  });

  /** Files with two problems, in events.yaml and actors.yaml. */
  const badFiles = () => {
    const dir = seedDirWith('events.yaml', (text) => text.replace('start: "2023-09-21"', 'start: "2023-09-31"'));
    writeFileSync(join(dir, 'actors.yaml'), readFileSync(join(dir, 'actors.yaml'), 'utf8').replace('kind: COMPANY', 'kind: CORPORATION'));
    return dir;
  };
  const expectEveryProblem = ({ code, stderr }: Outcome) => {
    expect(code).toBe(1);
    expect(stderr).toMatch(/events\.yaml:\d+ › events\[\d+\] "south-korea-sanctions-north-korea-weapons-trade": start: "2023-09-31" does not exist/);
    expect(stderr).toMatch(/actors\.yaml:\d+ › actors\[\d+\] "kolmar-korea": kind: /);
    expect(stderr).not.toMatch(STACK_FRAME);
  };

  if (TEST_BACKEND === 'sqlite') it('reports every problem of bad files with file:line, and creates no database file', async () => {
    const path = join(scratch(), 'timeline.db');
    expectEveryProblem(await seedCli(path, '--check', badFiles()));
    expect(existsSync(path)).toBe(false);
  });

  if (TEST_BACKEND === 'postgres') it('reports every problem of bad files with file:line, before it connects to the database', async () => {
    // A database that does not exist: had the command connected, it would have failed on that instead.
    const outcome = await seedCli(missingPostgresDatabase(), '--check', badFiles());
    expectEveryProblem(outcome);
    expect(outcome.stderr).not.toMatch(/database "[^"]*" does not exist/);
  });
});

describe('npm run seed fails with a sentence, never a stack trace', () => {
  it('a busy database: says so and exits 75, having written nothing', async () => {
    const url = await newDatabase();
    const holder = await openDatabase(url);
    try {
      const { code, stderr } = await whileWriteLockHeld(holder, () => seedCli(url));
      expect(stderr).toMatch(/^The database is busy/m);
      expect(stderr).toMatch(/nothing was written/);
      expect(stderr).not.toMatch(STACK_FRAME);
      expect(code).toBe(75);
      expect(await holder.db.$count(events)).toBe(0);
    } finally {
      await holder.close();
    }
  }, 20_000);

  if (TEST_BACKEND === 'sqlite') it('an unexpected error (a database path that is a directory): one line, exit 1', async () => {
    const { code, stderr } = await seedCli(scratch());
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  if (TEST_BACKEND === 'postgres') it('an unexpected error (a database that does not exist): one line, exit 1', async () => {
    const { code, stderr } = await seedCli(missingPostgresDatabase());
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/does not exist/);
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  it('an unknown option: the usage, exit 2', async () => {
    const { code, stderr } = await seedCli(join(scratch(), 'timeline.db'), '--frce');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--frce/);
    expect(stderr).toMatch(/Usage: npm run seed/);
    expect(stderr).not.toMatch(STACK_FRAME);
  });
});
