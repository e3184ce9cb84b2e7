import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq, min, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, type OpenDatabaseOptions } from '../src/db/client.js';
import { DatabaseBusyError } from '../src/db/failures.js';
import { citations, events, seedSync, sources } from '../src/db/schema.js';
import { exportSeed, exportSeedTo } from '../src/seed/export.js';
import { DEFAULT_SEED_DIR } from '../src/seed/files.js';
import { SeedConflictError, SeedError, seedDatabase } from '../src/seed/index.js';
import { dumpTables, openTestDatabase, openTestTimeline, TEST_BACKEND, TEST_TOKENS, type TestTimeline } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** Closed after each test, the last opened first; a database dropped when its handle closes is dropped after the others close. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function closedAfterTest<T extends { close(): Promise<void> }>(handle: T): T {
  cleanups.push(() => handle.close());
  return handle;
}

/** A new, empty database on the backend under test. */
async function freshDatabase() {
  return closedAfterTest(await openTestDatabase());
}

/** The DATABASE_URL of a new, empty database: an SQLite file not yet created, or a fresh PostgreSQL database. */
async function newDatabaseUrl(): Promise<string> {
  if (TEST_BACKEND === 'sqlite') return join(mkdtempSync(join(tmpdir(), 'timeline-db-')), 'timeline.db');
  const database = await freshPostgresDatabase();
  cleanups.push(database.drop);
  return database.url;
}

/** Two handles on one new database, each with its own connections, as two processes have. */
async function oneDatabaseTwice(secondOptions: OpenDatabaseOptions): Promise<[DatabaseHandle, DatabaseHandle]> {
  const url = await newDatabaseUrl();
  return [closedAfterTest(await openDatabase(url)), closedAfterTest(await openDatabase(url, secondOptions))];
}

/** Runs a statement of the backend's own SQL (DDL a test needs), outside the API. */
async function executeRaw(database: DatabaseHandle, statement: string) {
  if (database.dialect === 'sqlite') database.db.$client.exec(statement);
  else await (database.db as unknown as { execute(query: ReturnType<typeof sql>): Promise<unknown> }).execute(sql.raw(statement));
}

/** The messages of an error and its causes (drizzle wraps the driver's error in its own). */
function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.join('\n');
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

async function rejection(load: () => Promise<unknown>): Promise<SeedError> {
  try {
    await load();
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return error as SeedError;
  }
  throw new Error('expected the seed to be rejected');
}

