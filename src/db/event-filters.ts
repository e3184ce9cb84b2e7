import { and, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { PartialDate } from '../domain/partial-date.js';
import type { EventKind, EventStatus } from '../domain/vocabulary.js';
import type { Dialect } from './client.js';
import { earliestWithinLongestSpan } from './postgres/dates.js';
import { actors, events, participations, places } from './schema.js';
import { matchesSearch } from './search.js';

export interface EventFilter {
  /** Events whose interval ends on or after this date's first day. */
  from?: PartialDate | null;
  /** Events whose interval starts on or before this date's last day. */
  to?: PartialDate | null;
  /** Events involving every one of these actor slugs. */
  actorSlugs?: readonly string[] | null;
  kinds?: readonly EventKind[] | null;
  statuses?: readonly EventStatus[] | null;
  placeSlug?: string | null;
  search?: string | null;
}

/**
 * The SQL condition for `filter` on an events table, which may be an alias (relational queries
 * alias their tables). An empty list in the filter places no restriction.
 */
export function eventFilterCondition(dialect: Dialect, table: typeof events, filter: EventFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const conditions: (SQL | undefined)[] = [];
  if (filter.from) {
    conditions.push(gte(table.latest, filter.from.earliest));
    // Redundant, but it lets the date index start near the window instead of at the first event:
    // nothing that ends after `from` can start more than the longest span before it. date() is NULL
    // before year 0000 (an event ending in 9999 spans that far), and then every day is in reach.
    conditions.push(
      dialect === 'postgres'
        ? earliestWithinLongestSpan(table, filter.from.earliest)
        : sql`${table.earliest} >= coalesce(date(${filter.from.earliest}, '-' || (select coalesce(max(julianday(${events.latest}) - julianday(${events.earliest})), 0) from ${events}) || ' days'), '0000-01-01')`,
    );
  }
  if (filter.to) conditions.push(lte(table.earliest, filter.to.latest));
  if (filter.kinds?.length) conditions.push(inArray(table.kind, [...filter.kinds]));
  if (filter.statuses?.length) conditions.push(inArray(table.status, [...filter.statuses]));
  if (filter.placeSlug != null) {
    conditions.push(sql`${table.placeId} in (select ${places.id} from ${places} where ${places.slug} = ${filter.placeSlug})`);
  }
  const actorSlugs = [...new Set(filter.actorSlugs ?? [])];
  if (actorSlugs.length > 0) {
    conditions.push(sql`${table.id} in (
      select ${participations.eventId} from ${participations}
      join ${actors} on ${actors.id} = ${participations.actorId}
      where ${inArray(actors.slug, actorSlugs)}
      group by ${participations.eventId}
      having count(distinct ${actors.id}) = ${actorSlugs.length})`);
  }
  if (filter.search != null) conditions.push(matchesSearch(dialect, 'events', table.id, filter.search));
  return conditions.length > 0 ? and(...conditions) : undefined;
}
