import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createPubSub, createYoga } from 'graphql-yoga';
import type { TimelineDatabase } from '../db/client.js';
import type { TimelineContext, TimelinePubSub } from '../schema/builder.js';
import { schema } from '../schema/index.js';
import { useConnectionArgumentChecks } from '../schema/connection-arguments.js';
import { authenticate, type StoredToken } from './auth.js';
import { EXAMPLES_DOCUMENT } from './example-queries.js';
import { useTimelineRoutes } from './routes.js';

export interface TimelineServerDependencies {
  db: TimelineDatabase;
  /** Who may write: hashed tokens with their names and roles. Without any, the API is read-only. */
  tokens?: readonly StoredToken[];
}

/** The GraphQL service over `db`. Tests call its `fetch` directly; `main.ts` puts it behind a port. */
export function createTimelineYoga({ db, tokens = [] }: TimelineServerDependencies) {
  const pubsub: TimelinePubSub = createPubSub();
  return createYoga<object, TimelineContext>({
    schema,
    context: ({ request }) => ({ db, pubsub, viewer: authenticate(request.headers.get('authorization'), tokens) }),
    graphqlEndpoint: '/graphql',
    plugins: [useConnectionArgumentChecks(), useTimelineRoutes({ db })],
    // GraphiQL's page is bundled (no CDN): it works offline.
    renderGraphiQL,
    graphiql: {
      title: 'timeline',
      defaultQuery: EXAMPLES_DOCUMENT,
      favicon: 'data:,',
    },
    landingPage: false,
    logging: false,
  });
}
