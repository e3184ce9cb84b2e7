import { type SQL, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { toMatchQuery } from '../src/db/search.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { type GraphQLResponse, openTestTimeline } from './helpers.js';

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;

const SEARCH = /* GraphQL */ `
  query ($q: String!, $first: Int, $after: String) {
    search(query: $q, first: $first, after: $after) {
      totalCount
      edges { cursor node { __typename ... on Event { slug } ... on Actor { slug } ... on Source { slug } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

async function search(q: string, page: { first?: number; after?: string } = {}, ask: Ask = timeline.query) {
  const response = await ask(SEARCH, { q, ...page });
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
    '\u0001\u001f\u007f',
    '😀🇰🇷',
    '',
    '   ',
    'a'.repeat(200),
  ])('treats %j as plain words: a normal answer, never an error', async (q) => {
    const result = await search(q);
    expect(result.totalCount).toBe(result.edges.length);
  });

  it('refuses a NUL character with the whole request, as everywhere in the API: a clear 400, never a 500', async () => {
    const response = await timeline.query(SEARCH, { q: 'xi\u0000han' });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('NUL character (U+0000)'), extensions: { code: 'BAD_REQUEST' } })]);
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
    // Plain SQL, past the API and its revisions: the search tables follow the tables themselves.
    const run = (statement: SQL) =>
      timeline.database.write(async (tx) => {
        if (timeline.database.dialect === 'sqlite') tx.run(statement);
        else await (tx as unknown as { execute(query: SQL): Promise<unknown> }).execute(statement);
      });
    // On PostgreSQL the response cache follows revisions, which plain SQL leaves none of: ask past it.
    const yoga = createTimelineYoga({ database: timeline.database, responseCache: false });
    const ask: Ask = async (query, variables) => {
      const response = await yoga.fetch(
        new Request('http://timeline.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }),
      );
      return { status: response.status, ...((await response.json()) as object) };
    };
    const find = (q: string) => search(q, {}, ask);
    await run(sql`update actors set name = 'Zyxwv Name' where slug = 'cosmax'`);
    expect(hits(await find('zyxwv'))).toEqual(['Actor:cosmax']);
    await run(sql`update actors set name = 'Cosmax' where slug = 'cosmax'`);
    expect((await find('zyxwv')).totalCount).toBe(0);
    // "soared" appears only in a quote about Cosmax's shares, not in any title or summary.
    expect(hits(await find('soared'))).toEqual(['Event:south-korean-stocks-rally']);
    await run(sql`delete from citations where quote like '%soared%'`);
    expect((await find('soared')).totalCount).toBe(0);
  });
});
