import type { DatePrecision } from './vocabulary.js';

/**
 * A date known to a year, a month or a day. "2014-07" claims less than "2014-07-03", so it is
 * kept with its precision and treated as the interval [earliest, latest] when ordering or filtering.
 */
export interface PartialDate {
  iso: string;
  precision: DatePrecision;
  /** First day the date can mean, as YYYY-MM-DD. */
  earliest: string;
  /** Last day the date can mean, as YYYY-MM-DD. */
  latest: string;
}

export class PartialDateError extends Error {}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses "1992", "2014-07" or "2023-09-23"; throws a PartialDateError that says what is wrong. */
export function parsePartialDate(input: string): PartialDate {
  const match = PARTIAL_DATE.exec(input.trim());
  if (!match) {
    throw new PartialDateError(`"${input}" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD`);
  }
  const [, yearText, monthText, dayText] = match as unknown as [string, string, string?, string?];
  const year = Number(yearText);
  if (year < 1) {
    throw new PartialDateError(`"${input}" has no year 0000`);
  }
  if (monthText === undefined) {
    return { iso: yearText, precision: 'YEAR', earliest: `${yearText}-01-01`, latest: `${yearText}-12-31` };
  }
  const month = Number(monthText);
  if (month < 1 || month > 12) {
    throw new PartialDateError(`"${input}" has month ${monthText}; months run from 01 to 12`);
  }
  const lastDay = daysInMonth(year, month);
  const yearMonth = `${yearText}-${monthText}`;
  if (dayText === undefined) {
    return {
      iso: yearMonth,
      precision: 'MONTH',
      earliest: `${yearMonth}-01`,
      latest: `${yearMonth}-${pad(lastDay, 2)}`,
    };
  }
  const day = Number(dayText);
  if (day < 1 || day > lastDay) {
    throw new PartialDateError(`"${input}" does not exist: ${yearMonth} has ${lastDay} days`);
  }
  const iso = `${yearMonth}-${dayText}`;
  return { iso, precision: 'DAY', earliest: iso, latest: iso };
}
