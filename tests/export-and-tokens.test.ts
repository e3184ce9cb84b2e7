import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { exportSeed } from '../src/seed/export.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTokenSource } from '../src/server/auth.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { dumpTables, openTestTimeline, TEST_TOKENS } from './helpers.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The tables, with revision timestamps left out (two loads never happen at the same instant). */
function contents(handle: ReturnType<typeof openDatabase>) {
  const tables = dumpTables(handle);
  return { ...tables, revisions: tables.revisions!.map(({ at, ...rest }: any) => rest) };
}

function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-export-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('export', () => {
  it('seed → export → seed gives the same database, and the same files again', () => {
    const first = openDatabase(':memory:');
    seedDatabase(first.db);
    const exported = exportSeed(first.db);
    const second = openDatabase(':memory:');
    seedDatabase(second.db, writeFiles(exported));
    expect(contents(second)).toEqual(contents(first));
    expect(exportSeed(second.db)).toEqual(exported);
    first.close();
    second.close();
  });

  it('carries edits made through the API back into the seed files', async () => {
    const timeline = openTestTimeline();
    const response = await timeline.query(
      'mutation { updateEvent(slug: "camp-david-summit", patch: { summary: "Edited through the API." }) { __typename } }',
      {},
      { token: TEST_TOKENS.editor },
    );
    expect(response.data!.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    const files = exportSeed(timeline.database.db);
    expect(files['events.yaml']).toContain('summary: Edited through the API.');
    const reloaded = openDatabase(':memory:');
    seedDatabase(reloaded.db, writeFiles(files));
    expect(reloaded.db.$client.prepare("select summary from events where slug = 'camp-david-summit'").get()).toEqual({ summary: 'Edited through the API.' });
    reloaded.close();
    timeline.close();
  });

  it('npm run export writes the files for DATABASE_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-export-cli-'));
    const database = join(dir, 'timeline.db');
    const seeded = openDatabase(database);
    seedDatabase(seeded.db);
    const expected = exportSeed(seeded.db);
    seeded.close();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/seed/export-cli.ts', join(dir, 'out')], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: database },
    });
    expect(stdout).toMatch(/Exported .* to /);
    for (const [file, text] of Object.entries(expected)) expect(readFileSync(join(dir, 'out', file), 'utf8')).toBe(text);
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

    const database = openDatabase(':memory:');
    seedDatabase(database.db);
    const yoga = createTimelineYoga({ db: database.db, tokens: createTokenSource({ file }) });
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
    const revision = database.db.$client.prepare("select author from revisions where entity_slug = 'camp-david-summit' order by id desc limit 1").get();
    expect(revision).toEqual({ author: 'alice' });
    database.close();
  });

  it('refuses an unknown role', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'timeline-tokens-')), 'tokens.json');
    await expect(run(process.execPath, ['--import', 'tsx', 'scripts/mint-token.ts', 'x', 'owner', '--file', file], { cwd: projectRoot })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/ROLE must be one of reader, editor, admin, not "owner"/),
    });
  });
});