describe('seeding', () => {
  it('loads every record once', async () => {
    const database = await freshDatabase();
    const summary = await seedDatabase(database);
    expect(summary.counts.events).toBeGreaterThanOrEqual(15);
    expect(await database.db.$count(events)).toBe(summary.counts.events);
    expect(await database.db.$count(citations)).toBe(summary.counts.citations);
  });

  it('is idempotent: seeding twice gives the same database and changes nothing the second time', async () => {
    const database = await freshDatabase();
    const first = await seedDatabase(database);
    const afterFirst = await dumpTables(database);
    const second = await seedDatabase(database);
    expect(first.changes).toBeGreaterThan(0);
    expect(second.changes).toBe(0);
    expect(await dumpTables(database)).toEqual(afterFirst);
  });

  it('brings a changed database back to the files, keeping ids of records it keeps', async () => {
    const database = await freshDatabase();
    await seedDatabase(database);
    const expected = await dumpTables(database);
    // Changes made behind the API's back: no revision records them.
    await database.write(async (tx) => {
      await tx.update(events).set({ title: 'Tampered' }).where(eq(events.slug, 'camp-david-summit'));
      const [first] = await tx.select({ id: min(citations.id) }).from(citations);
      await tx.delete(citations).where(eq(citations.id, first!.id!));
      await tx.insert(sources).values({ slug: 'stray-outlet', name: 'Stray' });
    });
    const summary = await seedDatabase(database);
    expect(summary.changes).toBe(3);
    const restored = await dumpTables(database);
    // The re-inserted citation gets a new id; everything else is as before.
    const withoutIds = (rows: unknown[]) => rows.map(({ row_id, id, ...rest }: any) => rest);
    expect(withoutIds(restored.citations!)).toEqual(expect.arrayContaining(withoutIds(expected.citations!)));
    // The claims that citation supported name its new id.
    const claimsWithout = (rows: unknown[]) => rows.map(({ row_id, id, citation_id, ...rest }: any) => JSON.stringify(rest)).sort();
    expect(claimsWithout(restored.claim_supports!)).toEqual(claimsWithout(expected.claim_supports!));
    // SQLite's index of each quote follows the citations (PostgreSQL keeps none).
    const quotes = (rows: unknown[] | undefined) => (rows ?? []).map(({ quote }: any) => quote).sort();
    expect(quotes(restored.citation_search)).toEqual(quotes(expected.citation_search));
    // The sync mark moves past the repair's revisions.
    const unchanged = { citations: [], citation_search: [], claim_supports: [], revisions: [], seed_sync: [] };
    expect({ ...restored, ...unchanged }).toEqual({ ...expected, ...unchanged });
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
  ])('rejects %s, naming the file, the record and the problem, and leaves the database as it was', async (_case, file, edit, message) => {
    const database = await freshDatabase();
    await seedDatabase(database);
    const before = await dumpTables(database);
    const error = await rejection(() => seedDatabase(database, editedSeedDir(file, edit)));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/database unchanged/);
    expect(await dumpTables(database)).toEqual(before);
  });

  it('writes nothing when the database itself refuses a row half-way through', async () => {
    const database = await freshDatabase();
    // Valid data that a trigger refuses late in the load, after most rows have been written.
    if (database.dialect === 'sqlite') {
      await executeRaw(database, `create trigger refuse_last_relation before insert on event_relations
        when new.type = 'PRECEDES' begin select raise(abort, 'refused by test'); end`);
    } else {
      await executeRaw(database, `create function refuse_precedes() returns trigger language plpgsql as $$
        begin if new.type = 'PRECEDES' then raise exception 'refused by test'; end if; return new; end $$`);
      await executeRaw(database, 'create trigger refuse_last_relation before insert on event_relations for each row execute function refuse_precedes()');
    }
    const before = await dumpTables(database);
    const error = await seedDatabase(database).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(messagesOf(error)).toMatch(/refused by test/);
    expect(await dumpTables(database)).toEqual(before);
    expect(await database.db.$count(events)).toBe(0);
  });

  it('npm run seed reports bad data on stderr with exit code 1', async () => {
    const seedDir = editedSeedDir('events.yaml', (text) => text.replace('event: camp-david-summit', 'event: camp-david'));
    const url = TEST_BACKEND === 'sqlite' ? `file:${await newDatabaseUrl()}` : await newDatabaseUrl();
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts', seedDir], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/related\[0\]\.event: unknown event "camp-david"/),
    });
  });

  it('npm run seed loads the files into the database DATABASE_URL names', async () => {
    const url = await newDatabaseUrl();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
    });
    const database = closedAfterTest(await openDatabase(url));
    expect(stdout).toContain(`Seeded ${database.location}: `);
    expect(stdout).toMatch(/Seeded .*: \d+ events/);
    expect(await database.db.query.events.findFirst({ columns: { title: true }, where: { slug: 'camp-david-summit' } })).toEqual({
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
  it('reports the YAML errors and the validation problems of several files together', async () => {
    const dir = editedSeedDir('events.yaml', (text) => text.replace('start: "2023-09-21"', 'start: "2023-09-31"'));
    writeFileSync(join(dir, 'places.yaml'), readFileSync(join(dir, 'places.yaml'), 'utf8').replace('slug: pyongyang', 'slug: seoul'));
    writeFileSync(join(dir, 'sources.yaml'), `${readFileSync(join(dir, 'sources.yaml'), 'utf8')}\n  - slug: [unclosed\n`);
    const database = await freshDatabase();
    const error = await rejection(() => seedDatabase(database, dir));
    const lines = error.message.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  events\\.yaml:${lineOf(dir, 'events.yaml', 'start: "2023-09-31"')} › .*start: "2023-09-31" does not exist`)));
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^  sources\\.yaml:(${lineOf(dir, 'sources.yaml', '[unclosed')}|${lineOf(dir, 'sources.yaml', '[unclosed') + 1}) › \\(file\\): is not valid YAML`)),
    );
    // The second "seoul" is the duplicate: the line names it, not the first.
    const places = readFileSync(join(dir, 'places.yaml'), 'utf8').split('\n');
    const duplicateLine = places.lastIndexOf('  - slug: seoul') + 1;
    expect(error.message).toContain(`places.yaml:${duplicateLine} › `);
    expect(await database.db.$count(events)).toBe(0);
  });
});

