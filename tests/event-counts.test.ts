import { complexityFromQuery } from '@pothos/plugin-complexity';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_COUNT_KEYS, type EventCountKey } from '../src/db/event-counts.js';
import { parsePartialDate } from '../src/domain/partial-date.js';
import { EVENT_KINDS, EVENT_STATUSES } from '../src/domain/vocabulary.js';
import { schema } from '../src/schema/index.js';
import type { SeedData } from '../src/seed/validate.js';
import { loadSeed } from '../src/seed/load.js';
import { LIMITS } from '../src/server/limits.js';
import { openTestTimeline, type TestTimeline } from './helpers.js';

interface Bucket {
  key: string;
  label: string;
  count: number;
}

/** What the test reads of each matching event, to count the buckets itself. */
interface ListedEvent {
  startDate: { iso: string; precision: 'YEAR' | 'MONTH' | 'DAY' };
  kind: string;
  status: string;
  place: { slug: string; name: string } | null;
  participants: { edges: { node: { slug: string; name: string } }[] };
  reportedBy: { outlets: { slug: string; name: string }[] };
}

const COUNTS = /* GraphQL */ `
  query ($filter: EventFilter, $by: EventCountKey!) {
    eventCounts(filter: $filter, by: $by) { key label count }
  }
`;

const EVENTS = /* GraphQL */ `
  query ($filter: EventFilter) {
    events(filter: $filter, first: 100) {
      totalCount
      edges { node {
        startDate { iso precision }
        kind status
        place { slug name }
        participants(first: 20) { edges { node { slug name } } }
        reportedBy { outlets { slug name } }
      } }
    }
  }
`;

async function eventCounts(timeline: TestTimeline, by: EventCountKey, filter?: object): Promise<Bucket[]> {
  const response = await timeline.query<{ eventCounts: Bucket[] }>(COUNTS, { by, filter });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.eventCounts;
}

async function listedEvents(timeline: TestTimeline, filter?: object) {
  const response = await timeline.query<{ events: { totalCount: number; edges: { node: ListedEvent }[] } }>(EVENTS, { filter });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const { totalCount, edges } = response.data!.events;
  // The counts are checked against every matching event, so they must all fit in one page.
  expect(edges).toHaveLength(totalCount);
  return { totalCount, events: edges.map((edge) => edge.node) };
}

/** Each event's buckets under `by`, from what the API says about the event itself. */
function bucketsOf(by: EventCountKey, event: ListedEvent): { key: string; name?: string }[] {
  const { iso, precision } = event.startDate;
  switch (by) {
    case 'YEAR':
      return [{ key: iso.slice(0, 4) }];
    case 'MONTH':
      return [{ key: precision === 'YEAR' ? `${iso}-??` : iso.slice(0, 7) }];
    case 'KIND':
      return [{ key: event.kind }];
    case 'STATUS':
      return [{ key: event.status }];
    case 'ACTOR':
      return event.participants.edges.map(({ node }) => ({ key: node.slug, name: node.name }));
    case 'PLACE':
      return [event.place ? { key: event.place.slug, name: event.place.name } : { key: '' }];
    case 'SOURCE':
      return event.reportedBy.outlets.map((outlet) => ({ key: outlet.slug, name: outlet.name }));
  }
}

/** The buckets counted from the events themselves: key → count, and key → name where there is one. */
function tally(by: EventCountKey, events: ListedEvent[]) {
  const counts = new Map<string, number>();
  const names = new Map<string, string>();
  for (const event of events) {
    for (const bucket of bucketsOf(by, event)) {
      counts.set(bucket.key, (counts.get(bucket.key) ?? 0) + 1);
      if (bucket.name) names.set(bucket.key, bucket.name);
    }
  }
  return { counts, names };
}

const plainOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** YEAR and MONTH in key order (time order, "2023-??" after "2023-12"); the rest by count, then label; "no place" last. */
function expectOrdered(by: EventCountKey, buckets: Bucket[]) {
  const expected = [...buckets].sort(
    by === 'YEAR' || by === 'MONTH'
      ? (a, b) => plainOrder(a.key, b.key)
      : (a, b) => Number(a.key === '') - Number(b.key === '') || b.count - a.count || plainOrder(a.label, b.label),
  );
  expect(buckets.map((bucket) => bucket.key)).toEqual(expected.map((bucket) => bucket.key));
}

