import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COUNT_KEYS } from '../src/db/event-counts.js';
import { openTestTimeline, queryData, TEST_TOKENS, type TestTimeline } from './helpers.js';

// The seed articles' publication dates (seed/sources.yaml): Bloomberg's is a day, the other's only a month.
const BLOOMBERG = 'bloomberg-south-korea-seeks-xi-visit';
const BLOOMBERG_DAY = '2023-09-25';
const MONTH_ONLY = 'south-korea-china-relations-yoon-seeks-xi-visit';
const MONTH_ONLY_LAST_DAY = '2023-09-30';

interface ListedEvent {
  slug: string;
  status: string;
  citations: { totalCount: number; edges: { node: { quote: string; article: { slug: string } } }[] };
  reportedBy: { articleCount: number; outlets: { slug: string }[] };
  dateSupport: { supportedBy: { quote: string }[] };
  participants: { edges: { node: { slug: string }; supportedBy: { quote: string }[] }[] };
}

const EVENTS = /* GraphQL */ `
  query ($asOf: Date, $filter: EventFilter) {
    events(asOf: $asOf, filter: $filter, first: 100) {
      totalCount
      edges { node {
        slug status
        citations(first: 50) { totalCount edges { node { quote article { slug } } } }
        reportedBy { articleCount outlets { slug } }
        dateSupport { supportedBy { quote } }
        participants(first: 20) { edges { node { slug } supportedBy { quote } } }
      } }
    }
  }
`;

async function eventsAsOf(timeline: TestTimeline, asOf: string | null, filter?: object) {
  const { events } = await queryData<{ events: { totalCount: number; edges: { node: ListedEvent }[] } }>(timeline, EVENTS, { asOf, filter });
  expect(events.edges).toHaveLength(events.totalCount);
  return events.edges.map((edge) => edge.node);
}

const slugsOf = (events: { slug: string }[]) => events.map((event) => event.slug);

