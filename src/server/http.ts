import { createServer, type RequestListener, type Server } from 'node:http';

export interface GracefulServer {
  server: Server;
  /** Finishes the requests in flight, refusing new ones, then stops (forcing the rest after `graceMs`). */
  shutDown(graceMs: number): Promise<void>;
}

/** How long the server must see no new connection or request before it stops listening. */
const QUIET_MS = 300;

const SHUTTING_DOWN = JSON.stringify({
  errors: [{ message: 'The server is shutting down; try again shortly.', extensions: { code: 'SHUTTING_DOWN' } }],
});

/**
 * An HTTP server that stops without dropping requests. Once stopping, it answers new requests 503
 * (with Retry-After) and asks clients to close their connections. It stops listening only when no
 * request is in flight and none has arrived for a moment: Node's own `server.close()` resets
 * connections that are accepted but not yet read, and closing the listener resets those the
 * operating system has not handed over yet.
 */
export function createGracefulServer(handler: RequestListener): GracefulServer {
  let stopping = false;
  let inFlight = 0;
  let lastActivity = Date.now();
  const server = createServer((request, response) => {
    lastActivity = Date.now();
    if (stopping) {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
      response.end(SHUTTING_DOWN);
      return;
    }
    inFlight++;
    response.once('close', () => {
      inFlight--;
      lastActivity = Date.now();
    });
    handler(request, response);
  });
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
