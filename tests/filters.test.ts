import { afterAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../src/seed/load.js';
import { eventSlugs, openTestTimeline, queryData, syntheticTimeline } from './helpers.js';

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

const data = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => queryData<T>(timeline, query, variables);

const slugs = (filter: Record<string, unknown>) => eventSlugs(timeline, filter);

interface EventFacts {
  slug: string;
  participants: string[];
  outlets: string[];
  articles: string[];
}

/** Every event (in date order) with what the filters look at, read through the API's own fields. */
async function everyEvent(): Promise<EventFacts[]> {
  const result = await data(`{
    events(first: 100) {
      totalCount
      edges { node {
        slug
        participants(first: 100) { edges { node { slug } } }
        reportedBy { outlets { slug } }
        citations(first: 100) { edges { node { article { slug } } } }
      } }
    }
  }`);
  expect(result.events.totalCount).toBe(result.events.edges.length);
  return result.events.edges.map(({ node }: any) => ({
    slug: node.slug,
    participants: node.participants.edges.map((edge: any) => edge.node.slug),
    outlets: node.reportedBy.outlets.map((outlet: any) => outlet.slug),
    articles: node.citations.edges.map((edge: any) => edge.node.article.slug),
  }));
}

const events = await everyEvent();
const involving = (slug: string) => events.filter((event) => event.participants.includes(slug)).map((event) => event.slug);
const inDateOrder = (wanted: Set<string>) => events.map((event) => event.slug).filter((slug) => wanted.has(slug));

describe('anyActors', () => {
  it('is the union of each actor\'s events, in date order', async () => {
    for (const pair of [['japan', 'russia'], ['china', 'united-states'], ['xi-jinping', 'kim-jong-un', 'fumio-kishida']]) {
      const each = await Promise.all(pair.map((actor) => slugs({ actors: [actor] })));
      expect(each.every((list) => list.length > 0)).toBe(true);
      const union = await slugs({ anyActors: pair });
      expect(union).toEqual(inDateOrder(new Set(each.flat())));
      // Each actor's own events are also what the participants say.
      pair.forEach((actor, i) => expect(each[i]).toEqual(involving(actor)));
    }
  });

  it('keeps an event involving several of them once', async () => {
    const union = await slugs({ anyActors: ['china', 'south-korea'] });
    const both = await slugs({ actors: ['china', 'south-korea'] });
    expect(both.length).toBeGreaterThan(0);
    expect(new Set(union).size).toBe(union.length);
    expect(union).toEqual(expect.arrayContaining(both));
  });

  it('combines with actors: all of those and at least one of these', async () => {
    const combined = await slugs({ actors: ['china'], anyActors: ['japan', 'south-korea'] });
    const china = new Set(involving('china'));
    const expected = inDateOrder(new Set([...involving('japan'), ...involving('south-korea')].filter((slug) => china.has(slug))));
    expect(expected.length).toBeGreaterThan(0);
    expect(combined).toEqual(expected);
    expect(combined.length).toBeLessThan((await slugs({ anyActors: ['japan', 'south-korea'] })).length);
  });

  it('places no restriction when empty, like the other lists', async () => {
    expect(await slugs({ anyActors: [], sources: [], articles: [] })).toEqual(events.map((event) => event.slug));
  });
});

describe('sources', () => {
  it('finds the events each outlet reports, as reportedBy.outlets lists them', async () => {
    const outlets = [...new Set(events.flatMap((event) => event.outlets))];
    expect(outlets.length).toBeGreaterThan(3);
    for (const outlet of outlets) {
      expect(await slugs({ sources: [outlet] }), outlet).toEqual(events.filter((event) => event.outlets.includes(outlet)).map((event) => event.slug));
    }
  });

  it('counts an outlet a citation credits, though it published none of the articles', async () => {
    // Yonhap's reports reach the timeline through other outlets' articles.
    const yonhap = await data('{ source(slug: "yonhap") { articles { totalCount } creditedIn { totalCount } } }');
    expect(yonhap.source.articles.totalCount).toBe(0);
    expect(yonhap.source.creditedIn.totalCount).toBeGreaterThan(0);
    expect((await slugs({ sources: ['yonhap'] })).length).toBeGreaterThan(0);
  });

  it('takes any of several outlets, and combines with the other conditions', async () => {
    const either = await slugs({ sources: ['yonhap', 'xinhua'] });
    expect(either).toEqual(inDateOrder(new Set([...(await slugs({ sources: ['yonhap'] })), ...(await slugs({ sources: ['xinhua'] }))])));
    const withChina = await slugs({ sources: ['yonhap', 'xinhua'], actors: ['china'] });
    expect(withChina).toEqual(either.filter((slug) => involving('china').includes(slug)));
  });
});

describe('articles', () => {
  it('finds the events citing any of the articles', async () => {
    const articles = [...new Set(events.flatMap((event) => event.articles))];
    expect(articles.length).toBeGreaterThan(1);
    for (const article of articles) {
      expect(await slugs({ articles: [article] }), article).toEqual(events.filter((event) => event.articles.includes(article)).map((event) => event.slug));
    }
    const [first, second] = articles as [string, string];
    expect(await slugs({ articles: [first, second] })).toEqual(
      events.filter((event) => event.articles.includes(first) || event.articles.includes(second)).map((event) => event.slug),
    );
  });
});

describe('an unknown slug in a filter', () => {
  it.each([
    [{ actors: ['china', 'kim-jong-il'] }, 'filter.actors', 'filter.actors: unknown actor "kim-jong-il"'],
    [{ anyActors: ['atlantis', 'japan', 'lemuria'] }, 'filter.anyActors', 'filter.anyActors: unknown actors "atlantis", "lemuria"'],
    [{ place: 'el-dorado' }, 'filter.place', 'filter.place: unknown place "el-dorado"'],
    [{ sources: ['yonhap', 'daily-planet'] }, 'filter.sources', 'filter.sources: unknown source "daily-planet"'],
    [{ articles: ['no-such-article'] }, 'filter.articles', 'filter.articles: unknown article "no-such-article"'],
    // A slug of another kind of record is no actor.
    [{ actors: ['seoul'] }, 'filter.actors', 'filter.actors: unknown actor "seoul"'],
  ])('%j is a BAD_USER_INPUT error naming the argument and the slug', async (filter, argument, message) => {
    const response = await timeline.query('query ($filter: EventFilter) { events(filter: $filter, first: 5) { totalCount edges { node { slug } } } }', { filter });
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ message, path: ['events'], extensions: { code: 'BAD_USER_INPUT', argument } });
  });

  it('is also refused when only totalCount is asked for', async () => {
    const response = await timeline.query('{ events(filter: { place: "el-dorado" }) { totalCount } }');
    expect(response.errors?.[0]).toMatchObject({ message: 'filter.place: unknown place "el-dorado"', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('names the first field that holds one, when an actor is unknown in actors and anyActors', async () => {
    const response = await timeline.query('{ events(filter: { anyActors: ["atlantis"], actors: ["atlantis"] }) { totalCount } }');
    expect(response.errors?.[0]?.message).toBe('filter.actors: unknown actor "atlantis"');
  });

  it('is refused on an actor\'s timeline too', async () => {
    const response = await timeline.query('{ actor(slug: "xi-jinping") { name events(filter: { anyActors: ["kim-jong-il"] }) { totalCount } } }');
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({
      message: 'filter.anyActors: unknown actor "kim-jong-il"',
      path: ['actor', 'events'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.anyActors' },
    });
  });

  it('is a 400 from /timelinejs.json naming the query parameter', async () => {
    const response = await timeline.fetch('/timelinejs.json?actors=china,kim-jong-il');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { parameter: string; message: string }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.parameter).toBe('actors');
    expect(body.errors[0]!.message).toContain('"actors"');
    expect(body.errors[0]!.message).toContain('unknown actor "kim-jong-il"');
  });
});

interface TimelineEdge {
  role: string;
  basis: string;
  note: string;
  cursor: string;
  node: { slug: string; participants: { edges: { role: string; basis: string; note: string; node: { slug: string } }[] } };
}

const ACTOR_TIMELINE = /* GraphQL */ `
  query ($slug: String!, $filter: EventFilter, $orderBy: EventOrder, $first: Int, $after: String) {
    actor(slug: $slug) {
      events(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          cursor role basis note
          node { slug participants(first: 20) { edges { role basis note node { slug } } } }
        }
      }
    }
  }
`;

async function timelineOf(slug: string, variables: Record<string, unknown> = {}) {
  return (await data<{ actor: { events: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: TimelineEdge[] } } }>(
    ACTOR_TIMELINE,
    { slug, first: 50, ...variables },
  )).actor.events;
}

describe('roles on an actor\'s timeline', () => {
  it('gives Xi Jinping\'s role in each of his events, in date order, as the seed records it', async () => {
    const xi = await timelineOf('xi-jinping');
    expect(xi.edges.map((edge) => [edge.node.slug, edge.role])).toEqual([
      ['xi-state-visit-to-seoul-2014', 'VISITOR'],
      ['south-korea-seeks-xi-visit', 'SUBJECT'],
      ['xi-han-duck-soo-hangzhou-meeting', 'PARTICIPANT'],
      ['xi-visit-to-south-korea', 'VISITOR'],
    ]);
    expect(xi.totalCount).toBe(4);
  });

  it('agrees with each event\'s participant edge for the actor: role, basis and note', async () => {
    for (const actor of ['xi-jinping', 'china', 'south-korea', 'yoon-suk-yeol']) {
      const page = await timelineOf(actor);
      expect(page.edges.map((edge) => edge.node.slug)).toEqual(involving(actor));
      for (const edge of page.edges) {
        const participant = edge.node.participants.edges.find((p) => p.node.slug === actor)!;
        expect({ role: edge.role, basis: edge.basis, note: edge.note }).toEqual({ role: participant.role, basis: participant.basis, note: participant.note });
      }
    }
  });

  it('keeps the filter, the order, totalCount and cursors', async () => {
    const all = await timelineOf('china');
    const descending = await timelineOf('china', { orderBy: 'DATE_DESC' });
    expect(descending.edges.map((edge) => edge.node.slug)).toEqual(all.edges.map((edge) => edge.node.slug).reverse());

    const filter = { anyActors: ['south-korea', 'japan'] };
    const filtered = await timelineOf('china', { filter });
    expect(filtered.edges.map((edge) => edge.node.slug)).toEqual(await slugs({ actors: ['china'], ...filter }));
    expect(filtered.totalCount).toBe(filtered.edges.length);
    expect(filtered.totalCount).toBeLessThan(all.totalCount);

    // Two at a time, in both orders, the pages add up to the whole timeline.
    for (const orderBy of ['DATE_ASC', 'DATE_DESC']) {
      const walked: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await timelineOf('china', { orderBy, first: 2, after });
        expect(page.totalCount).toBe(all.totalCount);
        walked.push(...page.edges.map((edge) => `${edge.node.slug}:${edge.role}`));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const whole = orderBy === 'DATE_ASC' ? all.edges : descending.edges;
      expect(walked).toEqual(whole.map((edge) => `${edge.node.slug}:${edge.role}`));
    }
  });

  it('refuses a cursor of the events query', async () => {
    const root = await data('{ events(first: 1) { pageInfo { endCursor } } }');
    const response = await timeline.query(ACTOR_TIMELINE, { slug: 'china', after: root.events.pageInfo.endCursor });
    expect(response.errors?.[0]?.message).toMatch(/not a cursor of Actor\.events/);
  });
});

const synthetic = await openTestTimeline({ seed: false });
await loadSeed(synthetic.database, syntheticTimeline(150));
afterAll(() => synthetic.close());

describe('statements', () => {
  async function statementsFor(query: string, variables: Record<string, unknown>) {
    synthetic.resetStatements();
    const response = await synthetic.query(query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return [...synthetic.statements];
  }

  const FILTERED = /* GraphQL */ `
    query ($first: Int!, $filter: EventFilter) {
      events(first: $first, filter: $filter) {
        totalCount
        edges { node { slug participants(first: 3) { edges { role node { slug
          events(first: 5, filter: $filter) { totalCount edges { role node { slug } } }
        } } } } }
      }
    }
  `;

  it('a filter naming slugs adds one statement, whatever the page size and however many timelines use it', async () => {
    const filter = { anyActors: ['actor-0', 'actor-5'], sources: ['outlet'], articles: ['article'] };
    const unfilteredTen = await statementsFor(FILTERED, { first: 10 });
    const ten = await statementsFor(FILTERED, { first: 10, filter });
    const hundred = await statementsFor(FILTERED, { first: 100, filter });
    expect(ten.length).toBe(unfilteredTen.length + 1);
    expect(hundred.length).toBe(ten.length);
    expect(ten.length).toBeLessThanOrEqual(4);
  });

  it('the unknown slug is found before the events are read', async () => {
    synthetic.resetStatements();
    const response = await synthetic.query(FILTERED, { first: 10, filter: { anyActors: ['actor-0', 'actor-99'] } });
    expect(response.errors?.[0]?.message).toBe('filter.anyActors: unknown actor "actor-99"');
    expect(synthetic.statements.some((statement) => /from "events"/.test(statement) && !/^select count/.test(statement))).toBe(false);
  });

  it('an actor\'s timeline with roles stays one statement beneath a page', async () => {
    const TIMELINES = 'query ($first: Int!) { actors(first: $first) { edges { node { events(first: 5) { totalCount edges { role basis note node { slug } } } } } } }';
    const few = await statementsFor(TIMELINES, { first: 2 });
    const all = await statementsFor(TIMELINES, { first: 12 });
    expect(all.length).toBe(few.length);
    expect(few.length).toBeLessThanOrEqual(2);
  });

  it('counts each synthetic actor\'s events through the filter', async () => {
    const result = await synthetic.query('{ actor(slug: "actor-0") { all: events { totalCount } some: events(filter: { anyActors: ["actor-1"] }) { totalCount edges { role } } } }');
    expect(result.errors).toBeUndefined();
    // Event i involves actors i, i+1 and i+2 (mod 12).
    const involves = (i: number, actor: number) => [0, 1, 2].includes((actor - i + 12 * 100) % 12);
    const ofActor0 = Array.from({ length: 150 }, (_, i) => i).filter((i) => involves(i, 0));
    expect(result.data!.actor.all.totalCount).toBe(ofActor0.length);
    expect(result.data!.actor.some.totalCount).toBe(ofActor0.filter((i) => involves(i, 1)).length);
    expect(result.data!.actor.some.edges.every((edge: { role: string }) => edge.role === 'PARTICIPANT')).toBe(true);
  });
});
