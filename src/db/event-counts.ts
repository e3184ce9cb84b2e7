import { and, count, countDistinct, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { citationKnownBy, statusAsOf } from './as-of.js';
import type { DatabaseHandle } from './client.js';
import { actors, articles, citations, events, participations, places, sources } from './schema.js';
import { withinStatementBudget } from './statement-budget.js';

/** What events can be counted by, for histograms and facets. */
export const EVENT_COUNT_KEYS = ['YEAR', 'MONTH', 'KIND', 'STATUS', 'ACTOR', 'PLACE', 'SOURCE'] as const;
export type EventCountKey = (typeof EVENT_COUNT_KEYS)[number];

/** Key of the month bucket for an event whose start is known only to its year: "2023-??". */
export const MONTH_UNKNOWN_SUFFIX = '-??';

export interface EventCountRow {
  /** The bucket: "2023", "2023-09", "2023-??", a kind, a status, or a record's slug ("" for no place). */
  key: string;
  /** The record's name for ACTOR, PLACE and SOURCE; null for the other keys and for "no place". */
  name: string | null;
  count: number;
}

// Partial dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD" (src/domain/partial-date.ts), so the year and
// month are prefixes of the ISO text; substr and || mean the same on SQLite and PostgreSQL. The
// expressions carry no parameters, so PostgreSQL sees the grouped one and the selected one as equal.
const startYear = sql<string>`substr(${events.startIso}, 1, 4)`;
const startMonth = sql<string>`case when ${events.startPrecision} = 'YEAR'
  then substr(${events.startIso}, 1, 4) || ${sql.raw(`'${MONTH_UNKNOWN_SUFFIX}'`)}
  else substr(${events.startIso}, 1, 7) end`;

/**
 * How many of the events matching `where` (a condition on the events table) fall in each bucket of
 * `by`, in one statement, unordered. Dates are bucketed by the event's start. An event counts once
 * per actor involved (ACTOR), once per outlet reporting it (SOURCE: a citing article's publisher or
 * a credited outlet, as Event.reportedBy counts them), and once in all for the other keys, where
 * the counts add up to the number of matching events (PLACE has a "" bucket for events without one).
 * With `asOf` (YYYY-MM-DD; `where` should hold the same asOf, as eventFilterCondition builds it),
 * STATUS counts by the status in force that day and SOURCE by the citations known that day (as-of.ts).
 */
export async function countEventsBy(database: DatabaseHandle, where: SQL | undefined, by: EventCountKey, asOf: string | null = null): Promise<EventCountRow[]> {
  const db = database.db;
  /** The matching events' ids, for the keys counted over an event's participations or citations. */
  const matching = db.select({ id: events.id }).from(events).where(where);
  const noName = sql<null>`null`;
  switch (by) {
    case 'YEAR':
      return db.select({ key: startYear, name: noName, count: count() }).from(events).where(where).groupBy(startYear);
    case 'MONTH':
      return db.select({ key: startMonth, name: noName, count: count() }).from(events).where(where).groupBy(startMonth);
    case 'KIND':
      return db.select({ key: events.kind, name: noName, count: count() }).from(events).where(where).groupBy(events.kind);
    case 'STATUS': {
      if (asOf === null) return db.select({ key: events.status, name: noName, count: count() }).from(events).where(where).groupBy(events.status);
      // Grouped outside the subquery that computes it: the expression carries the day as a
      // parameter, and PostgreSQL would not see a selected and a grouped copy of it as one.
      const statuses = db.select({ status: sql<string>`${statusAsOf(database.dialect, events, asOf)}`.as('status') }).from(events).where(where).as('statuses_as_of');
      return db.select({ key: statuses.status, name: noName, count: count() }).from(statuses).groupBy(statuses.status);
    }
    case 'ACTOR': {
      // Counted per actor id first, names joined after: the grouping then works on small integers,
      // and the events are matched once, as a set. An actor takes part in an event at most once
      // (participations_event_actor_unique).
      const perActor = db
        .select({ actorId: participations.actorId, count: count().as('count') })
        .from(participations)
        .where(and(withinStatementBudget(database.dialect, participations.id), inArray(participations.eventId, matching)))
        .groupBy(participations.actorId)
        .as('per_actor');
      return db
        .select({ key: actors.slug, name: actors.name, count: sql<number>`${perActor.count}`.mapWith(Number) })
        .from(perActor)
        .innerJoin(actors, eq(actors.id, perActor.actorId));
    }
    case 'PLACE': {
      const placeKey = sql<string>`coalesce(${places.slug}, '')`;
      return db
        .select({ key: placeKey, name: places.name, count: count() })
        .from(events)
        .leftJoin(places, eq(places.id, events.placeId))
        .where(where)
        .groupBy(places.id, places.slug, places.name);
    }
    case 'SOURCE': {
      // Each citation reports through up to two outlets, its article's publisher and the outlet it
      // credits: joined to both sides, it names one outlet id per side (none for no credit).
      // Several citations of an event may come through one outlet: each event counts once per outlet.
      const outletId = sql<number | null>`case reporting_side.side when 1 then ${articles.sourceId} else ${citations.creditedSourceId} end`;
      const perOutlet = db
        .select({ outletId: outletId.as('outlet_id'), count: countDistinct(citations.eventId).as('count') })
        .from(citations)
        .innerJoin(articles, eq(articles.id, citations.articleId))
        .crossJoin(sql`(select 1 as side union all select 2 as side) as reporting_side`)
        .where(
          and(
            withinStatementBudget(database.dialect, citations.id),
            sql`${outletId} is not null`,
            inArray(citations.eventId, matching),
            asOf === null ? undefined : citationKnownBy(citations, asOf),
          ),
        )
        .groupBy(outletId)
        .as('per_outlet');
      return db
        .select({ key: sources.slug, name: sources.name, count: sql<number>`${perOutlet.count}`.mapWith(Number) })
        .from(perOutlet)
        .innerJoin(sources, eq(sources.id, perOutlet.outletId));
    }
  }
}
