import { complexityFromQuery } from '@pothos/plugin-complexity';
import { eq } from 'drizzle-orm';
import { GraphQLError, parse, visit } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.js';
import { events } from '../src/db/schema.js';
import { rememberingPasses } from '../src/schema/operation-checks.js';
import { schema } from '../src/schema/index.js';
import { seedDatabase } from '../src/seed/index.js';
import { loadSeed } from '../src/seed/load.js';
import { EXAMPLE_QUERIES } from '../src/server/example-queries.js';
import { LIMITS } from '../src/server/limits.js';
import { createTimelineYoga, type TimelineServerDependencies } from '../src/server/yoga.js';
import { openTestDatabase, syntheticTimeline } from './helpers.js';

const opened = new Set<DatabaseHandle>();
afterAll(async () => {
  for (const database of opened) await database.close();
});

/** A new database, closed after the file's tests unless a test closes it first (`closeNow`). */
async function openDatabaseForTest() {
  const database = await openTestDatabase();
  opened.add(database);
  return database;
}

async function closeNow(database: DatabaseHandle) {
  opened.delete(database);
  await database.close();
}

async function openSeeded() {
  const database = await openDatabaseForTest();
  await seedDatabase(database);
  return database;
}

/** One seeded timeline for the servers whose tests only read. */
const shared = await openSeeded();

/**
 * The server over the shared seeded timeline, or over a seeded database of its own (`own`) for a
 * test that changes or closes it.
 */
async function server(options: Partial<TimelineServerDependencies> = {}, { own = false } = {}) {
  const database = own ? await openSeeded() : shared;
  const yoga = createTimelineYoga({ database, ...options });
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body,
      }),
    );
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  };
  return { database, yoga, post, query: (query: string, variables?: object) => post(JSON.stringify({ query, variables })) };
}

const nested = (depth: number) => {
  let selection = 'slug';
  for (let i = 0; i < depth; i++) selection = i % 2 === 0 ? `related { to { ${selection} } }` : `relatedFrom { from { ${selection} } }`;
  return `{ event(slug: "camp-david-summit") { ${selection} } }`;
};

const { query, post } = await server();

