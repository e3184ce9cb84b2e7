import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { sources } from '../src/db/schema.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { post, projectRoot, type ServerProcess, startServer, waitFor } from '../scripts/server-process.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'timeline-concurrency-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function serve(env: Record<string, string>) {
  const server = await startServer({ TIMELINE_TOKENS: JSON.stringify(TEST_TOKEN_STORE), ...env });
  servers.push(server);
  return server;
}

/** Another process takes the database's write lock and keeps it for `ms`, as a long seed load would. */
async function holdWriteLock(file: string, ms: number) {
  const holder = spawn(process.execPath, [
    '-e',
    `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => { db.exec('COMMIT'); process.exit(0); }, ${ms});`,
  ], { cwd: projectRoot });
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  return holder;
}

/** Runs `npm run seed` against `database`; resolves with its exit code and everything it printed. */
function runSeed(database: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: database } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('concurrent writers', () => {
  it('8 lanes across two workers, with npm run seed beside them: every write waits its turn, none fails, all are kept', async () => {
    const database = join(scratch(), 'timeline.db');
    const server = await serve({ WORKERS: '2', DATABASE_URL: database });
    const events = (await post(server.url, '{ events(first: 8) { edges { node { slug } } } }')).body.data.events.edges.map(
      (edge: { node: { slug: string } }) => edge.node.slug,
    ) as string[];
    expect(events).toHaveLength(8);

    const failures: unknown[] = [];
    const acknowledged: { actors: string[]; summaries: Map<string, string> } = { actors: [], summaries: new Map() };
    const lane = async (index: number) => {
      for (let round = 0; round < 12; round++) {
        // Each write reads before it writes (slug and reference checks), the case a deferred transaction cannot wait out.
        const slug = `lane-${index}-actor-${round}`;
        const created = await post(server.url, `mutation { createActor(input: { slug: "${slug}", name: "Lane ${index} actor ${round}", kind: PERSON }) { __typename } }`, TEST_TOKENS.editor);
        if (created.body?.data?.createActor?.__typename === 'MutationCreateActorSuccess') acknowledged.actors.push(slug);
        else failures.push(created);
        const summary = `Lane ${index}, round ${round}.`;
        const updated = await post(server.url, `mutation { updateEvent(slug: "${events[index]}", patch: { summary: "${summary}" }) { __typename } }`, TEST_TOKENS.editor);
        if (updated.body?.data?.updateEvent?.__typename === 'MutationUpdateEventSuccess') acknowledged.summaries.set(events[index]!, summary);
        else failures.push(updated);
      }
    };
    const lanes = Array.from({ length: 8 }, (_, index) => lane(index));
    const seedRuns = [runSeed(database), new Promise((resolve) => setTimeout(resolve, 300)).then(() => runSeed(database))];
    await Promise.all(lanes);
    const seeds = await Promise.all(seedRuns);

    expect(failures).toEqual([]);
    for (const seed of seeds) {
      // The seed either loads or refuses to overwrite the API's edits; it never trips over the lock.
      expect(seed.output).not.toMatch(/SQLITE_BUSY|database is locked|\n\s+at /);
      expect([0, 1]).toContain(seed.code);
    }
    const check = new Database(database, { readonly: true });
    const actors = new Set((check.prepare("select slug from actors where slug like 'lane-%'").all() as { slug: string }[]).map((row) => row.slug));
    expect(acknowledged.actors.filter((slug) => !actors.has(slug))).toEqual([]);
    expect(acknowledged.actors).toHaveLength(8 * 12);
    for (const [slug, summary] of acknowledged.summaries) {
      expect((check.prepare('select summary from events where slug = ?').get(slug) as { summary: string }).summary).toBe(summary);
    }
    check.close();
  }, 120_000);

  it('a write that cannot get the lock in time is a retryable DATABASE_BUSY (503, Retry-After) and writes nothing', async () => {
    const file = join(scratch(), 'timeline.db');
    const database = await openDatabase(file, { writeWaitMs: 200 });
    await seedDatabase(database);
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
    // Another process holds the write lock for a while, as a long seed load would.
    const holder = await holdWriteLock(file, 3000);
    const response = await yoga.fetch('http://timeline.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
      body: JSON.stringify({ query: 'mutation { createSource(input: { slug: "while-locked", name: "Outlet" }) { __typename } }' }),
    });
    const body = (await response.json()) as any;
    holder.kill();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'The database is busy with other writes (waited 200 ms); nothing was written. Try again shortly.',
        extensions: { code: 'DATABASE_BUSY' },
      }),
    ]);
    expect(database.db.$client.prepare("select count(*) as n from sources where slug = 'while-locked'").get()).toEqual({ n: 0 });
    await database.close();
  });
});

