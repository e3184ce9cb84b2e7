import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, sql } from 'drizzle-orm';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { editEvent } from '../src/editing/editor.js';
import { revisions, sources } from '../src/db/schema.js';
import { seedDatabase } from '../src/seed/index.js';
import { recordReads } from '../src/server/answer-reads.js';
import { useResponseCache } from '../src/server/response-cache.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { NINETIES_EVENT, openTestDatabase, TEST_BACKEND, type TestDatabase, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

async function openSqliteFile(logger: Logger): Promise<TestDatabase> {
  const file = join(mkdtempSync(join(tmpdir(), 'timeline-cache-')), 'timeline.db');
  return Object.assign(await openDatabase(file, { logger }), { url: file });
}

/** A seeded timeline that a second connection can open too: an SQLite file, or a PostgreSQL database. */
async function sharedTimeline() {
  const statements: string[] = [];
  const logger = { logQuery: (text: string) => statements.push(text) };
  const database: TestDatabase = TEST_BACKEND === 'sqlite' ? await openSqliteFile(logger) : await openTestDatabase({ logger });
  opened.push(database);
  await seedDatabase(database);
  const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
  const query = async (text: string, token?: string, variables?: Record<string, unknown>) => {
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: text, variables }),
      }),
    );
    return (await response.json()) as { data?: any; errors?: any[] };
  };
  /** Asks `text` and says whether the cache answered it. */
  const ask = async (text: string) => {
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) }),
    );
    return { cache: response.headers.get('x-cache'), body: (await response.json()) as { data?: any; errors?: any[] } };
  };
  return { url: database.url, statements, query, ask };
}

const TITLE = '{ event(slug: "camp-david-summit") { title participants(first: 3) { edges { role node { name } } } } }';