describe('events(asOf:) on the seed data', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline();
  });
  afterAll(() => timeline.close());

  it('before both articles were published, the timeline is empty', async () => {
    expect(await eventsAsOf(timeline, '2023-09-24')).toEqual([]);
    const data = await queryData(timeline, `{ event(slug: "xi-visit-to-south-korea", asOf: "2023-09-24") { slug } eventCounts(by: KIND, asOf: "2023-09-24") { key } }`);
    expect(data).toEqual({ event: null, eventCounts: [] });
  });

  it('between them, only what Bloomberg reported, through its citations only', async () => {
    const now = await eventsAsOf(timeline, null);
    const citedByBloomberg = now.filter((event) => event.citations.edges.some((edge) => edge.node.article.slug === BLOOMBERG));
    // The seed data has events from each article alone and from both, or the test would prove little.
    expect(citedByBloomberg.length).toBeGreaterThan(0);
    expect(citedByBloomberg.length).toBeLessThan(now.length);
    const bothArticles = citedByBloomberg.filter((event) => event.citations.edges.some((edge) => edge.node.article.slug === MONTH_ONLY));
    expect(bothArticles.length).toBeGreaterThan(0);

    for (const day of [BLOOMBERG_DAY, '2023-09-29']) {
      const between = await eventsAsOf(timeline, day);
      expect(slugsOf(between), day).toEqual(slugsOf(citedByBloomberg));
      for (const [index, event] of between.entries()) {
        const bloombergCitations = citedByBloomberg[index]!.citations.edges.filter((edge) => edge.node.article.slug === BLOOMBERG);
        expect(event.citations.edges, event.slug).toEqual(bloombergCitations);
        expect(event.citations.totalCount, event.slug).toBe(bloombergCitations.length);
        expect(event.reportedBy.articleCount, event.slug).toBe(1);
        expect(event.reportedBy.outlets.map((outlet) => outlet.slug), event.slug).not.toContain('unnamed-outlet');
        const shownQuotes = new Set(bloombergCitations.map((edge) => edge.node.quote));
        for (const quote of event.dateSupport.supportedBy) expect(shownQuotes, event.slug).toContain(quote.quote);
        for (const edge of event.participants.edges) for (const quote of edge.supportedBy) expect(shownQuotes, event.slug).toContain(quote.quote);
      }
    }
    // The events both articles cite show fewer citations than now.
    const between = await eventsAsOf(timeline, BLOOMBERG_DAY);
    const shared = between.find((event) => event.slug === bothArticles[0]!.slug)!;
    expect(shared.citations.totalCount).toBeLessThan(bothArticles[0]!.citations.totalCount);
  });

  it('an article dated only to the month counts as published on its last day', async () => {
    const now = await eventsAsOf(timeline, null);
    expect(await eventsAsOf(timeline, MONTH_ONLY_LAST_DAY)).toEqual(now);
    expect((await eventsAsOf(timeline, '2023-09-29')).length).toBeLessThan(now.length);
  });

  it('after both, the answer is the timeline as it stands', async () => {
    expect(await eventsAsOf(timeline, '2024-01-01')).toEqual(await eventsAsOf(timeline, null));
  });

  it('the day holds for the whole operation, wherever it is given, and however the fields are ordered', async () => {
    const { events } = await queryData(timeline, '{ events { totalCount } }');
    expect(events.totalCount).toBeGreaterThan(0);
    for (const document of [
      '{ a: events { totalCount } b: events(asOf: "2023-09-24") { totalCount } }',
      '{ b: events(asOf: "2023-09-24") { totalCount } a: events { totalCount } }',
      '{ a: events { totalCount } b: eventCounts(by: KIND, asOf: "2023-09-24") { count } }',
      '{ a: events { totalCount } b: actor(slug: "china") { events(asOf: "2023-09-24") { totalCount } } }',
      '{ a: place(slug: "hangzhou") { events { totalCount } } b: events(asOf: "2023-09-24") { totalCount } }',
    ]) {
      const data = await queryData(timeline, document);
      expect(data.a.events ?? data.a, document).toEqual({ totalCount: 0 });
    }
    // An event reached by id in an operation as of a day shows that day's citations.
    const { event } = await queryData(timeline, `{ event(slug: "xi-visit-to-south-korea") { id citations { totalCount } } }`);
    const byId = await queryData(
      timeline,
      `{ node(id: "${event.id}") { ... on Event { citations { totalCount } } } events(asOf: "${BLOOMBERG_DAY}", filter: { articles: ["${MONTH_ONLY}"] }) { totalCount } }`,
    );
    expect(byId.events.totalCount).toBe(0);
    const bloombergOnly = await queryData(timeline, `{ event(slug: "xi-visit-to-south-korea", asOf: "${BLOOMBERG_DAY}") { citations { totalCount } } }`);
    expect(byId.node.citations).toEqual(bloombergOnly.event.citations);
    expect(bloombergOnly.event.citations.totalCount).toBeLessThan(event.citations.totalCount);
  });

  it('costs the same statements as the timeline as it stands, whatever the page size', async () => {
    const statementsFor = async (asOf: string | null, first: number) => {
      timeline.resetStatements();
      const response = await timeline.query(
        `query ($asOf: Date, $first: Int!) { events(asOf: $asOf, first: $first) { totalCount edges { node {
          status citations(first: 5) { totalCount edges { node { quote } } } reportedBy { articleCount outlets { name } }
          dateSupport { supportedBy { quote } } participants(first: 5) { edges { supportedBy { quote } node { events(first: 3) { totalCount edges { node { status } } } } } }
        } } } }`,
        { asOf, first },
      );
      expect(response.errors).toBeUndefined();
      return timeline.statements.length;
    };
    const now = await statementsFor(null, 2);
    expect(await statementsFor(null, 50)).toBe(now);
    expect(await statementsFor(MONTH_ONLY_LAST_DAY, 2)).toBe(now);
    expect(await statementsFor(MONTH_ONLY_LAST_DAY, 50)).toBe(now);
    expect(await statementsFor(BLOOMBERG_DAY, 50)).toBe(now);
  });
});

