import { databaseLocation, listenPort } from './config.js';
import { openDatabase } from './db/client.js';
import { isTimelineEmpty, seedDatabase } from './seed/index.js';
import { loadTokens } from './server/auth.js';
import { createGracefulServer } from './server/http.js';
import { createTimelineYoga } from './server/yoga.js';

/** How long in-flight requests (and open subscriptions) get to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 5_000;

const port = listenPort(process.env);
const database = openDatabase(databaseLocation(process.env));
if (isTimelineEmpty(database.db)) {
  const { counts } = seedDatabase(database.db);
  console.log(`Seeded a new database with ${counts.events} events and ${counts.citations} citations.`);
}

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

// Stop accepting, let in-flight requests finish, then close the database cleanly.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    console.log(`${signal}: finishing in-flight requests, then closing.`);
    await shutDown(SHUTDOWN_GRACE_MS);
    database.close();
    console.log('Closed.');
    process.exit(0);
  });
}
