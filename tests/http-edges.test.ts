import { type AddressInfo, connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { corsOrigins } from '../src/config.js';
import { seedDatabase } from '../src/seed/index.js';
import { CONNECTION_TIMEOUTS, createGracefulServer, type GracefulServerOptions, type NodeFetchHandler } from '../src/server/http.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

interface Listening {
  port: number;
  close(): Promise<void>;
}

const running: Listening[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** The node HTTP layer, listening on a free port of 127.0.0.1, in front of `app`. */
async function listen(app: NodeFetchHandler, options?: GracefulServerOptions): Promise<Listening> {
  const { server } = createGracefulServer(app, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const listening = {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  running.push(listening);
  return listening;
}

interface Exchange {
  /** Everything the server sent back. */
  text: string;
  status: number | null;
  body: string;
  /** When the server closed the connection, counted from the connection; null if it was still open at `giveUpMs`. */
  closedAfterMs: number | null;
}

/**
 * Talks raw HTTP over TCP (fetch would refuse to send a malformed Host, or to send slowly): `talk`
 * writes to the socket, as slowly as it likes, until the server closes it.
 */
function exchange(port: number, talk: (write: (text: string) => boolean) => Promise<void> | void, giveUpMs = 5_000): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    let text = '';
    let closed = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (closedAfterMs: number | null) => {
      clearTimeout(giveUp);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const raw = rest.join('\r\n\r\n');
      resolve({ text, status: status ? Number(status) : null, body: /^transfer-encoding: chunked$/im.test(head) ? unchunk(raw) : raw, closedAfterMs });
    };
    const giveUp = setTimeout(() => finish(null), giveUpMs);
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      finish(Date.now() - started);
    });
    socket.on('connect', () => void talk((chunk) => !closed && socket.write(chunk)));
  });
}

