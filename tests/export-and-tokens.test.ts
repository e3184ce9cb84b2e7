import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { exportSeed } from '../src/seed/export.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTokenSource } from '../src/server/auth.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { dumpTables, openTestDatabase, openTestTimeline, TEST_BACKEND, TEST_TOKENS } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The tables, with revision timestamps left out (two loads never happen at the same instant). */
async function contents(handle: DatabaseHandle) {
  const tables = await dumpTables(handle);
  return { ...tables, revisions: tables.revisions!.map(({ at, ...rest }: any) => rest) };
}

function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-export-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('export', () => {
  it('seed → export → seed gives the same database, and the same files again', async () => {
    const first = await openTestDatabase();
    await seedDatabase(first);
    const exported = await exportSeed(first);
    const second = await openTestDatabase();
    await seedDatabase(second, writeFiles(exported));
    expect(await contents(second)).toEqual(await contents(first));
    expect(await exportSeed(second)).toEqual(exported);
    await first.close();
    await second.close();
  });

  it('carries edits made through the API back into the seed files', async () => {
    const timeline = await openTestTimeline();
    const response = await timeline.query(
      'mutation { updateEvent(slug: "camp-david-summit", patch: { summary: "Edited through the API." }) { __typename } }',
      {},
      { token: TEST_TOKENS.editor },
    );
    expect(response.data!.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    const files = await exportSeed(timeline.database);
    expect(files['events.yaml']).toContain('summary: Edited through the API.');
    const reloaded = await openTestDatabase();
    await seedDatabase(reloaded, writeFiles(files));
    expect(await reloaded.db.query.events.findFirst({ columns: { summary: true }, where: { slug: 'camp-david-summit' } })).toEqual({ summary: 'Edited through the API.' });
    await reloaded.close();
    await timeline.close();
  });

  it('npm run export writes the files for DATABASE_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-export-cli-'));
    const postgres = TEST_BACKEND === 'postgres' ? await freshPostgresDatabase() : undefined;
    const database = postgres?.url ?? join(dir, 'timeline.db');
    try {
      const seeded = await openDatabase(database);
      await seedDatabase(seeded);
      const expected = await exportSeed(seeded);
      await seeded.close();
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/seed/export-cli.ts', join(dir, 'out')], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: database },
      });
      expect(stdout).toMatch(/Exported .* to /);
      for (const [file, text] of Object.entries(expected)) expect(readFileSync(join(dir, 'out', file), 'utf8')).toBe(text);
    } finally {
      await postgres?.drop();
    }
  });
});

describe('token minting', () => {
  it('stores only a hash, prints the token once, and the server accepts it for its role', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'timeline-tokens-')), 'tokens.json');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/mint-token.ts', 'alice', 'editor', '--file', file], { cwd: projectRoot });
    const token = /^(tl_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
    expect(token).toBeDefined();
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token!);
    expect(JSON.parse(stored)).toEqual([{ name: 'alice', role: 'editor', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const database = await openTestDatabase();
    await seedDatabase(database);
    const yoga = createTimelineYoga({ database, tokens: createTokenSource({ file }) });
    const write = (authorization: string) =>
      Promise.resolve(yoga.fetch(
        new Request('http://timeline.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "By Alice" }) { __typename } }' }),
        }),
      )).then((response) => response.json());
    expect(await write(`Bearer ${token}`)).toEqual({ data: { updateEvent: { __typename: 'MutationUpdateEventSuccess' } } });
    expect(await write(`Bearer ${token}x`)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const revision = await database.db.query.revisions.findFirst({ columns: { author: true }, where: { entitySlug: 'camp-david-summit' }, orderBy: { id: 'desc' } });
    expect(revision).toEqual({ author: 'alice' });
    await database.close();
  });

  it('refuses an unknown role', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'timeline-tokens-')), 'tokens.json');
    await expect(run(process.execPath, ['--import', 'tsx', 'scripts/mint-token.ts', 'x', 'owner', '--file', file], { cwd: projectRoot })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/ROLE must be one of reader, editor, admin, not "owner"/),
    });
  });
});
