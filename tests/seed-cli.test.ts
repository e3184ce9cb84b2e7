import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { DEFAULT_SEED_DIR } from '../src/seed/files.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { dumpTables, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

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

/** A seeded database file with one event's title edited through the API by the test editor. */
async function databaseEditedThroughApi(): Promise<string> {
  const path = join(scratch(), 'timeline.db');
  const handle = openDatabase(path);
  seedDatabase(handle.db);
  const yoga = createTimelineYoga({ db: handle.db, tokens: TEST_TOKEN_STORE });
  const response = await yoga.fetch(
    new Request('http://timeline.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
      body: JSON.stringify({ query: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }' }),
    }),
  );
  expect(await response.json()).toEqual({ data: { updateEvent: { __typename: 'MutationUpdateEventSuccess' } } });
  handle.close();
  return path;
}

function contentsOf(path: string) {
  const handle = openDatabase(path);
  try {
    return dumpTables(handle);
  } finally {
    handle.close();
  }
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
    const path = await databaseEditedThroughApi();
    const before = contentsOf(path);
    const { code, stderr } = await seedCli(path);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Event "camp-david-summit": edited by test-editor at \d{4}-\d\d-\d\dT/);
    expect(stderr).toMatch(/npm run export/);
    expect(stderr).toMatch(/npm run seed -- --force/);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(contentsOf(path)).toEqual(before);
  });

  it('--force overwrites, and says what it overwrote', async () => {
    const path = await databaseEditedThroughApi();
    const { code, stdout } = await seedCli(path, '--force');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Overwrote 1 record changed outside the seed files: Event "camp-david-summit"/);
    const handle = openDatabase(path);
    expect(handle.db.$client.prepare("select title from events where slug = 'camp-david-summit'").get()).not.toEqual({ title: 'Edited through the API' });
    handle.close();
  });
});

describe('npm run seed -- --check', () => {
  it('validates and reports what a load would change, writing nothing', async () => {
    const path = join(scratch(), 'timeline.db');
    const handle = openDatabase(path);
    seedDatabase(handle.db);
    handle.close();
    const before = contentsOf(path);
    const dir = seedDirWith('events.yaml', (text) => text.replace('start: "2023-09-21"', 'start: "2023-09-20"'));
    const { code, stdout } = await seedCli(path, '--check', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid/);
    expect(stdout).toMatch(/would change 1 record/);
    expect(contentsOf(path)).toEqual(before);
  });

  it('reports the conflicts a load would meet, exits 1, writes nothing', async () => {
    const path = await databaseEditedThroughApi();
    const before = contentsOf(path);
    const { code, stderr } = await seedCli(path, '--check');
    expect(code).toBe(1);
    expect(stderr).toMatch(/Event "camp-david-summit": edited by test-editor/);
    expect(contentsOf(path)).toEqual(before);
  });

  it('reports every problem of bad files with file:line, and creates no database', async () => {
    const path = join(scratch(), 'timeline.db');
    const dir = seedDirWith('events.yaml', (text) => text.replace('start: "2023-09-21"', 'start: "2023-09-31"'));
    writeFileSync(join(dir, 'actors.yaml'), readFileSync(join(dir, 'actors.yaml'), 'utf8').replace('kind: COMPANY', 'kind: CORPORATION'));
    const { code, stderr } = await seedCli(path, '--check', dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/events\.yaml:\d+ › events\[\d+\] "south-korea-sanctions-north-korea-weapons-trade": start: "2023-09-31" does not exist/);
    expect(stderr).toMatch(/actors\.yaml:\d+ › actors\[\d+\] "kolmar-korea": kind: /);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(path)).toBe(false);
  });
});

describe('npm run seed fails with a sentence, never a stack trace', () => {
  it('a busy database: says so and exits 75, having written nothing', async () => {
    const path = join(scratch(), 'timeline.db');
    const holder = openDatabase(path);
    holder.db.$client.exec('BEGIN IMMEDIATE');
    try {
      const { code, stderr } = await seedCli(path);
      expect(stderr).toMatch(/^The database is busy/m);
      expect(stderr).toMatch(/nothing was written/);
      expect(stderr).not.toMatch(STACK_FRAME);
      expect(code).toBe(75);
    } finally {
      holder.db.$client.exec('ROLLBACK');
    }
    expect(holder.db.$client.prepare('select count(*) as n from events').get()).toEqual({ n: 0 });
    holder.close();
  }, 20_000);

  it('an unexpected error (a database path that is a directory): one line, exit 1', async () => {
    const { code, stderr } = await seedCli(scratch());
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
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