describe('events(asOf:) on data the test writes', () => {
  let timeline: TestTimeline;

  async function mutate(document: string, variables: Record<string, unknown> = {}) {
    const response = await timeline.query(document, variables, { token: TEST_TOKENS.editor });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = Object.values(response.data!)[0] as { __typename: string; message?: string };
    expect(result.__typename, result.message).toMatch(/Success$/);
  }
  const createArticle = (slug: string, publishedOn: string) =>
    mutate(`mutation { createArticle(input: { slug: "${slug}", title: "Report ${slug}", source: "wire", publishedOn: "${publishedOn}" }) { __typename ... on Error { message } } }`);
  const createEvent = (input: object) => mutate('mutation ($input: EventInput!) { createEvent(input: $input) { __typename ... on Error { message } } }', { input });
  const changeStatus = (slug: string, status: string, article: string, quote: string) =>
    mutate(
      `mutation ($because: CitationKeyInput) { updateEvent(slug: "${slug}", patch: { status: ${status} }, statusCitation: $because) { __typename ... on Error { message } } }`,
      { because: { article, quote } },
    );

  const event = (slug: string, status: string, citations: { article: string; quote: string }[]) => ({
    slug,
    title: `Event ${slug}`,
    kind: 'MEETING',
    status,
    start: '2023-06',
    dateBasis: 'RESOLVED',
    dateNote: 'Test record.',
    dateSupport: citations.map((_, index) => index),
    participants: [{ actor: 'japan', role: 'PARTICIPANT', supportedBy: citations.map((_, index) => index) }],
    citations,
  });

  beforeAll(async () => {
    timeline = await openTestTimeline({ seed: true });
    await mutate('mutation { createSource(input: { slug: "wire", name: "Wire" }) { __typename ... on Error { message } } }');
    await createArticle('early-report', '2023-06-10');
    await createArticle('month-report', '2023-08');
    await createArticle('late-report', '2023-11-20');
    // Proposed in June; the November report has it held.
    await createEvent(
      event('truce-talks', 'PROPOSED', [
        { article: 'early-report', quote: 'Talks are proposed' },
        { article: 'late-report', quote: 'The talks were held' },
      ]),
    );
    await changeStatus('truce-talks', 'OCCURRED', 'late-report', 'The talks were held');
    // Proposed in June, scheduled by the August report, held by November's.
    await createEvent(
      event('trade-deal', 'PROPOSED', [
        { article: 'early-report', quote: 'A deal is proposed' },
        { article: 'month-report', quote: 'The signing is scheduled' },
        { article: 'late-report', quote: 'The deal was signed' },
      ]),
    );
    await changeStatus('trade-deal', 'SCHEDULED', 'month-report', 'The signing is scheduled');
    await changeStatus('trade-deal', 'OCCURRED', 'late-report', 'The deal was signed');
    // Recorded out of order: first the November report's cancellation, then the June report's date.
    await createEvent(
      event('border-visit', 'PROPOSED', [
        { article: 'early-report', quote: 'The visit is set for autumn' },
        { article: 'late-report', quote: 'The visit was called off' },
      ]),
    );
    await changeStatus('border-visit', 'CANCELLED', 'late-report', 'The visit was called off');
    await changeStatus('border-visit', 'SCHEDULED', 'early-report', 'The visit is set for autumn');
    await createEvent(event('late-summit', 'OCCURRED', [{ article: 'late-report', quote: 'Leaders met' }]));
    await createEvent(event('august-visit', 'OCCURRED', [{ article: 'month-report', quote: 'The minister visited' }]));
  });
  afterAll(() => timeline.close());

  const byslug = (events: ListedEvent[]) => new Map(events.map((listed) => [listed.slug, listed]));

  it('an event cited by an early and a late article: the late citation is hidden, and the status before the late change shows', async () => {
    const july = byslug(await eventsAsOf(timeline, '2023-07-01'));
    expect([...july.keys()].sort()).toEqual(['border-visit', 'trade-deal', 'truce-talks']);
    const talks = july.get('truce-talks')!;
    expect(talks.status).toBe('PROPOSED');
    expect(talks.citations.edges.map((edge) => edge.node.quote)).toEqual(['Talks are proposed']);
    expect(talks.citations.totalCount).toBe(1);
    expect(talks.reportedBy.articleCount).toBe(1);
    expect(talks.dateSupport.supportedBy).toEqual([{ quote: 'Talks are proposed' }]);
    expect(talks.participants.edges[0]!.supportedBy).toEqual([{ quote: 'Talks are proposed' }]);

    const december = byslug(await eventsAsOf(timeline, '2023-12-01')).get('truce-talks')!;
    expect(december.status).toBe('OCCURRED');
    expect(december.citations.totalCount).toBe(2);
    expect(december.reportedBy.articleCount).toBe(2);
    const now = byslug(await eventsAsOf(timeline, null)).get('truce-talks')!;
    expect(december).toEqual(now);
  });

  it('each status change comes into force with its article; a month-dated one on the month\'s last day', async () => {
    const statusOn = async (day: string) => byslug(await eventsAsOf(timeline, day)).get('trade-deal')?.status;
    expect(await statusOn('2023-06-09')).toBeUndefined();
    expect(await statusOn('2023-06-10')).toBe('PROPOSED');
    expect(await statusOn('2023-08-30')).toBe('PROPOSED');
    expect(await statusOn('2023-08-31')).toBe('SCHEDULED');
    expect(await statusOn('2023-11-19')).toBe('SCHEDULED');
    expect(await statusOn('2023-11-20')).toBe('OCCURRED');
    const august = await queryData(timeline, '{ event(slug: "august-visit", asOf: "2023-08-30") { slug } later: events(asOf: "2023-08-30", filter: { articles: ["month-report"] }) { totalCount } }');
    expect(august).toEqual({ event: null, later: { totalCount: 0 } });
    const { event: visit } = await queryData(timeline, '{ event(slug: "august-visit", asOf: "2023-08-31") { slug citations { totalCount } } }');
    expect(visit).toEqual({ slug: 'august-visit', citations: { totalCount: 1 } });
  });

  it('the newest change in force decides, in the order the changes were recorded', async () => {
    const statusOn = async (day: string | null) => byslug(await eventsAsOf(timeline, day)).get('border-visit')?.status;
    // The cancellation is not yet reported in July; the scheduling, recorded after it, is.
    expect(await statusOn('2023-07-01')).toBe('SCHEDULED');
    expect(await statusOn('2023-12-01')).toBe('SCHEDULED');
    expect(await statusOn(null)).toBe('SCHEDULED');
  });

  it('a status change stays tied to its article when the article is renamed', async () => {
    const statusInJuly = async () => byslug(await eventsAsOf(timeline, '2023-07-01')).get('truce-talks')?.status;
    expect(await statusInJuly()).toBe('PROPOSED');
    const rename = (from: string, to: string) =>
      mutate(`mutation { updateArticle(slug: "${from}", patch: { slug: "${to}" }) { __typename ... on Error { message } } }`);
    await rename('late-report', 'late-report-renamed');
    try {
      expect(await statusInJuly()).toBe('PROPOSED');
    } finally {
      await rename('late-report-renamed', 'late-report');
    }
  });

  it('asOf combines with the filters: statuses of the day, citations of the day', async () => {
    const slugs = async (asOf: string, filter: object) => slugsOf(await eventsAsOf(timeline, asOf, filter)).sort();
    expect(await slugs('2023-07-01', { statuses: ['PROPOSED'] })).toEqual(['trade-deal', 'truce-talks']);
    expect(await slugs('2023-07-01', { statuses: ['SCHEDULED', 'CANCELLED'] })).toEqual(['border-visit']);
    expect(await slugs('2023-07-01', { statuses: ['OCCURRED'] })).toEqual([]);
    expect(await slugs('2023-09-01', { statuses: ['SCHEDULED'] })).toEqual(['border-visit', 'trade-deal']);
    expect(await slugs('2023-09-01', { articles: ['late-report'] })).toEqual([]);
    expect(await slugs('2023-12-01', { articles: ['late-report'] })).toEqual(['border-visit', 'late-summit', 'trade-deal', 'truce-talks']);
    expect(await slugs('2023-09-01', { sources: ['wire'], actors: ['japan'] })).toEqual(['august-visit', 'border-visit', 'trade-deal', 'truce-talks']);
    expect(await slugs('2023-09-01', { sources: ['wire'], to: '2023-05' })).toEqual([]);
  });

  it('a search as of a day matches the title, the summary and the quotes known then, each word anywhere among them', async () => {
    const found = async (asOf: string | null, search: string) => slugsOf(await eventsAsOf(timeline, asOf, { search })).sort();
    // "signed" is only in the November report's quote.
    expect(await found('2023-09-01', 'signed')).toEqual([]);
    expect(await found('2023-12-01', 'signed')).toEqual(['trade-deal']);
    expect(await found(null, 'signed')).toEqual(['trade-deal']);
    // "deal" is in June's quote, "scheduled" in August's: both are needed, from different quotes.
    expect(await found('2023-07-01', 'deal scheduled')).toEqual([]);
    expect(await found('2023-09-01', 'deal scheduled')).toEqual(['trade-deal']);
    // A title's words count from the first day the event is known; accents and case aside.
    expect(await found('2023-07-01', 'TRADE')).toEqual(['trade-deal']);
    expect(await found('2023-07-01', 'évent proposed')).toEqual(['trade-deal', 'truce-talks']);
    const counted = await queryData<{ eventCounts: { count: number }[] }>(timeline, '{ eventCounts(by: STATUS, asOf: "2023-07-01", filter: { search: "proposed" }) { count } }');
    expect(counted.eventCounts.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);
  });

  it('eventCounts as of a day: the buckets add up to events(filter, asOf).totalCount', async () => {
    const days = ['2023-06-09', '2023-07-01', '2023-08-31', BLOOMBERG_DAY, MONTH_ONLY_LAST_DAY, '2023-12-01'];
    for (const day of days) {
      for (const filter of [undefined, { anyActors: ['japan', 'china'] }, { statuses: ['PROPOSED', 'SCHEDULED'] }]) {
        const listed = await eventsAsOf(timeline, day, filter);
        for (const by of EVENT_COUNT_KEYS) {
          const { eventCounts } = await queryData<{ eventCounts: { key: string; count: number }[] }>(
            timeline,
            'query ($asOf: Date, $filter: EventFilter, $by: EventCountKey!) { eventCounts(asOf: $asOf, filter: $filter, by: $by) { key count } }',
            { asOf: day, filter, by },
          );
          const total = eventCounts.reduce((sum, bucket) => sum + bucket.count, 0);
          const context = `${day} ${JSON.stringify(filter)} ${by}`;
          if (by === 'ACTOR' || by === 'SOURCE') {
            // An event counts once per actor or outlet: at least once each, when it has one.
            expect(total, context).toBeGreaterThanOrEqual(by === 'SOURCE' ? listed.length : 0);
            if (by === 'SOURCE') {
              const outlets = new Map<string, number>();
              for (const event of listed) for (const outlet of event.reportedBy.outlets) outlets.set(outlet.slug, (outlets.get(outlet.slug) ?? 0) + 1);
              expect(Object.fromEntries(eventCounts.map((bucket) => [bucket.key, bucket.count])), context).toEqual(Object.fromEntries(outlets));
            }
          } else {
            expect(total, context).toBe(listed.length);
          }
          if (by === 'STATUS') {
            const statuses = new Map<string, number>();
            for (const event of listed) statuses.set(event.status, (statuses.get(event.status) ?? 0) + 1);
            expect(Object.fromEntries(eventCounts.map((bucket) => [bucket.key, bucket.count])), context).toEqual(Object.fromEntries(statuses));
          }
        }
      }
    }
  });

  it('Actor.events takes asOf, and under events(asOf:) an actor timeline without one is as of the same day', async () => {
    const { actor } = await queryData(timeline, '{ actor(slug: "japan") { events(asOf: "2023-07-01", first: 50) { totalCount edges { node { slug status } } } } }');
    expect(actor.events.totalCount).toBe(3);
    // All start in June 2023: the older record first.
    expect(actor.events.edges.map((edge: { node: object }) => edge.node)).toEqual([
      { slug: 'truce-talks', status: 'PROPOSED' },
      { slug: 'trade-deal', status: 'PROPOSED' },
      { slug: 'border-visit', status: 'SCHEDULED' },
    ]);
    const nested = await queryData(
      timeline,
      '{ events(asOf: "2023-07-01", filter: { actors: ["japan"] }, first: 1) { edges { node { participants(first: 5) { edges { node { slug events(first: 50) { totalCount } } } } } } } }',
    );
    const japan = nested.events.edges[0].node.participants.edges.find((edge: { node: { slug: string } }) => edge.node.slug === 'japan');
    expect(japan.node.events.totalCount).toBe(3);
  });
});

