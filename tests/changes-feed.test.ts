import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../src/seed/load.js';
import { openTestTimeline, syntheticTimeline, TEST_TOKENS, type TestTimeline } from './helpers.js';

const editor = { token: TEST_TOKENS.editor };
const admin = { token: TEST_TOKENS.admin };

interface Change {
  action: 'CREATED' | 'UPDATED' | 'DELETED' | 'RESTORED';
  type: string;
  slug: string;
  previousSlug: string | null;
  at: string;
  record: Record<string, unknown>;
}

interface ChangePage {
  totalCount: number;
  edges: { cursor: string; node: Change }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const CHANGES = /* GraphQL */ `
  query ($first: Int, $after: String, $last: Int, $before: String, $since: DateTime, $types: [EntityType!]) {
    changes(first: $first, after: $after, last: $last, before: $before, since: $since, types: $types) {
      totalCount
      edges { cursor node { action type slug previousSlug at record } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

/** `type slug` of each change, as a compact picture of a page. */
const summary = (page: ChangePage) => page.edges.map(({ node }) => `${node.action} ${node.type} ${node.slug}`);

describe('changes: a client keeps a copy of the timeline in sync', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline({ seed: false });
  });
  afterAll(() => timeline.close());

  async function changes(variables: Record<string, unknown>): Promise<ChangePage> {
    const response = await timeline.query(CHANGES, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.changes;
  }

  async function mutate(document: string, variables: Record<string, unknown> = {}, options: { token: string } = editor) {
    const response = await timeline.query(document, variables, options);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = Object.values(response.data!)[0] as { __typename: string; message?: string };
    expect(result.__typename, result.message).toMatch(/Success$/);
  }

  const event = {
    slug: 'planet-summit',
    title: 'Leaders meet in Metropolis',
    kind: 'SUMMIT',
    status: 'OCCURRED',
    start: '2024-05',
    dateBasis: 'OUTSIDE',
    dateNote: 'Known from the organisers, not the article.',
    citations: [{ article: 'planet-report', quote: 'Leaders met in Metropolis' }],
  };

  /** The records a client holds, by `TYPE slug`, built only from the feed. */
  const copy = new Map<string, Record<string, unknown>>();
  const apply = (page: ChangePage) => {
    for (const { node } of page.edges) {
      if (node.previousSlug !== null) copy.delete(`${node.type} ${node.previousSlug}`);
      const key = `${node.type} ${node.slug}`;
      if (node.action === 'DELETED') copy.delete(key);
      else copy.set(key, node.record);
    }
  };
  let syncedTo: string | null = null;

  it('pages through the first writes oldest first, and resumes after the last cursor', async () => {
    await mutate('mutation { createSource(input: { slug: "daily-planet", name: "Daily Planet" }) { __typename ... on Error { message } } }');
    await mutate('mutation { createArticle(input: { slug: "planet-report", title: "Summit report", source: "daily-planet", publishedOn: "2024-05" }) { __typename ... on Error { message } } }');
    await mutate('mutation { createActor(input: { slug: "lex-luthor", name: "Lex Luthor", kind: PERSON }) { __typename ... on Error { message } } }');
    await mutate('mutation { createPlace(input: { slug: "metropolis", name: "Metropolis" }) { __typename ... on Error { message } } }');
    await mutate('mutation ($input: EventInput!) { createEvent(input: $input) { __typename ... on Error { message } } }', { input: event });

    const first = await changes({ first: 3 });
    expect(summary(first)).toEqual(['CREATED SOURCE daily-planet', 'CREATED ARTICLE planet-report', 'CREATED ACTOR lex-luthor']);
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.edges[0]!.node.record).toEqual({ slug: 'daily-planet', name: 'Daily Planet' });
    apply(first);

    const rest = await changes({ first: 3, after: first.pageInfo.endCursor });
    expect(summary(rest)).toEqual(['CREATED PLACE metropolis', 'CREATED EVENT planet-summit']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.edges[1]!.node.record).toMatchObject({ title: event.title, dateBasis: 'OUTSIDE' });
    apply(rest);
    syncedTo = rest.pageInfo.endCursor;
  });

  it('after a pause, the same cursor brings updates, renames, deletions and restorations, and nothing seen before', async () => {
    await mutate('mutation { updateEvent(slug: "planet-summit", patch: { title: "Leaders meet again" }) { __typename ... on Error { message } } }');
    await mutate('mutation { deleteEvent(slug: "planet-summit") { __typename ... on Error { message } } }', {}, admin);
    await mutate('mutation { restoreEvent(slug: "planet-summit") { __typename ... on Error { message } } }', {}, admin);
    await mutate('mutation { updatePlace(slug: "metropolis", patch: { slug: "metropolis-city" }) { __typename ... on Error { message } } }');
    await mutate('mutation { deleteActor(slug: "lex-luthor") { __typename ... on Error { message } } }', {}, admin);

    const page = await changes({ after: syncedTo });
    expect(summary(page)).toEqual([
      'UPDATED EVENT planet-summit',
      'DELETED EVENT planet-summit',
      'RESTORED EVENT planet-summit',
      'UPDATED PLACE metropolis-city',
      'DELETED ACTOR lex-luthor',
    ]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.edges.map((edge) => edge.node.previousSlug)).toEqual([null, null, null, 'metropolis', null]);
    // A deletion carries the record as it was; a restoration the record brought back.
    expect(page.edges[1]!.node.record).toMatchObject({ slug: 'planet-summit', title: 'Leaders meet again' });
    expect(page.edges[2]!.node.record).toMatchObject({ slug: 'planet-summit', title: 'Leaders meet again' });
    expect(page.edges[4]!.node.record).toMatchObject({ slug: 'lex-luthor', name: 'Lex Luthor', kind: 'PERSON' });
    apply(page);

    // The copy built from the feed alone agrees with the timeline as it is now.
    expect([...copy.keys()].sort()).toEqual(['ARTICLE planet-report', 'EVENT planet-summit', 'PLACE metropolis-city', 'SOURCE daily-planet']);
    const now = await timeline.query('{ event(slug: "planet-summit") { title } actor(slug: "lex-luthor") { name } old: place(slug: "metropolis") { name } place(slug: "metropolis-city") { name } }');
    expect(now.data).toEqual({ event: { title: copy.get('EVENT planet-summit')!.title }, actor: null, old: null, place: { name: copy.get('PLACE metropolis-city')!.name } });
    // Once caught up, the cursor of the last page gives an empty page.
    const caughtUp = await changes({ after: page.pageInfo.endCursor });
    expect(caughtUp.edges).toEqual([]);
    expect(caughtUp.totalCount).toBe(10);
  });

  it('last is the latest changes, still oldest first; before pages back', async () => {
    const latest = await changes({ last: 2 });
    expect(summary(latest)).toEqual(['UPDATED PLACE metropolis-city', 'DELETED ACTOR lex-luthor']);
    expect(latest.pageInfo).toMatchObject({ hasPreviousPage: true });
    const earlier = await changes({ last: 2, before: latest.pageInfo.startCursor });
    expect(summary(earlier)).toEqual(['DELETED EVENT planet-summit', 'RESTORED EVENT planet-summit']);
    const all = await changes({ first: 100 });
    expect(summary(all).slice(-4)).toEqual([...summary(earlier), ...summary(latest)]);
  });

  it('types keeps the changes to records of those types; an empty list keeps all', async () => {
    const events = await changes({ types: ['EVENT'] });
    expect(summary(events)).toEqual([
      'CREATED EVENT planet-summit',
      'UPDATED EVENT planet-summit',
      'DELETED EVENT planet-summit',
      'RESTORED EVENT planet-summit',
    ]);
    expect(events.totalCount).toBe(4);
    const people = await changes({ types: ['ACTOR', 'SOURCE'] });
    expect(summary(people)).toEqual(['CREATED SOURCE daily-planet', 'CREATED ACTOR lex-luthor', 'DELETED ACTOR lex-luthor']);
    expect(people.totalCount).toBe(3);
    expect((await changes({ types: [] })).totalCount).toBe(10);
    // A cursor of the filtered feed resumes the filtered feed.
    const resumed = await changes({ types: ['EVENT'], first: 5, after: events.edges[1]!.cursor });
    expect(summary(resumed)).toEqual(summary(events).slice(2));
  });

  it('since keeps the changes made at or after an instant, in any timezone notation', async () => {
    const all = (await changes({ first: 100 })).edges.map((edge) => edge.node);
    expect(all.every((change) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(change.at))).toBe(true);
    const cut = all[5]!.at;
    const expected = all.filter((change) => change.at >= cut).map((change) => `${change.action} ${change.type} ${change.slug}`);
    const since = await changes({ since: cut });
    expect(summary(since)).toEqual(expected);
    expect(since.totalCount).toBe(expected.length);
    expect(expected.length).toBeGreaterThanOrEqual(4);

    // The same instant written with an offset.
    const instant = new Date(cut);
    const shifted = new Date(instant.getTime() + 5.5 * 3_600_000).toISOString().replace('Z', '+05:30');
    expect(summary(await changes({ since: shifted }))).toEqual(expected);

    // One millisecond later drops what was made in that millisecond.
    const later = new Date(instant.getTime() + 1).toISOString();
    expect(summary(await changes({ since: later }))).toEqual(all.filter((change) => change.at >= later).map((change) => `${change.action} ${change.type} ${change.slug}`));

    const future = await changes({ since: '2999-01-01T00:00:00Z' });
    expect(future).toMatchObject({ totalCount: 0, edges: [] });
    const both = await changes({ since: cut, types: ['ACTOR'] });
    expect(summary(both)).toEqual(expected.filter((line) => line.includes(' ACTOR ')));
    expect(both.totalCount).toBe(both.edges.length);
  });

  it("gives an article's text as its length, as history does", async () => {
    await mutate('mutation { createArticle(input: { slug: "planet-full", title: "Full report", source: "daily-planet", publishedOn: "2024-05", text: "Leaders met." }) { __typename ... on Error { message } } }');
    const [change] = (await changes({ last: 1 })).edges;
    expect(change!.node).toMatchObject({ action: 'CREATED', type: 'ARTICLE', slug: 'planet-full' });
    expect(change!.node.record).toMatchObject({ slug: 'planet-full', textCharacters: 12 });
    expect(change!.node.record).not.toHaveProperty('text');
  });

  it.each([
    ['a word', 'yesterday'],
    ['no timezone', '2026-12-01T09:30:00'],
    ['an impossible day', '2026-02-30T00:00:00Z'],
    ['an hour past 23', '2026-12-01T24:00:00Z'],
    ['a date alone', '2026-12-01'],
    ['a year past 9999 once in UTC', '9999-12-31T23:00:00-02:00'],
  ])('refuses %s as since, as BAD_USER_INPUT, before reading anything', async (_label, value) => {
    const asVariable = await timeline.query(CHANGES, { since: value });
    expect(asVariable.status).toBe(400);
    expect(asVariable.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Variable "\$since" got invalid value .* is not an ISO 8601 date and time with a timezone/), extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    const asLiteral = await timeline.query(`{ changes(since: ${JSON.stringify(value)}) { totalCount } }`);
    expect(asLiteral.status).toBe(400);
    expect(asLiteral.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Invalid DateTime: .* is not an ISO 8601/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('follows the paging rules of every connection', async () => {
    const tooMany = await timeline.query('{ changes(first: 101) { totalCount } }');
    expect(tooMany.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'Query.changes' } });
    const history = await timeline.query('{ history(type: EVENT, slug: "planet-summit", first: 1) { pageInfo { endCursor } } }');
    const foreign = await timeline.query('query ($c: String) { changes(after: $c) { totalCount } }', { c: history.data!.history.pageInfo.endCursor });
    expect(foreign.errors?.[0]?.message).toMatch(/is not a cursor of Query\.changes/);
  });
});

describe('changes: SQL statements', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline({ seed: false });
    await loadSeed(timeline.database, syntheticTimeline(150));
  }, 60_000);
  afterAll(() => timeline.close());

  async function statementsFor(variables: Record<string, unknown>, size: number) {
    timeline.resetStatements();
    const response = await timeline.query(CHANGES, variables);
    expect(response.errors).toBeUndefined();
    expect(response.data!.changes.edges).toHaveLength(size);
    return timeline.statements.length;
  }

  it('are the same for a page of 10 and a page of 100, filtered or not', async () => {
    const ten = await statementsFor({ first: 10 }, 10);
    expect(await statementsFor({ first: 100 }, 100)).toBe(ten);
    expect(ten).toBeLessThanOrEqual(2);
    const filtered = { since: '2000-01-01T00:00:00Z', types: ['EVENT', 'ACTOR'] };
    expect(await statementsFor({ ...filtered, last: 100 }, 100)).toBe(await statementsFor({ ...filtered, last: 10 }, 10));
  });
});
