import { afterAll, describe, expect, it } from 'vitest';
import { toMatchQuery } from '../src/db/search.js';
import { openTestTimeline } from './helpers.js';

const timeline = openTestTimeline();
afterAll(() => timeline.close());

const SEARCH = /* GraphQL */ `
  query ($q: String!, $first: Int, $after: String) {
    search(query: $q, first: $first, after: $after) {
      totalCount
      edges { cursor node { __typename ... on Event { slug } ... on Actor { slug } ... on Source { slug } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

async function search(q: string, page: { first?: number; after?: string } = {}) {
  const response = await timeline.query(SEARCH, { q, ...page });
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  return response.data!.search as {
    totalCount: number;
    edges: { cursor: string; node: { __typename: string; slug: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const hits = (result: Awaited<ReturnType<typeof search>>) => result.edges.map((edge) => `${edge.node.__typename}:${edge.node.slug}`);

describe('search', () => {
  it('finds events, actors and sources', async () => {
    expect(hits(await search('Kishida'))).toEqual(expect.arrayContaining(['Actor:fumio-kishida']));
    expect(hits(await search('Reuters'))).toEqual(expect.arrayContaining(['Source:reuters']));
    expect(hits(await search('won-yuan trading'))).toEqual(['Event:xi-state-visit-to-seoul-2014']);
    const xinhua = hits(await search('Xinhua'));
    expect(xinhua).toContain('Source:xinhua');
  });

  it('matches every word, ignores case and accents', async () => {
    const plain = hits(await search('hangzhou opening ceremony'));
    expect(plain).toContain('Event:asian-games-opening-ceremony');
    expect(plain).not.toContain('Event:camp-david-summit');
    expect(hits(await search('HANGZHOU Opening CEREMONY'))).toEqual(plain);
    expect(hits(await search('hángzhóu opening ceremony'))).toEqual(plain);
    expect((await search('hangzhou zeppelin')).totalCount).toBe(0);
  });

  it('pages through results with a total count', async () => {
    const all = await search('south korea', { first: 100 });
    expect(all.totalCount).toBe(all.edges.length);
    expect(all.totalCount).toBeGreaterThan(6);
    const first = await search('south korea', { first: 3 });
    const second = await search('south korea', { first: 3, after: first.pageInfo.endCursor! });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...hits(first), ...hits(second)]).toEqual(hits(all).slice(0, 6));
  });

  it.each([
    '"',
    '"unbalanced',
    'xi"',
    '(((',
    ')',
    'NEAR(xi han)',
    'NEAR',
    'xi AND',
    'OR OR OR',
    'NOT',
    '*',
    'xi*',
    '^xi',
    'title:xi',
    '{title summary}: xi',
    '-',
    "x' OR 1=1; --",
    '\u0000\u0001\u001f',
    '😀🇰🇷',
    '',
    '   ',
    'a'.repeat(200),
  ])('treats %j as plain words: a normal answer, never an error', async (q) => {
    const result = await search(q);
    expect(result.totalCount).toBe(result.edges.length);
  });

  it('matches FTS5 operator words literally rather than as syntax', async () => {
    // "NEAR" is no operator here: the word is not in the data, so nothing matches.
    expect((await search('NEAR xi')).totalCount).toBe(0);
    // Brackets and stars around real words are dropped, leaving the words.
    expect(hits(await search('(inseparable*)'))).toEqual(hits(await search('inseparable')));
  });

  it('quotes every word it sends to FTS5', () => {
    expect(toMatchQuery('NEAR(xi "han") AND *')).toBe('"NEAR" "xi" "han" "AND"');
    expect(toMatchQuery('!!! ***')).toBeNull();
  });

  it('rejects a search text over 200 characters with a clear error', async () => {
    const response = await timeline.query(SEARCH, { q: 'x'.repeat(201) });
    expect(response.errors?.[0]).toMatchObject({
      message: 'query is longer than 200 characters.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const filter = await timeline.query('query ($q: String) { events(filter: { search: $q }) { totalCount } }', { q: 'x'.repeat(201) });
    expect(filter.errors?.[0]?.message).toBe('filter.search is longer than 200 characters.');
  });

  it('keeps the index in step with writes to the tables', async () => {
    const client = timeline.database.db.$client;
    client.prepare("update actors set name = 'Zyxwv Name' where slug = 'cosmax'").run();
    expect(hits(await search('zyxwv'))).toEqual(['Actor:cosmax']);
    client.prepare("update actors set name = 'Cosmax' where slug = 'cosmax'").run();
    expect((await search('zyxwv')).totalCount).toBe(0);
    // "soared" appears only in a quote about Cosmax's shares, not in any title or summary.
    expect(hits(await search('soared'))).toEqual(['Event:south-korean-stocks-rally']);
    client.prepare("delete from citations where quote like '%soared%'").run();
    expect((await search('soared')).totalCount).toBe(0);
  });
});
