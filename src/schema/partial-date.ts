import { Kind } from 'graphql';
import { type PartialDate, parsePartialDate } from '../domain/partial-date.js';
import { builder } from './builder.js';
import { DatePrecision } from './vocabulary.js';

export const DateScalar = builder.scalarType('Date', {
  description: 'A calendar day, YYYY-MM-DD.',
  serialize: (value) => value,
});

// A plain Error (not a GraphQLError) lets graphql-js prefix the message with the type and the
// value it was given, or with the variable and the path to the bad field.
function parseInput(value: unknown): PartialDate {
  if (typeof value !== 'string') {
    throw new TypeError('a partial date is a string: YYYY, YYYY-MM or YYYY-MM-DD');
  }
  return parsePartialDate(value);
}

export const PartialDateString = builder.scalarType('PartialDateString', {
  description: 'A date as precise as it is known: "1992", "2014-07" or "2023-09-23".',
  serialize: (value) => value,
  parseValue: parseInput,
  parseLiteral: (node) => parseInput(node.kind === Kind.STRING ? node.value : undefined),
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
