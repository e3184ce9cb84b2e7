import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EventSource } from 'eventsource';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeFeed, CommittedRevision } from '../src/db/change-feed.js';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { LIMITS, type Limits } from '../src/server/limits.js';
import { createLiveChanges } from '../src/server/live-changes.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { post, projectRoot, type ServerProcess, startServer, waitFor } from '../scripts/server-process.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'timeline-live-'));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Subscribes over Server-Sent Events and collects the payloads that arrive. */
function subscribe(url: string, query: string) {
  const received: any[] = [];
  const source = new EventSource(`${url}?query=${encodeURIComponent(query)}`);
  const listener = (message: MessageEvent) => received.push(JSON.parse(message.data));
  source.addEventListener('next', listener);
  const opened = new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) => reject(error);
  });
  cleanups.push(() => source.close());
  return { received, opened, close: () => source.close() };
}

const CHANGES = 'subscription { timelineChanged { action slug after } }';
const retitle = (slug: string, title: string) => `mutation { updateEvent(slug: "${slug}", patch: { title: "${title}" }) { __typename } }`;

async function serve(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer({ TIMELINE_TOKENS: JSON.stringify(TEST_TOKEN_STORE), ...env });
  cleanups.push(() => server.stop());
  return server;
}

describe('changes from other processes', () => {
  it('a subscriber on one server hears writes made through another server on the same database, and by npm run seed', async () => {
    const database = join(scratch(), 'timeline.db');
    const listening = await serve({ DATABASE_URL: database });
    const writing = await serve({ DATABASE_URL: database });
    const subscriber = subscribe(listening.url, CHANGES);
    await subscriber.opened;
    expect((await post(writing.url, retitle('camp-david-summit', 'Written elsewhere'), TEST_TOKENS.editor)).body.data.updateEvent.__typename).toBe(
      'MutationUpdateEventSuccess',
    );
    await waitFor(() => subscriber.received.length === 1, 'the change from the other server');
    expect(subscriber.received[0]).toEqual({
      data: { timelineChanged: { action: 'UPDATED', slug: 'camp-david-summit', after: expect.objectContaining({ title: 'Written elsewhere' }) } },
    });

    // A seed run is one more writer; its changes reach subscribers too.
    const seedDir = join(scratch(), 'seed');
    cpSync(join(projectRoot, 'seed'), seedDir, { recursive: true });
    const eventsFile = join(seedDir, 'events.yaml');
    writeFileSync(eventsFile, readFileSync(eventsFile, 'utf8').replace(/^(\s+title: )Xi Jinping visits South Korea$/m, '$1Xi Jinping visits Seoul'));
    expect(readFileSync(eventsFile, 'utf8')).toContain('Xi Jinping visits Seoul');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts', '--force', seedDir], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: database },
    });
    await waitFor(() => subscriber.received.some((payload) => payload.data.timelineChanged.after?.title === 'Xi Jinping visits Seoul'), 'the seed run’s change');
  }, 90_000);

  it('with WORKERS=2, every subscriber hears every change, whichever worker it is connected to', async () => {
    const server = await serve({ WORKERS: '2', DATABASE_URL: join(scratch(), 'timeline.db') });
    // New connections are dealt to the workers in turn, so four subscribers land on both.
    const subscribers = Array.from({ length: 4 }, () => subscribe(server.url, CHANGES));
    await Promise.all(subscribers.map((subscriber) => subscriber.opened));
    for (let i = 0; i < 3; i++) {
      expect((await post(server.url, retitle('camp-david-summit', `Round ${i}`), TEST_TOKENS.editor)).status).toBe(200);
    }
    await waitFor(() => subscribers.every((subscriber) => subscriber.received.length === 3), 'every change at every subscriber');
    for (const subscriber of subscribers) {
      expect(subscriber.received.map((payload) => payload.data.timelineChanged.after.title)).toEqual(['Round 0', 'Round 1', 'Round 2']);
    }
  }, 90_000);
});

/** An in-process server over a seeded database, listening on 127.0.0.1. */
async function listen(limits: Limits = LIMITS) {
  const database = await openDatabase(':memory:');
  await seedDatabase(database);
  const server: Server = createServer(createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, limits }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    server.close();
    await database.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, database };
}

/**
 * Opens an SSE subscription from a given loopback address; resolves with the status and what the
 * stream says first: an error, or (for a stream that has started) its first keep-alive.
 */
