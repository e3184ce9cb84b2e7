import { createServer } from 'node:http';
import { databaseLocation, listenPort } from './config.js';
import { openDatabase } from './db/client.js';
import { isTimelineEmpty, seedDatabase } from './seed/index.js';
import { loadTokens } from './server/auth.js';
import { createTimelineYoga } from './server/yoga.js';

const port = listenPort(process.env);
const database = openDatabase(databaseLocation(process.env));
if (isTimelineEmpty(database.db)) {
  const { counts } = seedDatabase(database.db);
  console.log(`Seeded a new database with ${counts.events} events and ${counts.citations} citations.`);
}

const yoga = createTimelineYoga({ db: database.db, tokens: loadTokens(process.env) });
const server = createServer(yoga);
server.listen(port, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`timeline: GraphiQL at http://localhost:${actualPort}/graphql (database ${database.path})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      database.close();
      process.exit(0);
    });
  });
}
