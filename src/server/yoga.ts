import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { execute, GraphQLError, NoSchemaIntrospectionCustomRule, subscribe } from 'graphql';
import { createYoga, maskError, type Plugin, useReadinessCheck } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import type { ChangeFeed } from '../db/change-feed.js';
import type { DatabaseHandle } from '../db/client.js';
import { DatabaseBusyError, DatabaseUnavailableError, isRefusedValue, isUnavailableError } from '../db/failures.js';
import { isOverBudget, STATEMENT_BUDGET_MS, StatementBudgetError } from '../db/statement-budget.js';
import type { TimelineContext } from '../schema/builder.js';
import { useConnectionArgumentChecks } from '../schema/connection-arguments.js';
import { useOperationAsOf } from '../schema/operation-as-of.js';
import { schema } from '../schema/index.js';
import { recordReads } from './answer-reads.js';
import { authenticate, presentsInvalidToken, type StoredToken, type TokenSource, type Viewer } from './auth.js';
import { useCrossOriginPolicy } from './cross-origin.js';
import { type DeadlineContext, startDeadline, withDeadlines } from './deadline.js';
import { EXAMPLE_TABS } from './example-queries.js';
import { LIMITS, type Limits, useRequestLimits } from './limits.js';
import { createLiveChanges } from './live-changes.js';
import { useUnparsableRequestRefusal } from './request-parsing.js';
import { useResponseCache } from './response-cache.js';
import { useResponseSizeLimit } from './response-size.js';
import { useTimelineRoutes } from './routes.js';
import { useVariablesDepthLimit } from './variables-depth.js';

// Deadlines on every object field; what each answer reads, for the response cache to tell which writes change it.
const servedSchema = recordReads(withDeadlines(schema));

export interface TimelineServerDependencies {
  database: DatabaseHandle;
  /** Who may write: hashed tokens with their names and roles, or a source that follows the tokens file. Without any, the API is read-only. */
  tokens?: readonly StoredToken[] | TokenSource;
  limits?: Limits;
  /** Introspection and GraphiQL; on unless turned off (TIMELINE_EXPLORER=off). */
  explorer?: boolean;
  /** Development mode keeps "Did you mean …" suggestions and shows unexpected errors' details. */
  development?: boolean;
  /** Answer repeated queries from memory until the database changes; on unless turned off. */
  responseCache?: boolean;
  /** Where subscriptions learn of committed writes; by default the database's own feed. */
  changeFeed?: ChangeFeed;
  /** Origins (CORS_ORIGINS) whose pages may send credentials; any other may only read. */
  corsOrigins?: readonly string[];
}

/**
 * Added to GraphiQL's page. It has no viewport tag, and on a narrow screen it squeezes the result
 * beside the editor to a sliver: let phones lay it out at their width, with the panes stacked.
 */
const GRAPHIQL_HEAD = `<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  @media (max-width: 700px) {
    #graphiql-session { flex-direction: column; }
    #graphiql-session > .graphiql-horizontal-drag-bar { display: none; }
    /* The drag bar's inline flex sizes would keep them side by side. */
    #graphiql-session > .graphiql-editors, #graphiql-session > .graphiql-response { flex: 1 1 0% !important; min-width: 0; min-height: 0; }
  }
</style>
<script>
  // GraphiQL writes the open tab's editors to their own keys only once they are edited; a return
  // visit without them makes it open a new empty tab. Restore them from the stored tabs first.
  // Only a tab of GraphiQL's own shape: GraphiQL ignores any other stored tabs, but would still
  // put what this copied into the example it opens instead.
  try {
    const stored = JSON.parse(localStorage.getItem('graphiql:tabState'));
    const open = stored && Array.isArray(stored.tabs) ? stored.tabs[stored.activeTabIndex] : null;
    const text = (value) => value === null || typeof value === 'string';
    const ownShape = open && typeof open.id === 'string' && typeof open.title === 'string' && ['query', 'variables', 'headers', 'operationName'].every((key) => key in open && text(open[key]));
    if (ownShape && localStorage.getItem('graphiql:query') === null) {
      for (const key of ['query', 'variables', 'headers']) if (open[key] !== null) localStorage.setItem('graphiql:' + key, open[key]);
    }
  } catch {}
</script>`;

/**
 * Starts each query's and mutation's clock. A subscription runs as long as its client listens, but
 * setting it up has the same time limit, and each change pushed to it gets its own (subscription.ts).
 */
function useDeadline(timeoutMs: number): Plugin {
  const start = ({ args }: { args: { contextValue: unknown } }) => {
    const context = args.contextValue as DeadlineContext;
    context.timeoutMs = timeoutMs;
    startDeadline(context);
  };
  return { onExecute: start, onSubscribe: start };
}

/**
 * graphql-js's own executor instead of Yoga's default (@graphql-tools/executor), which writes an
 * object's fields in the order their promises settle: graphql-js keeps the order of the query, as
 * the spec asks of a JSON response (a field with an async resolver, such as `totalCount`, would
 * otherwise come last).
 */
function useQueryOrderedExecution(): Plugin {
  const executeInOrder: typeof execute = (args) => {
    const result = execute(args);
    // A request graphql-js cannot run at all (a variable that does not coerce) is answered with
    // errors and no data, synchronously: the client's mistake, 400 as Yoga's executor marks it.
    if (!('then' in result) && !('data' in result)) {
      for (const error of result.errors ?? []) {
        Object.defineProperty(error, 'extensions', { value: { ...error.extensions, http: { status: 400 } } });
      }
    }
    return result;
  };
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(executeInOrder);
    },
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe);
    },
  };
}

