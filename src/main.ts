import './production-mode.js';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { readServerConfig, type ServerConfig } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/client.js';
import { isTimelineEmpty, seedDatabase } from './seed/index.js';
import { createTokenSource } from './server/auth.js';
import { createGracefulServer } from './server/http.js';
import { createTimelineYoga } from './server/yoga.js';

/** How long in-flight requests (and open subscriptions) get to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 5_000;
/** A worker that dies is started again after this long, doubling while it keeps dying young. */
const RESTART_DELAY_MS = { first: 100, max: 10_000 };
/** A worker that served this long before dying counts as healthy: its next restart is quick again. */
const HEALTHY_LIFETIME_MS = 10_000;

function openConfigured(config: ServerConfig) {
  return openDatabase(config.database.url, { poolSize: config.database.poolSize });
}

/** Migrates the database, and seeds it if it holds no timeline yet; once, before any worker serves. */
async function prepareDatabase(config: ServerConfig) {
  const database = await openConfigured(config);
  if (await isTimelineEmpty(database)) {
    const { counts } = await seedDatabase(database, undefined, { articlesDir: config.articlesDir });
    console.log(`Seeded a new database with ${counts.events} events and ${counts.citations} citations.`);
  }
  return database;
}

/** "http://127.0.0.1:4000", or "http://[::1]:4000": the address the server really bound. */
function baseUrl(address: AddressInfo): string {
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** Serves until SIGTERM or SIGINT, then finishes in-flight requests and closes the database. */
function serve(config: ServerConfig, database: DatabaseHandle) {
  const yoga = createTimelineYoga({
    database,
    tokens: createTokenSource(config.tokens),
    explorer: config.explorer,
    responseCache: config.responseCache,
    development: config.development,
    corsOrigins: config.corsOrigins,
  });
  const { server, shutDown } = createGracefulServer(yoga);
  server.on('error', (error) => fail(error));
  server.listen(config.port, config.host, () => {
    const url = baseUrl(server.address() as AddressInfo);
    console.log(`timeline: listening on ${url}, GraphiQL at ${url}/graphql (database ${database.location})`);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      console.log(`${signal}: finishing in-flight requests, then closing.`);
      await shutDown(SHUTDOWN_GRACE_MS);
      await database.close();
      console.log('Closed.');
      process.exit(0);
    });
  }
}

/** WORKERS=N: N processes share the port (Node's cluster) and the one WAL database; one that dies is replaced. */
function superviseWorkers(count: number) {
  let stopping = false;
  const startWorker = (failuresInARow: number) => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    worker.once('exit', (code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      const failures = Date.now() - startedAt >= HEALTHY_LIFETIME_MS ? 0 : failuresInARow + 1;
      const delay = Math.min(RESTART_DELAY_MS.first * 2 ** Math.max(0, failures - 1), RESTART_DELAY_MS.max);
      console.error(`timeline: worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another in ${delay} ms.`);
      setTimeout(() => {
        if (!stopping) startWorker(failures);
      }, delay);
    });
  };
  for (let i = 0; i < count; i++) startWorker(0);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      const running = Object.values(cluster.workers ?? {});
      if (running.length === 0) process.exit(0);
      for (const worker of running) worker?.kill(signal);
    });
  }
}

/** A setting, the database or the tokens are not usable: say which in one line and stop. */
function fail(error: unknown): never {
  console.error(`timeline: cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

try {
  const config = readServerConfig(process.env);
  if (config.workers > 1 && cluster.isPrimary) {
    await (await prepareDatabase(config)).close();
    superviseWorkers(config.workers);
  } else if (cluster.isPrimary) {
    serve(config, await prepareDatabase(config));
  } else {
    serve(config, await openConfigured(config));
  }
} catch (error) {
  fail(error);
}