describe('a write waiting for the lock', () => {
  it('leaves the server free to answer reads meanwhile, then goes through', async () => {
    const file = join(scratch(), 'timeline.db');
    const database = await openDatabase(file);
    await seedDatabase(database);
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
    await holdWriteLock(file, 1500);
    const order: string[] = [];
    const writing = Promise.resolve(
      yoga.fetch('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
        body: JSON.stringify({ query: 'mutation { createSource(input: { slug: "after-the-lock", name: "Outlet" }) { __typename } }' }),
      }),
    ).then(async (response) => {
      order.push('write');
      return response.json();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await yoga.fetch('http://timeline.test/health');
    order.push('health');
    expect(health.status).toBe(200);
    expect(await writing).toEqual({ data: { createSource: { __typename: 'MutationCreateSourceSuccess' } } });
    expect(order).toEqual(['health', 'write']);
    await database.close();
  });
});

describe('a write in progress', () => {
  /** A seeded database and the server over it; `lookUp` asks the API for a source by slug. */
  async function serveInProcess() {
    const database = await openDatabase(join(scratch(), 'timeline.db'));
    await seedDatabase(database);
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
    const lookUp = async (slug: string) => {
      const response = await yoga.fetch('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ source(slug: "${slug}") { slug name } }` }),
      });
      return ((await response.json()) as { data: { source: { slug: string; name: string } | null } }).data.source;
    };
    return { database, lookUp };
  }

  /**
   * Starts a write that inserts a source and then waits for `finish` before it ends (and so
   * commits, or rolls back when `finish` rejects). Resolves once the row is inserted, uncommitted.
   */
  async function openWrite(database: DatabaseHandle, slug: string) {
    let finish!: { commit: () => void; fail: (error: Error) => void };
    const gate = new Promise<void>((resolve, reject) => (finish = { commit: resolve, fail: reject }));
    let inserted!: () => void;
    const insertedRow = new Promise<void>((resolve) => (inserted = resolve));
    const state = { ended: false };
    const written = database
      .write(async (tx) => {
        await tx.insert(sources).values({ slug, name: 'Not committed yet' });
        inserted();
        await gate;
      })
      .finally(() => (state.ended = true));
    await insertedRow;
    return { finish, written, state };
  }

  /** Sends `lookUp` now and records what it answered before the write ended, if anything. */
  function lookUpDuring(lookUp: (slug: string) => Promise<unknown>, slug: string, write: { state: { ended: boolean } }) {
    const answeredBeforeTheEnd: unknown[] = [];
    const answer = lookUp(slug).then((source) => {
      if (!write.state.ended) answeredBeforeTheEnd.push(source);
      return source;
    });
    return { answer, answeredBeforeTheEnd };
  }

  // Room for the query to run, were it allowed to: many turns of the event loop.
  const whileTheWriteIsOpen = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('no query sees its rows before COMMIT: one sent meanwhile waits its turn, then sees them', async () => {
    const { database, lookUp } = await serveInProcess();
    const write = await openWrite(database, 'mid-write');
    // The connection itself would show the row already: only taking turns keeps queries from it.
    expect(database.db.$client.prepare('select name from sources where slug = ?').pluck().get('mid-write')).toBe('Not committed yet');
    const during = lookUpDuring(lookUp, 'mid-write', write);
    await whileTheWriteIsOpen();
    // On SQLite reads take turns with writes: the query has not run inside the open transaction.
    expect(during.answeredBeforeTheEnd).toEqual([]);
    write.finish.commit();
    await write.written;
    expect(await during.answer).toEqual({ slug: 'mid-write', name: 'Not committed yet' });
    expect(await lookUp('mid-write')).toEqual({ slug: 'mid-write', name: 'Not committed yet' });
    await database.close();
  });

  it('no query ever sees the rows of a write that rolls back', async () => {
    const { database, lookUp } = await serveInProcess();
    const write = await openWrite(database, 'rolled-back');
    const during = lookUpDuring(lookUp, 'rolled-back', write);
    await whileTheWriteIsOpen();
    expect(during.answeredBeforeTheEnd).toEqual([]);
    write.finish.fail(new Error('the write changed its mind'));
    await expect(write.written).rejects.toThrow('the write changed its mind');
    expect(await during.answer).toBeNull();
    expect(await lookUp('rolled-back')).toBeNull();
    await database.close();
  });
});

describe('WORKERS=N', () => {
  it('starts another worker when one dies, and keeps answering meanwhile', async () => {
    const server = await serve({ WORKERS: '2', DATABASE_URL: join(scratch(), 'timeline.db') });
    const before = server.workerPids();
    expect(before).toHaveLength(2);
    process.kill(before[0]!, 'SIGKILL');
    await waitFor(() => /stopped \(SIGKILL\)/.test(server.output()), 'the primary to see the worker die', 30_000);
    // Answered by the surviving worker while the replacement starts.
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(server.url, '{ events(first: 1) { totalCount } }')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    await waitFor(() => {
      const now = server.workerPids();
      return now.length === 2 && !now.includes(before[0]!);
    }, 'a replacement worker', 30_000);
    expect(server.output()).toMatch(new RegExp(`worker ${before[0]} stopped \\(SIGKILL\\); starting another in \\d+ ms`));
    await waitFor(() => (server.output().match(/GraphiQL at/g) ?? []).length === 3, 'the replacement to listen', 30_000);
    expect(server.workerPids()).toContain(before[1]);
  }, 120_000);
});

describe('npm run seed beside a write lock', () => {
  it('waits for the lock instead of failing', async () => {
    const file = join(scratch(), 'timeline.db');
    await (await openDatabase(file)).close();
    await holdWriteLock(file, 1000);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: file } });
    expect(stdout).toMatch(/Seeded .*: 19 events/);
  });
});
