import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCrashRounds } from '../scripts/crash-test.js';
import { runSoak } from '../scripts/soak.js';
import { backupDatabase } from '../src/db/backup.js';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { projectRoot, serverCommand } from '../scripts/server-process.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'timeline-resilience-'));

describe('crash safety', () => {
  it('keeps every acknowledged write through SIGKILL at random moments (npm run crash-test runs 20 rounds)', async () => {
    const rounds = await runCrashRounds({ rounds: 2, database: join(scratch(), 'timeline.db') });
    expect(rounds.map((round) => round.integrity)).toEqual(['ok', 'ok']);
    expect(rounds.flatMap((round) => round.missing)).toEqual([]);
    // Each round was killed while writing: it had acknowledged writes of its own.
    expect(rounds[0]!.acknowledged).toBeGreaterThan(0);
    expect(rounds[1]!.acknowledged).toBeGreaterThan(rounds[0]!.acknowledged);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the requests in flight, answers new ones 503, closes the database and exits 0', async () => {
    const child = spawn(...serverCommand(), {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', DATABASE_URL: join(scratch(), 'timeline.db') },
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /GraphiQL at http:\/\/[^\s/]+:(\d+)\/graphql/.exec(output);
        if (match) resolve(`http://127.0.0.1:${match[1]}/graphql`);
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const query = JSON.stringify({ query: '{ events(first: 100) { edges { node { participants(first: 10) { edges { node { name } } } } } } }' });
    const requests = Array.from({ length: 20 }, () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query }).then((response) => response.status),
    );
    const first = await Promise.race(requests);
    child.kill('SIGTERM');
    expect(first).toBe(200);
    // Each request gets an answer: the result if it was in flight, else 503 (try again); none is dropped.
    const statuses = await Promise.all(requests);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(output).toMatch(/SIGTERM: finishing in-flight requests[\s\S]*Closed\./);
    await expect(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query })).rejects.toThrow();
  });
});

describe('WORKERS=2', () => {
  it('serves from two processes over the one database, both seeing every write, and stops cleanly', async () => {
    const child = spawn(...serverCommand(), {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: '0',
        WORKERS: '2',
        DATABASE_URL: join(scratch(), 'timeline.db'),
        TIMELINE_TOKENS: JSON.stringify(TEST_TOKEN_STORE),
      },
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const ports = [...output.matchAll(/GraphiQL at http:\/\/[^\s/]+:(\d+)\/graphql/g)];
        if (ports.length === 2) resolve(`http://127.0.0.1:${ports[0]![1]}/graphql`);
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
    });
    expect(output.match(/Seeded a new database/g)).toHaveLength(1);
    const post = (query: string, token?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      }).then((response) => response.json() as Promise<any>);
    const written = await post('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Seen by both" }) { __typename } }', TEST_TOKENS.editor);
    expect(written.data.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    // Successive requests are spread over both workers; each must see the write.
    const titles = await Promise.all(Array.from({ length: 8 }, () => post('{ event(slug: "camp-david-summit") { title } }')));
    expect(new Set(titles.map((answer) => answer.data.event.title))).toEqual(new Set(['Seen by both']));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('online backup', () => {
  it('copies a live database consistently while it keeps serving writes, and the copy restores', async () => {
    const dir = scratch();
    const live = await openDatabase(join(dir, 'live.db'));
    await seedDatabase(live);
    const yoga = createTimelineYoga({ database: live, tokens: TEST_TOKEN_STORE });
    const write = (slug: string) =>
      Promise.resolve(
        yoga.fetch(
          new Request('http://timeline.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
            body: JSON.stringify({ query: `mutation { createSource(input: { slug: "${slug}", name: "Outlet" }) { __typename } }` }),
          }),
        ),
      ).then((response) => response.json());
    expect(await write('before-backup')).toEqual({ data: { createSource: { __typename: 'MutationCreateSourceSuccess' } } });

    let writing = true;
    let during = 0;
    const writer = (async () => {
      while (writing) {
        expect(await write(`during-backup-${during}`)).toEqual({ data: { createSource: { __typename: 'MutationCreateSourceSuccess' } } });
        during++;
        // Let the backup take its next step: it runs between turns of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const { pages } = await backupDatabase(live, join(dir, 'backup.db'));
    writing = false;
    await writer;
    expect(pages).toBeGreaterThan(10);
    // Writes were acknowledged while the copy was being taken.
    expect(during).toBeGreaterThan(0);

    const restored = await openDatabase(join(dir, 'backup.db'));
    expect(restored.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (handle: typeof live, sql: string) => (handle.db.$client.prepare(sql).get() as { n: number }).n;
    expect(count(restored, "select count(*) as n from sources where slug = 'before-backup'")).toBe(1);
    expect(count(restored, 'select count(*) as n from events')).toBe(count(live, 'select count(*) as n from events'));
    // A snapshot: each write is in the copy whole (its revision with it) or not at all.
    expect(count(restored, "select count(*) as n from revisions where entity_slug like 'during-backup-%'")).toBe(
      count(restored, "select count(*) as n from sources where slug like 'during-backup-%'"),
    );
    await restored.close();
    await live.close();
  });

  it('npm run backup refuses to write the copy over the live database itself', async () => {
    const dir = scratch();
    const live = await openDatabase(join(dir, 'live.db'));
    await seedDatabase(live);
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', join(dir, 'live.db')], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: join(dir, 'live.db') },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('is the live database itself; name another file for the copy.') });
    expect(live.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    await live.close();
  });

  it('npm run backup copies the database DATABASE_URL names', async () => {
    const dir = scratch();
    const live = await openDatabase(join(dir, 'live.db'));
    await seedDatabase(live);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', join(dir, 'copy.db')], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: join(dir, 'live.db') },
    });
    expect(stdout).toMatch(/Backed up .*live\.db to .*copy\.db \(\d+ pages\)/);
    const copy = await openDatabase(join(dir, 'copy.db'));
    expect(copy.db.$client.prepare('select count(*) as n from events').get()).toEqual(live.db.$client.prepare('select count(*) as n from events').get());
    await copy.close();
    await live.close();
  });

  it('npm run backup on PostgreSQL refuses in one line, naming the pg_dump command without the password', async () => {
    // Nothing listens on port 1: the refusal must come before any attempt to connect.
    const url = 'postgres://timeline:s3cret-pass@127.0.0.1:1/timeline';
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', 'copy.dump'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    const { stderr } = failure as { stderr: string };
    expect(stderr.trim().split('\n')).toEqual([
      'npm run backup copies SQLite databases; a PostgreSQL database is backed up with pg_dump: ' +
        "pg_dump --format=custom --file=copy.dump 'postgres://timeline:***@127.0.0.1:1/timeline' (with the password in place of ***), " +
        'and restored with pg_restore.',
    ]);
    expect(stderr).not.toContain('s3cret-pass');
  });
});

describe('soak', () => {
  it('answers 32 connections of mixed reads for a few seconds without an error (npm run soak holds 64 for 5 minutes)', async () => {
    const report = await runSoak({ seconds: 3, connections: 32, warmupSeconds: 1 });
    expect(report.errors).toBe(0);
    expect(report.requests).toBeGreaterThan(100);
    expect(report.rssEndMb).toBeGreaterThan(0);
  });
});