describe('the response cache', () => {
  it('answers a repeated query without touching the database', async () => {
    const { statements, query } = await sharedTimeline();
    const first = await query(TITLE);
    statements.length = 0;
    const second = await query(TITLE);
    expect(second).toEqual(first);
    expect(statements).toEqual([]);
  });

  it('sees a write made through the API at once', async () => {
    const { query } = await sharedTimeline();
    await query(TITLE);
    const write = await query('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Changed here" }) { __typename } }', TEST_TOKENS.editor);
    expect(write.data!.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    expect((await query(TITLE)).data!.event.title).toBe('Changed here');
  });

  it('sees a write made by another connection (another process or worker) at once', async () => {
    const { url, query } = await sharedTimeline();
    expect((await query(TITLE)).data!.event.title).not.toBe('Changed elsewhere');
    const other = await openDatabase(url);
    if (other.dialect === 'sqlite') {
      // Any commit by another connection, even plain SQL, moves SQLite's data_version.
      await other.write(async (tx) => tx.run(sql`update events set title = 'Changed elsewhere' where slug = 'camp-david-summit'`));
    } else {
      // Every write the service makes (the API, npm run seed) leaves a revision, which PostgreSQL's stamp follows.
      await other.write((tx) => editEvent(tx, 'camp-david-summit', { author: 'elsewhere' }, (record) => ({ ...record, title: 'Changed elsewhere' })));
    }
    await other.close();
    expect((await query(TITLE)).data!.event.title).toBe('Changed elsewhere');
  });

  it('keeps no answer that carried errors, and never caches a mutation', async () => {
    const { statements, query } = await sharedTimeline();
    await query('{ node(id: "bad") { id } event(slug: "camp-david-summit") { title } }');
    statements.length = 0;
    await query('{ node(id: "bad") { id } event(slug: "camp-david-summit") { title } }');
    expect(statements.length).toBeGreaterThan(0);
    const mutation = 'mutation { upsertSource(input: { slug: "kbs", name: "KBS" }) { __typename } }';
    await query(mutation, TEST_TOKENS.editor);
    statements.length = 0;
    await query(mutation, TEST_TOKENS.editor);
    expect(statements.length).toBeGreaterThan(0);
  });
});

describe('the response cache, keyed by request', () => {
  // A schema whose answers depend on the viewer and count their runs, over a real database's stamp.
  async function countingServer({ maxCharacters, slowUntil }: { maxCharacters?: number; slowUntil?: Promise<void> } = {}) {
    return countingServerOf('greeting', { maxCharacters, slowUntil });
  }

  /** A server of one root field that counts its runs; `event` is one whose answers the cache knows to depend on the event named. */
  async function countingServerOf(field: 'greeting' | 'event', { maxCharacters, slowUntil }: { maxCharacters?: number; slowUntil?: Promise<void> } = {}) {
    const database = await openTestDatabase();
    opened.push(database);
    let runs = 0;
    let slowStarted!: () => void;
    const slowRunning = new Promise<void>((resolve) => (slowStarted = resolve));
    const cache = useResponseCache(database, { viewerKey: (request) => request.headers.get('x-viewer') ?? '', maxCharacters });
    const schema = createSchema<{ request: Request }>({
      typeDefs: field === 'greeting' ? 'type Query { greeting(name: String): String }' : 'type Query { event(slug: String!): String }',
      resolvers: {
        Query: {
          [field]: async (_: unknown, { name, slug }: { name?: string; slug?: string }, { request }: { request: Request }) => {
            name ??= slug;
              const run = ++runs;
              if (name === 'slow') {
                slowStarted();
                await slowUntil;
              }
            return `${run}: hello ${name ?? 'you'} from ${request.headers.get('x-viewer')}`;
          },
        },
      },
    });
    const yoga = createYoga<{ request: Request }>({
      schema: field === 'event' ? recordReads(schema) : schema,
      plugins: [cache],
      logging: false,
    });
    const ask = async (body: object, viewer: string, accept = 'application/json') => {
      const response = await yoga.fetch('http://cache.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, 'x-viewer': viewer },
        body: JSON.stringify(body),
      });
      return {
        contentType: response.headers.get('content-type'),
        cache: response.headers.get('x-cache'),
        body: (await response.json()) as { data: { greeting: string } },
      };
    };
    return { ask, stats: cache.stats, runs: () => runs, database, slowRunning };
  }

  /** An event's write as the API records it: the event and its revision. */
  const writeEvent = (database: DatabaseHandle, slug: string) =>
    database.write(async (tx) => {
      const record = { slug, title: slug, kind: 'STATEMENT', status: 'OCCURRED', start: '1995', dateBasis: 'OUTSIDE', dateNote: 'For the test.', citations: [{ article: 'an-article', quote: 'A quote' }] };
      await tx.insert(revisions).values({ entityType: 'Event', entityId: 1, entitySlug: slug, action: 'CREATE', author: 'test', at: new Date().toISOString(), after: JSON.stringify(record) });
    });

  it('counts what an answer read against the memory budget, beside the answer', async () => {
    // The answer and its key take about 470 characters, with what it read (the slug again) about
    // 680: a budget of 8,960 keeps nothing over 560.
    const server = await countingServerOf('event', { maxCharacters: 8_960 });
    const query = { query: `{ event(slug: "${'s'.repeat(200)}") }` };
    await server.ask(query, 'v');
    expect((await server.ask(query, 'v')).cache).toBe('MISS');
    const short = { query: '{ event(slug: "short") }' };
    await server.ask(short, 'v');
    expect((await server.ask(short, 'v')).cache).toBe('HIT');
  });

  it('keeps an answer whose request overlapped a catch-up when the writes it applied cannot change it', async () => {
    for (const [written, kept] of [['another-event', true], ['slow', false]] as const) {
      let release!: () => void;
      const server = await countingServerOf('event', { slowUntil: new Promise<void>((resolve) => (release = resolve)) });
      const slow = server.ask({ query: '{ event(slug: "slow") }' }, 'v');
      await server.slowRunning;
      await writeEvent(server.database, written);
      await server.ask({ query: '{ event(slug: "meanwhile") }' }, 'v');
      release();
      expect((await slow).cache).toBe('MISS');
      expect((await server.ask({ query: '{ event(slug: "slow") }' }, 'v')).cache, `after a write to ${written}`).toBe(kept ? 'HIT' : 'MISS');
    }
  });

  it('keeps no answer whose request overlapped a catch-up, which may have applied a write the answer predates', async () => {
    let release!: () => void;
    const server = await countingServer({ slowUntil: new Promise<void>((resolve) => (release = resolve)) });
    const slow = server.ask({ query: '{ greeting(name: "slow") }' }, 'v');
    await server.slowRunning;
    // A write as the API makes one: a record and its revision, which moves the stamp on either database.
    await server.database.write(async (tx) => {
      const [source] = await tx.insert(sources).values({ slug: 'kbs', name: 'KBS' }).returning({ id: sources.id });
      await tx.insert(revisions).values({ entityType: 'Source', entityId: source!.id, entitySlug: 'kbs', action: 'CREATE', author: 'test', at: new Date().toISOString(), after: '{}' });
    });
    await server.ask({ query: '{ greeting(name: "meanwhile") }' }, 'v');
    release();
    expect((await slow).cache).toBe('MISS');
    expect((await server.ask({ query: '{ greeting(name: "slow") }' }, 'v')).cache).toBe('MISS');
    expect(server.runs()).toBe(3);
  });

  it('says in X-Cache whether an answer came from memory, so a client or a benchmark can count hits', async () => {
    const { ask, stats } = await countingServer();
    const first = await ask({ query: '{ greeting }' }, 'ann');
    const second = await ask({ query: '{ greeting }' }, 'ann');
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(second.body).toEqual(first.body);
    expect(stats).toEqual({ hits: 1, misses: 1 });
  });

  it('never hands one viewer an answer made for another', async () => {
    const server = await countingServer();
    const query = { query: '{ greeting }' };
    expect((await server.ask(query, 'editor-a')).body.data.greeting).toBe('1: hello you from editor-a');
    expect((await server.ask(query, 'editor-a')).body.data.greeting).toBe('1: hello you from editor-a');
    expect((await server.ask(query, 'anonymous')).body.data.greeting).toBe('2: hello you from anonymous');
    expect(server.stats).toEqual({ hits: 1, misses: 2 });
  });

  it('tells requests apart by their variables and operation name', async () => {
    const server = await countingServer();
    const text = 'query A($name: String) { greeting(name: $name) } query B { greeting(name: "B") }';
    await server.ask({ query: text, operationName: 'A', variables: { name: 'Seoul' } }, 'v');
    const beijing = await server.ask({ query: text, operationName: 'A', variables: { name: 'Beijing' } }, 'v');
    const b = await server.ask({ query: text, operationName: 'B' }, 'v');
    expect(beijing.body.data.greeting).toBe('2: hello Beijing from v');
    expect(b.body.data.greeting).toBe('3: hello B from v');
    expect((await server.ask({ query: text, operationName: 'A', variables: { name: 'Seoul' } }, 'v')).body.data.greeting).toBe('1: hello Seoul from v');
    expect(server.runs()).toBe(3);
  });

  it('answers a hit in the media type the client accepts, as a miss would be', async () => {
    const server = await countingServer();
    const query = { query: '{ greeting }' };
    const miss = await server.ask(query, 'v', 'application/graphql-response+json');
    const hit = await server.ask(query, 'v', 'application/graphql-response+json');
    const plainHit = await server.ask(query, 'v', 'application/json');
    expect(server.runs()).toBe(1);
    expect(hit).toEqual({ ...miss, cache: 'HIT' });
    expect(hit.contentType).toMatch(/^application\/graphql-response\+json/);
    expect(plainHit.contentType).toMatch(/^application\/json/);
  });

  it('keeps answers up to a size budget, forgetting the least recently used first', async () => {
    // Each kept answer here costs about 130 characters (its body and its key): 40 of them overflow
    // a budget of 4,000, and one with a 300-character name is over a sixteenth of it.
    const server = await countingServer({ maxCharacters: 4_000 });
    const ask = (name: string) => server.ask({ query: 'query($name: String) { greeting(name: $name) }', variables: { name } }, 'v');
    const names = Array.from({ length: 40 }, (_, i) => `name-${i}`);
    for (const name of names) await ask(name);
    expect(server.runs()).toBe(40);
    await ask('name-39');
    expect(server.runs()).toBe(40);
    await ask('name-0');
    expect(server.runs()).toBe(41);
    const large = 'x'.repeat(300);
    await ask(large);
    await ask(large);
    expect(server.runs()).toBe(43);
  });
});