describe('seeding beside the API', () => {
  let timeline: TestTimeline;

  const mutate = async (query: string, token: string = TEST_TOKENS.editor) => {
    const response = await timeline.query(query, {}, { token });
    expect(response.errors).toBeUndefined();
    expect(JSON.stringify(response.data)).toMatch(/Success/);
  };
  const title = async (slug: string) => (await timeline.database.db.query.events.findFirst({ columns: { title: true }, where: { slug } }))?.title;

  /** An event no other event links to, so an admin may delete it. */
  const unlinkedEvent = async () => {
    const linked = await timeline.database.db.query.events.findMany({
      columns: { id: true },
      where: { OR: [{ outgoingRelations: true }, { incomingRelations: true }] },
    });
    const unlinked = await timeline.database.db.query.events.findFirst({
      columns: { slug: true },
      where: { id: { notIn: linked.map(({ id }) => id) } },
      orderBy: { id: 'asc' },
    });
    return unlinked!.slug;
  };

  it('refuses to revert edits, creations and deletions made through the API, naming each record, and changes nothing', async () => {
    timeline = closedAfterTest(await openTestTimeline());
    const deleted = await unlinkedEvent();
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    await mutate('mutation { createSource(input: { slug: "api-outlet", name: "Made through the API" }) { __typename } }');
    await mutate(`mutation { deleteEvent(slug: "${deleted}") { __typename } }`, TEST_TOKENS.admin);
    const before = await dumpTables(timeline.database);

    let error: unknown;
    try {
      await seedDatabase(timeline.database);
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
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('with force, overwrites them (the revisions keep what they were) and then loads quietly again', async () => {
    timeline = closedAfterTest(await openTestTimeline());
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    await mutate('mutation { createSource(input: { slug: "api-outlet", name: "Made through the API" }) { __typename } }');
    const summary = await seedDatabase(timeline.database, DEFAULT_SEED_DIR, { force: true });
    expect(summary.changes).toBe(2);
    expect(summary.overwritten.map((conflict) => `${conflict.type} ${conflict.slug}`).sort()).toEqual(['Event camp-david-summit', 'Source api-outlet']);
    expect(await title('camp-david-summit')).toEqual(expect.stringContaining('Camp David'));
    expect(await title('camp-david-summit')).not.toBe('Edited through the API');
    expect(await timeline.database.db.$count(sources, eq(sources.slug, 'api-outlet'))).toBe(0);
    expect((await seedDatabase(timeline.database)).changes).toBe(0);
  });

  it('after npm run export, the exported files load without complaint and keep the edit', async () => {
    timeline = closedAfterTest(await openTestTimeline());
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    const dir = mkdtempSync(join(tmpdir(), 'timeline-export-'));
    await exportSeedTo(timeline.database, dir);
    expect((await seedDatabase(timeline.database, dir)).changes).toBe(0);
    expect(await title('camp-david-summit')).toBe('Edited through the API');
  });

  it('an export marks the database as synced: a load of other files after it may overwrite', async () => {
    timeline = closedAfterTest(await openTestTimeline());
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    await exportSeedTo(timeline.database, mkdtempSync(join(tmpdir(), 'timeline-export-')));
    // The edit is in the exported files now; the default files do not have it, and the mark allows it.
    expect((await seedDatabase(timeline.database)).changes).toBe(1);
  });

  it('a load that changes only records the API left alone goes through, keeping the API\'s edits', async () => {
    timeline = closedAfterTest(await openTestTimeline());
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    // Files that already hold the API's edit (as an export writes them), with one other event changed.
    const files = await exportSeed(timeline.database);
    const dir = mkdtempSync(join(tmpdir(), 'timeline-seed-'));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, 'events.yaml'), files['events.yaml'].replace(/start: "?2023-09-21"?/, 'start: "2023-09-20"'));
    expect((await seedDatabase(timeline.database, dir)).changes).toBe(1);
    expect(await title('camp-david-summit')).toBe('Edited through the API');
  });

  it('a database from before the sync mark counts API revisions since the last seed revision', async () => {
    timeline = closedAfterTest(await openTestTimeline());
    await mutate('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Edited through the API" }) { __typename } }');
    await timeline.database.write(async (tx) => {
      await tx.delete(seedSync);
    });
    await expect(seedDatabase(timeline.database)).rejects.toThrow(/Event "camp-david-summit": edited by test-editor/);
  });

  it('a busy database is a DatabaseBusyError, and nothing is written', async () => {
    const [holder, loader] = await oneDatabaseTwice({ writeWaitMs: 50 });
    // The holder's connection keeps the write lock, as a long load in another process would.
    let refusal: unknown;
    await holder.write(async () => {
      refusal = await seedDatabase(loader).then(
        () => undefined,
        (caught: unknown) => caught,
      );
    });
    expect(refusal).toBeInstanceOf(DatabaseBusyError);
    expect(await loader.db.$count(events)).toBe(0);
  });
});