function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/** The code (and HTTP answer) of a failure the database layer explains in its message; null for any other. */
function explainedFailure(cause: unknown): { message: string; extensions: Record<string, unknown> } | null {
  const retryLater = { status: 503, headers: { 'retry-after': '1' } };
  if (cause instanceof DatabaseBusyError) return { message: cause.message, extensions: { code: 'DATABASE_BUSY', http: retryLater } };
  if (isUnavailableError(cause)) {
    const message = cause instanceof DatabaseUnavailableError ? cause.message : new DatabaseUnavailableError().message;
    return { message, extensions: { code: 'DATABASE_UNAVAILABLE', http: retryLater } };
  }
  if (isRefusedValue(cause)) {
    return {
      message: 'A value in the request cannot be used here: a number out of range, or a value of the wrong kind (an id or cursor not as this server issued it).',
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  if (isOverBudget(cause)) {
    const message = cause instanceof StatementBudgetError ? cause.message : new StatementBudgetError(STATEMENT_BUDGET_MS).message;
    return { message, extensions: { code: 'LIMIT_EXCEEDED' } };
  }
  return null;
}

/** The GraphQL service over `database`. Tests call its `fetch` directly; `main.ts` puts it behind a port. */
export function createTimelineYoga({
  database,
  tokens = [],
  limits = LIMITS,
  explorer = true,
  development = false,
  responseCache = true,
  changeFeed,
  corsOrigins = [],
}: TimelineServerDependencies) {
  const changes = createLiveChanges(changeFeed ?? database.changes, {
    streams: limits.streams,
    streamsPerClient: limits.streamsPerClient,
    backlog: limits.streamBacklog,
  });
  // The response cache keys by viewer before the context exists; one token check serves both.
  const viewers = new WeakMap<Request, Viewer | null>();
  const viewerOf = (request: Request): Viewer | null => {
    let viewer = viewers.get(request);
    if (viewer === undefined) viewers.set(request, (viewer = authenticate(request.headers.get('authorization'), tokens)));
    return viewer;
  };
  return createYoga<{ req?: IncomingMessage }, TimelineContext>({
    schema: servedSchema,
    context: ({ request, req }) => ({
      database,
      db: database.db,
      changes,
      clientAddress: req?.socket.remoteAddress ?? 'local',
      viewer: viewerOf(request),
      invalidToken: presentsInvalidToken(request.headers.get('authorization'), viewerOf(request)),
    }),
    graphqlEndpoint: '/graphql',
    // The body limit is the service's own (LIMITS.bodyBytes, useRequestLimits), far below Yoga's
    // 25 MB: Yoga's would only pipe every body through a stream transform to count it again.
    maxRequestBodySize: false,
    // Yoga's own liveness answer moves aside for /health, which also asks the database.
    healthCheckEndpoint: '/live',
    plugins: [
      ...useCrossOriginPolicy(corsOrigins),
      useUnparsableRequestRefusal(),
      useVariablesDepthLimit(limits.variablesDepth),
      useQueryOrderedExecution(),
      useReadinessCheck({
        endpoint: '/health',
        check: async ({ fetchAPI }) => {
          try {
            await database.ping();
            return true;
          } catch (error) {
            // /health answers 503 with the reason, and the service keeps running until the database is back.
            return new fetchAPI.Response(JSON.stringify({ status: 'unavailable', code: 'DATABASE_UNAVAILABLE', message: (error as Error).message }), {
              status: 503,
              headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
            });
          }
        },
      }),
      ...useRequestLimits(limits, { development }),
      useConnectionArgumentChecks(),
      useOperationAsOf(),
      useResponseSizeLimit(limits.responseBytes),
      ...(responseCache ? [useResponseCache(database, { viewerKey: (request) => JSON.stringify(viewerOf(request)) })] : []),
      useDeadline(limits.timeoutMs),
      ...(explorer ? [] : [useNoIntrospection()]),
      useTimelineRoutes({ database }),
    ],
    maskedErrors: {
      // Errors the service means to show carry a stable code; anything else is masked.
      maskError: (error, message, isDev) => {
        const cause = error instanceof GraphQLError ? error.originalError : error;
        const known = explainedFailure(cause);
        if (known) {
          return new GraphQLError(known.message, { nodes: (error as GraphQLError).nodes, path: (error as GraphQLError).path, extensions: known.extensions });
        }
        if (error instanceof GraphQLError && !error.extensions?.code && !(error.originalError && !(error.originalError instanceof GraphQLError))) {
          return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
        }
        return maskError(error, message, isDev);
      },
    },
    // GraphiQL's page is bundled (no CDN): it works offline.
    renderGraphiQL: (options) => renderGraphiQL(options).replace('</head>', `${GRAPHIQL_HEAD}</head>`),
    graphiql: explorer && {
      title: 'timeline',
      // One tab per example, so that Run runs the one in view.
      defaultTabs: EXAMPLE_TABS,
      favicon: 'data:,',
    },
    // CORS is useCrossOriginPolicy's: Yoga's own reflects any origin with credentials.
    cors: false,
    landingPage: false,
    logging: false,
  });
}
