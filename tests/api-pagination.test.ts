import { afterAll, describe, expect, it } from 'vitest';
import { openTestTimeline } from './helpers.js';

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: EventOrder) {
    events(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
      totalCount
      edges { cursor node { slug startDate { earliest latest } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

type Page = {
  events: {
    totalCount: number;
    edges: { cursor: string; node: { slug: string; startDate: { earliest: string; latest: string } } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};

async function page(variables: Record<string, unknown>) {
  const response = await timeline.query<Page>(PAGE, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.events;
}

describe('event pagination', () => {
  it('returns the default page of 20 in date order, earliest first', async () => {
    const events = await page({});
    expect(events.edges.length).toBe(Math.min(20, events.totalCount));
    const starts = events.edges.map((edge) => edge.node.startDate.earliest);
    expect(starts).toEqual([...starts].sort());
    expect(events.edges[0]!.node.slug).toBe('china-south-korea-diplomatic-ties');
  });

  it('walks forwards and backwards through the same sequence with stable cursors', async () => {
    const everything = await page({ first: 100 });
    const all = everything.edges.map((edge) => edge.node.slug);
    expect(all.length).toBe(everything.totalCount);

    const forwards: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const current = await page({ first: 4, after });
      forwards.push(...current.edges.map((edge) => edge.node.slug));
      expect(current.pageInfo.hasPreviousPage).toBe(after !== null);
      after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(forwards).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));

    const backwards: string[] = [];
    let before: string | null = null;
    do {
      const current = await page({ last: 4, before });
      backwards.unshift(...current.edges.map((edge) => edge.node.slug));
      before = current.pageInfo.hasPreviousPage ? current.pageInfo.startCursor : null;
    } while (before);
    expect(backwards).toEqual(all);

    const again = await page({ first: 100 });
    expect(again.edges.map((edge) => edge.cursor)).toEqual(everything.edges.map((edge) => edge.cursor));
  });

  it('continues after a cursor with exactly the next events', async () => {
    const all = (await page({ first: 100 })).edges;
    const next = await page({ first: 3, after: all[5]!.cursor });
    expect(next.edges.map((edge) => edge.node.slug)).toEqual(all.slice(6, 9).map((edge) => edge.node.slug));
  });

  it('orders latest first on request', async () => {
    const ascending = (await page({ first: 100 })).edges.map((edge) => edge.node.slug);
    const descending = (await page({ first: 100, orderBy: 'DATE_DESC' })).edges.map((edge) => edge.node.slug);
    expect(descending).toEqual([...ascending].reverse());
  });

  it('sorts a year before the months and days inside it, and a month before its days', async () => {
    const edges = (await page({ first: 100 })).edges.map((edge) => edge.node);
    const index = (slug: string) => edges.findIndex((node) => node.slug === slug);
    expect(index('trilateral-summit-revival')).toBeLessThan(index('camp-david-summit'));
    expect(index('kim-jong-un-visit-to-russia')).toBeLessThan(index('xi-han-duck-soo-hangzhou-meeting'));
  });
});

describe('page-size and cursor errors', () => {
  it.each([
    ['first: 101', '{ events(first: 101) { totalCount } }', /"first" of Query\.events must be between 0 and 100; got 101/],
    ['last: 500', '{ events(last: 500) { edges { cursor } } }', /"last" of Query\.events must be between 0 and 100; got 500/],
    ['first: -5', '{ events(first: -5) { totalCount } }', /"first" of Query\.events must be between 0 and 100; got -5/],
    ['first and last', '{ actors(first: 2, last: 2) { totalCount } }', /Query\.actors takes "first" or "last", not both/],
    ['a nested page over the limit', '{ events(first: 2) { edges { node { citations(first: 1000) { totalCount } } } } }', /"first" of Event\.citations must be between 0 and 100; got 1000/],
    ['an actor timeline over the limit', '{ actor(slug: "china") { events(first: 200) { totalCount } } }', /"first" of Actor\.events must be between 0 and 100/],
    ['a forged cursor', '{ events(after: "bm90LWEtY3Vyc29y") { totalCount } }', /"after" of Query\.events is not a cursor this server issued/],
    ['a non-base64 cursor', '{ events(first: 2, before: "!!!") { edges { cursor } } }', /"before" of Query\.events is not a cursor/],
    ['a forged nested cursor', '{ event(slug: "camp-david-summit") { participants(after: "REM6eyJ4Ijp9") { totalCount } } }', /"after" of Event\.participants is not a cursor/],
    ['a cursor with a fraction where an id goes', `{ changes(after: "${Buffer.from('Query.changes|DC:N:70.5').toString('base64')}") { totalCount } }`, /"after" of Query\.changes is not a cursor this server issued/],
    ['a cursor with a number past the largest id', `{ changes(after: "${Buffer.from('Query.changes|DC:N:9999999999999999999999').toString('base64')}") { totalCount } }`, /"after" of Query\.changes is not a cursor this server issued/],
    ['a search page over the limit', '{ search(query: "xi", first: 101) { totalCount } }', /"first" of Query\.search must be between 0 and 100/],
  ])('rejects %s with a clear error and no data', async (_case, query, message) => {
    const response = await timeline.query(query);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toMatch(message);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(response.data ?? null).toBeNull();
  });

  it('rejects page sizes passed in variables too', async () => {
    const response = await timeline.query('query ($n: Int) { sources(first: $n) { totalCount } }', { n: 1000 });
    expect(response.errors?.[0]?.message).toMatch(/"first" of Query\.sources must be between 0 and 100; got 1000/);
  });

  it('accepts the bounds themselves', async () => {
    const response = await timeline.query('{ a: events(first: 100) { edges { cursor } } b: events(first: 0) { edges { cursor } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data!.b.edges).toEqual([]);
    expect(response.data!.a.edges.length).toBeGreaterThan(0);
  });
});

/** Every node of a connection, walked with `first` forwards and with `last` backwards. */
async function walk(document: string, select: (data: any) => { edges: { cursor: string; node: unknown }[]; pageInfo: any }, size = 2) {
  const read = async (variables: Record<string, unknown>) => {
    const response = await timeline.query(document, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return select(response.data);
  };
  const forwards: unknown[] = [];
  for (let after: string | null = null, more = true; more; ) {
    const current = await read({ first: size, after });
    forwards.push(...current.edges.map((edge) => edge.node));
    more = current.pageInfo.hasNextPage;
    after = current.pageInfo.endCursor;
  }
  const backwards: unknown[] = [];
  for (let before: string | null = null, more = true; more; ) {
    const current = await read({ last: size, before });
    backwards.unshift(...current.edges.map((edge) => edge.node));
    more = current.pageInfo.hasPreviousPage;
    before = current.pageInfo.startCursor;
  }
  return { forwards, backwards, all: (await read({ first: 100 })).edges.map((edge) => edge.node) };
}

const PAGING = 'edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

describe('cursors belong to the connection that issued them', () => {
  const cursorOf = async (document: string, select: (data: any) => { edges: { cursor: string }[] }) => {
    const response = await timeline.query(document);
    expect(response.errors).toBeUndefined();
    return select(response.data).edges[0]!.cursor;
  };
  const timelineCursor = () => cursorOf('{ events(first: 2) { edges { cursor } } }', (data) => data.events);
  const actorCursor = () => cursorOf('{ actor(slug: "china") { events(first: 2) { edges { cursor } } } }', (data) => data.actor.events);

  it.each([
    ['a timeline cursor on an actor timeline', timelineCursor, '{ actor(slug: "china") { events(first: 2, after: $cursor) { totalCount } } }', 'Actor.events', 'Query.events'],
    ['an actor-timeline cursor on the timeline', actorCursor, '{ events(first: 2, before: $cursor) { edges { cursor } } }', 'Query.events', 'Actor.events'],
    ['a cursor of one order in the other', actorCursor, '{ actor(slug: "china") { events(orderBy: DATE_DESC, after: $cursor) { totalCount } } }', 'Actor.events', 'Actor.events'],
    [
      "an event's citation cursor on an article's citations",
      () => cursorOf('{ event(slug: "camp-david-summit") { citations(first: 1) { edges { cursor } } } }', (data) => data.event.citations),
      '{ articles(first: 1) { edges { node { citations(after: $cursor) { totalCount } } } } }',
      'Article.citations',
      'Event.citations',
    ],
    [
      'a participant cursor on an actor timeline',
      () => cursorOf('{ event(slug: "camp-david-summit") { participants(first: 1) { edges { cursor } } } }', (data) => data.event.participants),
      '{ actor(slug: "china") { events(after: $cursor) { edges { cursor } } } }',
      'Actor.events',
      'Event.participants',
    ],
    ['a search cursor on the timeline', () => cursorOf('{ search(query: "summit", first: 1) { edges { cursor } } }', (data) => data.search), '{ events(after: $cursor) { totalCount } }', 'Query.events', 'Query.search'],
    ['a timeline cursor in search', timelineCursor, '{ search(query: "summit", after: $cursor) { totalCount } }', 'Query.search', 'Query.events'],
  ])('refuses %s, naming the field, before anything runs', async (_case, issue, document, field, issuer) => {
    const cursor = await issue();
    timeline.resetStatements();
    const response = await timeline.query(`query ($cursor: String) ${document}`, { cursor });
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toMatch(new RegExp(`is not a cursor of ${field.replace('.', '\\.')}\\b.*; it was issued by ${issuer.replace('.', '\\.')}\\b`));
    expect(timeline.statements).toEqual([]);
  });

  it('refuses a cursor written in the query text too', async () => {
    const cursor = await timelineCursor();
    const response = await timeline.query(`{ actor(slug: "china") { events(after: "${cursor}") { totalCount } } }`);
    expect(response.errors?.[0]?.message).toMatch(/"after" of Actor\.events is not a cursor of Actor\.events/);
  });

  it("accepts one actor timeline's cursor on another actor's timeline of the same order", async () => {
    const cursor = await actorCursor();
    const response = await timeline.query('query ($c: String) { actor(slug: "xi-jinping") { events(after: $c) { totalCount } } }', { c: cursor });
    expect(response.errors).toBeUndefined();
  });

  it.each([
    ['the timeline', `query ($first: Int, $after: String, $last: Int, $before: String) { events(first: $first, after: $after, last: $last, before: $before) { ${PAGING} } }`, (data: any) => data.events],
    [
      'an actor timeline, latest first',
      `query ($first: Int, $after: String, $last: Int, $before: String) { actor(slug: "china") { events(orderBy: DATE_DESC, first: $first, after: $after, last: $last, before: $before) { ${PAGING} } } }`,
      (data: any) => data.actor.events,
    ],
    [
      "an event's participants",
      `query ($first: Int, $after: String, $last: Int, $before: String) { event(slug: "camp-david-summit") { participants(first: $first, after: $after, last: $last, before: $before) { ${PAGING} } } }`,
      (data: any) => data.event.participants,
    ],
    [
      'search results',
      `query ($first: Int, $after: String, $last: Int, $before: String) { search(query: "summit", first: $first, after: $after, last: $last, before: $before) { edges { cursor node { ... on Event { slug } ... on Actor { slug } ... on Source { slug } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
      (data: any) => data.search,
    ],
  ])('pages through %s forwards and backwards with bound cursors', async (_case, document, select) => {
    const { forwards, backwards, all } = await walk(document, select);
    expect(all.length).toBeGreaterThan(2);
    expect(forwards).toEqual(all);
    expect(backwards).toEqual(all);
  });
});
