import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, chown, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, postgresBinDir } from '../../scripts/postgres-server.js';

/**
 * The benchmark's PostgreSQL cluster: one that stays in bench/.data/postgres between runs, so a
 * seeded database of a million events is seeded once (scripts/postgres-server.ts makes
 * throwaway ones, deleted when their process ends). Started by the run that needs it, stopped at
 * its end.
 */
export interface BenchCluster {
  port: number;
  adminUrl: string;
  /** The server's version, as it reports it (e.g. "15.18 (Debian 15.18-0+deb12u1)"). */
  version: string;
  /** The URL of the database `name` on this cluster. */
  url(name: string): string;
  /** Stops the server; the data stays. */
  stop(): Promise<void>;
}

/**
 * Durability is worthless for benchmark data (a broken cluster is seeded again), so loads skip
 * fsync and checkpoints, and with wal_level = minimal a COPY into a table truncated in its own
 * transaction, and an index build, write no WAL. None of this touches reads. The memory
 * settings are a small production server's; the planner's costs are for data in memory, as a
 * million events fit in this machine's RAM.
 */
const SETTINGS = {
  listen_addresses: "'127.0.0.1'",
  max_connections: '200',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_wal_size: "'8GB'",
  shared_buffers: "'1GB'",
  effective_cache_size: "'4GB'",
  work_mem: "'16MB'",
  maintenance_work_mem: "'512MB'",
  random_page_cost: '1.1',
};

const runFile = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as the OS user `postgres` when we are root (the server refuses root). */
async function runAsPostgres(program: string, args: string[]) {
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  try {
    return (await runFile(command, commandArgs, { encoding: 'utf8' })).stdout;
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${program.split('/').pop()} failed: ${(stderr || stdout || message).trim()}`);
  }
}

/** Starts the cluster in `dir`, creating it on first use; a server already running there (a run that crashed) is taken over. */
export async function startBenchCluster(dir: string, log: (line: string) => void = () => {}): Promise<BenchCluster> {
  const binDir = postgresBinDir();
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  await mkdir(dir, { recursive: true });
  if (asRoot) {
    const { stdout } = await runFile('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const { stdout: group } = await runFile('id', ['-g', 'postgres'], { encoding: 'utf8' });
    await chown(dir, Number(stdout), Number(group));
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const began = Date.now();
    // The locale of scripts/postgres-server.ts's clusters, which the tests run on.
    await runAsPostgres(join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C.UTF-8']);
    const settings = { ...SETTINGS, unix_socket_directories: `'${dir}'` };
    await appendFile(join(dataDir, 'postgresql.conf'), `\n# Benchmark cluster\n${Object.entries(settings).map(([key, value]) => `${key} = ${value}`).join('\n')}\n`);
    log(`initdb ${dataDir}: ${Date.now() - began} ms`);
  }
  let port: number;
  const status = await runAsPostgres(join(binDir, 'pg_ctl'), ['status', '-D', dataDir]).catch(() => null);
  if (status !== null) {
    // postmaster.pid's fourth line is the port.
    port = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    log(`PostgreSQL already running on 127.0.0.1:${port}`);
  } else {
    port = await freePort();
    const began = Date.now();
    try {
      await runAsPostgres(join(binDir, 'pg_ctl'), ['start', '-w', '-D', dataDir, '-l', logFile, '-o', `-p ${port}`]);
    } catch (error) {
      const serverLog = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`PostgreSQL did not start: ${serverLog.trim().split('\n').slice(-5).join('\n') || (error as Error).message}`);
    }
    log(`PostgreSQL started on 127.0.0.1:${port}: ${Date.now() - began} ms`);
  }
  const url = (name: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
  const version = await withClient(url('postgres'), async (client) => (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version);
  return {
    port,
    adminUrl: url('postgres'),
    version,
    url,
    stop: async () => {
      await runAsPostgres(join(binDir, 'pg_ctl'), ['stop', '-w', '-D', dataDir, '-m', 'fast']);
    },
  };
}

/** Runs `use` on one connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
