import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';

/**
 * PostGraphile 5 with its Amber preset over the benchmark database: what a generic GraphQL layer
 * over the same PostgreSQL serves. Needs Node 22 (scripts/ensure-node22.sh). The database must
 * hold bench/postgraphile/functions.sql. Production settings: no GraphiQL, no schema watching,
 * no query plans in responses; the pool is the service's default size.
 */
/**
 * The slugs are unique by index, not by constraint, and PostGraphile makes `…BySlug` lookups
 * only from constraints: a smart tag declares them, as a PostGraphile user would.
 */
const UniqueSlugsPlugin = jsonPgSmartTags({
  version: 1,
  config: { class: Object.fromEntries(['actors', 'events'].map((table) => [table, { tags: { unique: 'slug' } }])) },
});

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [UniqueSlugsPlugin],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
    }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
// Build the schema before announcing the port, so the first measured request does not pay for it.
await pgl.getSchemaResult();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`postgraphile listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () => {
  server.close();
  void Promise.resolve(pgl.release()).then(() => process.exit(0));
});