/**
 * For each key: the counts are the ones found by listing the matching events (each actor, outlet
 * and place named as the event names it), in order, and for the keys that put each event in one
 * bucket they add up to events(filter).totalCount.
 */
async function expectCountsMatchEvents(timeline: TestTimeline, filter: object | undefined) {
  const { totalCount, events } = await listedEvents(timeline, filter);
  for (const by of EVENT_COUNT_KEYS) {
    const buckets = await eventCounts(timeline, by, filter);
    const { counts, names } = tally(by, events);
    const context = `${by} ${JSON.stringify(filter)}`;
    expect(new Map(buckets.map((bucket) => [bucket.key, bucket.count])), context).toEqual(counts);
    expect(buckets.every((bucket) => bucket.count > 0), context).toBe(true);
    for (const bucket of buckets) {
      if (names.has(bucket.key)) expect(bucket.label, context).toBe(names.get(bucket.key));
    }
    expectOrdered(by, buckets);
    if (by !== 'ACTOR' && by !== 'SOURCE') {
      expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0), context).toBe(totalCount);
    }
  }
  return totalCount;
}

describe('eventCounts on the seed data', async () => {
  const timeline = await openTestTimeline();
  afterAll(() => timeline.close());

  const filters = [
    undefined,
    { actors: ['south-korea'] },
    { from: '2023-09', to: '2023-09' },
    { kinds: ['SUMMIT', 'MEETING', 'STATE_VISIT'] },
    { statuses: ['OCCURRED'] },
    { place: 'seoul' },
    { search: 'summit' },
    { actors: ['china', 'south-korea'], from: '2023', statuses: ['OCCURRED', 'PROPOSED'] },
    { to: '2019', kinds: ['DIPLOMATIC_TIES', 'STATEMENT', 'POLICY'] },
  ];

  it.each(filters.map((filter) => [JSON.stringify(filter) ?? 'no filter', filter]))(
    'counts by every key as the events say, adding up to totalCount: %s',
    async (_name, filter) => {
      const totalCount = await expectCountsMatchEvents(timeline, filter);
      // The seed's filters each leave some events and remove some.
      if (filter) expect(totalCount).toBeLessThan((await listedEvents(timeline)).totalCount);
      expect(totalCount).toBeGreaterThan(0);
    },
  );

  it('puts an event known only to its year in that year\'s "month unknown" bucket, never in January', async () => {
    const { events } = await listedEvents(timeline);
    const yearOnly = events.filter((event) => event.startDate.precision === 'YEAR');
    expect(yearOnly.length).toBeGreaterThan(0);
    const months = await eventCounts(timeline, 'MONTH');
    for (const year of new Set(yearOnly.map((event) => event.startDate.iso))) {
      const bucket = months.find((month) => month.key === `${year}-??`);
      expect(bucket).toEqual({ key: `${year}-??`, label: `${year}, month unknown`, count: yearOnly.filter((event) => event.startDate.iso === year).length });
      const january = events.filter((event) => event.startDate.iso.startsWith(`${year}-01`)).length;
      expect(months.find((month) => month.key === `${year}-01`)?.count ?? 0).toBe(january);
    }
  });

  it('labels buckets in words', async () => {
    const months = await eventCounts(timeline, 'MONTH');
    expect(months).toContainEqual({ key: '2023-09', label: 'September 2023', count: expect.any(Number) });
    expect(await eventCounts(timeline, 'YEAR')).toContainEqual({ key: '2023', label: '2023', count: expect.any(Number) });
    expect(await eventCounts(timeline, 'KIND')).toContainEqual({ key: 'STATE_VISIT', label: 'State visit', count: expect.any(Number) });
    expect(await eventCounts(timeline, 'STATUS')).toContainEqual({ key: 'OCCURRED', label: 'Occurred', count: expect.any(Number) });
    const places = await eventCounts(timeline, 'PLACE');
    expect(places.at(-1)).toMatchObject({ key: '', label: 'No place' });
    expect(places).toContainEqual({ key: 'seoul', label: 'Seoul', count: expect.any(Number) });
  });

  it('runs one SQL statement for any key and filter, and nothing else', async () => {
    // A filter no other test asks for, so the response cache has no answer for it yet. (A filter
    // naming slugs also has them looked up, as for events.)
    const filter = { from: '2023', to: '2024', kinds: ['SUMMIT', 'MEETING'], statuses: ['OCCURRED', 'SCHEDULED'], search: 'summit' };
    for (const by of EVENT_COUNT_KEYS) {
      timeline.resetStatements();
      await eventCounts(timeline, by, filter);
      expect(timeline.statements, by).toHaveLength(1);
    }
  });

  it('refuses a bad filter as events does', async () => {
    const response = await timeline.query(COUNTS, { by: 'YEAR', filter: { from: '2024', to: '2023' } });
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]).toMatchObject({ message: 'filter.to (2023) is before filter.from (2024).', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('makes a histogram one field at a flat cost: all seven facets at once stay far inside the limits', async () => {
    const one = complexityFromQuery('{ eventCounts(by: YEAR) { key label count } }', { schema });
    expect(one.complexity).toBeLessThanOrEqual(110);
    const facets = `{ ${EVENT_COUNT_KEYS.map((by) => `${by.toLowerCase()}: eventCounts(filter: { actors: ["china"] }, by: ${by}) { key label count }`).join(' ')} }`;
    expect(complexityFromQuery(facets, { schema }).complexity).toBeLessThanOrEqual(LIMITS.complexity / 100);
    const response = await timeline.query(facets);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(Object.keys(response.data!)).toHaveLength(EVENT_COUNT_KEYS.length);
  });
});

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * Events of every date precision, some lasting years (counted by their start), some without a place
 * or participants, reported through publishers, credited outlets, and the same outlet twice.
 */
function countingTimeline(eventCount: number): SeedData {
  const outlets = ['alpha', 'beta', 'gamma'];
  return {
    actors: Array.from({ length: 6 }, (_, i) => ({ slug: `actor-${i}`, name: `Actor ${i}`, kind: 'PERSON' as const, description: '', affiliations: [] })),
    places: Array.from({ length: 3 }, (_, i) => ({ slug: `place-${i}`, name: `Place ${i}`, countryNote: '' })),
    sources: outlets.map((slug) => ({ slug, name: `Outlet ${slug}`, description: '' })),
    articles: [
      { slug: 'alpha-report', title: 'Alpha report', source: 'alpha', publishedOn: parsePartialDate('2020'), dateNote: '' },
      { slug: 'beta-report', title: 'Beta report', source: 'beta', publishedOn: parsePartialDate('2020'), dateNote: '' },
    ],
    events: Array.from({ length: eventCount }, (_, i) => {
      const year = 2000 + (i % 7);
      const start = [`${year}`, `${year}-${pad((i % 12) + 1)}`, `${year}-${pad((i % 12) + 1)}-${pad((i % 28) + 1)}`][i % 3]!;
      const citations = [
        { article: 'alpha-report', quote: `Alpha on event ${i}` },
        ...(i % 2 === 0 ? [{ article: 'alpha-report', quote: `Alpha again on event ${i}` }] : []),
        ...(i % 3 === 0 ? [{ article: 'beta-report', quote: `Beta, crediting gamma, on event ${i}`, credits: 'gamma' }] : []),
        ...(i % 5 === 0 ? [{ article: 'beta-report', quote: `Beta, crediting alpha, on event ${i}`, credits: 'alpha' }] : []),
      ];
      const actorCount = i % 10 === 9 ? 0 : 1 + (i % 3);
      return {
        slug: `event-${i}`,
        title: `Event ${i} ${i % 4 === 0 ? 'summit' : 'talks'}`,
        summary: '',
        kind: EVENT_KINDS[i % 5]!,
        status: EVENT_STATUSES[i % 4]!,
        start: parsePartialDate(start),
        ...(i % 7 === 3 ? { end: parsePartialDate(`${year + 2}`) } : {}),
        dateBasis: 'STATED' as const,
        dateNote: '',
        dateSupport: [0],
        ...(i % 4 === 3 ? {} : { place: `place-${i % 3}` }),
        placeBasis: 'CITED' as const,
        placeNote: '',
        placeSupport: i % 4 === 3 ? [] : [0],
        participants: Array.from({ length: actorCount }, (_, k) => ({
          actor: `actor-${(i + k) % 6}`,
          role: 'PARTICIPANT' as const,
          basis: 'CITED' as const,
          note: '',
          supportedBy: [0],
        })),
        citations,
        related: [],
        disputes: [],
      };
    }),
  };
}

describe('eventCounts on a synthetic timeline', async () => {
  const EVENT_COUNT = 98;
  const timeline = await openTestTimeline({ seed: false });
  await loadSeed(timeline.database, countingTimeline(EVENT_COUNT));
  afterAll(() => timeline.close());

  const filters = [
    undefined,
    { from: '2002', to: '2004-06' },
    { kinds: [EVENT_KINDS[0], EVENT_KINDS[2]], statuses: [EVENT_STATUSES[1]] },
    { actors: ['actor-1', 'actor-2'] },
    { place: 'place-2' },
    { search: 'summit' },
    { from: '2001', actors: ['actor-3'], kinds: [EVENT_KINDS[0], EVENT_KINDS[1], EVENT_KINDS[3]], search: 'talks' },
  ];

  it.each(filters.map((filter) => [JSON.stringify(filter) ?? 'no filter', filter]))(
    'counts by every key as the events say, adding up to totalCount: %s',
    async (_name, filter) => {
      const totalCount = await expectCountsMatchEvents(timeline, filter);
      expect(totalCount).toBeGreaterThan(0);
      if (!filter) expect(totalCount).toBe(EVENT_COUNT);
      else expect(totalCount).toBeLessThan(EVENT_COUNT);
    },
  );

  it('counts by start: an event lasting into later years counts once, in its first', async () => {
    const lasting = countingTimeline(EVENT_COUNT).events.filter((event) => event.end);
    expect(lasting.length).toBeGreaterThan(0);
    const years = await eventCounts(timeline, 'YEAR');
    const startYears = countingTimeline(EVENT_COUNT).events.map((event) => event.start.iso.slice(0, 4));
    for (const bucket of years) expect(bucket.count).toBe(startYears.filter((year) => year === bucket.key).length);
  });

  it('never counts a year-only start in January: each year has its own "month unknown" bucket after December', async () => {
    const months = await eventCounts(timeline, 'MONTH');
    const starts = countingTimeline(EVENT_COUNT).events.map((event) => event.start);
    for (let year = 2000; year <= 2006; year++) {
      const keys = months.map((month) => month.key).filter((key) => key.startsWith(`${year}-`));
      expect(keys.at(-1)).toBe(`${year}-??`);
      expect(months.find((month) => month.key === `${year}-??`)?.count).toBe(starts.filter((start) => start.iso === String(year)).length);
      const january = starts.filter((start) => start.precision !== 'YEAR' && start.iso.startsWith(`${year}-01`)).length;
      expect(months.find((month) => month.key === `${year}-01`)?.count ?? 0).toBe(january);
    }
  });

  it('counts an event once per outlet, however many of its citations come through it', async () => {
    const outlets = await eventCounts(timeline, 'SOURCE');
    // Every event cites the alpha report (some twice), and a fifth of them credit alpha as well.
    expect(outlets).toContainEqual({ key: 'alpha', label: 'Outlet alpha', count: EVENT_COUNT });
    // gamma publishes nothing: it is counted where a beta citation credits it.
    expect(outlets).toContainEqual({ key: 'gamma', label: 'Outlet gamma', count: Math.ceil(EVENT_COUNT / 3) });
    expect(outlets[0]!.key).toBe('alpha');
  });

  it('runs one SQL statement for any key, and nothing else', async () => {
    // A filter no other test asks for, so the response cache has no answer for it yet.
    const filter = { from: '2001', to: '2006-11', kinds: [EVENT_KINDS[0], EVENT_KINDS[1], EVENT_KINDS[3]], statuses: [...EVENT_STATUSES], search: 'talks' };
    for (const by of EVENT_COUNT_KEYS) {
      timeline.resetStatements();
      await eventCounts(timeline, by, filter);
      expect(timeline.statements, by).toHaveLength(1);
    }
  });
});
