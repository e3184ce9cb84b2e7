import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, readFile, readdir, rename, rm } from 'node:fs/promises';
import { type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server for tests, benchmarks and fault tests: its own cluster in a temp
 * folder, listening on 127.0.0.1 only, tuned for speed rather than durability.
 */
export interface PostgresServer {
  /** Admin URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:PORT/postgres */
  adminUrl: string;
  port: number;
  /** The cluster's folder: data, log and unix socket. */
  dir: string;
  /** Creates an empty database (with the extension `unaccent` created in it) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Drops the database `url` names, ending any connections still open to it. */
  dropDatabase(url: string): Promise<void>;
  /** Stops the server (fast shutdown) without deleting its data; start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * Stops the server at once, without a checkpoint (pg_ctl's immediate mode), as a crash would;
   * start() recovers it from its WAL. Without `durableCommits`, the last moments' commits are lost.
   */
  crash(): Promise<void>;
  /** Stops it and deletes its data folder. */
  destroy(): Promise<void>;
}

export interface StartPostgresOptions {
  /** The folder that holds the clusters (each in a folder of its own); default `$TMPDIR/timeline-postgres-UID`. */
  dir?: string;
  /** The port to listen on; default a free one. */
  port?: number;
  /**
   * Commits wait until their WAL is written (synchronous_commit on), so crash() loses no committed
   * transaction, as on a real server. Off by default: a commit returns before its WAL is written.
   */
  durableCommits?: boolean;
  /** Receives one line per step (initdb, start, stop), with how long it took. */
  log?: (line: string) => void;
}

/** Every database createDatabase makes is a copy of this one, which already has these extensions. */
const TEMPLATE_DATABASE = 'timeline_template';
const TEMPLATE_EXTENSIONS = ['unaccent'];

const INITDB_ARGS = ['-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C.UTF-8'];

/** Durability is worthless in a throwaway cluster; these make writes and commits cheap. */
const SETTINGS = {
  listen_addresses: "'127.0.0.1'",
  max_connections: '200',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

const runFile = promisify(execFile);
const asRoot = process.getuid?.() === 0;
const CLUSTER_PREFIX = 'cluster-';
const SAVED_CLUSTER_PREFIX = 'initdb-';

/**
 * Runs after its parent (this process) is gone, however it ended: the parent's end of its stdin
 * pipe closes, `read` returns, and it shuts the cluster down at once and deletes its folder.
 * It runs in a session of its own, so a Ctrl-C meant for the test run does not reach it.
 */
const WATCHDOG_SCRIPT = `
read -r _ || true
pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null)
if [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null; then
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
fi
rm -rf "$1"
`;

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const log = options.log ?? (() => {});
  const binDir = postgresBinDir();
  const baseDir = options.dir ?? join(tmpdir(), `timeline-postgres-${process.getuid?.() ?? 'user'}`);
  await mkdir(baseDir, { recursive: true });
  const savedCluster = `${SAVED_CLUSTER_PREFIX}${clusterKey(binDir)}`;
  await reapLeftovers(baseDir, binDir, savedCluster);

  // The owner's pid in the folder's name lets a later run tell an abandoned cluster from a live one.
  const dir = await mkdtemp(join(baseDir, `${CLUSTER_PREFIX}${process.pid}-`));
  if (asRoot) {
    const { uid, gid } = postgresUser();
    await chown(dir, uid, gid);
  }
  const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'postgres-watchdog', dir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.unref();
  // Its stdin is a pipe (a Socket); unreferenced, the pipe does not keep this process running.
  (watchdog.stdin as Socket).unref();
  // If it was killed, ending its stdin fails (EPIPE); the folder is then deleted without it.
  watchdog.stdin!.on('error', () => {});
  const watchdogGone = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));

  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const asPostgres = (program: string, args: string[]) => runAsPostgres(program, args, dir);
  const postgres = (command: string, args: string[]) => asPostgres(join(binDir, command), args);

  // Read each time rather than remembered: a fault test may kill the server behind our back.
  const postmasterPid = async () => Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || undefined;
  const isRunning = async () => {
    const pid = await postmasterPid();
    return pid !== undefined && isAlive(pid) && !isZombie(pid);
  };
  const startOn = async (port: number) => {
    const began = Date.now();
    try {
      // pg_ctl hands these to a shell: the folder is quoted.
      const serverOptions = `-p ${port} -k ${shellQuote(dir)}${options.durableCommits ? ' -c synchronous_commit=on' : ''}`;
      await postgres('pg_ctl', ['start', '-w', '-D', dataDir, '-l', logFile, '-o', serverOptions]);
    } catch (error) {
      // The log's last lines say why, without their "2026-12-01 23:37:54.888 UTC [1936] " prefixes.
      const why = lastLines(await readFile(logFile, 'utf8').catch(() => ''), 5).replace(/^\d{4}-\d\d-\d\d \S+ \S+ \[\d+\] /gm, '');
      throw new PostgresStartError(`PostgreSQL did not start on port ${port}: ${why || (error as Error).message}`, /could not bind|already in use/i.test(why));
    }
    log(`PostgreSQL started on 127.0.0.1:${port}: ${Date.now() - began} ms`);
  };
  const stop = async () => {
    if (!(await isRunning())) return;
    const began = Date.now();
    await postgres('pg_ctl', ['stop', '-w', '-D', dataDir, '-m', 'fast']).catch(async (error: Error) => {
      // One killed behind our back died without removing its lock file: pg_ctl reports a failure.
      if (await isRunning()) throw error;
    });
    log(`PostgreSQL stopped: ${Date.now() - began} ms`);
  };
  const endWatchdog = async () => {
    // Referenced again, so that this process waits for it.
    watchdog.ref();
    watchdog.stdin!.end();
    await watchdogGone;
  };

  let port = options.port ?? (await freePort());
  // A free port may be taken by someone else before the server binds it; then try another.
  const startOnSomePort = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOn(port);
      } catch (error) {
        if (options.port !== undefined || attempt === 3 || !(error instanceof PostgresStartError && error.portTaken)) throw error;
        port = await freePort();
      }
    }
  };

  try {
    // initdb and the template take most of the start-up; a copy of a finished cluster is much faster.
    const cacheDir = join(baseDir, savedCluster);
    let began = Date.now();
    if (existsSync(join(cacheDir, 'PG_VERSION'))) {
      await asPostgres('cp', ['-a', cacheDir, dataDir]);
      log(`cluster copied from ${cacheDir}: ${Date.now() - began} ms`);
      await startOnSomePort();
    } else {
      await postgres('initdb', ['-D', dataDir, ...INITDB_ARGS]).catch((error: Error) => {
        const hint = asRoot && /permission denied/i.test(error.message) ? ` (the OS user postgres must be able to reach ${baseDir})` : '';
        throw new Error(`${error.message}${hint}`);
      });
      await appendFile(join(dataDir, 'postgresql.conf'), `\n# Throwaway test cluster\n${Object.entries(SETTINGS).map(([key, value]) => `${key} = ${value}`).join('\n')}\n`);
      log(`initdb ${dataDir}: ${Date.now() - began} ms`);
      await startOnSomePort();
      began = Date.now();
      await createTemplate(adminUrlFor(port));
      log(`template database ${TEMPLATE_DATABASE}: ${Date.now() - began} ms`);
      // A stopped copy for later starts. It is made inside this cluster's folder, so the watchdog
      // deletes a half-made one, and renamed into place, so no one sees it half made; of two made
      // at once, the first renamed wins.
      began = Date.now();
      await stop();
      const copy = join(dir, 'cache-copy');
      await asPostgres('cp', ['-a', dataDir, copy]);
      await rename(copy, cacheDir).catch(() => rm(copy, { recursive: true, force: true }));
      await startOn(port);
      log(`cluster saved to ${cacheDir} for later starts: ${Date.now() - began} ms`);
    }
  } catch (error) {
    // The watchdog shuts down whatever got started and deletes the folder.
    await endWatchdog();
    throw error;
  }

  const adminUrl = adminUrlFor(port);
  return {
    adminUrl,
    port,
    dir,
    createDatabase: (name) => createDatabaseOn(adminUrl, name),
    dropDatabase: (url) => dropDatabaseOn(adminUrl, url),
    stop,
    start: async () => {
      const pid = await postmasterPid();
      if (pid !== undefined && isAlive(pid)) {
        if (!isZombie(pid)) return;
        // PostgreSQL will not start while the pid in its lock file exists, even as a zombie.
        await untilGone(pid);
      }
      await startOn(port);
    },
    crash: async () => {
      if (!(await isRunning())) return;
      await postgres('pg_ctl', ['stop', '-w', '-D', dataDir, '-m', 'immediate']);
      log('PostgreSQL shut down at once, as in a crash');
    },
    destroy: async () => {
      try {
        await stop();
      } finally {
        // The watchdog shuts down whatever stop() could not, then deletes the folder.
        await endWatchdog();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

class PostgresStartError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
    this.name = 'PostgresStartError';
  }
}

const adminUrlFor = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

/** Names a saved cluster by what made it: the binaries, initdb's arguments, the settings and the template's extensions. */
function clusterKey(binDir: string): string {
  const initdb = statSync(join(binDir, 'initdb'));
  const recipe = JSON.stringify({ binDir, initdb: [initdb.size, initdb.mtimeMs], INITDB_ARGS, SETTINGS, TEMPLATE_DATABASE, TEMPLATE_EXTENSIONS });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16);
}

