import { describe, expect, it } from 'vitest';
import { PartialDateError, parseDateOrInterval, parsePartialDate } from '../src/domain/partial-date.js';

describe('parsePartialDate', () => {
  it('treats a year as the interval of its days', () => {
    expect(parsePartialDate('1992')).toEqual({
      edtf: '1992',
      iso: '1992',
      precision: 'YEAR',
      earliest: '1992-01-01',
      latest: '1992-12-31',
      uncertain: false,
      approximate: false,
    });
  });

  it('treats a month as the interval of its days, leap years included', () => {
    expect(parsePartialDate('2014-07')).toMatchObject({ precision: 'MONTH', earliest: '2014-07-01', latest: '2014-07-31' });
    expect(parsePartialDate('2024-02').latest).toBe('2024-02-29');
    expect(parsePartialDate('2023-02').latest).toBe('2023-02-28');
    expect(parsePartialDate('1900-02').latest).toBe('1900-02-28');
  });

  it('keeps a day as a single day', () => {
    expect(parsePartialDate('2023-09-23')).toEqual({
      edtf: '2023-09-23',
      iso: '2023-09-23',
      precision: 'DAY',
      earliest: '2023-09-23',
      latest: '2023-09-23',
      uncertain: false,
      approximate: false,
    });
  });

  it.each([
    ['2023-02-29', /2023-02 has 28 days/],
    ['2023-13', /month 13/],
    ['2023-00-10', /month 00/],
    ['2023-04-31', /2023-04 has 30 days/],
    ['0000', /no year 0000/],
    ['23-09-2023', /YYYY, YYYY-MM or YYYY-MM-DD/],
    ['2023/09/23', /YYYY, YYYY-MM or YYYY-MM-DD/],
    ['', /YYYY, YYYY-MM or YYYY-MM-DD/],
  ])('rejects %j and says why', (input, message) => {
    expect(() => parsePartialDate(input)).toThrow(PartialDateError);
    expect(() => parsePartialDate(input)).toThrow(message);
  });
});

