import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { createSchema, createYoga } from 'graphql-yoga';

/**
 * The floor: bare graphql-yoga, with its defaults, on the same node:http as the service, answering
 * Q4's `node(id:)` from one hand-written resolver and the ceiling's statement. What it costs beyond
 * the ceiling is Yoga and graphql-js; what the service costs beyond it is the service's own.
 */
const database = new Database(process.env.DATABASE_URL ?? './data/timeline.db', { readonly: true });
database.pragma('cache_size = -262144');
const eventById = database.prepare('select slug, title, start_iso as iso, start_precision as precision from events where id = ?');

type EventRow = { slug: string; title: string; iso: string; precision: string };

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    interface Node { id: ID! }
    type PartialDate { iso: String! precision: String! }
    type Event implements Node { id: ID! slug: String! title: String! startDate: PartialDate! }
    type Query { node(id: ID!): Node }
  `,
  resolvers: {
    Node: { __resolveType: () => 'Event' },
    Event: { startDate: (row: EventRow) => ({ iso: row.iso, precision: row.precision }) },
    Query: {
      node: (_: unknown, { id }: { id: string }) => {
        const [type, key] = Buffer.from(id, 'base64').toString('utf8').split(':');
        return type === 'Event' ? ((eventById.get(Number(key)) as EventRow | undefined) ?? null) : null;
      },
    },
  },
});

const server = createServer(createYoga({ schema, logging: false }));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