/** The body of a chunked response (the chunks' sizes are hexadecimal lines before each chunk). */
function unchunk(raw: string): string {
  let body = '';
  for (let rest = raw; ; ) {
    const size = Number.parseInt(rest, 16);
    if (!(size > 0)) return body;
    const start = rest.indexOf('\r\n') + 2;
    body += rest.slice(start, start + size);
    rest = rest.slice(start + size + 2);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stack frame, an absolute path or a dependency's name: what an error page must never show. */
const LEAKS = /\bat \S+ \(|\bat file:|node_modules|\/work\/|\.ts:\d+/;

const database = await openTestDatabase();
await seedDatabase(database);
const timeline = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, corsOrigins: ['https://newsroom.example'] });
afterAll(() => database.close());

describe('a malformed Host header or request target', () => {
  const hosts = ['x:99999', '[::1', 'a b', '%', 'a/b', 'user@host'];
  const paths = ['/', '/graphql?query=%7B__typename%7D', '/health', '/timelinejs.json', '/web/timeline.js'];

  it.each(hosts)('Host %j gets 400 with a short error and no trace, on every route', async (host) => {
    const { port } = await listen(timeline);
    for (const path of paths) {
      const reply = await exchange(port, (write) => void write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
      expect(reply.status, path).toBe(400);
      expect(reply.body, path).not.toMatch(LEAKS);
      expect(reply.body.length, path).toBeLessThan(300);
      expect(JSON.parse(reply.body)).toEqual({ errors: [{ message: expect.stringContaining('Host header'), extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it.each(['http://timeline.example/graphql?query=%7B__typename%7D', '*'])('request target %j gets 400, no trace', async (target) => {
    const { port } = await listen(timeline);
    const reply = await exchange(port, (write) => void write(`OPTIONS ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    expect(reply.status).toBe(400);
    expect(reply.body).not.toMatch(LEAKS);
    expect(JSON.parse(reply.body).errors[0].message).toContain('request target');
  });

  it('an empty Host (HTTP/1.1) and no Host at all (HTTP/1.0) are valid, and answered', async () => {
    const { port } = await listen(timeline);
    for (const head of ['HTTP/1.1\r\nHost: ', 'HTTP/1.0']) {
      const reply = await exchange(port, (write) => void write(`GET /graphql?query=%7B__typename%7D ${head}\r\nConnection: close\r\n\r\n`));
      expect(reply.status, head).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ data: { __typename: 'Query' } });
    }
  });
});

describe('the outermost catch', () => {
  const SECRET = 'sekrit-token-value';
  const request = `GET /graphql?token=${SECRET} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${SECRET}\r\nConnection: close\r\n\r\n`;

  const failingApps: Record<string, NodeFetchHandler> = {
    'a synchronous throw': {
      handleNodeRequestAndResponse() {
        throw new Error('boom in /srv/app/secret-place.ts');
      },
    },
    'a rejected promise': {
      async handleNodeRequestAndResponse() {
        throw new TypeError('boom in /srv/app/secret-place.ts\n    at somewhere (/srv/app/x.ts:1:1)');
      },
    },
  };

  it.each(Object.keys(failingApps))('turns %s into a masked 500, logged on one line without secrets', async (name) => {
    const logged: string[] = [];
    const { port } = await listen(failingApps[name]!, { logError: (line) => logged.push(line) });
    const reply = await exchange(port, (write) => void write(request));
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(reply.text).not.toContain('boom');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('boom');
    expect(logged[0]).toContain('GET /graphql');
    expect(logged[0]).not.toContain('\n');
    expect(logged[0]).not.toContain(SECRET);
  });

  it('masks what a route throws (the database closed under /timelinejs.json) instead of printing its stack', async () => {
    const closing = await openTestDatabase();
    await seedDatabase(closing);
    const logged: string[] = [];
    const { port } = await listen(createTimelineYoga({ database: closing }), { logError: (line) => logged.push(line) });
    await closing.close();
    const reply = await exchange(port, (write) => void write('GET /timelinejs.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    expect(reply.status).toBe(500);
    expect(reply.body).not.toMatch(LEAKS);
    expect(JSON.parse(reply.body).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(logged).toEqual([expect.stringContaining('GET /timelinejs.json')]);
  });
});

describe('deeply nested variables and extensions', () => {
  const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const nestedArray = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
  const post = (body: string) =>
    timeline.fetch('http://timeline.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });

  it.each([
    ['variables', 5_000, nestedObject],
    ['variables', 65, nestedObject],
    ['variables', 3_000, nestedArray],
    ['extensions', 5_000, nestedObject],
  ] as const)('%s nested %i levels deep get 400 naming them and the limit', async (field, depth, nest) => {
    const response = await post(`{"query":"query Q($a: String) { __typename }","${field}":${nest(depth)}}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: `The request's ${field} are nested more than 64 levels deep, the limit.`, extensions: { code: 'LIMIT_EXCEEDED' } }]);
  });

  it('variables nested 64 levels deep are within the limit', async () => {
    const response = await post(`{"query":"{ __typename }","variables":${nestedObject(64)}}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('requests that do not parse', () => {
  it.each(['variables=%5B%5B', 'variables=%ff', 'extensions=%5B%5B'])('GET /graphql?query=…&%s gets 400 BAD_REQUEST, not a 500', async (parameter) => {
    const response = await timeline.fetch(`http://timeline.test/graphql?query=%7B__typename%7D&${parameter}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The query string is not valid: variables, extensions and JSON bodies must be JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('a POST body that is not JSON gets 400 without the parser’s own error', async () => {
    const response = await timeline.fetch('http://timeline.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('cross-origin requests', () => {
  const LISTED = 'https://newsroom.example';
  const preflight = (origin: string) =>
    timeline.fetch('http://timeline.test/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });

  it('an unlisted origin may read: Access-Control-Allow-Origin *, no credentials, no Authorization header', async () => {
    const response = await preflight('https://elsewhere.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, accept, x-graphql-yoga-csrf');

    const read = await timeline.fetch('http://timeline.test/graphql?query=%7B__typename%7D', { headers: { origin: 'https://elsewhere.example' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
    // A page may read when to retry, and whether the response cache answered.
    expect(read.headers.get('access-control-expose-headers')).toBe('retry-after, x-cache');
  });

  it('an origin listed in CORS_ORIGINS gets its own origin back, credentials and the Authorization header', async () => {
    const response = await preflight(LISTED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, accept, x-graphql-yoga-csrf, authorization');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('CORS_ORIGINS is a comma-separated list of origins, checked at start-up', () => {
    expect(corsOrigins({})).toEqual([]);
    expect(corsOrigins({ CORS_ORIGINS: ' https://newsroom.example , http://localhost:5173 ' })).toEqual(['https://newsroom.example', 'http://localhost:5173']);
    for (const wrong of ['newsroom.example', 'https://newsroom.example/', 'https://newsroom.example/path', '*']) {
      expect(() => corsOrigins({ CORS_ORIGINS: wrong }), wrong).toThrow(`CORS_ORIGINS must list origins such as https://newsroom.example, comma-separated; "${wrong}" is not one`);
    }
  });

  it('a request without Origin gets no CORS headers', async () => {
    const read = await timeline.fetch('http://timeline.test/graphql?query=%7B__typename%7D');
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('cross-site "simple" requests do not run operations', () => {
  const TITLE_QUERY = '{ event(slug: "camp-david-summit") { title } }';
  const mutation = 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Forged" }) { __typename } }';
  const authorization = `Bearer ${TEST_TOKENS.editor}`;
  const titleNow = async () => {
    const response = await timeline.fetch(`http://timeline.test/graphql?query=${encodeURIComponent(TITLE_QUERY)}`);
    return ((await response.json()) as { data: { event: { title: string } } }).data.event.title;
  };
  let originalTitle = '';
  beforeAll(async () => {
    originalTitle = await titleNow();
  });

  const multipart = () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: mutation }));
    form.set('map', '{}');
    return form;
  };
  const bodies: Record<string, () => RequestInit> = {
    'form-encoded': () => ({ headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: mutation }).toString() }),
    multipart: () => ({ headers: { authorization }, body: multipart() }),
    'text/plain': () => ({ headers: { authorization, 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ query: mutation }) }),
    'without a content type': () => ({ headers: { authorization }, body: new Blob([JSON.stringify({ query: mutation })]) }),
  };

  it.each(Object.keys(bodies))('a %s POST is refused (403) and writes nothing', async (kind) => {
    const init = bodies[kind]!();
    const response = await timeline.fetch('http://timeline.test/graphql', { ...init, method: 'POST', headers: { origin: 'https://evil.example', ...init.headers } });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.message).toContain('application/json');
    expect(body.errors[0]!.extensions.code).toBe('CSRF_PREVENTED');
    expect(await titleNow()).toBe(originalTitle);
  });

  it('the same mutation as application/json runs (a browser preflights it)', async () => {
    const response = await timeline.fetch('http://timeline.test/graphql', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Camp David" }) { __typename } }' }),
    });
    expect(await response.json()).toEqual({ data: { updateEvent: { __typename: 'MutationUpdateEventSuccess' } } });
  });

  it('a GET query needs no extra header; a GET mutation is still refused', async () => {
    const read = await timeline.fetch('http://timeline.test/graphql?query=%7B__typename%7D');
    expect(read.status).toBe(200);
    const write = await timeline.fetch(`http://timeline.test/graphql?query=${encodeURIComponent(mutation)}`, { headers: { authorization } });
    expect(write.status).toBe(405);
  });
});

describe('connection hygiene', () => {
  const SHORT = { headersMs: 400, requestMs: 800, keepAliveMs: 300 };

  it('the production timeouts are 10 s for headers, 15 s for the whole request, 5 s idle keep-alive', () => {
    expect(CONNECTION_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000 });
    const { server } = createGracefulServer(timeline);
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([10_000, 15_000, 5_000]);
    expect(server.timeout).toBe(0); // no inactivity timeout: it would cut quiet subscription streams
  });

  it('cuts a client that sends its headers one byte at a time', async () => {
    const { port } = await listen(timeline, { timeouts: SHORT });
    const reply = await exchange(port, async (write) => {
      write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
      while (write('a')) await sleep(100);
    });
    expect(reply.closedAfterMs).not.toBeNull();
    expect(reply.closedAfterMs!).toBeLessThan(SHORT.headersMs + 1_000);
    expect(reply.status).toBe(408);
  });

  it('cuts a client that sends its body one byte at a time', async () => {
    const { port } = await listen(timeline, { timeouts: SHORT });
    const body = JSON.stringify({ query: '{ __typename }' }).padEnd(200, ' ');
    const reply = await exchange(port, async (write) => {
      write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      for (const character of body) {
        if (!write(character)) break;
        await sleep(100);
      }
    });
    expect(reply.closedAfterMs).not.toBeNull();
    expect(reply.closedAfterMs!).toBeLessThan(SHORT.requestMs + 1_000);
    expect(reply.status).toBe(408);
  });

  it('closes an idle keep-alive connection after its timeout', async () => {
    const { port } = await listen(timeline, { timeouts: SHORT });
    const reply = await exchange(port, (write) => void write('GET /live HTTP/1.1\r\nHost: localhost\r\n\r\n'), 3_000);
    expect(reply.status).toBe(200);
    expect(reply.closedAfterMs).not.toBeNull();
    // Node holds the socket a second longer than the timeout it announces, against races with the client.
    expect(reply.closedAfterMs!).toBeLessThan(SHORT.keepAliveMs + 1_000 + 700);
  });

  it('keeps a subscription stream open past every timeout, and delivers to it', async () => {
    const { port } = await listen(timeline, { timeouts: SHORT });
    const base = `http://127.0.0.1:${port}`;
    const query = 'subscription { timelineChanged { slug } }';
    const stream = await fetch(`${base}/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    await sleep(2 * SHORT.requestMs);
    const edit = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
      body: JSON.stringify({ query: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Camp David, again" }) { __typename } }' }),
    });
    expect(edit.status).toBe(200);
    let received = '';
    while (!received.includes('camp-david-summit')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value;
    }
    await reader.cancel();
    expect(received).toContain('"slug":"camp-david-summit"');
  });
});
