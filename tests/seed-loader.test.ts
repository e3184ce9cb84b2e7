import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { DEFAULT_SEED_DIR } from '../src/seed/files.js';
import { SeedError, seedDatabase } from '../src/seed/index.js';
import { dumpTables } from './helpers.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const handles: DatabaseHandle[] = [];
afterEach(() => {
  for (const handle of handles.splice(0)) handle.close();
});

function freshDatabase(path = ':memory:') {
  const handle = openDatabase(path);
  handles.push(handle);
  return handle;
}

/** A copy of the real seed files, with `edit` applied to one of them. */
function editedSeedDir(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-seed-'));
  cpSync(DEFAULT_SEED_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after, 'the edit changed the file').not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

function rejection(run: () => unknown): SeedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return error as SeedError;
  }
  throw new Error('expected the seed to be rejected');
}

describe('seeding', () => {
  it('loads every record once', () => {
    const { db } = freshDatabase();
    const summary = seedDatabase(db);
    expect(summary.counts.events).toBeGreaterThanOrEqual(15);
    expect(db.$client.prepare('select count(*) as n from events').get()).toEqual({ n: summary.counts.events });
    expect(db.$client.prepare('select count(*) as n from citations').get()).toEqual({ n: summary.counts.citations });
  });

  it('is idempotent: seeding twice gives the same database and changes nothing the second time', () => {
    const database = freshDatabase();
    const first = seedDatabase(database.db);
    const afterFirst = dumpTables(database);
    const second = seedDatabase(database.db);
    expect(first.changes).toBeGreaterThan(0);
    expect(second.changes).toBe(0);
    expect(dumpTables(database)).toEqual(afterFirst);
  });

  it('brings a changed database back to the files, keeping ids of records it keeps', () => {
    const database = freshDatabase();
    seedDatabase(database.db);
    const expected = dumpTables(database);
    const client = database.db.$client;
    client.prepare("update events set title = 'Tampered' where slug = 'camp-david-summit'").run();
    client.prepare("delete from citations where id = (select min(id) from citations)").run();
    client.prepare("insert into sources (slug, name) values ('stray-outlet', 'Stray')").run();
    const summary = seedDatabase(database.db);
    expect(summary.changes).toBe(3);
    const restored = dumpTables(database);
    // The re-inserted citation gets a new id; everything else is as before.
    const withoutIds = (rows: unknown[]) => rows.map(({ row_id, id, ...rest }: any) => rest);
    expect(withoutIds(restored.citations!)).toEqual(expect.arrayContaining(withoutIds(expected.citations!)));
    expect({ ...restored, citations: [], revisions: [] }).toEqual({ ...expected, citations: [], revisions: [] });
    // The repair itself is on record: what was tampered with, and what was removed.
    const repairs = restored.revisions!.slice(expected.revisions!.length) as { entity_slug: string; action: string; author: string }[];
    expect(repairs.map(({ entity_slug, action, author }) => `${action} ${entity_slug} by ${author}`).sort()).toEqual([
      'DELETE stray-outlet by seed',
      'UPDATE camp-david-summit by seed',
      'UPDATE china-south-korea-diplomatic-ties by seed',
    ]);
  });

  it.each([
    [
      'an unknown actor slug',
      'events.yaml',
      (text: string) => text.replace('- actor: kim-jong-un', '- actor: kim-jong-il'),
      /events\.yaml › events "kim-jong-un-visit-to-russia": participants\[0\]\.actor: unknown actor "kim-jong-il"/,
    ],
    [
      'an impossible date',
      'events.yaml',
      (text: string) => text.replace('start: "2023-09-21"', 'start: "2023-09-31"'),
      /events\.yaml › events\[\d+\] "south-korea-sanctions-north-korea-weapons-trade": start: "2023-09-31" does not exist: 2023-09 has 30 days/,
    ],
    [
      'an empty quote',
      'events.yaml',
      (text: string) => text.replace('quote: China established diplomatic ties with South Korea in 1992', 'quote: "  "'),
      /events\.yaml › events\[0\] "china-south-korea-diplomatic-ties": citations\[0\]\.quote: must not be empty/,
    ],
    [
      'a duplicate slug',
      'places.yaml',
      (text: string) => text.replace('slug: pyongyang', 'slug: seoul'),
      /places\.yaml › places\[3\] "seoul": duplicate slug "seoul"/,
    ],
    [
      'a misspelt field',
      'actors.yaml',
      (text: string) => text.replace('kind: COMPANY', 'knd: COMPANY'),
      /actors\.yaml › actors\[\d+\] "kolmar-korea": (kind: Invalid|Unrecognized key: "knd")/,
    ],
    [
      'broken YAML',
      'sources.yaml',
      (text: string) => `${text}\n  - slug: [unclosed\n`,
      /sources\.yaml › \(file\): is not valid YAML/,
    ],
  ])('rejects %s, naming the file, the record and the problem, and leaves the database as it was', (_case, file, edit, message) => {
    const database = freshDatabase();
    seedDatabase(database.db);
    const before = dumpTables(database);
    const error = rejection(() => seedDatabase(database.db, editedSeedDir(file, edit)));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/database unchanged/);
    expect(dumpTables(database)).toEqual(before);
  });

  it('writes nothing when the database itself refuses a row half-way through', () => {
    const database = freshDatabase();
    const client = database.db.$client;
    // Valid data that a trigger refuses late in the load, after most rows have been written.
    client.exec(`create trigger refuse_last_relation before insert on event_relations
      when new.type = 'PRECEDES' begin select raise(abort, 'refused by test'); end`);
    const before = dumpTables(database);
    expect(() => seedDatabase(database.db)).toThrow(/refused by test/);
    expect(dumpTables(database)).toEqual(before);
    expect(client.prepare('select count(*) as n from events').get()).toEqual({ n: 0 });
  });

  it('npm run seed reports bad data on stderr with exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-db-'));
    const seedDir = editedSeedDir('events.yaml', (text) => text.replace('event: camp-david-summit', 'event: camp-david'));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts', seedDir], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: `file:${join(dir, 'timeline.db')}` },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/related\[0\]\.event: unknown event "camp-david"/),
    });
  });

  it('npm run seed loads the files into the database DATABASE_URL names', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'timeline-db-')), 'timeline.db');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: path },
    });
    expect(stdout).toMatch(/Seeded .*timeline\.db: \d+ events/);
    const { db } = freshDatabase(path);
    expect(db.$client.prepare("select title from events where slug = 'camp-david-summit'").get()).toEqual({
      title: expect.stringContaining('Camp David'),
    });
  });
});
