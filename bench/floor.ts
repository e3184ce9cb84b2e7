// graphql-js as the server runs it (src/main.ts): in production mode unless NODE_ENV says otherwise.
import '../src/production-mode.js';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { createFloorYoga } from './floor-yoga.js';

/** The floor (bench/floor-yoga.ts) on node:http, over the synthetic database at DATABASE_URL. */
const database = new Database(process.env.DATABASE_URL ?? './data/timeline.db', { readonly: true });
database.pragma('cache_size = -262144');
const server = createServer(createFloorYoga(database));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
