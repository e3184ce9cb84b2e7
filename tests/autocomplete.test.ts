import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchWords, toPrefixMatchQuery } from '../src/db/search.js';
import { openTestTimeline } from './helpers.js';

/**
 * `search` as a search box that completes as you type: the last word is the start of a word, the
 * words before it match whole, titles and names rank first. Checked against an oracle: every
 * record's text, read here, tells which records a search must find and in which tier.
 */
const timeline = await openTestTimeline();
afterAll(() => timeline.close());

const SEARCH = /* GraphQL */ `
  query ($q: String!, $first: Int, $after: String) {
    search(query: $q, first: $first, after: $after) {
      totalCount
      edges { node { __typename ... on Event { slug } ... on Actor { slug } ... on Source { slug } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface SearchPage {
  totalCount: number;
  edges: { node: { __typename: string; slug: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function search(q: string, page: { first?: number; after?: string } = {}): Promise<SearchPage> {
  const response = await timeline.query(SEARCH, { q, ...page });
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  return response.data!.search as SearchPage;
}

/** Every hit of a search, "Type:slug", best first, read a page of 100 at a time. */
async function allHits(q: string): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await search(q, { first: 100, after });
    keys.push(...page.edges.map(({ node }) => `${node.__typename}:${node.slug}`));
    if (!page.pageInfo.hasNextPage) {
      expect(keys).toHaveLength(page.totalCount);
      return keys;
    }
    after = page.pageInfo.endCursor!;
  }
}

/** A record's searchable text, in tiers: title or name, then summary or description, then quotes. */
interface Searchable {
  key: string;
  tiers: [string, string, string];
}

let records: Searchable[] = [];

beforeAll(async () => {
  const response = await timeline.query(/* GraphQL */ `{
    events(first: 100) { totalCount edges { node { slug title summary citations(first: 100) { edges { node { quote } } } } } }
    actors(first: 100) { totalCount edges { node { slug name description } } }
    sources(first: 100) { totalCount edges { node { slug name description } } }
  }`);
  expect(response.errors).toBeUndefined();
  const data = response.data!;
  for (const connection of [data.events, data.actors, data.sources]) expect(connection.edges).toHaveLength(connection.totalCount);
  records = [
    ...data.events.edges.map(({ node }: any) => ({
      key: `Event:${node.slug}`,
      tiers: [node.title, node.summary ?? '', node.citations.edges.map((edge: any) => edge.node.quote).join(' ')],
    })),
    ...data.actors.edges.map(({ node }: any) => ({ key: `Actor:${node.slug}`, tiers: [node.name, node.description ?? '', ''] })),
    ...data.sources.edges.map(({ node }: any) => ({ key: `Source:${node.slug}`, tiers: [node.name, node.description ?? '', ''] })),
  ];
});

/** Text as both indexes see it: without accents, lower case, cut into runs of letters and digits. */
const tokens = (text: string): string[] => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const folded = (q: string) => tokens(searchWords(q).join(' '));

/** Whether `text` holds every finished word of `q` whole and a word starting with its last word. */
function holds(text: string, q: string): boolean {
  const words = folded(q);
  const last = words.pop();
  if (last === undefined) return false;
  const have = tokens(text);
  return words.every((word) => have.includes(word)) && have.some((token) => token.startsWith(last));
}

/** The tier a record should rank in for `q`, or null when it should not be found. */
function expectedTier(record: Searchable, q: string): number | null {
  for (let tier = 0; tier < 3; tier++) if (holds(record.tiers.slice(0, tier + 1).join(' '), q)) return tier;
  return null;
}

/** Asserts that `q` finds exactly the records the oracle says, tier by tier; returns the hits. */
async function expectOracle(q: string): Promise<string[]> {
  const hits = await allHits(q);
  const expected = records.filter((record) => expectedTier(record, q) !== null).map((record) => record.key);
  expect(new Set(hits).size).toBe(hits.length);
  expect([...hits].sort()).toEqual([...expected].sort());
  const tiers = hits.map((key) => expectedTier(records.find((record) => record.key === key)!, q)!);
  expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
  return hits;
}

describe('search completes the last word', () => {
  it('finds Fumio Kishida from "kish", Xi Jinping from "Xi Jin", summits from "sum"', async () => {
    expect((await expectOracle('kish'))[0]).toBe('Actor:fumio-kishida');
    expect((await expectOracle('Xi Jin'))[0]).toBe('Actor:xi-jinping');
    const sum = await expectOracle('sum');
    expect(sum).toContain('Event:camp-david-summit');
    expect(sum.length).toBeGreaterThan(3);
  });

  it('reads compatibility forms as their plain letters: full-width "ｋｉｓｈ" and the ligature in "ﬁnd" as typed on some keyboards', async () => {
    expect(await allHits('ｋｉｓｈ')).toEqual(await allHits('kish'));
    expect(await allHits('Ｘｉ Ｊｉｎ')).toEqual(await allHits('Xi Jin'));
    expect(await allHits('ﬁ')).toEqual(await allHits('fi'));
    expect((await allHits('fi')).length).toBeGreaterThan(0);
  });

  it('matches the words before the last one whole', async () => {
    // "kish" is a finished word here, and no record holds it whole.
    expect((await search('kish fumio')).totalCount).toBe(0);
    expect(await allHits('Jin Xi')).not.toContain('Actor:xi-jinping');
    expect((await expectOracle('fumio kish'))[0]).toBe('Actor:fumio-kishida');
    // A completed word is still its own prefix.
    expect(await allHits('kishida')).toEqual(await allHits('kish'));
  });

  it('ranks titles and names above summaries and descriptions, and those above quotes', async () => {
    const summit = await expectOracle('summit');
    const firstActor = summit.findIndex((key) => key.startsWith('Actor:'));
    // Japan's description mentions a summit; every event with a summit in its title comes first.
    expect(summit).toContain('Actor:japan');
    const titled = records.filter((record) => expectedTier(record, 'summit') === 0).map((record) => record.key);
    expect(titled.length).toBeGreaterThan(2);
    expect(summit.slice(0, titled.length).sort()).toEqual(titled.sort());
    expect(firstActor).toBeGreaterThanOrEqual(titled.length);
    for (const q of ['korea', 'south kor', 'xi', 'k', 's', 'sta', 'han duck-s', 'meet']) await expectOracle(q);
  });

  it('ignores case and accents in the prefix', async () => {
    const kish = await allHits('kish');
    expect(await allHits('KISH')).toEqual(kish);
    expect(await allHits('kishidá')).toEqual(kish);
    expect(await allHits('Kíšh')).toEqual(kish);
  });

  it.each([
    ['*', ''],
    ['"', ''],
    ['-', ''],
    ['😀', ''],
    ['NEAR(', 'near'],
    ['NEAR(xi', 'near xi'],
    ['a:', 'a'],
    ['title:kish', 'title kish'],
    ['x OR', 'x or'],
    ['Kishida OR Jin', 'kishida or jin'],
    ['xi NOT', 'xi not'],
    ['xi AND', 'xi and'],
    ['kish*', 'kish'],
    ['"kish', 'kish'],
    ['kish"', 'kish'],
    ['"xi" "jin', 'xi jin'],
    ['^xi', 'xi'],
    ['xi -jin', 'xi jin'],
    ['(xi jin', 'xi jin'],
    ['{name}: kish', 'name kish'],
    ["kish'", 'kish'],
    ['kish\\', 'kish'],
    ['kish:*', 'kish'],
    ['kish:A', 'kish a'],
    ['!kish', 'kish'],
    ['xi & jin', 'xi jin'],
    ['xi | jin', 'xi jin'],
    ['xi <-> jin', 'xi jin'],
    ['xi 😀', 'xi'],
    ['½', '½'],
  ])('reads %j as the plain words %j', async (q, plain) => {
    const hits = await expectOracle(q);
    expect(hits).toEqual(plain === '' ? [] : await allHits(plain));
  });

  // Letters that PostgreSQL's unaccent folds into quotes, colons or stars, the tsquery operators:
  // there they are punctuation, elsewhere letters; read either way, they are never syntax.
  it.each([
    ['kishʼ', ['kish']],
    ['ʼkish', ['kish']],
    ['kŉ', ['k n', 'kn']],
    ['kishː', ['kish']],
    ['ŉ', ['n']],
    ['ʼ', []],
    ['kish ×', ['kish']],
    ['xi ʹ jin', ['xi jin']],
  ])('reads %j, whose letters fold into punctuation, as one of %j', async (q, readings) => {
    const plain = new Set((await Promise.all(readings.map(allHits))).flat());
    for (const hit of await allHits(q)) expect(plain).toContain(hit);
  });

  it.each(['a', 'k', 'x', 's', '2', 'é'])('completes the single character %j like any prefix', async (q) => {
    await expectOracle(q);
  });

  it('reads 200 characters of words and non-words without error, the first 16 words taking part', async () => {
    expect((await search('a'.repeat(200))).totalCount).toBe(0);
    const many = `${'xi '.repeat(15)}jin ${'zzz '.repeat(20)}`.slice(0, 200);
    expect(await allHits(many)).toEqual(await allHits('xi jin'));
    await expectOracle('"*-:('.repeat(40));
  });

  it('pages through a one-letter prefix without losing or repeating a hit', async () => {
    const all = await allHits('s');
    expect(all.length).toBeGreaterThan(20);
    const pages: string[] = [];
    let after: string | undefined;
    do {
      const page = await search('s', { first: 7, after });
      pages.push(...page.edges.map(({ node }) => `${node.__typename}:${node.slug}`));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : undefined;
    } while (after);
    expect(pages).toEqual(all);
  });

  it('costs at most five statements, for a one-letter prefix as for a whole word, at any page size', async () => {
    // The count, the page of matches, and one load per kind of record among them, with what the
    // document selects beneath (here each event's participants) in the same statement.
    const NESTED = /* GraphQL */ `
      query ($q: String!, $first: Int) {
        search(query: $q, first: $first) {
          edges { node { __typename ... on Event { slug participants(first: 3) { edges { role node { slug } } } } ... on Actor { slug } ... on Source { slug } } }
        }
      }
    `;
    // Page sizes no other test asks for, so that no response comes from the cache.
    for (const [q, first] of [['k', 5], ['s', 99], ['kishida', 6], ['south kor', 3], ['reuters', 2]] as const) {
      timeline.resetStatements();
      const response = await timeline.query(NESTED, { q, first });
      expect(response.errors).toBeUndefined();
      expect(response.data!.search.edges.length).toBeGreaterThan(0);
      expect(timeline.statements.length).toBeGreaterThanOrEqual(3);
      expect(timeline.statements.length).toBeLessThanOrEqual(5);
    }
  });

  it('sends FTS5 quoted words with the only star outside the last quote', () => {
    expect(toPrefixMatchQuery('Xi Jin')).toBe('"Xi" "Jin"*');
    expect(toPrefixMatchQuery('NEAR(xi "han* OR')).toBe('"NEAR" "xi" "han" "OR"*');
    expect(toPrefixMatchQuery('* " - :')).toBeNull();
  });

  it('leaves events(filter: { search }) matching whole words', async () => {
    const count = async (search: string) => {
      const response = await timeline.query('query ($q: String) { events(filter: { search: $q }) { totalCount } }', { q: search });
      expect(response.errors).toBeUndefined();
      return response.data!.events.totalCount as number;
    };
    expect(await count('summit')).toBeGreaterThan(0);
    expect(await count('summ')).toBe(0);
  });
});