describe('EDTF levels 0 and 1', () => {
  it.each([
    // written, iso, precision, earliest, latest, uncertain, approximate
    ['2014?', '2014', 'YEAR', '2014-01-01', '2014-12-31', true, false],
    ['2023-09~', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', false, true],
    ['2023-09%', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', true, true],
    ['2014-07-03?', '2014-07-03', 'DAY', '2014-07-03', '2014-07-03', true, false],
    ['201X', '201X', 'YEAR', '2010-01-01', '2019-12-31', false, false],
    ['19XX', '19XX', 'YEAR', '1900-01-01', '1999-12-31', false, false],
    ['2023-XX', '2023', 'YEAR', '2023-01-01', '2023-12-31', false, false],
    ['2023-XX-XX', '2023', 'YEAR', '2023-01-01', '2023-12-31', false, false],
    ['2023-09-XX', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', false, false],
    ['2024-02-29~', '2024-02-29', 'DAY', '2024-02-29', '2024-02-29', false, true],
    ['0096-02-29', '0096-02-29', 'DAY', '0096-02-29', '0096-02-29', false, false],
  ] as const)('reads %j', (edtf, iso, precision, earliest, latest, uncertain, approximate) => {
    expect(parsePartialDate(edtf)).toEqual({ edtf, iso, precision, earliest, latest, uncertain, approximate });
  });

  it('does not widen a date for its qualifiers: "2014?" and "2014~" mean the days of 2014, like "2014"', () => {
    const bounds = (written: string) => {
      const { earliest, latest } = parsePartialDate(written);
      return { earliest, latest };
    };
    expect(bounds('2014?')).toEqual(bounds('2014'));
    expect(bounds('2014~')).toEqual(bounds('2014'));
    expect(bounds('2014%')).toEqual(bounds('2014'));
    expect(bounds('2023-09-23~')).toEqual({ earliest: '2023-09-23', latest: '2023-09-23' });
  });

  it('reads an interval as its two dates, each with its own qualifiers', () => {
    expect(parseDateOrInterval('2023-09-23/2023-09-25')).toEqual({
      edtf: '2023-09-23/2023-09-25',
      start: expect.objectContaining({ edtf: '2023-09-23', precision: 'DAY', earliest: '2023-09-23', latest: '2023-09-23' }),
      end: expect.objectContaining({ edtf: '2023-09-25', precision: 'DAY', earliest: '2023-09-25', latest: '2023-09-25' }),
    });
    expect(parseDateOrInterval('1984?/2004-06~')).toEqual({
      edtf: '1984?/2004-06~',
      start: expect.objectContaining({ iso: '1984', uncertain: true, approximate: false, earliest: '1984-01-01' }),
      end: expect.objectContaining({ iso: '2004-06', uncertain: false, approximate: true, latest: '2004-06-30' }),
    });
  });

  it('keeps a date as written, trimmed', () => {
    expect(parsePartialDate(' 2014? ').edtf).toBe('2014?');
    expect(parseDateOrInterval('2023-09/2023-10~').edtf).toBe('2023-09/2023-10~');
  });

  it.each([
    ['2014-13?', /^"2014-13\?" is not a date: there is no month 13/],
    ['2014-02-30', /^"2014-02-30" does not exist: 2014-02 has 28 days$/],
    // The grammar takes any 29 February and the library rolls it over into March; it is refused.
    ['2023-02-29', /^"2023-02-29" does not exist: 2023-02 has 28 days$/],
    ['2023-02-29~', /does not exist: 2023-02 has 28 days/],
    ['2023-02-27/2023-02-29', /"2023-02-29" does not exist: 2023-02 has 28 days/],
    ['2014-?07', /is EDTF level 2/],
    ['?2014-07', /is EDTF level 2/],
    ['2023-1X', /is EDTF level 2/],
    ['[2014,2015]', /is EDTF level 2/],
    ['201X/2015', /is EDTF level 2/],
    ['201X?', /is not a date: write YYYY, YYYY-MM or YYYY-MM-DD/],
    ['2014-21', /is a season/],
    ['Y170000', /is a year beyond 9999/],
    ['2014-07-03T10:00', /has a time of day; give the date alone, like "2014-07-03"/],
    ['-0500', /before year 0001/],
    ['XXXX', /does not say anything of the year/],
    ['2023-09-23/..', /open or unknown end.*status ONGOING and no end/],
    ['2023-09-23/', /open or unknown end/],
    ['../2023', /open or unknown end/],
    ['/2023', /open or unknown end/],
    ['2023-09-25/2023-09-23', /^"2023-09-25\/2023-09-23" is not an interval: its end 2023-09-23 does not come after its start 2023-09-25$/],
  ])('refuses %j in a sentence, never a grammar dump', (input, message) => {
    expect(() => parseDateOrInterval(input)).toThrow(PartialDateError);
    expect(() => parseDateOrInterval(input)).toThrow(message);
    expect(() => parseDateOrInterval(input)).not.toThrow(/Syntax error|Unexpected|expecting/);
  });

  it('refuses an interval where one date is wanted, saying what to write instead', () => {
    expect(() => parsePartialDate('2023-09-23/2023-09-25', 'give one date')).toThrow('"2023-09-23/2023-09-25" is an interval of two dates; give one date');
  });
});

describe('readings kept', () => {
  it('reads a date once and hands every caller the same frozen reading', () => {
    const first = parseDateOrInterval('2011-03?/2011-04~');
    expect(parseDateOrInterval('2011-03?/2011-04~')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect('start' in first && Object.isFrozen(first.start) && Object.isFrozen(first.end)).toBe(true);
    expect(() => {
      (parsePartialDate('1997') as { latest: string }).latest = '1997-06-30';
    }).toThrow(TypeError);
    expect(parsePartialDate('1997').latest).toBe('1997-12-31');
  });

  it('keeps no reading of a text that is not a date: it is refused again, in the same words', () => {
    const refusal = () => {
      try {
        parsePartialDate('2023-02-30');
      } catch (error) {
        return error;
      }
      return null;
    };
    const first = refusal();
    expect(first).toBeInstanceOf(PartialDateError);
    expect(refusal()).toEqual(first);
    expect((first as Error).message).toBe('"2023-02-30" does not exist: 2023-02 has 28 days');
    expect(() => parsePartialDate('2023-09-23/2023-09-25', 'give one date')).toThrow('is an interval of two dates; give one date');
    expect(() => parsePartialDate('2023-09-23/2023-09-25', 'or else')).toThrow('is an interval of two dates; or else');
  });
});
