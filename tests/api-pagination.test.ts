import { afterAll, describe, expect, it } from 'vitest';
import { openTestTimeline } from './helpers.js';

const timeline = openTestTimeline();
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
