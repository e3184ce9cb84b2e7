import { countEventsBy, EVENT_COUNT_KEYS, type EventCountKey, type EventCountRow, MONTH_UNKNOWN_SUFFIX } from '../db/event-counts.js';
import { events } from '../db/schema.js';
import { builder } from './builder.js';
import { AS_OF_DESCRIPTION, checkedEventFilter, claimAsOf, EventFilterInput, eventWhere, requestAsOf } from './event-filter.js';

/**
 * One flat cost, whatever the number of buckets: the statement visits the matching events once,
 * as an events connection's totalCount does, and a bucket is three scalars.
 */
const EVENT_COUNTS_COST = 100;

const KEY_DESCRIPTIONS: Record<EventCountKey, string> = {
  YEAR: 'By the year the event starts in: key "2023", label "2023".',
  MONTH:
    'By the month the event starts in: key "2023-09", label "September 2023". An event whose start is known only to its year ' +
    'counts in that year\'s "month unknown" bucket, key "2023-??", label "2023, month unknown", never in January.',
  KIND: 'By kind: key "SUMMIT", label "Summit".',
  STATUS: 'By status: key "OCCURRED", label "Occurred".',
  ACTOR: "By actor: key the actor's slug, label its name. An event counts once for each actor involved.",
  PLACE: 'By place: key the place\'s slug, label its name; events without a place count in the bucket with key "" (label "No place"), listed last.',
  SOURCE:
    "By outlet: key the outlet's slug, label its name. An event counts once for each outlet reporting it (a citing article's " +
    'publisher or an outlet a citation credits, as Event.reportedBy.outlets lists them).',
};

const EventCountKeyEnum = builder.enumType('EventCountKey', {
  description: 'What eventCounts groups events by.',
  values: Object.fromEntries(EVENT_COUNT_KEYS.map((key) => [key, { description: KEY_DESCRIPTIONS[key] }])) as Record<
    EventCountKey,
    { description: string }
  >,
});

interface EventCount {
  key: string;
  label: string;
  count: number;
}

const EventCountRef = builder.objectRef<EventCount>('EventCount').implement({
  description: 'How many events fall in one bucket.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The bucket, stable and machine-readable: see EventCountKey.' }),
    label: t.exposeString('label', { description: 'The bucket in words, for display.' }),
    count: t.exposeInt('count'),
  }),
});

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "STATE_VISIT" → "State visit". */
function enumLabel(value: string): string {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function labelOf(by: EventCountKey, row: EventCountRow): string {
  switch (by) {
    case 'YEAR':
      return row.key;
    case 'MONTH': {
      const [year, month] = row.key.split('-') as [string, string];
      return row.key.endsWith(MONTH_UNKNOWN_SUFFIX) ? `${year}, month unknown` : `${MONTH_NAMES[Number(month) - 1]} ${year}`;
    }
    case 'KIND':
    case 'STATUS':
      return enumLabel(row.key);
    case 'ACTOR':
    case 'PLACE':
    case 'SOURCE':
      return row.name ?? 'No place';
  }
}

/** Plain code-unit order, as the keys and names are compared everywhere else (not by locale), so both databases agree. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Dates in time order, by key: "2023-??" sorts after "2023-12". The others by count, largest first,
 * then label and key; the "no place" bucket comes last.
 */
function inOrder(by: EventCountKey, buckets: EventCount[]): EventCount[] {
  if (by === 'YEAR' || by === 'MONTH') return buckets.sort((a, b) => compareText(a.key, b.key));
  return buckets.sort(
    (a, b) => Number(a.key === '') - Number(b.key === '') || b.count - a.count || compareText(a.label, b.label) || compareText(a.key, b.key),
  );
}

builder.queryField('eventCounts', (t) =>
  t.field({
    type: [EventCountRef],
    description:
      'How many events matching the filter fall in each bucket, for histograms and facets, in one SQL statement. ' +
      'Dates are bucketed by the event\'s start. For YEAR, MONTH, KIND, STATUS and PLACE the counts add up to events(filter).totalCount; ' +
      'for ACTOR and SOURCE an event counts once in each of its buckets. Empty buckets are left out. ' +
      'YEAR and MONTH come in time order (a year\'s "month unknown" after its December); the others by count, largest first, then label. ' +
      'With asOf, the events are those of events(filter, asOf), counted by their status that day (STATUS) and by the outlets of the citations known that day (SOURCE).',
    args: {
      filter: t.arg({ type: EventFilterInput }),
      by: t.arg({ type: EventCountKeyEnum, required: true }),
      asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }),
    },
    complexity: { field: EVENT_COUNTS_COST, multiplier: 1 },
    resolve: async (_root, args, context) => {
      claimAsOf(context, args.asOf);
      const where = eventWhere(context.database.dialect, await checkedEventFilter(args.filter, context), context).RAW(events);
      const rows = await countEventsBy(context.database, where, args.by, requestAsOf(context));
      return inOrder(args.by, rows.map((row) => ({ key: row.key, label: labelOf(args.by, row), count: row.count })));
    },
  }),
);