describe('the TimelineJS export as of a day', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline();
  });
  afterAll(() => timeline.close());

  const exported = async (query: string) => {
    const response = await timeline.fetch(`/timelinejs.json${query}`);
    return { status: response.status, body: (await response.json()) as any };
  };

  it('holds the events of events(asOf:), and its title says the day', async () => {
    expect((await exported('?asOf=2023-09-24')).body.events).toEqual([]);
    const { status, body } = await exported(`?asOf=${BLOOMBERG_DAY}&kinds=summit`);
    expect(status).toBe(200);
    const { events } = await queryData(timeline, `{ events(asOf: "${BLOOMBERG_DAY}", filter: { kinds: [SUMMIT] }) { totalCount } }`);
    expect(body.events).toHaveLength(events.totalCount);
    expect(body.title.text.text).toMatch(new RegExp(`as the cited articles published by ${BLOOMBERG_DAY} report them\\.$`));
    // The second article's publisher is credited on today's slides, never on those of Bloomberg's day.
    expect(JSON.stringify((await exported('')).body)).toContain('Unnamed outlet');
    expect(JSON.stringify((await exported(`?asOf=${BLOOMBERG_DAY}`)).body)).not.toContain('Unnamed outlet');
  });

  it('answers a bad day with a 400 naming the parameter', async () => {
    const { status, body } = await exported('?asOf=2023-09');
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({ parameter: 'asOf', message: expect.stringMatching(/^Query parameter "asOf": "2023-09" is not a day/) });
  });
});

