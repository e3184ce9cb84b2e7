import cluster from 'node:cluster';
import { databaseLocation, listenPort } from './config.js';
import { openDatabase } from './db/client.js';
import { isTimelineEmpty, seedDatabase } from './seed/index.js';
import { loadTokens } from './server/auth.js';
import { createGracefulServer } from './server/http.js';
import { createTimelineYoga } from './server/yoga.js';

/** How long in-flight requests (and open subscriptions) get to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 5_000;

const port = listenPort(process.env);
const workers = Math.max(1, Number(process.env.WORKERS ?? 1) || 1);

/** Migrates the database, and seeds it if it holds no timeline yet; once, before any worker serves. */
function prepareDatabase() {
  const database = openDatabase(databaseLocation(process.env));
  if (isTimelineEmpty(database.db)) {
    const { counts } = seedDatabase(database.db);
    console.log(`Seeded a new database with ${counts.events} events and ${counts.citations} citations.`);
  }
  return database;
}

/** Serves until SIGTERM or SIGINT, then finishes in-flight requests and closes the database. */
function serve(database: ReturnType<typeof openDatabase>) {
  const yoga = createTimelineYoga({
    db: database.db,
    tokens: loadTokens(process.env),
    explorer: process.env.TIMELINE_EXPLORER !== 'off',
    responseCache: process.env.TIMELINE_RESPONSE_CACHE !== 'off',
  });
  const { server, shutDown } = createGracefulServer(yoga);
  server.listen(port, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    console.log(`timeline: GraphiQL at http://localhost:${actualPort}/graphql (database ${database.path})`);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      console.log(`${signal}: finishing in-flight requests, then closing.`);
      await shutDown(SHUTDOWN_GRACE_MS);
      database.close();
      console.log('Closed.');
      process.exit(0);
    });
  }
}

if (workers > 1 && cluster.isPrimary) {
  // WORKERS=N: N processes share the port (Node's cluster) and the one WAL database.
  prepareDatabase().close();
  for (let i = 0; i < workers; i++) cluster.fork();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
    });
  }
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
} else if (cluster.isPrimary) {
  serve(prepareDatabase());
} else {
  serve(openDatabase(databaseLocation(process.env)));
}
