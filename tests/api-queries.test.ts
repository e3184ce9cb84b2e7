import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { eventSlugs, openTestTimeline, queryData } from './helpers.js';

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

const data = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => queryData<T>(timeline, query, variables);

const slugs = (filter: Record<string, unknown>) => eventSlugs(timeline, filter);

describe('event filters', () => {
  it('country pair: only events involving every given actor', async () => {
    const pair = await slugs({ actors: ['china', 'south-korea'] });
    expect(pair).toEqual(expect.arrayContaining(['xi-han-duck-soo-hangzhou-meeting', 'xi-state-visit-to-seoul-2014', 'china-south-korea-diplomatic-ties']));
    expect(pair).not.toContain('camp-david-summit'); // South Korea, not China
    expect(pair).not.toContain('kim-jong-un-visit-to-russia');
    const china = await slugs({ actors: ['china'] });
    const southKorea = await slugs({ actors: ['south-korea'] });
    expect(pair).toEqual(china.filter((slug) => southKorea.includes(slug)));
  });

  it('an unknown actor is an error naming it, not an empty page', async () => {
    const response = await timeline.query('query ($filter: EventFilter) { events(filter: $filter) { totalCount } }', { filter: { actors: ['china', 'atlantis'] } });
    expect(response.errors?.[0]).toMatchObject({ message: 'filter.actors: unknown actor "atlantis"', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('date window: a month-precision event overlaps a window that covers only part of its month', async () => {
    const window = await slugs({ from: '2023-09-20', to: '2023-09-24' });
    expect(window).toContain('xi-han-duck-soo-hangzhou-meeting'); // 23 September
    expect(window).toContain('kim-jong-un-visit-to-russia'); // September 2023: may overlap
    expect(window).toContain('trilateral-summit-revival'); // 2023
    expect(window).not.toContain('trilateral-senior-officials-meeting-seoul'); // 26 September
    expect(window).not.toContain('camp-david-summit'); // 18 August
  });

  it('date window: a year as "to" reaches its last day, a month as "from" starts at its first', async () => {
    const until2014 = await slugs({ to: '2014' });
    expect(until2014).toEqual(['china-south-korea-diplomatic-ties', 'xi-state-visit-to-seoul-2014']);
    const fromAugust = await slugs({ from: '2023-08' });
    expect(fromAugust).toContain('camp-david-summit');
    expect(fromAugust).not.toContain('yoon-taiwan-global-issue-remark'); // April 2023
    expect(fromAugust).not.toContain('china-japan-south-korea-summit-2019');
  });

  it('kinds, statuses and place', async () => {
    expect((await slugs({ kinds: ['SUMMIT'] })).sort()).toEqual(
      ['camp-david-summit', 'china-japan-south-korea-summit-2019', 'trilateral-summit-revival'].sort(),
    );
    expect((await slugs({ statuses: ['PROPOSED', 'SCHEDULED'] })).sort()).toEqual(
      ['trilateral-senior-officials-meeting-seoul', 'trilateral-summit-revival', 'xi-visit-to-south-korea'].sort(),
    );
    expect((await slugs({ place: 'hangzhou' })).sort()).toEqual(['asian-games-opening-ceremony', 'xi-han-duck-soo-hangzhou-meeting']);
  });

  it('search within events, combined with other conditions', async () => {
    // The protest is dated August 2023, so it sorts from 1 August, before the summit of 18 August.
    expect(await slugs({ search: 'Camp David' })).toEqual(['china-protests-camp-david-statement', 'camp-david-summit']);
    expect(await slugs({ search: 'Camp David', kinds: ['STATEMENT'] })).toEqual(['china-protests-camp-david-statement']);
    // Quotes are searchable: "inseparable partners" appears only in a Xinhua-credited quote.
    expect(await slugs({ search: 'inseparable' })).toEqual(['xi-han-duck-soo-hangzhou-meeting']);
  });

  it('empty lists place no restriction', async () => {
    const all = await slugs({});
    expect(await slugs({ actors: [], kinds: [], statuses: [] })).toEqual(all);
  });

  it('rejects a window that ends before it starts, and an impossible date, naming the argument', async () => {
    const backwards = await timeline.query('{ events(filter: { from: "2023", to: "2022-12" }) { totalCount } }');
    expect(backwards.errors?.[0]?.message).toMatch(/filter\.to \(2022-12\) is before filter\.from \(2023\)/);
    const impossible = await timeline.query('query ($f: EventFilter) { events(filter: $f) { totalCount } }', {
      f: { from: '2023-02-30' },
    });
    expect(impossible.status).toBe(400);
    expect(impossible.errors?.[0]?.message).toMatch(/\$f.*from.*"2023-02-30" does not exist: 2023-02 has 28 days/);
    const literal = await timeline.query('{ events(filter: { to: "2023-13" }) { totalCount } }');
    expect(literal.status).toBe(400);
    expect(literal.errors?.[0]?.message).toMatch(/PartialDateString.*"2023-13".*month 13/);
  });
});

describe('nesting both ways', () => {
  it('event → participants (with roles) → actor → their events → citations → article → source', async () => {
    const result = await data(`{
      event(slug: "xi-han-duck-soo-hangzhou-meeting") {
        title
        startDate { iso precision earliest latest }
        dateBasis
        place { name country { slug } }
        participants(first: 10) {
          totalCount
          edges { role node { slug events(first: 10) { edges { node { slug citations(first: 5) { edges { node { quote article { slug source { slug } } creditedSource { slug } } } } } } } } }
        }
      }
    }`);
    const event = result.event;
    expect(event.startDate).toEqual({ iso: '2023-09-23', precision: 'DAY', earliest: '2023-09-23', latest: '2023-09-23' });
    expect(event.place).toEqual({ name: 'Hangzhou', country: { slug: 'china' } });
    const roles = Object.fromEntries(event.participants.edges.map((edge: any) => [edge.node.slug, edge.role]));
    expect(roles).toMatchObject({ 'xi-jinping': 'PARTICIPANT', 'han-duck-soo': 'PARTICIPANT', 'north-korea': 'SUBJECT' });
    expect(event.participants.totalCount).toBe(event.participants.edges.length);
    const xi = event.participants.edges.find((edge: any) => edge.node.slug === 'xi-jinping').node;
    const visit2014 = xi.events.edges.find((edge: any) => edge.node.slug === 'xi-state-visit-to-seoul-2014').node;
    expect(visit2014.citations.edges[0].node.article).toEqual({ slug: 'bloomberg-south-korea-seeks-xi-visit', source: { slug: 'bloomberg' } });
  });

  it('citations carry the quote, the article and the outlet the article credits', async () => {
    const result = await data(`{ event(slug: "xi-han-duck-soo-hangzhou-meeting") {
      citations(first: 50) { totalCount edges { node { quote article { slug publishedOn { iso precision } } creditedSource { slug } } } }
    } }`);
    const citations = result.event.citations.edges.map((edge: any) => edge.node);
    expect(result.event.citations.totalCount).toBe(citations.length);
    const credited = new Set(citations.map((citation: any) => citation.creditedSource?.slug).filter(Boolean));
    expect([...credited].sort()).toEqual(['bloomberg', 'cctv', 'reuters', 'xinhua', 'yonhap']);
    const yonhap = citations.find((citation: any) => citation.creditedSource?.slug === 'yonhap');
    expect(yonhap.quote).toContain('seriously consider');
    expect(yonhap.article.publishedOn).toEqual({ iso: '2023-09-25', precision: 'DAY' });
  });

  it('source → articles and the citations that credit it', async () => {
    const result = await data(`{
      bloomberg: source(slug: "bloomberg") { name articles(first: 5) { totalCount edges { node { slug } } } creditedIn(first: 5) { totalCount edges { node { event { slug } article { slug } } } } }
      yonhap: source(slug: "yonhap") { articles(first: 5) { totalCount } creditedIn(first: 5) { totalCount edges { node { event { slug } } } } }
    }`);
    expect(result.bloomberg.articles.edges).toEqual([{ node: { slug: 'bloomberg-south-korea-seeks-xi-visit' } }]);
    expect(result.bloomberg.creditedIn.edges[0].node).toEqual({
      event: { slug: 'xi-han-duck-soo-hangzhou-meeting' },
      article: { slug: 'south-korea-china-relations-yoon-seeks-xi-visit' },
    });
    expect(result.yonhap.articles.totalCount).toBe(0);
    expect(result.yonhap.creditedIn.edges).toEqual([{ node: { event: { slug: 'xi-han-duck-soo-hangzhou-meeting' } } }]);
  });

  it('actor → affiliations, and the organisation → its members', async () => {
    const result = await data(`{
      han: actor(slug: "han-duck-soo") { kind affiliations { role organization { slug } } }
      korea: actor(slug: "south-korea") { members { role member { slug } } }
    }`);
    expect(result.han).toEqual({ kind: 'PERSON', affiliations: [{ role: 'Prime minister', organization: { slug: 'south-korea' } }] });
    expect(result.korea.members).toContainEqual({ role: 'National security adviser', member: { slug: 'cho-tae-yong' } });
  });

  it('actor timelines take the same filters as events', async () => {
    const result = await data(`{ actor(slug: "xi-jinping") {
      all: events(first: 50) { totalCount }
      proposed: events(filter: { statuses: [PROPOSED] }) { totalCount edges { node { slug } } }
      recent: events(filter: { from: "2023" }, orderBy: DATE_DESC, first: 1) { edges { node { slug } } }
    } }`);
    expect(result.actor.all.totalCount).toBeGreaterThan(2);
    expect(result.actor.proposed).toEqual({ totalCount: 1, edges: [{ node: { slug: 'xi-visit-to-south-korea' } }] });
    expect(result.actor.recent.edges).toEqual([{ node: { slug: 'xi-visit-to-south-korea' } }]);
  });

  it('typed relations read both ways', async () => {
    const result = await data(`{
      meeting: event(slug: "trilateral-senior-officials-meeting-seoul") { related { type to { slug } } }
      summit: event(slug: "trilateral-summit-revival") { relatedFrom { type from { slug } } related { type to { slug } } }
    }`);
    expect(result.meeting.related).toEqual([{ type: 'PREPARES', to: { slug: 'trilateral-summit-revival' } }]);
    expect(result.summit.relatedFrom).toContainEqual({ type: 'PREPARES', from: { slug: 'trilateral-senior-officials-meeting-seoul' } });
    expect(result.summit.related).toEqual([{ type: 'FOLLOW_UP_OF', to: { slug: 'china-japan-south-korea-summit-2019' } }]);
  });
});

describe('lookups', () => {
  it('returns null for unknown slugs, without an error', async () => {
    const result = await data(`{
      event(slug: "no-such-event") { id } actor(slug: "nobody") { id } source(slug: "nowhere") { id }
      article(slug: "unwritten") { id } place(slug: "atlantis") { id }
    }`);
    expect(result).toEqual({ event: null, actor: null, source: null, article: null, place: null });
  });

  it('node(id) and nodes(ids) find every kind of entity by its global id', async () => {
    const ids = await data(`{
      event(slug: "camp-david-summit") { id slug citations(first: 1) { edges { node { id quote } } } }
      actor(slug: "han-duck-soo") { id slug }
      source(slug: "reuters") { id slug }
      article(slug: "bloomberg-south-korea-seeks-xi-visit") { id slug }
      place(slug: "seoul") { id slug }
    }`);
    const { event, actor, source, article, place } = ids;
    const citation = event.citations.edges[0].node;
    const result = await data(
      `query ($ids: [ID!]!, $one: ID!) {
        nodes(ids: $ids) { id __typename ... on Event { slug } ... on Actor { slug } ... on Source { slug } ... on Article { slug } ... on Place { slug } ... on Citation { quote } }
        node(id: $one) { ... on Actor { name } }
      }`,
      { ids: [event.id, actor.id, source.id, article.id, place.id, citation.id], one: actor.id },
    );
    expect(result.nodes.map((node: any) => node.__typename)).toEqual(['Event', 'Actor', 'Source', 'Article', 'Place', 'Citation']);
    expect(result.nodes.map((node: any) => node.slug ?? node.quote)).toEqual([event.slug, actor.slug, source.slug, article.slug, place.slug, citation.quote]);
    expect(result.node).toEqual({ name: 'Han Duck-soo' });
  });

  it('answers null for the id of a record that no longer exists, beside the ones that do', async () => {
    const { event } = await data('{ event(slug: "camp-david-summit") { id } }');
    const gone = encodeGlobalID('Event', 999_999);
    const response = await timeline.query(`query ($ids: [ID!]!, $gone: ID!) { node(id: $gone) { id } nodes(ids: $ids) { id } }`, { ids: [gone, event.id, gone], gone });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null, nodes: [null, { id: event.id }, null] });
  });

  it('loads nodes without waiting for a timer, and still batches those of one type into one statement', async () => {
    const { events } = await data('{ events(first: 3) { edges { node { id slug } } } }');
    const ids = events.edges.map((edge: any) => edge.node.id);
    // A zero-delay timer is a millisecond at least in Node: on a one-row lookup, most of its time.
    const timers = vi.spyOn(globalThis, 'setTimeout');
    timeline.resetStatements();
    try {
      const result = await data('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Event { slug title } } }', { ids });
      expect(result.nodes.map((node: any) => node.slug)).toEqual(events.edges.map((edge: any) => edge.node.slug));
      expect(timers.mock.calls.filter(([, delay]) => !delay)).toEqual([]);
    } finally {
      timers.mockRestore();
    }
    expect(timeline.statements.filter((sql) => /^select/i.test(sql.trim()))).toHaveLength(1);
  });

  it('answers a malformed global id with an error on that field', async () => {
    const response = await timeline.query('{ node(id: "not-an-id") { id } }');
    expect(response.errors?.[0]).toMatchObject({ path: ['node'], message: expect.stringMatching(/Invalid global ID/) });
  });
});