describe('abuse limits: each refusal is a 4xx error naming the limit and its value', () => {
  it.each([
    ['depth', nested(LIMITS.depth), /depth is \d+; the limit is 24/],
    ['complexity', '{ events(first: 100) { edges { node { participants(first: 100) { edges { node { events(first: 100) { edges { node { title } } } } } } } } } }', /complexity is \d+; the limit is 250000/],
    ['aliases', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: event(slug: "x") { slug }`).join(' ')} }`, /Aliases limit of 30 exceeded, found 31/],
    ['directives', `{ events(first: 1) { totalCount ${'@include(if: true) '.repeat(21)} } }`, /Directives limit of 20 exceeded, found 21/],
    ['tokens', `{ ${'__typename '.repeat(4001)} }`, /Token limit of 4000 exceeded/],
    ['page size', '{ events(first: 101) { totalCount } }', /between 0 and 100; got 101/],
  ])('%s', async (_limit, document, message) => {
    const { status, body } = await query(document);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(body.data ?? null).toBeNull();
  });

  // graphql-armor words its refusals "Syntax Error: …": a histogram of 35 aliased counts was told
  // its syntax was wrong. Every refusal is LIMIT_EXCEEDED and says which limit it hit.
  it.each([
    ['aliases', `{ ${Array.from({ length: 35 }, (_, i) => `y${1990 + i}: events(filter: { from: "${1990 + i}", to: "${1990 + i}" }) { totalCount }`).join(' ')} }`, 'Aliases limit of 30 exceeded, found 35.'],
    ['directives', `{ events(first: 1) { totalCount ${'@include(if: true) '.repeat(21)} } }`, 'Directives limit of 20 exceeded, found 21.'],
    ['tokens', `{ ${'__typename '.repeat(4001)} }`, 'Token limit of 4000 exceeded.'],
  ])('%s: refused as LIMIT_EXCEEDED, never as a syntax error', async (_limit, document, message) => {
    const { status, body } = await query(document);
    expect(status).toBe(400);
    expect(body.errors?.[0]).toEqual({ message, extensions: { code: 'LIMIT_EXCEEDED' } });
    // (Repeating @include also breaks a validation rule, reported after it.)
    for (const error of body.errors ?? []) expect(error.message).not.toMatch(/syntax/i);
  });

  it('still calls a real syntax error one', async () => {
    const { status, body } = await query('{ events { ');
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error: /), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('refuses a body over the size limit before parsing it, with or without a declared length', async () => {
    const big = JSON.stringify({ query: `{ events { totalCount } } # ${'x'.repeat(LIMITS.bodyBytes)}` });
    for (const headers of [{}, { 'content-length': String(Buffer.byteLength(big)) }] as Record<string, string>[]) {
      const { status, body } = await post(big, headers);
      expect(status).toBe(413);
      expect(body.errors?.[0]?.message).toBe(`The request body is over ${LIMITS.bodyBytes} bytes, the limit.`);
    }
  });

  it('keeps every example query and the deep nesting the API promises well inside every limit', () => {
    const documents = [
      ...Object.values(EXAMPLE_QUERIES),
      // events → participants → actor → events → citations → article → source, as the README promises.
      '{ events(first: 20) { edges { node { participants(first: 10) { edges { node { events(first: 10) { edges { node { citations(first: 5) { edges { node { quote article { title source { name } } } } } } } } } } } } } } }',
    ];
    for (const document of documents) {
      const measured = complexityFromQuery(document, { schema });
      expect(measured.depth, document).toBeLessThanOrEqual(LIMITS.depth / 1.5);
      expect(measured.complexity, document).toBeLessThanOrEqual(LIMITS.complexity / 2);
      expect(measured.breadth, document).toBeLessThanOrEqual(LIMITS.breadth / 2);
      let aliases = 0;
      let directives = 0;
      visit(parse(document), { Field: (node) => void (node.alias && aliases++), Directive: () => void directives++ });
      expect(aliases).toBeLessThanOrEqual(LIMITS.aliases / 2);
      expect(directives).toBeLessThanOrEqual(LIMITS.directives / 2);
    }
  });

  it('answers those queries normally', async () => {
    for (const document of Object.values(EXAMPLE_QUERIES)) {
      const { status, body } = await query(document);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
    }
  });
});

describe('what the server tells and hides', () => {
  it('gives no "Did you mean" suggestions outside development', async () => {
    const production = await (await server()).query('{ evnts { totalCount } }');
    expect(production.status).toBe(400);
    expect(production.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const development = await (await server({ development: true })).query('{ evnts { totalCount } }');
    expect(development.body.errors?.[0]?.message).toMatch(/Did you mean "events"/);
  });

  it('keeps introspection and GraphiQL on by default, and one setting turns both off', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const open = await server();
    expect((await open.query(introspection)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const closed = await server({ explorer: false });
    const refused = await closed.query(introspection);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await closed.yoga.fetch(new Request('http://timeline.test/graphql', { headers: { accept: 'text/html' } }));
    expect(await page.text()).not.toContain('GraphiQL');
  });

  it('masks unexpected errors: no stack, SQL or paths, just a code', async () => {
    const { database, query } = await server({}, { own: true });
    await closeNow(database);
    const { status, body } = await query('{ events(first: 1) { edges { node { slug } } } }');
    expect(status).toBe(200);
    expect(body.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(body)).not.toMatch(/select|sqlite|\/work\/|node_modules|at \w+ \(/i);
  });

  it('gives expected errors a stable code', async () => {
    expect((await query('{ node(id: "garbage") { id } }')).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await query('{ events(first: 1000) { totalCount } }')).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await query('{ events { nope } }')).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await query('{ events { ')).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('stops a query that runs past the time limit with a clear error', async () => {
    const { status, body } = await (await server({ limits: { ...LIMITS, timeoutMs: 0 } })).query(
      '{ events(first: 100) { edges { node { participants(first: 10) { edges { node { name } } } } } } }',
    );
    // With no time at all, the first field that checks the clock stops the query.
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(status).toBe(503);
    expect(body.errors?.[0]).toMatchObject({ message: 'The query ran longer than the 0 ms allowed and was stopped.', extensions: { code: 'TIMEOUT' } });
  });
});

describe('/health', () => {
  it('is 200 while the database answers, and 503 once it does not', async () => {
    const { database, yoga } = await server({}, { own: true });
    expect((await yoga.fetch(new Request('http://timeline.test/health'))).status).toBe(200);
    await closeNow(database);
    expect((await yoga.fetch(new Request('http://timeline.test/health'))).status).toBe(503);
  });
});

const eventIds = (await shared.db.query.events.findMany({ columns: { id: true }, orderBy: { id: 'asc' } })).map(({ id }) =>
  Buffer.from(`Event:${id}`).toString('base64'),
);

describe('the cost model sees real sizes', () => {
  const idList = (count: number) => Array.from({ length: count }, (_, i) => eventIds[i % eventIds.length]!);

  it(`refuses nodes(ids:) with more than ${LIMITS.listArgumentItems} ids before running it`, async () => {
    const { status, body } = await query('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: idList(3000) });
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      message: `Argument "ids" of Query.nodes has 3000 items; the limit is ${LIMITS.listArgumentItems}.`,
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
  });

  it(`answers nodes(ids:) with ${LIMITS.listArgumentItems} ids`, async () => {
    const { status, body } = await query('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: idList(LIMITS.listArgumentItems) });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes).toHaveLength(LIMITS.listArgumentItems);
  });

  it('checks one document again for each set of variables: a refusal is never remembered as a pass, nor a pass as a refusal', async () => {
    const document = 'query ($ids: [ID!]!, $first: Int) { nodes(ids: $ids) { id } events(first: $first) { totalCount } }';
    const sizes = [LIMITS.listArgumentItems + 1, 2, LIMITS.listArgumentItems + 1, 2];
    for (const count of sizes) {
      const { status, body } = await query(document, { ids: idList(count), first: 1 });
      expect(status, `${count} ids`).toBe(count > LIMITS.listArgumentItems ? 400 : 200);
      if (count <= LIMITS.listArgumentItems) expect(body.data.nodes).toHaveLength(count);
    }
    // The same again for the connection checks: a page size out of range, then in range, then out again.
    for (const first of [LIMITS.pageSize + 1, 1, LIMITS.pageSize + 1]) {
      const { body } = await query(document, { ids: idList(1), first });
      expect(body.errors?.[0]?.message ?? null, `first: ${first}`).toBe(
        first > LIMITS.pageSize ? `Argument "first" of Query.events must be between 0 and ${LIMITS.pageSize}; got ${first}.` : null,
      );
    }
  });

  it('runs a passing check once per document, operation and variables, and a failing one every time', () => {
    const calls: unknown[] = [];
    const check = rememberingPasses((_schema, _document, variables) => {
      calls.push(variables);
      return variables?.fail ? [new GraphQLError('refused')] : [];
    });
    const [first, second] = [parse('{ events { totalCount } }'), parse('{ events { totalCount } }')];
    for (let i = 0; i < 3; i++) expect(check(schema, first, { n: 1 }, null)).toEqual([]);
    expect(calls).toHaveLength(1);
    check(schema, first, { n: 2 }, null);
    check(schema, second, { n: 1 }, null);
    check(schema, first, { n: 1 }, 'Named');
    expect(calls).toHaveLength(4);
    for (let i = 0; i < 2; i++) expect(check(schema, first, { fail: true }, null)).toHaveLength(1);
    expect(calls).toHaveLength(6);
  });

  it('remembers one pass for every global id of a type in an ID variable, and checks any other id for itself', () => {
    const calls: unknown[] = [];
    const check = rememberingPasses((_schema, _document, variables) => {
      calls.push(variables);
      return typeof variables?.id === 'string' && !variables.id.startsWith('RXZlbnQ6') ? [new GraphQLError('not an event')] : [];
    });
    const lookup = parse('query ($id: ID!, $ids: [ID!], $slug: String) { node(id: $id) { id } }');
    const id = (text: string) => Buffer.from(text).toString('base64');
    for (const n of [1, 2, 17, 999]) expect(check(schema, lookup, { id: id(`Event:${n}`) }, null)).toEqual([]);
    expect(calls).toHaveLength(1);
    // Another type, a malformed id, one written otherwise ("017", unpadded base64), a longer list,
    // and the same text in a String variable are each checked for themselves.
    expect(check(schema, lookup, { id: id('Actor:1') }, null)).toHaveLength(1);
    expect(check(schema, lookup, { id: id('Actor:2') }, null)).toHaveLength(1);
    expect(check(schema, lookup, { id: 'not-an-id' }, null)).toHaveLength(1);
    expect(calls).toHaveLength(4);
    check(schema, lookup, { id: id('Event:017') }, null);
    check(schema, lookup, { id: id('Event:1').replace(/=+$/, '') }, null);
    expect(calls).toHaveLength(6);
    check(schema, lookup, { id: id('Event:1'), ids: [id('Event:1')] }, null);
    check(schema, lookup, { id: id('Event:1'), ids: [id('Event:2')] }, null);
    check(schema, lookup, { id: id('Event:1'), ids: [id('Event:1'), id('Event:2')] }, null);
    expect(calls).toHaveLength(8);
    check(schema, lookup, { id: id('Event:1'), slug: id('Event:1') }, null);
    check(schema, lookup, { id: id('Event:1'), slug: id('Event:2') }, null);
    expect(calls).toHaveLength(10);
  });

  it('bounds the lists inside filters too, naming the argument', async () => {
    const actors = Array.from({ length: LIMITS.listArgumentItems + 1 }, (_, i) => `actor-${i}`);
    const { status, body } = await query('query ($actors: [String!]) { events(filter: { actors: $actors }) { totalCount } }', { actors });
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: `Argument "filter.actors" of Query.events has ${actors.length} items; the limit is ${LIMITS.listArgumentItems}.`,
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
    const inline = await query(`{ actor(slug: "china") { events(filter: { actors: ${JSON.stringify(actors)} }) { totalCount } } }`);
    expect(inline.body.errors?.[0]?.message).toBe(
      `Argument "filter.actors" of Actor.events has ${actors.length} items; the limit is ${LIMITS.listArgumentItems}.`,
    );
  });

  it('bounds the lists of a subscription too', async () => {
    const actors = Array.from({ length: LIMITS.listArgumentItems + 1 }, (_, i) => `actor-${i}`);
    const { status, body } = await query('subscription ($actors: [String!]) { timelineChanged(actors: $actors) { action } }', { actors });
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: `Argument "actors" of Subscription.timelineChanged has ${actors.length} items; the limit is ${LIMITS.listArgumentItems}.`,
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
  });

  it('counts nodes(ids:) by the number of ids, and filter lists by their length', () => {
    const cost = (document: string) => complexityFromQuery(document, { schema }).complexity;
    const nodes = (count: number) => `{ nodes(ids: ${JSON.stringify(idList(count))}) { id ... on Event { title summary } } }`;
    // Each id costs the fields selected below it (id, title, summary and the fragment).
    expect(cost(nodes(60)) - cost(nodes(30))).toBeGreaterThanOrEqual(30 * 3);
    const filtered = (count: number) =>
      `{ events(first: 10, filter: { actors: ${JSON.stringify(Array.from({ length: count }, (_, i) => `a${i}`))} }) { totalCount } }`;
    expect(cost(filtered(80)) - cost(filtered(0))).toBeGreaterThanOrEqual(80);
  });

  // About 4,400 per id: within the limit counted ten times, over it counted a hundred times.
  it('refuses a nodes(ids:) query whose selection is too costly for that many ids', async () => {
    const { status, body } = await query(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Event { participants(first: 100) { edges { node { events(first: 10) { edges { node { title summary } } } } } } } } }',
      { ids: idList(LIMITS.listArgumentItems) },
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/complexity is \d+; the limit is 250000/);
  });

  it('keeps counting when an argument cannot be read: a malformed id does not switch the limit off', async () => {
    const heavy = 'events(first: 100) { edges { node { participants(first: 100) { edges { node { events(first: 100) { edges { node { title } } } } } } } } }';
    // node(id:) costs the same whatever the id, so the operation is measured (and too costly);
    // nodes(ids:) is counted by its ids, so one that cannot be read refuses the operation.
    const cases = [
      [`{ node(id: "garbage") { id } ${heavy} }`, 'LIMIT_EXCEEDED', /complexity is \d+; the limit is 250000/],
      [`{ nodes(ids: ["garbage"]) { id } ${heavy} }`, 'BAD_USER_INPUT', /Invalid global ID: garbage/],
    ] as const;
    for (const [document, code, message] of cases) {
      const { status, body } = await query(document);
      expect(status, document).toBe(400);
      expect(body.data ?? null, document).toBeNull();
      expect(body.errors?.[0], document).toMatchObject({ message: expect.stringMatching(message), extensions: { code } });
    }
  });

  it('counts the plain relation lists by their bound', () => {
    const cost = (document: string) => complexityFromQuery(document, { schema }).complexity;
    const base = cost('{ event(slug: "x") { slug } }');
    // related { type to { slug } }: the list field, then type, to and slug for every link it may hold.
    expect(cost('{ event(slug: "x") { slug related { type to { slug } } } }') - base).toBe(1 + LIMITS.relationListItems * 3);
    expect(cost('{ actor(slug: "x") { members { role } } }') - cost('{ actor(slug: "x") { slug } }')).toBe(LIMITS.relationListItems);
  });
});

describe('plain lists are bounded', () => {
  // Each event's own links are capped by the records; those pointing at one event are not.
  it(`lists at most ${LIMITS.relationListItems} links to an event, the first by id`, async () => {
    const database = await openDatabaseForTest();
    const seed = syntheticTimeline(LIMITS.relationListItems + 10);
    for (const event of seed.events.slice(1)) event.related = [{ type: 'PART_OF', event: 'event-0' }];
    await loadSeed(database, seed);
    const yoga = createTimelineYoga({ database });
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ event(slug: "event-0") { relatedFrom { from { slug } } } }' }),
      }),
    );
    const { data } = (await response.json()) as { data: { event: { relatedFrom: { from: { slug: string } }[] } } };
    expect(data.event.relatedFrom.map((link) => link.from.slug)).toEqual(
      seed.events.slice(1, LIMITS.relationListItems + 1).map((event) => event.slug),
    );
  });
});

