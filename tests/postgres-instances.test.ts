import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { type PostgresServer, startPostgres } from '../scripts/postgres-server.js';
import { post, type ServerProcess, startServer, waitFor } from '../scripts/server-process.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

// Its own PostgreSQL server: the fault test stops and starts it.
let postgres: PostgresServer;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await postgres?.destroy();
});

async function serve(databaseUrl: string): Promise<ServerProcess> {
  const server = await startServer({ DATABASE_URL: databaseUrl, TIMELINE_TOKENS: JSON.stringify(TEST_TOKEN_STORE) });
  cleanups.push(() => server.stop());
  return server;
}

/** Subscribes over Server-Sent Events and collects the payloads that arrive. */
function subscribe(url: string, query: string) {
  const received: any[] = [];
  const source = new EventSource(`${url}?query=${encodeURIComponent(query)}`);
  source.addEventListener('next', (message: MessageEvent) => received.push(JSON.parse(message.data)));
  const opened = new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) => reject(error);
  });
  cleanups.push(() => source.close());
  return { received, opened };
}

const TITLE = '{ event(slug: "camp-david-summit") { title } }';
const retitle = (title: string) => `mutation { updateEvent(slug: "camp-david-summit", patch: { title: "${title}" }) { __typename } }`;
const CHANGES = 'subscription { timelineChanged { action slug after } }';

describe('instances over one PostgreSQL', () => {
  it('agree at once: a write through one is read through the other past its cache, and pushed to its subscribers', async () => {
    const url = await postgres.createDatabase();
    // The first migrates and seeds the empty database, as npm start does on SQLite.
    const first = await serve(url);
    expect(first.output()).toMatch(/Seeded a new database with \d+ events/);
    const second = await serve(url);
    expect(second.output()).not.toMatch(/Seeded/);

    // The second has the answer in its response cache...
    const cached = (await post(second.url, TITLE)).body.data.event.title;
    expect((await post(second.url, TITLE)).body.data.event.title).toBe(cached);
    const subscriber = subscribe(second.url, CHANGES);
    await subscriber.opened;

    // ...until a write through the first.
    expect((await post(first.url, retitle('Written through the first instance'), TEST_TOKENS.editor)).body.data.updateEvent.__typename).toBe(
      'MutationUpdateEventSuccess',
    );
    expect((await post(second.url, TITLE)).body.data.event.title).toBe('Written through the first instance');
    await waitFor(() => subscriber.received.length === 1, 'the change pushed to the other instance');
    expect(subscriber.received[0].data.timelineChanged).toMatchObject({
      action: 'UPDATED',
      slug: 'camp-david-summit',
      after: expect.objectContaining({ title: 'Written through the first instance' }),
    });
  }, 60_000);

  it('answer DATABASE_UNAVAILABLE while PostgreSQL is down, write nothing, and recover by themselves', async () => {
    const url = await postgres.createDatabase();
    const writer = await serve(url);
    const listener = await serve(url);
    const subscriber = subscribe(listener.url, CHANGES);
    await subscriber.opened;

    // Load on both while the server stops.
    let stopped = false;
    const answers: { status: number; code?: string; retryAfter: string | null }[] = [];
    const load = (async () => {
      while (!stopped || answers.length < 40) {
        const answer = await post(writer.url, TITLE);
        answers.push({ status: answer.status, code: answer.body?.errors?.[0]?.extensions?.code, retryAfter: answer.headers.get('retry-after') });
        if (answers.length > 400) break;
      }
    })();
    await postgres.stop();
    stopped = true;
    await load;

    const down = answers.filter((answer) => answer.status !== 200);
    expect(down.length).toBeGreaterThan(0);
    for (const answer of down) expect(answer).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '1' });

    const health = await fetch(new URL('/health', writer.url));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });

    const refused = await post(writer.url, retitle('Written while the database was down'), TEST_TOKENS.editor);
    expect(refused.status).toBe(503);
    expect(refused.body.errors[0]).toMatchObject({ extensions: { code: 'DATABASE_UNAVAILABLE' } });

    await postgres.start();
    await waitFor(async () => (await fetch(new URL('/health', writer.url))).status === 200, 'the writer to recover', 20_000);
    expect((await post(writer.url, TITLE)).body.data.event.title).not.toBe('Written while the database was down');

    // Both processes lived through it, and the listener's feed reconnected.
    expect(writer.child.exitCode).toBeNull();
    expect(listener.child.exitCode).toBeNull();
    await waitFor(async () => {
      await post(writer.url, retitle(`After the restart ${Date.now()}`), TEST_TOKENS.editor);
      return subscriber.received.length > 0;
    }, 'a change pushed after the restart', 20_000);
    expect(subscriber.received.at(-1).data.timelineChanged.after.title).toMatch(/^After the restart/);

    // Nothing half-written: the refused write left no revision.
    const database = await openDatabase(url);
    const titles = (await database.db.query.revisions.findMany({ where: { entityType: 'Event', entitySlug: 'camp-david-summit' } })).map(
      (revision) => JSON.parse(revision.after ?? '{}').title,
    );
    await database.close();
    expect(titles).not.toContain('Written while the database was down');
  }, 90_000);
});
