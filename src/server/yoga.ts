import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import type { TimelineDatabase } from '../db/client.js';
import { schema } from '../schema/index.js';
import { useConnectionArgumentChecks } from '../schema/connection-arguments.js';
import { EXAMPLES_DOCUMENT } from './example-queries.js';
import { useTimelineRoutes } from './routes.js';

export interface TimelineServerDependencies {
  db: TimelineDatabase;
}

/** The GraphQL service over `db`. Tests call its `fetch` directly; `main.ts` puts it behind a port. */
export function createTimelineYoga({ db }: TimelineServerDependencies) {
  return createYoga({
    schema,
    context: () => ({ db }),
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