describe('response size', () => {
  const DOCUMENT = '{ events(first: 100) { edges { node { slug title summary } } } }';

  it('replaces a response over the size limit with an error naming its size and the limit', async () => {
    const full = await query(DOCUMENT);
    expect(full.body.errors).toBeUndefined();
    const size = Buffer.byteLength(JSON.stringify(full.body));
    const { status, body } = await (await server({ limits: { ...LIMITS, responseBytes: size - 1 } })).query(DOCUMENT);
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      {
        message: `The response would be ${size} bytes; the limit is ${size - 1}. Ask for fewer fields or smaller pages.`,
        extensions: { code: 'LIMIT_EXCEEDED' },
      },
    ]);
  });

  it('sends a response of exactly the limit', async () => {
    const full = await query(DOCUMENT);
    const size = Buffer.byteLength(JSON.stringify(full.body));
    const { status, body } = await (await server({ limits: { ...LIMITS, responseBytes: size } })).query(DOCUMENT);
    expect(status).toBe(200);
    expect(body).toEqual(full.body);
  });

  it('measures text as UTF-8 bytes, escapes included', async () => {
    const { database } = await server({}, { own: true });
    await database.write((tx) => tx.update(events).set({ summary: '한국 "quoted"\n\\ é\u0001' }).where(eq(events.slug, 'camp-david-summit')));
    const ask = async (responseBytes: number) => {
      const yoga = createTimelineYoga({ database, limits: { ...LIMITS, responseBytes } });
      const response = await yoga.fetch(
        new Request('http://timeline.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ event(slug: "camp-david-summit") { summary } }' }),
        }),
      );
      return response.text();
    };
    const text = await ask(LIMITS.responseBytes);
    expect(text).toContain('한국');
    const size = Buffer.byteLength(text);
    expect(await ask(size)).toBe(text);
    expect(await ask(size - 1)).toMatch(/LIMIT_EXCEEDED/);
  });
});
