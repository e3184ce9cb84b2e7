import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';

export interface GracefulServer {
  server: Server;
  /** Finishes the requests in flight, refusing new ones, then stops (forcing the rest after `graceMs`). */
  shutDown(graceMs: number): Promise<void>;
}

/** What the HTTP layer serves: a fetch-style app with Node's adapter, as a Yoga instance is. */
export interface NodeFetchHandler {
  handleNodeRequestAndResponse(
    request: IncomingMessage,
    response: ServerResponse,
    context: { req: IncomingMessage; res: ServerResponse },
  ): Response | Promise<Response>;
}

/**
 * How long a client may take. These bound slow clients only: once a request has arrived, its
 * answer may take as long as it needs, so subscription streams stay open (Node's socket inactivity
 * timeout, which would cut a quiet stream, stays off).
 */
export const CONNECTION_TIMEOUTS = {
  /** To send a request's headers, from the moment it starts. */
  headersMs: 10_000,
  /** To send the whole request, body included, from the moment it starts. */
  requestMs: 15_000,
  /** An idle keep-alive connection is closed after this long without a new request. */
  keepAliveMs: 5_000,
};

export type ConnectionTimeouts = typeof CONNECTION_TIMEOUTS;

export interface GracefulServerOptions {
  timeouts?: ConnectionTimeouts;
  /** Where an unexpected error is reported, one line per request. */
  logError?: (line: string) => void;
}

/** How long the server must see no new connection or request before it stops listening. */
const QUIET_MS = 300;

const errorBody = (message: string, code: string) => JSON.stringify({ errors: [{ message, extensions: { code } }] });

const SHUTTING_DOWN = errorBody('The server is shutting down; try again shortly.', 'SHUTTING_DOWN');
const UNEXPECTED = errorBody('Unexpected error.', 'INTERNAL_SERVER_ERROR');

/**
 * Why a request cannot be turned into a URL, or null when it can. The Host header must be a host
 * with an optional port (empty is valid: HTTP/1.0 may omit it, and the server's address stands in),
 * and the target a path: anything else would be refused deep inside the fetch adapter with a stack.
 */
function malformedRequest(request: IncomingMessage): string | null {
  const host = request.headers.host ?? '';
  // Characters a URL parser would accept but read as something else: a path, a query, user info.
  if (/[/?#@\\\s]/.test(host) || (host !== '' && !URL.canParse(`http://${host}/`))) {
    return 'The Host header is not a valid host name with an optional port.';
  }
  if (!request.url?.startsWith('/')) return 'The request target must be a path, such as /graphql.';
  return null;
}

/** One line, without headers or the query string (either may carry a token). */
function describeFailure(request: IncomingMessage, error: unknown): string {
  const path = (request.url ?? '').split('?')[0];
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `timeline: unexpected error answering ${request.method} ${path}: ${reason.split('\n')[0]}`;
}

/**
 * An HTTP server that stops without dropping requests. Once stopping, it answers new requests 503
 * (with Retry-After) and asks clients to close their connections. It stops listening only when no
 * request is in flight and none has arrived for a moment: Node's own `server.close()` resets
 * connections that are accepted but not yet read, and closing the listener resets those the
 * operating system has not handed over yet.
 *
 * It is also the outermost catch: a request it cannot parse gets a 400, and whatever the app
 * throws or rejects with becomes a masked 500 (logged on one line), never a stack trace.
 */
export function createGracefulServer(
  app: NodeFetchHandler,
  { timeouts = CONNECTION_TIMEOUTS, logError = (line) => console.error(line) }: GracefulServerOptions = {},
): GracefulServer {
  let stopping = false;
  let inFlight = 0;
  let lastActivity = Date.now();

  const fail = (request: IncomingMessage, response: ServerResponse, error: unknown) => {
    logError(describeFailure(request, error));
    if (response.headersSent) {
      response.destroy(); // part of an answer is out: cutting it is all that is left
    } else if (!response.writableEnded) {
      response.writeHead(500, { 'content-type': 'application/json' }).end(UNEXPECTED);
    }
  };

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    let fetchResponse: Response;
    try {
      fetchResponse = await app.handleNodeRequestAndResponse(request, response, { req: request, res: response });
    } catch (error) {
      fail(request, response, error);
      return;
    }
    await sendNodeResponse(fetchResponse, response, request, true);
  };

  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often Node looks for requests past their timeouts (its default, 30 s, would let a slow
      // client stay up to that much longer).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs / 4),
    },
    (request, response) => {
      lastActivity = Date.now();
      if (stopping) {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
        response.end(SHUTTING_DOWN);
        return;
      }
      const malformed = malformedRequest(request);
      if (malformed) {
        response.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
        response.end(errorBody(malformed, 'BAD_REQUEST'));
        return;
      }
      inFlight++;
      response.once('close', () => {
        inFlight--;
        lastActivity = Date.now();
      });
      answer(request, response).catch((error: unknown) => fail(request, response, error));
    },
  );
  server.on('connection', () => {
    lastActivity = Date.now();
  });
  return {
    server,
    shutDown(graceMs) {
      stopping = true;
      const deadline = Date.now() + graceMs;
      return new Promise((resolve) => {
        const check = setInterval(() => {
          const quiet = inFlight === 0 && Date.now() - lastActivity >= QUIET_MS;
          if (!quiet && Date.now() < deadline) return;
          clearInterval(check);
          server.close(() => resolve());
          server.closeAllConnections();
        }, 50);
      });
    },
  };
}