let databasesMade = 0;

/**
 * Creates a database on the server `adminUrl` names, a copy of `template` (by default the empty one
 * with the extensions); the name defaults to a unique one.
 */
export async function createDatabaseOn(
  adminUrl: string,
  name = `test_${process.pid}_${++databasesMade}_${randomBytes(3).toString('hex')}`,
  template = TEMPLATE_DATABASE,
): Promise<string> {
  // FILE_COPY copies the template's files instead of writing them all to the WAL: as fast alone
  // (~0.1 s) and two to five times faster when several test files create databases at once.
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)} STRATEGY FILE_COPY`));
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** The name of the database `url` names. */
export const databaseNameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** Drops the database `url` names (if it exists), ending the connections still open to it. */
export async function dropDatabaseOn(adminUrl: string, url: string): Promise<void> {
  const name = databaseNameOf(url);
  if (name === 'postgres' || name === TEMPLATE_DATABASE || name === '') throw new Error(`Refusing to drop the database "${name}": only databases made by createDatabase.`);
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

async function createTemplate(adminUrl: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await withClient(templateUrl.toString(), async (client) => {
    for (const extension of TEMPLATE_EXTENSIONS) {
      try {
        await client.query(`CREATE EXTENSION ${pg.escapeIdentifier(extension)}`);
      } catch (error) {
        throw new Error(`Cannot create the extension ${extension} (${(error as Error).message}): install PostgreSQL's contrib modules (Debian/Ubuntu: postgresql-contrib).`);
      }
    }
  });
  // Nobody may connect to it: a connection would make CREATE DATABASE ... TEMPLATE wait, then fail.
  await withClient(adminUrl, (client) => client.query(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`));
}

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A connection the server ends between queries is reported through the next query instead.
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The folder with initdb and pg_ctl: pg_config's answer, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // No pg_config on PATH: look where Debian and Ubuntu put the server.
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debianRoot, version, 'bin')));
  }
  // pg_config also comes with the client library alone (libpq-dev), naming a folder with no server in it.
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error('No PostgreSQL server found (initdb and pg_ctl): install PostgreSQL 15 or later (Debian/Ubuntu: apt-get install postgresql postgresql-contrib) or put its pg_config on PATH.');
  }
  return found;
}

/** Runs a PostgreSQL program: as the `postgres` OS user when we are root (the server refuses to run as root). */
async function runAsPostgres(program: string, args: string[], cwd: string): Promise<string> {
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  try {
    const { stdout } = await runFile(command, commandArgs, { cwd, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${program.split('/').pop()} failed: ${(stderr || stdout || message).trim()}`);
  }
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Running as root, but there is no OS user "postgres" to run PostgreSQL as (it refuses to run as root): create one, or run as an ordinary user.');
  }
}

/**
 * Stops and deletes the clusters in `baseDir` whose owning process is gone and whose watchdog did
 * not clean up, and the saved clusters other binaries, settings or code made.
 */
async function reapLeftovers(baseDir: string, binDir: string, savedCluster: string): Promise<void> {
  for (const entry of await readdir(baseDir)) {
    const dir = join(baseDir, entry);
    if (entry.startsWith(SAVED_CLUSTER_PREFIX) && entry !== savedCluster) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const ownerPid = Number(/^cluster-(\d+)-/.exec(entry)?.[1]);
    if (!ownerPid || isAlive(ownerPid)) continue;
    if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
      await runAsPostgres(join(binDir, 'pg_ctl'), ['stop', '-w', '-D', join(dir, 'data'), '-m', 'immediate'], dir).catch(() => {});
    }
    await rm(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A dead process stays a zombie until its parent reaps it; an orphan's parent is init, which may take a second. */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function untilGone(pid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) is still there after ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
