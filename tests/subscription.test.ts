import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { editEvent } from '../src/editing/editor.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_BACKEND, type TestDatabase, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

/** A database another connection can open too (as another instance of the service would): an SQLite file, or PostgreSQL. */
async function openShared(): Promise<TestDatabase> {
  if (TEST_BACKEND === 'postgres') return openTestDatabase();
  const file = join(mkdtempSync(join(tmpdir(), 'timeline-subscription-')), 'timeline.db');
  return Object.assign(await openDatabase(file), { url: file });
}

const database = await openShared();
await seedDatabase(database);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(createTimelineYoga({ database, tokens: TEST_TOKEN_STORE }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await database.close();
});

/** Another client's write, over HTTP with an editor token. */
async function edit(slug: string, title: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
    body: JSON.stringify({ query: `mutation { updateEvent(slug: "${slug}", patch: { title: "${title}" }) { __typename } }` }),
  });
  expect(await response.json()).toEqual({ data: { updateEvent: { __typename: 'MutationUpdateEventSuccess' } } });
}

/** Subscribes over Server-Sent Events and collects what arrives. */
function subscribe(query: string) {
  const received: any[] = [];
  const source = new EventSource(`${base}/graphql?query=${encodeURIComponent(query)}`);
  const listener = (message: MessageEvent) => received.push(JSON.parse(message.data));
  source.addEventListener('next', listener);
  source.addEventListener('message', listener);
  const opened = new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) => reject(error);
  });
  return { received, opened, close: () => source.close() };
}

async function waitFor(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('timelineChanged over Server-Sent Events', () => {
  it('pushes another client’s change to a subscriber, filtered by actor', async () => {
    const everything = subscribe('subscription { timelineChanged { action slug event { title } } }');
    const china = subscribe('subscription { timelineChanged(actors: ["china"]) { action slug event { title } after } }');
    await Promise.all([everything.opened, china.opened]);

    await edit('cho-tae-yong-mbn-interview', 'Cho Tae-yong on MBN'); // China takes no part
    await edit('xi-han-duck-soo-hangzhou-meeting', 'Xi and Han meet in Hangzhou');
    await waitFor(() => everything.received.length >= 2 && china.received.length >= 1, 'both changes');

    expect(everything.received.map((message) => message.data.timelineChanged.slug)).toEqual([
      'cho-tae-yong-mbn-interview',
      'xi-han-duck-soo-hangzhou-meeting',
    ]);
    expect(china.received).toHaveLength(1);
    expect(china.received[0].data.timelineChanged).toMatchObject({
      action: 'UPDATED',
      slug: 'xi-han-duck-soo-hangzhou-meeting',
      event: { title: 'Xi and Han meet in Hangzhou' },
      after: { title: 'Xi and Han meet in Hangzhou' },
    });
    everything.close();
    china.close();
  });

  it('filters by date window', async () => {
    const in2014 = subscribe('subscription { timelineChanged(from: "2014", to: "2014") { slug } }');
    await in2014.opened;
    await edit('camp-david-summit', 'Camp David, 2023');
    await edit('xi-state-visit-to-seoul-2014', 'Xi in Seoul, 2014');
    await waitFor(() => in2014.received.length >= 1, 'the 2014 change');
    expect(in2014.received.map((message) => message.data.timelineChanged.slug)).toEqual(['xi-state-visit-to-seoul-2014']);
    in2014.close();
  });

  it('refuses an unknown actor in its filter with an error naming it, as queries do, rather than silence', async () => {
    const nobody = subscribe('subscription { timelineChanged(actors: ["china", "nobody", "no-one"]) { slug } }');
    await waitFor(() => nobody.received.length >= 1, 'the refusal');
    expect(nobody.received[0]).toEqual({
      errors: [expect.objectContaining({ message: 'actors: unknown actors "nobody", "no-one"', extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })],
    });
    nobody.close();
  });

  // On PostgreSQL the other instance's commit arrives by NOTIFY; on SQLite the feed polls the file.
  it('pushes a write that another instance of the service commits to the same database', async () => {
    const stream = subscribe('subscription { timelineChanged { action slug after } }');
    await stream.opened;
    const other = await openDatabase(database.url);
    try {
      await other.write((tx) => editEvent(tx, 'camp-david-summit', { author: 'another-instance' }, (record) => ({ ...record, title: 'Camp David, from elsewhere' })));
    } finally {
      await other.close();
    }
    await waitFor(() => stream.received.length >= 1, 'the other instance’s change');
    expect(stream.received).toEqual([
      { data: { timelineChanged: { action: 'UPDATED', slug: 'camp-david-summit', after: expect.objectContaining({ title: 'Camp David, from elsewhere' }) } } },
    ]);
    stream.close();
  });
});