function subscribeFrom(url: string, localAddress: string, query = CHANGES): Promise<{ status: number; first: string; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}?query=${encodeURIComponent(query)}`, { localAddress, headers: { accept: 'text/event-stream' } }, (response) => {
      let text = '';
      const settle = () => resolve({ status: response.statusCode!, first: text, close: () => req.destroy() });
      // A running stream only pings until a change comes; give an error a moment to arrive first.
      const quiet = setTimeout(settle, 300);
      response.on('data', (chunk) => {
        text += chunk;
        if (text.includes('data:')) {
          clearTimeout(quiet);
          settle();
        }
      });
    });
    req.on('error', reject);
    req.end();
    cleanups.push(() => req.destroy());
  });
}

describe('what a subscriber is pushed', () => {
  it('loads the changed event with its whole nested selection in one statement', async () => {
    const statements: string[] = [];
    const database = await openDatabase(':memory:', { logger: { logQuery: (sql) => statements.push(sql) } });
    await seedDatabase(database);
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
    cleanups.push(() => database.close());
    const write = async (title: string) => {
      statements.length = 0;
      const written = await yoga.fetch('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
        body: JSON.stringify({ query: retitle('camp-david-summit', title) }),
      });
      expect(written.status).toBe(200);
      return [...statements];
    };
    const unheard = await write('Unheard');

    const query = `subscription { timelineChanged { event { title participants(first: 10) { edges { node { name events(first: 10) { edges { node {
      slug citations(first: 10) { edges { node { quote article { title source { name } } } } } } } } } } } } } }`;
    const response = await yoga.fetch(`http://timeline.test/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    // The stream's first keep-alive: by then the subscription listens.
    let text = new TextDecoder().decode((await reader.read()).value);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await write('Pushed');
    while (!text.includes('event: next')) text += new TextDecoder().decode((await reader.read()).value);
    // Everything since the write began: its own statements, then the push's (which may come after its answer).
    const heard = [...statements];
    await reader.cancel();
    expect(text).toContain('"title":"Pushed"');
    // Beyond the write's own statements: one read of the revisions log, one for the event and all below it.
    const pushed = [...heard];
    for (const statement of unheard) pushed.splice(pushed.indexOf(statement), 1);
    expect(pushed).toHaveLength(2);
    expect(pushed.filter((sql) => /^select .* from "revisions"/.test(sql))).toHaveLength(1);
    expect(pushed.filter((sql) => /"sources"/.test(sql))).toHaveLength(1);
  });
});

describe('subscription limits', () => {
  it('replaces a pushed change larger than the response size cap with a clear error', async () => {
    const { url } = await listen({ ...LIMITS, responseBytes: 300 });
    const stream = subscribe(url, 'subscription { timelineChanged { slug before after } }');
    await stream.opened;
    await post(url, retitle('camp-david-summit', 'Too big to push'), TEST_TOKENS.editor);
    await waitFor(() => stream.received.length === 1, 'the push');
    expect(stream.received[0].data).toBeUndefined();
    expect(stream.received[0].errors[0]).toMatchObject({
      message: expect.stringMatching(/^The response would be \d+ bytes; the limit is 300\./),
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
  });

  it('refuses a subscription deeper than the depth limit before it starts', async () => {
    const { url } = await listen();
    let selection = 'slug';
    for (let i = 0; i < 30; i++) selection = `citations(first: 1) { edges { node { event { ${selection} } } } }`;
    const answer = await subscribeFrom(url, '127.0.0.1', `subscription { timelineChanged { event { ${selection} } } }`);
    expect(answer.first).toMatch(/The query's depth is \d+; the limit is 24\./);
    expect(answer.first).toContain('LIMIT_EXCEEDED');
  });

  it('caps the streams open at once, per client address and in all, with a clear error', async () => {
    const { url } = await listen({ ...LIMITS, streams: 3, streamsPerClient: 2 });
    const first = await subscribeFrom(url, '127.0.0.1');
    const second = await subscribeFrom(url, '127.0.0.1');
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await subscribeFrom(url, '127.0.0.1');
    expect(third.first).toContain('This client has 2 subscriptions open, the limit per client; close one first.');
    const other = await subscribeFrom(url, '127.0.0.2');
    expect(other.first).not.toContain('errors');
    const fourth = await subscribeFrom(url, '127.0.0.3');
    expect(fourth.first).toContain('The server has 3 subscriptions open, its limit; try again later.');
    // A stream that closes frees its place.
    first.close();
    await waitFor(async () => !(await subscribeFrom(url, '127.0.0.1')).first.includes('errors'), 'a freed place');
  });

  it('ends the stream of a subscriber that leaves more changes unread than the backlog allows', async () => {
    let deliver: (batch: CommittedRevision[]) => void = () => {};
    const feed: ChangeFeed = {
      listen(listener) {
        deliver = listener;
        return () => {};
      },
      written() {},
    };
    const changes = createLiveChanges(feed, { streams: 10, streamsPerClient: 10, backlog: 3 });
    const iterator = changes.subscribe('local')[Symbol.asyncIterator]();
    const first = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const revision = (id: number): CommittedRevision => ({
      id, entityType: 'Event', entityId: 1, entitySlug: 'e', action: 'UPDATE', author: 'a', at: '', before: null, after: null, justification: null,
    });
    deliver([1, 2, 3, 4, 5].map(revision));
    expect((await first).value).toMatchObject({ slug: 'e', action: 'UPDATED' });
    await expect(iterator.next().then(() => iterator.next()).then(() => iterator.next())).rejects.toThrow(
      'This subscriber left more than 3 changes unread; its stream was ended. Subscribe again to resume.',
    );
    expect(changes.open).toBe(0);
  });
});
