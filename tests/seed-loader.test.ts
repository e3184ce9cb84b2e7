import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { DatabaseBusyError } from '../src/db/busy.js';
import { exportSeed, exportSeedTo } from '../src/seed/export.js';
import { DEFAULT_SEED_DIR } from '../src/seed/files.js';
import { SeedConflictError, SeedError, seedDatabase } from '../src/seed/index.js';
import { dumpTables, openTestTimeline, TEST_TOKENS, type TestTimeline } from './helpers.js';

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
    // The sync mark moves past the repair's revisions.
    expect({ ...restored, citations: [], revisions: [], seed_sync: [] }).toEqual({ ...expected, citations: [], revisions: [], seed_sync: [] });
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
      /events\.yaml:\d+ › events\[\d+\] "kim-jong-un-visit-to-russia": participants\[0\]\.actor: unknown actor "kim-jong-il"/,
    ],
    [
      'an impossible date',
      'events.yaml',
      (text: string) => text.replace('start: "2023-09-21"', 'start: "2023-09-31"'),
      /events\.yaml:\d+ › events\[\d+\] "south-korea-sanctions-north-korea-weapons-trade": start: "2023-09-31" does not exist: 2023-09 has 30 days/,
    ],
    [
      'an empty quote',
      'events.yaml',
      (text: string) => text.replace('quote: China established diplomatic ties with South Korea in 1992', 'quote: "  "'),
      /events\.yaml:\d+ › events\[0\] "china-south-korea-diplomatic-ties": citations\[0\]\.quote: must not be empty/,
    ],
    [
      'a duplicate slug',
      'places.yaml',
      (text: string) => text.replace('slug: pyongyang', 'slug: seoul'),
      /places\.yaml:\d+ › places\[3\] "seoul": duplicate slug "seoul"/,
    ],
    [
      'a misspelt field',
      'actors.yaml',
      (text: string) => text.replace('kind: COMPANY', 'knd: COMPANY'),
      /actors\.yaml:\d+ › actors\[\d+\] "kolmar-korea": (kind: Invalid|Unrecognized key: "knd")/,
    ],
    [
      'broken YAML',
      'sources.yaml',
      (text: string) => `${text}\n  - slug: [unclosed\n`,
      /sources\.yaml:\d+ › \(file\): is not valid YAML/,
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

/** The line (1-based) of the first line of `file` in `dir` that contains `text`. */
function lineOf(dir: string, file: string, text: string): number {
  const index = readFileSync(join(dir, file), 'utf8').split('\n').findIndex((line) => line.includes(text));
  expect(index, `${file} contains ${text}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe('every problem of a run, with file:line', () => {
  it('reports the YAML errors and the validation problems of several files together', () => {
    const dir = editedSeedDir('events.yaml', (text) => text.replace('start: "2023-09-21"', 'start: "2023-09-31"'));
    writeFileSync(join(dir, 'places.yaml'), readFileSync(join(dir, 'places.yaml'), 'utf8').replace('slug: pyongyang', 'slug: seoul'));
    writeFileSync(join(dir, 'sources.yaml'), `${readFileSync(join(dir, 'sources.yaml'), 'utf8')}\n  - slug: [unclosed\n`);
    const database = freshDatabase();
    const error = rejection(() => seedDatabase(database.db, dir));
    const lines = error.message.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  events\\.yaml:${lineOf(dir, 'events.yaml', 'start: "2023-09-31"')} › .*start: "2023-09-31" does not exist`)));
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^  sources\\.yaml:(${lineOf(dir, 'sources.yaml', '[unclosed')}|${lineOf(dir, 'sources.yaml', '[unclosed') + 1}) › \\(file\\): is not valid YAML`)),
    );
    // The second "seoul" is the duplicate: the line names it, not the first.
    const places = readFileSync(join(dir, 'places.yaml'), 'utf8').split('\n');
    const duplicateLine = places.lastIndexOf('  - slug: seoul') + 1;
    expect(error.message).toContain(`places.yaml:${duplicateLine} › `);
    expect(database.db.$client.prepare('select count(*) as n from events').get()).toEqual({ n: 0 });
  });
});

describe('seeding beside the API', () => {
  let timeline: TestTimeline;
  afterEach(() => timeline?.close());

  const mutate = async (query: string, token: string = TEST_TOKENS.editor) => {
    const response = await timeline.query(query, {}, { token });
    expect(response.errors).toBeUndefined();
    expect(JSON.stringify(response.data)).toMatch(/Success/);
  };
  const title = (slug: string) => (timeline.database.db.$client.prepare('select title from events where slug = ?').get(slug) as { title: string } | undefined)?.title;

  /** An event no other event links to, so an admin may delete it. */
  const unlinkedEvent = () =>
    (timeline.database.db.$client
      .prepare('select slug from events where id not in (select to_event_id from event_relations) and id not in (select from_event_id from event_relations) order by id limit 1')
      .get() as { slug: string }).slug;

  it('refuses to revert edits, creations and deletions made through the API, naming each record, and changes nothing', async () => {
    timeline = openTestTimeline();
    const deleted = unlinkedEvent();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    await mutate('mutation { createSource(input: { slug: "api-outlet", name: "Made through the API" }) { __typename } }');
    await mutate(`mutation { deleteEvent(slug: "${deleted}") { __typename } }`, TEST_TOKENS.admin);
    const before = dumpTables(timeline.database);

    let error: unknown;
    try {
      seedDatabase(timeline.database.db);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SeedConflictError);
    const message = (error as Error).message;
    const when = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d';
    expect(message).toMatch(new RegExp(`Event "camp-david-summit": edited by test-editor at ${when}`));
    expect(message).toMatch(new RegExp(`Source "api-outlet": created by test-editor at ${when}`));
    expect(message).toMatch(new RegExp(`Event "${deleted}": deleted by test-admin at ${when}`));
    expect(message).toMatch(/npm run export/);
    expect(message).toMatch(/--force/);
    expect((error as SeedConflictError).conflicts).toHaveLength(3);
    expect(dumpTables(timeline.database)).toEqual(before);
  });

  it('with force, overwrites them (the revisions keep what they were) and then loads quietly again', async () => {
    timeline = openTestTimeline();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    await mutate('mutation { createSource(input: { slug: "api-outlet", name: "Made through the API" }) { __typename } }');
    const summary = seedDatabase(timeline.database.db, DEFAULT_SEED_DIR, { force: true });
    expect(summary.changes).toBe(2);
    expect(summary.overwritten.map((conflict) => `${conflict.type} ${conflict.slug}`).sort()).toEqual(['Event camp-david-summit', 'Source api-outlet']);
    expect(title('camp-david-summit')).not.toBe('Edited through the API');
    expect(timeline.database.db.$client.prepare("select count(*) as n from sources where slug = 'api-outlet'").get()).toEqual({ n: 0 });
    expect(seedDatabase(timeline.database.db).changes).toBe(0);
  });

  it('after npm run export, the exported files load without complaint and keep the edit', async () => {
    timeline = openTestTimeline();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    const dir = mkdtempSync(join(tmpdir(), 'timeline-export-'));
    exportSeedTo(timeline.database.db, dir);
    expect(seedDatabase(timeline.database.db, dir).changes).toBe(0);
    expect(title('camp-david-summit')).toBe('Edited through the API');
  });

  it('an export marks the database as synced: a load of other files after it may overwrite', async () => {
    timeline = openTestTimeline();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    exportSeedTo(timeline.database.db, mkdtempSync(join(tmpdir(), 'timeline-export-')));
    // The edit is in the exported files now; the default files do not have it, and the mark allows it.
    expect(seedDatabase(timeline.database.db).changes).toBe(1);
  });

  it('a load that changes only records the API left alone goes through, keeping the API\'s edits', async () => {
    timeline = openTestTimeline();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    // Files that already hold the API's edit (as an export writes them), with one other event changed.
    const files = exportSeed(timeline.database.db);
    const dir = mkdtempSync(join(tmpdir(), 'timeline-seed-'));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, 'events.yaml'), files['events.yaml'].replace(/start: "?2023-09-21"?/, 'start: "2023-09-20"'));
    expect(seedDatabase(timeline.database.db, dir).changes).toBe(1);
    expect(title('camp-david-summit')).toBe('Edited through the API');
  });

  it('a database from before the sync mark counts API revisions since the last seed revision', async () => {
    timeline = openTestTimeline();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    timeline.database.db.$client.prepare('delete from seed_sync').run();
    expect(() => seedDatabase(timeline.database.db)).toThrow(/Event "camp-david-summit": edited by test-editor/);
  });

  it('a busy database is a DatabaseBusyError, and nothing is written', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'timeline-db-')), 'timeline.db');
    const loader = freshDatabase(path);
    const holder = freshDatabase(path);
    loader.db.$client.pragma('busy_timeout = 50');
    holder.db.$client.exec('BEGIN IMMEDIATE');
    try {
      expect(() => seedDatabase(loader.db)).toThrow(DatabaseBusyError);
    } finally {
      holder.db.$client.exec('ROLLBACK');
    }
    expect(loader.db.$client.prepare('select count(*) as n from events').get()).toEqual({ n: 0 });
  });
});