describe('asOf refusals', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline();
  });
  afterAll(() => timeline.close());

  it.each(['2023-02-30', '2023-09', '23-09-25', 'yesterday'])('%s is not a day: the error names the argument', async (day) => {
    for (const document of [
      'query ($asOf: Date) { events(asOf: $asOf) { totalCount } }',
      'query ($asOf: Date) { eventCounts(by: KIND, asOf: $asOf) { key } }',
      'query ($asOf: Date) { event(slug: "xi-visit-to-south-korea", asOf: $asOf) { slug } }',
    ]) {
      const response = await timeline.query(document, { asOf: day });
      expect(response.errors?.[0], document).toMatchObject({ message: expect.stringContaining(`asOf: "${day}" is not a day`), extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it('takes the day only from fields that run: not from a skipped field, another operation, or a fragment of another type', async () => {
    const { events } = await queryData(timeline, '{ events { totalCount } }');
    const now = events.totalCount;
    const { event } = await queryData(timeline, '{ event(slug: "xi-visit-to-south-korea") { id } }');
    for (const document of [
      '{ x: events(asOf: "2023-09-24") @skip(if: true) { totalCount } all: events { totalCount } }',
      '{ x: events(asOf: "2023-09-24") @include(if: false) { totalCount } all: events { totalCount } }',
      '{ ...Early @skip(if: true) all: events { totalCount } } fragment Early on Query { events(asOf: "2023-09-24") { totalCount } }',
      `{ n: node(id: "${event.id}") { ... on Actor { events(asOf: "2023-09-24") { totalCount } } } all: events { totalCount } }`,
    ]) {
      expect((await queryData(timeline, document)).all.totalCount, document).toBe(now);
    }
    const response = await timeline.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { events(asOf: "2023-09-24") { totalCount } } query B { events { totalCount } }', operationName: 'B' }),
    });
    expect(await response.json()).toEqual({ data: { events: { totalCount: now } } });
  });

  it('one operation asking for two days is refused; the same day twice is not', async () => {
    const two = await timeline.query('{ a: events(asOf: "2023-09-25") { totalCount } b: eventCounts(by: KIND, asOf: "2023-09-30") { key } }');
    expect(two.errors?.[0]).toMatchObject({ message: expect.stringMatching(/one operation is answered as of one day/), extensions: { code: 'BAD_USER_INPUT' } });
    const same = await queryData(timeline, '{ a: events(asOf: "2023-09-25") { totalCount } b: events(asOf: "2023-09-25", filter: { kinds: [SUMMIT] }) { totalCount } }');
    expect(same.a.totalCount).toBeGreaterThan(0);
  });
});
