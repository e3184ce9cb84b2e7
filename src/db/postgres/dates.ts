import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { events } from '../schema.js';

/**
 * The day a YYYY-MM-DD text names, as a PostgreSQL date 400 years later. make_date has no year 0
 * (the timeline's years run 0000–9999), and the Gregorian calendar repeats every 400 years, so
 * the difference of two shifted days is still their distance in days. Built only of immutable
 * functions (a text::date cast is not one), so it can stand in an index expression.
 */
function shiftedDay(iso: SQLWrapper): SQL {
  return sql`make_date(substr(${iso}, 1, 4)::integer + 400, substr(${iso}, 6, 2)::integer, substr(${iso}, 9, 2)::integer)`;
}

/** The days from an event's earliest to its latest day: the expression of the index events_span_idx. */
export function eventSpanDays(table: { earliest: SQLWrapper; latest: SQLWrapper }): SQL {
  return sql`(${shiftedDay(table.latest)} - ${shiftedDay(table.earliest)})`;
}

/**
 * The first day an event can start and still reach `fromEarliest`: that day less the longest span
 * of any event (found at once, from events_span_idx), as YYYY-MM-DD text. A day before year 0000
 * (an event ending in 9999 spans that far) becomes 0000-01-01: then every day is in reach.
 */
export function earliestStartInReach(fromEarliest: string): SQL {
  const longestSpan = sql`(select coalesce(max(${eventSpanDays(events)}), 0) from ${events})`;
  const dayZero = sql`make_date(400, 1, 1)`;
  // Counted in days after 0000-01-01, so that a start before it is never made a date (PostgreSQL's end before 4713 BC).
  const daysAfterDayZero = sql`${shiftedDay(sql`${fromEarliest}::text`)} - ${dayZero} - ${longestSpan}`;
  return sql`(select case when days < 0 then '0000-01-01'
                else lpad((extract(year from ${dayZero} + days)::integer - 400)::text, 4, '0') || to_char(${dayZero} + days, '-MM-DD') end
              from (select ${daysAfterDayZero} as days) as window_start)`;
}

/**
 * The condition `table.earliest >= earliestStartInReach(fromEarliest)`: redundant beside
 * `latest >= fromEarliest`, but it lets the date index start near the window instead of at the
 * first event. `table` may be an alias of events, or SQLite's events table (the columns' names
 * are the same).
 */
export function earliestWithinLongestSpan(table: { earliest: SQLWrapper }, fromEarliest: string): SQL {
  return sql`${table.earliest} >= ${earliestStartInReach(fromEarliest)}`;
}
