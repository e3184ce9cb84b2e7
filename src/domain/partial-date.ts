import edtf, { Bitmask, type EdtfReading, type ExtDate, parse } from 'edtf';
import type { DatePrecision } from './vocabulary.js';

/**
 * A date as precise and as sure as it is known, written in EDTF (ISO 8601-2) levels 0 and 1:
 * "2014-07", "2014?" (uncertain), "2023-09~" (approximate), "2023-09%" (both), "201X" or
 * "2023-XX" (unspecified digits). It is treated as the interval [earliest, latest] when ordering
 * or filtering. The qualifiers do not widen that interval: "2014?" and "2014~" cover the days of
 * 2014, like "2014"; `uncertain` and `approximate` say how sure the date is.
 */
export interface PartialDate {
  /** The date as written, in EDTF (the library's normal form, which is the written one for levels 0 and 1). */
  edtf: string;
  /** The date without its qualifiers, to its precision: YYYY, YYYY-MM or YYYY-MM-DD; a year with unspecified digits keeps its X ("201X"). */
  iso: string;
  /** The finest unit the date pins down: "2023-XX" is a YEAR, "2023-09-XX" a MONTH, "201X" a YEAR. */
  precision: DatePrecision;
  /** First day the date can mean, as YYYY-MM-DD. */
  earliest: string;
  /** Last day the date can mean, as YYYY-MM-DD. */
  latest: string;
  /** The source is unsure of the date ("2014?", "2023-09%"). */
  uncertain: boolean;
  /** The date is about right ("2023-09~", "2023-09%"). */
  approximate: boolean;
}

/** Two dates written as one EDTF interval, "2023-09-23/2023-09-25": an event's span. */
export interface DateInterval {
  edtf: string;
  start: PartialDate;
  end: PartialDate;
}

export class PartialDateError extends Error {}

const FORMS =
  'write YYYY, YYYY-MM or YYYY-MM-DD, in EDTF levels 0 and 1 if need be: "2014?" (uncertain), "2023-09~" (approximate), ' +
  '"2023-09%" (both), "201X" or "2023-XX" (unspecified digits)';

const PRECISION_OF_COMPONENTS: Record<number, DatePrecision> = { 1: 'YEAR', 2: 'MONTH', 3: 'DAY' };

const isoDay = (milliseconds: number) => new Date(milliseconds).toISOString().slice(0, 10);
const all = (mask: Bitmask, part: number) => (mask.value & part) === part;