/** Answers kept before a write, and whether the write may change them: a write drops only those. */
const KEPT = {
  campDavid: TITLE,
  followUp: '{ event(slug: "china-protests-camp-david-statement") { related { to { title } } } }',
  nineties: '{ events(filter: { from: "1990", to: "1999" }) { totalCount edges { node { slug } } } }',
  lateSummer2023: '{ events(filter: { from: "2023-08", to: "2023-09" }, first: 50) { totalCount edges { node { slug } } } }',
  china: '{ actor(slug: "china") { events(first: 50) { totalCount } } }',
  netherlands: '{ actor(slug: "netherlands") { name events(first: 50) { totalCount edges { node { title } } } } }',
  search: '{ search(query: "diplomatic") { edges { node { __typename } } } }',
};
type Kept = keyof typeof KEPT;

async function keptTimeline() {
  const timeline = await sharedTimeline();
  const before = {} as Record<Kept, any>;
  for (const [name, text] of Object.entries(KEPT)) {
    before[name as Kept] = (await timeline.ask(text)).body.data;
    expect((await timeline.ask(text)).cache).toBe('HIT');
  }
  /** Each kept query asked again: MISS for those the write dropped. */
  const after = async () => {
    const answers = {} as Record<Kept, { cache: string | null; data: any }>;
    for (const [name, text] of Object.entries(KEPT)) {
      const { cache, body } = await timeline.ask(text);
      answers[name as Kept] = { cache, data: body.data };
    }
    return answers;
  };
  const missed = (answers: Record<Kept, { cache: string | null }>) => Object.keys(answers).filter((name) => answers[name as Kept].cache === 'MISS').sort();
  return { ...timeline, before, after, missed };
}

