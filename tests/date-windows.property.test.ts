import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../src/db/schema.js';
import { type PartialDate, parsePartialDate } from '../src/domain/partial-date.js';
import { saveRecord } from '../src/editing/editor.js';
import { articleDefinition, eventDefinition, sourceDefinition } from '../src/editing/entities.js';
import { openTestTimeline, type TestTimeline } from './helpers.js';

// Bounded and reproducible: a few seconds per run on SQLite, longer on PostgreSQL.
const RUNS = 150;
const SEED = 99991231;

let timeline: TestTimeline;
const author = { author: 'test' };
beforeAll(async () => {
  timeline = await openTestTimeline({ seed: false });
  await timeline.database.write(async (tx) => {
    await saveRecord(tx, sourceDefinition, { slug: 'outlet', name: 'Outlet' }, author, { mode: 'create' });
    await saveRecord(tx, articleDefinition, { slug: 'article', title: 'Article', source: 'outlet', publishedOn: '2020' }, author, { mode: 'create' });
  });
});
afterAll(() => timeline.close());

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Any valid EDTF date of levels 0 and 1, with the extreme years 0001 and 9999 and the present drawn often. */
const partialDate: fc.Arbitrary<PartialDate> = fc
  .record({
    year: fc.oneof(fc.constantFrom(1, 2, 9998, 9999), fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    precision: fc.constantFrom('YEAR', 'MONTH', 'DAY'),
    // Uncertain, approximate or both: the bounds stay those of the plain date.
    qualifier: fc.constantFrom('', '', '?', '~', '%'),
    // The last part unspecified: "201X" (a decade), "2023-XX" (a month of the year), "2023-09-XX" (a day of the month).
    unspecified: fc.boolean(),
  })
  .map(({ year, month, day, precision, qualifier, unspecified }) => {
    const yearText = pad(year, 4);
    if (unspecified) {
      // A year 000X would reach back to year 0000.
      if (precision === 'YEAR') return parsePartialDate(year < 10 ? yearText : `${yearText.slice(0, 3)}X`);
      if (precision === 'MONTH') return parsePartialDate(`${yearText}-XX`);
      return parsePartialDate(`${yearText}-${pad(month, 2)}-XX`);
    }
    if (precision === 'YEAR') return parsePartialDate(`${yearText}${qualifier}`);
    if (precision === 'MONTH') return parsePartialDate(`${yearText}-${pad(month, 2)}${qualifier}`);
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return parsePartialDate(`${yearText}-${pad(month, 2)}-${pad(Math.min(day, lastDay), 2)}${qualifier}`);
  });

/** Two dates in an order a record accepts: the second's last day is not before the first's first day. */
const orderedPair = fc.tuple(partialDate, partialDate).map(([a, b]): [PartialDate, PartialDate] => (b.latest < a.earliest ? [b, a] : [a, b]));

/**
 * An event with one date, a start and an end, or a start written as an interval: EDTF takes an
 * interval whose end begins after its start begins, and unspecified digits only at level 2.
 */
const event = fc.oneof(
  partialDate.map((start) => ({ start, end: undefined as PartialDate | undefined, asInterval: false })),
  fc.tuple(orderedPair, fc.boolean()).map(([[start, end], interval]) => ({
    start,
    end,
    asInterval: interval && end.earliest > start.earliest && !`${start.edtf}${end.edtf}`.includes('X'),
  })),
);

const window = fc.oneof(
  partialDate.map((from) => ({ from, to: undefined as PartialDate | undefined })),
  partialDate.map((to) => ({ from: undefined as PartialDate | undefined, to })),
  orderedPair.map(([from, to]) => ({ from, to })),
);

/** The filter's meaning, checked by brute force: the event's interval overlaps the window. */
function overlaps(e: { start: PartialDate; end?: PartialDate }, w: { from?: PartialDate; to?: PartialDate }) {
  const first = e.start.earliest;
  const last = e.end?.latest ?? e.start.latest;
  return (!w.from || last >= w.from.earliest) && (!w.to || first <= w.to.latest);
}

function replaceEvents(list: { start: PartialDate; end?: PartialDate; asInterval?: boolean }[]) {
  return timeline.database.write(async (tx) => {
    await tx.delete(events);
    for (const [i, { start, end, asInterval }] of list.entries()) {
      await saveRecord(
        tx,
        eventDefinition,
        {
          slug: `event-${i}`,
          title: `Event ${i}`,
          kind: 'MEETING',
          status: 'OCCURRED',
          ...(asInterval && end ? { start: `${start.edtf}/${end.edtf}` } : { start: start.edtf, ...(end ? { end: end.edtf } : {}) }),
          dateBasis: 'STATED',
          dateSupport: [0],
          citations: [{ article: 'article', quote: `Quote ${i}` }],
        },
        author,
        { mode: 'create' },
      );
    }
  });
}

const WINDOW_QUERY = /* GraphQL */ `
  query ($from: PartialDateString, $to: PartialDateString) {
    events(first: 100, filter: { from: $from, to: $to }) { totalCount edges { node { slug } } }
  }
`;

async function eventsInWindow(w: { from?: PartialDate; to?: PartialDate }) {
  const response = await timeline.query(WINDOW_QUERY, { from: w.from?.edtf ?? null, to: w.to?.edtf ?? null });
  expect(response.errors).toBeUndefined();
  const page = response.data!.events as { totalCount: number; edges: { node: { slug: string } }[] };
  return { totalCount: page.totalCount, slugs: page.edges.map((edge) => edge.node.slug).sort() };
}

describe('date windows', () => {
  it('an event ending on 9999-12-31 hides no other event from a `from` window', async () => {
    await replaceEvents([
      { start: parsePartialDate('2023-09-26') },
      { start: parsePartialDate('2023'), end: parsePartialDate('9999-12-31') },
    ]);
    expect(await eventsInWindow({ from: parsePartialDate('2000') })).toEqual({ totalCount: 2, slugs: ['event-0', 'event-1'] });
    expect(await eventsInWindow({ from: parsePartialDate('2023-09-27') })).toEqual({ totalCount: 1, slugs: ['event-1'] });
  });

  it(`events(filter: {from, to}) finds exactly the events whose interval overlaps the window (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), window, async (list, w) => {
        await replaceEvents(list);
        const expected = list.flatMap((e, i) => (overlaps(e, w) ? [`event-${i}`] : [])).sort();
        expect(await eventsInWindow(w)).toEqual({ totalCount: expected.length, slugs: expected });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Each run is a write of up to 12 events: on PostgreSQL every statement is a round trip to the server.
  }, 120_000);
});