function daysInMonth(year: number, month: number): number {
  const date = new Date(Date.UTC(2000, month, 0));
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * Why the library refused a well-formed YYYY-MM(-DD) with an optional qualifier: a month or a day
 * that does not exist. The library decides what is valid; this only puts its refusal in words.
 */
function impossibleDay(input: string): string | null {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?[?~%]?$/.exec(input);
  if (!match) return null;
  const [, yearText, monthText, dayText] = match as unknown as [string, string, string, string?];
  const month = Number(monthText);
  if (month < 1 || month > 12) return `"${input}" is not a date: there is no month ${monthText} (months run from 01 to 12)`;
  const lastDay = daysInMonth(Number(yearText), month);
  if (dayText !== undefined && (Number(dayText) < 1 || Number(dayText) > lastDay)) {
    return `"${input}" does not exist: ${yearText}-${monthText} has ${lastDay} days`;
  }
  return null;
}

/** The library's reading of `input`, with its grammar errors put as one sentence. */
function parsed(input: string): EdtfReading {
  try {
    return parse(input);
  } catch {
    throw new PartialDateError(impossibleDay(input) ?? `"${input}" is not a date: ${FORMS}`);
  }
}

/** One date of the library's, checked for what the service takes, as a PartialDate. */
function partialDateOf(input: string, date: ExtDate): PartialDate {
  if (date.type !== 'Date') throw new PartialDateError(`"${input}" is not a date: ${FORMS}`);
  if (date.values.length > 3) throw new PartialDateError(`"${input}" has a time of day; give the date alone, like "${date.edtf.slice(0, 10)}"`);
  if (all(date.unspecified, Bitmask.YEAR)) throw new PartialDateError(`"${input}" does not say anything of the year; give at least its first digit`);
  if (date.values[0]! < 1) throw new PartialDateError(`"${input}" is before year 0001; there is no year 0000 or earlier here`);
  // The grammar lets any February have a 29th, which then rolls over into March: the library's
  // normal form differs from what was written only for such a day.
  if (date.edtf !== input) throw new PartialDateError(impossibleDay(input) ?? `"${input}" is not a date: ${FORMS}`);
  // A trailing part that is wholly unspecified adds no precision: "2023-XX" pins down the year only.
  let components = date.precision;
  if (components === 3 && all(date.unspecified, Bitmask.DAY)) components = 2;
  if (components === 2 && all(date.unspecified, Bitmask.MONTH)) components = 1;
  return {
    edtf: date.edtf,
    iso: date.edtf.replace(/[?~%]/g, '').split('-').slice(0, components).join('-'),
    precision: PRECISION_OF_COMPONENTS[components]!,
    earliest: isoDay(date.min),
    latest: isoDay(date.max),
    uncertain: date.uncertain.value !== 0,
    approximate: date.approximate.value !== 0,
  };
}

/** The longest date text read: an interval of two signed, qualified days ("-2014-07-03?/-2014-07-04~") is 25. */
export const MAX_DATE_LENGTH = 60;

const readings = new Map<string, PartialDate | DateInterval>();
const READINGS_KEPT = 10_000;

/**
 * Reads an EDTF date or interval of levels 0 and 1, validated by the `edtf` library; throws a
 * PartialDateError that says what is wrong in a sentence. Readings of good dates are kept (frozen,
 * as every caller shares them): stored dates and the windows clients ask for repeat, and the
 * grammar is the costliest part of reading one.
 */
export function parseDateOrInterval(written: string): PartialDate | DateInterval {
  let reading = readings.get(written);
  if (reading === undefined) {
    reading = deepFreeze(readDateOrInterval(written));
    if (readings.size >= READINGS_KEPT) readings.clear();
    readings.set(written, reading);
  }
  return reading;
}

function deepFreeze<T extends PartialDate | DateInterval>(value: T): T {
  if ('start' in value) {
    Object.freeze(value.start);
    Object.freeze(value.end);
  }
  return Object.freeze(value);
}

function readDateOrInterval(written: string): PartialDate | DateInterval {
  const input = written.trim();
  if (input === '') throw new PartialDateError(`"${written}" is not a date: ${FORMS}`);
  // The EDTF grammar takes time that grows faster than the text (seconds for a 20,000-digit year):
  // no date of levels 0 and 1 comes near this length, so a longer text is refused unread.
  if (input.length > MAX_DATE_LENGTH) {
    throw new PartialDateError(`is ${input.length} characters long, too long for a date (at most ${MAX_DATE_LENGTH}): ${FORMS}`);
  }
  const reading = parsed(input);
  if (reading.level > 1) {
    throw new PartialDateError(
      `"${input}" is EDTF level 2 (a qualifier or X inside the date, a set, a list…), which is not taken here: ${FORMS}, or give an interval of two such dates`,
    );
  }
  // An open end ("..") is read as Infinity, an unknown one (nothing) as null.
  if (reading.type === 'Interval' && reading.values.some((part) => part === null || part === Infinity)) {
    throw new PartialDateError(
      `"${input}" is an interval with an open or unknown end, which is not taken here: give both dates; an event that goes on has status ONGOING and no end`,
    );
  }
  let value;
  try {
    // Built from the reading, not the string: the grammar runs once.
    value = edtf(reading);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const [start, end] = input.split('/');
    throw new PartialDateError(`"${input}" is not an interval: its end ${end} does not come after its start ${start}`);
  }
  if (value.type === 'Date') return partialDateOf(input, value);
  if (value.type === 'Interval') {
    // The grammar read two dates around the one "/", so the written halves are these.
    const [start, end] = input.split('/') as [string, string];
    return { edtf: value.edtf, start: partialDateOf(start, value.lower), end: partialDateOf(end, value.upper) };
  }
  const what = value.type === 'Season' ? 'a season' : value.type === 'Year' ? 'a year beyond 9999' : `an EDTF ${value.type.toLowerCase()}`;
  throw new PartialDateError(`"${input}" is ${what}, which is not taken here: ${FORMS}`);
}

export function isInterval(value: PartialDate | DateInterval): value is DateInterval {
  return 'start' in value;
}

/**
 * Reads one EDTF date (levels 0 and 1), as `parseDateOrInterval` does; an interval is refused,
 * `instead` saying what to write in its place.
 */
export function parsePartialDate(written: string, instead = 'give one date here'): PartialDate {
  const value = parseDateOrInterval(written);
  if (isInterval(value)) throw new PartialDateError(`"${value.edtf}" is an interval of two dates; ${instead}`);
  return value;
}
