import { GraphQLError, Kind } from 'graphql';
import { type PartialDate, PartialDateError, parsePartialDate } from '../domain/partial-date.js';
import { builder } from './builder.js';
import { DatePrecision } from './vocabulary.js';

const DateScalar = builder.scalarType('Date', {
  description: 'A calendar day, YYYY-MM-DD.',
  serialize: (value) => value,
});

// Thrown as GraphQLErrors so the server shows them rather than masking them. graphql-js prefixes
// a variable's error with the variable and the path to the bad field; a literal's error stands
// alone (with its location), so it names the type itself.
function parseInput(value: unknown, prefix = ''): PartialDate {
  if (typeof value !== 'string') {
    throw new GraphQLError(`${prefix}a partial date is a string: YYYY, YYYY-MM or YYYY-MM-DD`);
  }
  try {
    return parsePartialDate(value);
  } catch (error) {
    if (error instanceof PartialDateError) throw new GraphQLError(`${prefix}${error.message}`);
    throw error;
  }
}

export const PartialDateString = builder.scalarType('PartialDateString', {
  description: 'A date as precise as it is known: "1992", "2014-07" or "2023-09-23".',
  serialize: (value) => value,
  parseValue: parseInput,
  parseLiteral: (node) =>
    parseInput(node.kind === Kind.STRING ? node.value : undefined, 'Invalid PartialDateString: '),
});

export const PartialDateRef = builder.objectRef<PartialDate>('PartialDate').implement({
  description:
    'A date with an honest precision. "2014-07" (MONTH) claims less than "2014-07-03" (DAY); ' +
    'earliest and latest are the first and last day it can mean.',
  fields: (t) => ({
    iso: t.exposeString('iso', { description: 'As precise as known: YYYY, YYYY-MM or YYYY-MM-DD.' }),
    precision: t.expose('precision', { type: DatePrecision }),
    earliest: t.expose('earliest', { type: DateScalar }),
    latest: t.expose('latest', { type: DateScalar }),
  }),
});

/** A PartialDate from the four columns that store one, or null when the iso column is empty. */
export function storedPartialDate(
  iso: string | null,
  precision: PartialDate['precision'] | null,
  earliest: string | null,
  latest: string | null,
): PartialDate | null {
  if (iso === null || precision === null || earliest === null || latest === null) return null;
  return { iso, precision, earliest, latest };
}
