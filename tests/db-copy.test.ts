import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { saveRecord } from '../src/editing/editor.js';
import { actorDefinition } from '../src/editing/entities.js';
import { exportSeed } from '../src/seed/export.js';
import { seedDatabase } from '../src/seed/index.js';
import { projectRoot } from '../scripts/server-process.js';
import { dumpTables } from './helpers.js';
import { freshPostgresDatabase, type PostgresDatabase } from './postgres-database.js';

const dir = mkdtempSync(join(tmpdir(), 'timeline-copy-'));
const databases: PostgresDatabase[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(databases.map((database) => database.drop()));
});

async function copy(from: string, to: string) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/db-copy.ts', '--from', from, '--to', to], { cwd: projectRoot });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** What the copy must keep: the seed files' view of every record, and every revision with its id. */
async function contents(url: string) {
  const database = await openDatabase(url);
  try {
    return { files: await exportSeed(database), revisions: (await dumpTables(database)).revisions!.map((row) => ({ ...(row as object), row_id: undefined })) };
  } finally {
    await database.close();
  }
}

describe('npm run db:copy', () => {
  it('moves a timeline from SQLite to PostgreSQL and back, records and revisions alike', async () => {
    const original = join(dir, 'original.db');
    const database = await openDatabase(original);
    await seedDatabase(database);
    // A revision made through the write path, beside the seed's own.
    await database.write((tx) =>
      saveRecord(tx, actorDefinition, { slug: 'copy-test-actor', name: 'Copy Test Actor', kind: 'PERSON' }, { author: 'test-editor' }, { mode: 'create' }),
    );
    await database.close();

    const postgres = await freshPostgresDatabase();
    databases.push(postgres);
    const there = await copy(original, postgres.url);
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    expect(there.stdout).toMatch(/^Copied .*original\.db to postgres:\/\/.*: \d+ sources, \d+ actors, .*\d+ revisions/);

    const back = join(dir, 'back.db');
    expect((await copy(postgres.url, back)).code).toBe(0);

    const [before, onPostgres, after] = [await contents(original), await contents(postgres.url), await contents(back)];
    expect(onPostgres.files['actors.yaml']).toContain('copy-test-actor');
    expect(onPostgres).toEqual(before);
    expect(after).toEqual(before);

    // New records get ids after the copied ones on PostgreSQL too.
    const target = await openDatabase(postgres.url);
    const saved = await target.write((tx) =>
      saveRecord(tx, actorDefinition, { slug: 'after-copy', name: 'After Copy', kind: 'PERSON' }, { author: 'test-editor' }, { mode: 'create' }),
    );
    const [, largestCopied] = await target.db.query.actors.findMany({ orderBy: { id: 'desc' }, limit: 2 });
    expect(saved.id).toBeGreaterThan(largestCopied!.id);
    await target.close();
  });

  it('refuses a target that already holds a timeline, and writes nothing', async () => {
    const source = join(dir, 'source.db');
    const target = join(dir, 'target.db');
    for (const path of [source, target]) {
      const database = await openDatabase(path);
      await seedDatabase(database);
      await database.close();
    }
    const before = await contents(target);
    const result = await copy(source, target);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/target\.db already holds a timeline \(its sources table has rows\); copy into an empty database\.$/);
    expect(await contents(target)).toEqual(before);
  });

  it('names a database it cannot use in one line', async () => {
    const result = await copy('mysql://somewhere/timeline', join(dir, 'x.db'));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Failed: DATABASE_URL has the scheme "mysql:", which is neither SQLite (a path or file: URL) nor PostgreSQL (postgres:// or postgresql://)',
    );
  });
});
