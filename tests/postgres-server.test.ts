import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PostgresServer, startPostgres } from '../scripts/postgres-server.js';
import setup, { testBackends } from './global-setup.js';
import { freshPostgresDatabase } from './postgres-database.js';

/** Above Linux's largest pid_max: no process can have it. */
const DEAD_PID = 2 ** 22 + 1;

async function query(url: string, sql: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('a throwaway PostgreSQL server', () => {
  let baseDir: string;
  let abandoned: string;
  let outdated: string;
  let server: PostgresServer;
  const steps: string[] = [];

  beforeAll(async () => {
    baseDir = await mkdtemp(join(tmpdir(), 'timeline-postgres-test-'));
    // Reachable by the postgres OS user, which runs the server when the tests run as root.
    await chmod(baseDir, 0o755);
    abandoned = join(baseDir, `cluster-${DEAD_PID}-left`);
    await mkdir(join(abandoned, 'data'), { recursive: true });
    outdated = join(baseDir, 'initdb-0000000000000000');
    await mkdir(outdated);
    server = await startPostgres({ dir: baseDir, durableCommits: true, log: (line) => steps.push(line) });
  }, 60_000);

  afterAll(async () => {
    await server?.destroy();
    await rm(baseDir, { recursive: true, force: true });
  });

  it('deletes what a dead process or older settings left in its folder, and saves its new cluster for later starts', async () => {
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(outdated)).toBe(false);
    expect(existsSync(server.dir)).toBe(true);
    expect(steps.join('\n')).toMatch(/^initdb /m);
    expect(steps.join('\n')).toMatch(/^cluster saved to /m);
    expect((await readdir(baseDir)).filter((entry) => entry.startsWith('initdb-'))).toHaveLength(1);
  });

  it('listens on 127.0.0.1 with the settings for speed and many connections', async () => {
    expect(server.adminUrl).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const [settings] = await query(
      server.adminUrl,
      `select current_setting('listen_addresses') as listen, current_setting('fsync') as fsync, current_setting('synchronous_commit') as commit,
              current_setting('full_page_writes') as pages, current_setting('max_connections')::int as connections, current_setting('unix_socket_directories') as socket`,
    );
    // durableCommits: commits wait for their WAL, which crash() would otherwise lose.
    expect(settings).toEqual({ listen: '127.0.0.1', fsync: 'off', commit: 'on', pages: 'off', connections: 200, socket: server.dir });
  });

  it('creates separate databases that have unaccent, and drops them with connections still open', async () => {
    const [first, second] = await Promise.all([server.createDatabase(), server.createDatabase()]);
    expect(first).not.toBe(second);
    expect(await query(first!, `select unaccent('Kōno') as plain`)).toEqual([{ plain: 'Kono' }]);
    await query(first!, 'create table only_here (id int)');
    expect(await query(second!, `select to_regclass('only_here') as found`)).toEqual([{ found: null }]);

    const named = await server.createDatabase('timeline');
    expect(named).toBe(`postgres://postgres@127.0.0.1:${server.port}/timeline`);

    const open = new pg.Client({ connectionString: first });
    open.on('error', () => {});
    await open.connect();
    await server.dropDatabase(first!);
    await expect(query(first!, 'select 1')).rejects.toMatchObject({ code: '3D000' });
    await Promise.all([server.dropDatabase(second!), server.dropDatabase(named)]);
    await expect(server.dropDatabase(server.adminUrl)).rejects.toThrow(/Refusing to drop/);
  });

  it('stop() ends connections and refuses new ones; start() brings the data back on the same port', async () => {
    const url = await server.createDatabase();
    await query(url, `create table kept (name text); insert into kept values ('Kōno')`);
    const open = new pg.Client({ connectionString: url });
    // The first error is the server's goodbye; the socket closing after it is a second one.
    const ended = new Promise<Error>((resolve) => open.on('error', resolve));
    await open.connect();

    await server.stop();
    expect(await ended).toMatchObject({ code: '57P01' });
    await expect(query(url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await server.start();
    expect(await query(url, 'select name from kept')).toEqual([{ name: 'Kōno' }]);
    expect(new URL(server.adminUrl).port).toBe(String(server.port));
  });

  it('crash() stops it at once; start() recovers every committed transaction from the WAL', async () => {
    const url = await server.createDatabase();
    await query(url, 'create table committed (n int)');
    for (let n = 1; n <= 20; n++) await query(url, `insert into committed values (${n})`);
    const open = new pg.Client({ connectionString: url });
    const ended = new Promise<Error>((resolve) => open.on('error', resolve));
    await open.connect();

    await server.crash();
    expect(await ended).toBeInstanceOf(Error);
    await expect(query(url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await server.start();
    expect(await query(url, 'select count(*)::int as rows from committed')).toEqual([{ rows: 20 }]);
    expect(await readFile(join(server.dir, 'server.log'), 'utf8')).toMatch(/not properly shut down; automatic recovery in progress/);
  });

  it('starts a second server in the same folder from the saved cluster, without initdb', async () => {
    const secondSteps: string[] = [];
    const second = await startPostgres({ dir: baseDir, log: (line) => secondSteps.push(line) });
    try {
      expect(secondSteps.join('\n')).toMatch(/^cluster copied from /m);
      expect(secondSteps.join('\n')).not.toMatch(/^initdb /m);
      expect(second.port).not.toBe(server.port);
      // Without durableCommits, a commit does not wait for its WAL.
      expect(await query(second.adminUrl, 'show synchronous_commit')).toEqual([{ synchronous_commit: 'off' }]);
      expect(await query(await second.createDatabase(), `select unaccent('Hangzhou Ōlympic') as plain`)).toEqual([{ plain: 'Hangzhou Olympic' }]);
    } finally {
      await second.destroy();
    }
  }, 60_000);

  it('destroy() stops it and deletes its folder', async () => {
    await server.destroy();
    expect(existsSync(server.dir)).toBe(false);
    await expect(query(server.adminUrl, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await readdir(baseDir)).filter((entry) => entry.startsWith('cluster-'))).toEqual([]);
  });
});

describe('the test run global setup', () => {
  it('reads TIMELINE_TEST_BACKENDS, both by default, and rejects a misspelt backend', () => {
    expect(testBackends({})).toEqual(['sqlite', 'postgres']);
    expect(testBackends({ TIMELINE_TEST_BACKENDS: 'sqlite' })).toEqual(['sqlite']);
    expect(testBackends({ TIMELINE_TEST_BACKENDS: ' postgres , postgres' })).toEqual(['postgres']);
    expect(() => testBackends({ TIMELINE_TEST_BACKENDS: 'sqlite,postgress' })).toThrow(/postgress/);
  });

  it('starts no server when the run leaves PostgreSQL out', async () => {
    vi.stubEnv('TIMELINE_TEST_BACKENDS', 'sqlite');
    const provide = vi.fn();
    try {
      expect(await setup({ provide } as unknown as TestProject)).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
    expect(provide).not.toHaveBeenCalled();
  });

  it('provides one server to every project, that freshPostgresDatabase makes databases on, and destroys it after the last teardown', async () => {
    vi.stubEnv('TIMELINE_TEST_BACKENDS', 'postgres');
    const projects = [new Map<string, unknown>(), new Map<string, unknown>()];
    const teardowns: Array<(() => Promise<void>) | undefined> = [];
    try {
      for (const provided of projects) {
        teardowns.push(await setup({ provide: (key: string, value: unknown) => provided.set(key, value) } as unknown as TestProject));
      }
    } finally {
      vi.unstubAllEnvs();
    }
    const adminUrl = projects[0]!.get('postgresAdminUrl') as string;
    expect(adminUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(projects[1]!.get('postgresAdminUrl')).toBe(adminUrl);

    const database = await freshPostgresDatabase(adminUrl);
    expect(await query(database.url, `select unaccent('Kōno') as plain`)).toEqual([{ plain: 'Kono' }]);
    await database.drop();
    await expect(query(database.url, 'select 1')).rejects.toMatchObject({ code: '3D000' });

    await teardowns[0]!();
    expect(await query(adminUrl, 'select 1 as up')).toEqual([{ up: 1 }]);
    await teardowns[1]!();
    await expect(query(adminUrl, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);
});
