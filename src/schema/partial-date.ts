import { GraphQLError, Kind } from 'graphql';
import { isInterval, type PartialDate, PartialDateError, parseDateOrInterval, parsePartialDate } from '../domain/partial-date.js';
import { builder } from './builder.js';
import { DatePrecision } from './vocabulary.js';

const DateScalar = builder.scalarType('Date', {
  description: 'A calendar day, YYYY-MM-DD.',
  serialize: (value) => value,
});

const WRITTEN_AS =
  'EDTF (ISO 8601-2) levels 0 and 1: "1992", "2014-07", "2023-09-23"; uncertain "2014?", approximate "2023-09~", both "2023-09%"; ' +
  'unspecified digits "201X", "2023-XX"';

// Thrown as GraphQLErrors so the server shows them rather than masking them. graphql-js prefixes
// a variable's error with the variable and the path to the bad field; a literal's error stands
// alone (with its location), so it names the type itself.
function parseInput(value: unknown, prefix = ''): PartialDate {
  if (typeof value !== 'string') {
    throw new GraphQLError(`${prefix}a partial date is a string in EDTF levels 0 and 1: YYYY, YYYY-MM or YYYY-MM-DD, "2014?", "2023-09~"…`);
  }
  try {
    return parsePartialDate(value, 'a window is given by its first date as from and its last as to');
  } catch (error) {
    if (error instanceof PartialDateError) throw new GraphQLError(`${prefix}${error.message}`);
    throw error;
  }
}

export const PartialDateString = builder.scalarType('PartialDateString', {
  description:
    `One date as precise and as sure as it is known, in ${WRITTEN_AS}. Level 2 and intervals are refused. ` +
    'As the start of a window (from) it means its earliest day, as the end (to) its latest: from "201X" is from 2010-01-01.',
  serialize: (value) => value,
  parseValue: parseInput,
  parseLiteral: (node) =>
    parseInput(node.kind === Kind.STRING ? node.value : undefined, 'Invalid PartialDateString: '),
});

export const PartialDateRef = builder.objectRef<PartialDate>('PartialDate').implement({
  description:
    `A date with an honest precision, written in ${WRITTEN_AS}. "2014-07" (MONTH) claims less than "2014-07-03" (DAY); ` +
    'earliest and latest are the first and last day it can mean, and ordering and date windows treat it as that interval. ' +
    'The qualifiers do not widen it: "2014?" and "2014~" cover the days of 2014 like "2014", so a window for 2014 finds them; ' +
    'uncertain and approximate say how sure the date is.',
  fields: (t) => ({
    edtf: t.exposeString('edtf', { description: 'The date as written, in EDTF: "2014?", "2023-09~", "201X", "2023-09-23".' }),
    iso: t.exposeString('iso', {
      description:
        'For clients that predate EDTF: the date without its qualifiers (?, ~, %), to its precision, as YYYY, YYYY-MM or YYYY-MM-DD: ' +
        '"2014?" is "2014", "2023-XX" is "2023"; a year with unspecified digits keeps them ("201X").',
    }),
    precision: t.expose('precision', {
      type: DatePrecision,
      description: 'The finest unit the date pins down: "2023-XX" is YEAR (a month of 2023, unknown which), "2023-09-XX" MONTH, "201X" YEAR.',
    }),
    earliest: t.expose('earliest', { type: DateScalar, description: 'The first day the date can mean: "201X" is 2010-01-01, "2023-09~" 2023-09-01.' }),
    latest: t.expose('latest', { type: DateScalar, description: 'The last day the date can mean: "201X" is 2019-12-31, "2023-09~" 2023-09-30.' }),
    uncertain: t.exposeBoolean('uncertain', { description: 'The source is unsure of the date: "2014?" or "2023-09%".' }),
    approximate: t.exposeBoolean('approximate', { description: 'The date is about right, not exact: "2023-09~" or "2023-09%".' }),
  }),
});

/**
 * A PartialDate from the four columns that store one, or null when the EDTF column is empty. An
 * event's start column may hold its whole span as written ("2023-09-23/2023-09-25"): its start is the first date.
 */
export function storedPartialDate(
  stored: string | null,
  precision: PartialDate['precision'] | null,
  earliest: string | null,
  latest: string | null,
): PartialDate | null {
  if (stored === null || precision === null || earliest === null || latest === null) return null;
  const reading = parseDateOrInterval(stored);
  return { ...(isInterval(reading) ? reading.start : reading), precision, earliest, latest };
}
