/** The part of the `edtf` package (EDTF / ISO 8601-2 parser, ESM, untyped) that the service uses. */
declare module 'edtf' {
  /** A flag per digit of YYYYMMDD: which digits are uncertain, approximate or unspecified. */
  export class Bitmask {
    static readonly YEAR: number;
    static readonly MONTH: number;
    static readonly DAY: number;
    readonly value: number;
  }

  /** A calendar date, or a date with a time (which the service refuses). */
  export interface ExtDate {
    readonly type: 'Date';
    /** The date as EDTF, as the library writes it. */
    readonly edtf: string;
    /** 1 for a year, 2 for a month, 3 for a day (0 when it has a time). */
    readonly precision: number;
    /** Year, month counted from 0, day, then hours, minutes… as written. */
    readonly values: number[];
    /** First and last millisecond the date can mean. */
    readonly min: number;
    readonly max: number;
    readonly uncertain: Bitmask;
    readonly approximate: Bitmask;
    readonly unspecified: Bitmask;
  }

  export interface ExtInterval {
    readonly type: 'Interval';
    readonly edtf: string;
    readonly lower: ExtDate;
    readonly upper: ExtDate;
    readonly min: number;
    readonly max: number;
  }

  /** Seasons, sets, lists, years beyond four digits: forms the service does not take. */
  export interface OtherExtDateTime {
    readonly type: 'Season' | 'Year' | 'Set' | 'List' | 'Decade' | 'Century';
    readonly edtf: string;
  }

  export type ExtDateTime = ExtDate | ExtInterval | OtherExtDateTime;

  /** The grammar's reading of an EDTF string; an interval's open end is Infinity, an unknown one null. */
  export interface EdtfReading {
    type: string;
    level: number;
    values: unknown[];
  }

  /** The date, interval… that a reading describes; throws a RangeError when it cannot be (an interval ending before it starts). */
  export default function edtf(reading: EdtfReading): ExtDateTime;

  /** Reads an EDTF string; throws a grammar error when it is not EDTF. */
  export function parse(value: string): EdtfReading;
}
