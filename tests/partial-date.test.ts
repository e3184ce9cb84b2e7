import { describe, expect, it } from 'vitest';
import { PartialDateError, parsePartialDate } from '../src/domain/partial-date.js';

describe('parsePartialDate', () => {
  it('treats a year as the interval of its days', () => {
    expect(parsePartialDate('1992')).toEqual({ iso: '1992', precision: 'YEAR', earliest: '1992-01-01', latest: '1992-12-31' });
  });

  it('treats a month as the interval of its days, leap years included', () => {
    expect(parsePartialDate('2014-07')).toMatchObject({ precision: 'MONTH', earliest: '2014-07-01', latest: '2014-07-31' });
    expect(parsePartialDate('2024-02').latest).toBe('2024-02-29');
    expect(parsePartialDate('2023-02').latest).toBe('2023-02-28');
    expect(parsePartialDate('1900-02').latest).toBe('1900-02-28');
  });

  it('keeps a day as a single day', () => {
    expect(parsePartialDate('2023-09-23')).toEqual({
      iso: '2023-09-23',
      precision: 'DAY',
      earliest: '2023-09-23',
      latest: '2023-09-23',
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