describe('the response cache after a write', () => {
  it('drops only the answers a new event could enter: its date window, its actors, searches', async () => {
    const timeline = await keptTimeline();
    expect(timeline.before.campDavid.event.participants.edges.map((edge: any) => edge.node.name)).not.toContain('China');
    const write = await timeline.query(
      'mutation ($input: EventInput!) { createEvent(input: $input) { __typename ... on Error { message } } }',
      TEST_TOKENS.editor,
      { input: NINETIES_EVENT },
    );
    expect(write.data!.createEvent.__typename).toBe('MutationCreateEventSuccess');
    const answers = await timeline.after();
    expect(timeline.missed(answers)).toEqual(['china', 'nineties', 'search']);
    expect(answers.nineties.data.events.edges.map((edge: any) => edge.node.slug)).toContain('ties-in-the-nineties');
    expect(answers.nineties.data.events.totalCount).toBe(timeline.before.nineties.events.totalCount + 1);
    expect(answers.china.data.actor.events.totalCount).toBe(timeline.before.china.actor.events.totalCount + 1);
    for (const name of ['campDavid', 'followUp', 'lateSummer2023', 'netherlands'] as const) expect(answers[name].data).toEqual(timeline.before[name]);
  });

  it('drops the answers that show an edited event wherever they reach it, and the windows of its old and new dates', async () => {
    const timeline = await keptTimeline();
    const write = await timeline.query('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Retitled", start: "1996" }) { __typename ... on Error { message } } }', TEST_TOKENS.editor);
    expect(write.data!.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    const answers = await timeline.after();
    expect(timeline.missed(answers)).toEqual(['campDavid', 'followUp', 'lateSummer2023', 'nineties', 'search']);
    expect(answers.campDavid.data.event.title).toBe('Retitled');
    expect(answers.followUp.data.event.related.map((link: any) => link.to.title)).toContain('Retitled');
    expect(answers.nineties.data.events.edges.map((edge: any) => edge.node.slug)).toContain('camp-david-summit');
    expect(answers.lateSummer2023.data.events.edges.map((edge: any) => edge.node.slug)).not.toContain('camp-david-summit');
    expect(answers.netherlands.data).toEqual(timeline.before.netherlands);
  });

  it('applies a write made by another connection the same way, before it answers again', async () => {
    const timeline = await keptTimeline();
    const other = await openDatabase(timeline.url);
    await other.write((tx) => editEvent(tx, 'camp-david-summit', { author: 'elsewhere' }, (record) => ({ ...record, title: 'Changed elsewhere' })));
    await other.close();
    const answers = await timeline.after();
    expect(timeline.missed(answers)).toEqual(['campDavid', 'followUp', 'lateSummer2023', 'search']);
    expect(answers.campDavid.data.event.title).toBe('Changed elsewhere');
    expect(answers.nineties.data).toEqual(timeline.before.nineties);
  });

  it('drops a lookup that found nothing when the record it names comes back, however its id was written', async () => {
    const timeline = await sharedTimeline();
    const { id } = (await timeline.query('{ event(slug: "south-korean-stocks-rally") { id } }')).data!.event;
    const number = Buffer.from(id, 'base64').toString().split(':')[1];
    const deleted = await timeline.query('mutation { deleteEvent(slug: "south-korean-stocks-rally") { __typename } }', TEST_TOKENS.admin);
    expect(deleted.data!.deleteEvent.__typename).toBe('MutationDeleteEventSuccess');
    // The same event's id, written as the lookup also reads it: with a leading zero, or with a sign.
    const ids = [id, ...[`0${number}`, `+${number}`].map((written) => Buffer.from(`Event:${written}`).toString('base64'))];
    const lookups = ids.flatMap((each) => [`{ node(id: "${each}") { ... on Event { slug } } }`, `{ nodes(ids: ["${each}"]) { ... on Event { slug } } }`]);
    for (const lookup of lookups) {
      await timeline.ask(lookup);
      expect((await timeline.ask(lookup)).cache).toBe('HIT');
    }
    const restored = await timeline.query('mutation { restoreEvent(slug: "south-korean-stocks-rally") { __typename } }', TEST_TOKENS.admin);
    expect(restored.data!.restoreEvent.__typename).toBe('MutationRestoreEventSuccess');
    for (const lookup of lookups) expect(JSON.stringify((await timeline.ask(lookup)).body.data), lookup).toContain('south-korean-stocks-rally');
  });

  it('drops every answer after a change to an actor, article, place or outlet, whose fields many answers show', async () => {
    const timeline = await keptTimeline();
    const write = await timeline.query('mutation { updateActor(slug: "netherlands", patch: { description: "Changed." }) { __typename } }', TEST_TOKENS.editor);
    expect(write.data!.updateActor.__typename).toBe('MutationUpdateActorSuccess');
    expect(timeline.missed(await timeline.after())).toEqual(Object.keys(KEPT).sort());
  });
});
