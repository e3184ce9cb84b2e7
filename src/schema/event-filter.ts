import { and } from 'drizzle-orm';
import { type EventFilter, eventFilterCondition } from '../db/event-filters.js';
import type { Dialect } from '../db/client.js';
import { events } from '../db/schema.js';
import { withinStatementBudget } from '../db/statement-budget.js';
import { MAX_SEARCH_LENGTH } from '../db/search.js';
import { builder } from './builder.js';
import { badInput } from './errors.js';
import { PartialDateString } from './partial-date.js';
import { EventKind, EventStatus } from './vocabulary.js';

export const EventFilterInput = builder.inputType('EventFilter', {
  description: 'All given conditions must hold. An empty list places no restriction.',
  fields: (t) => ({
    from: t.field({
      type: PartialDateString,
      description: 'Events that may still be going on at or after this date (their interval overlaps the window).',
    }),
    to: t.field({
      type: PartialDateString,
      description: 'Events that may have begun at or before the end of this date ("2023" means up to 31 December 2023).',
    }),
    actors: t.stringList({ description: 'Slugs of actors who all take part: ["china", "south-korea"].' }),
    kinds: t.field({ type: [EventKind] }),
    statuses: t.field({ type: [EventStatus] }),
    place: t.string({ description: 'Slug of the place.' }),
    search: t.string({ description: 'Words that must all appear in the title, summary or quotes.' }),
  }),
});

export const EventOrder = builder.enumType('EventOrder', {
  values: {
    DATE_ASC: { description: 'Earliest first; a year or month sorts by its first day.' },
    DATE_DESC: { description: 'Latest first.' },
  },
});

type EventFilterArgs = typeof EventFilterInput.$inferInput | null | undefined;

/** Checks the filter a client sent and turns it into the database's terms. */
export function eventFilterFromArgs(filter: EventFilterArgs, argumentName = 'filter'): EventFilter | null {
  if (!filter) return null;
  if (filter.from && filter.to && filter.to.latest < filter.from.earliest) {
    throw badInput(`${argumentName}.to (${filter.to.iso}) is before ${argumentName}.from (${filter.from.iso}).`, `${argumentName}.to`);
  }
  if (filter.search != null && filter.search.length > MAX_SEARCH_LENGTH) {
    throw badInput(`${argumentName}.search is longer than ${MAX_SEARCH_LENGTH} characters.`, `${argumentName}.search`);
  }
  return {
    from: filter.from,
    to: filter.to,
    actorSlugs: filter.actors,
    kinds: filter.kinds,
    statuses: filter.statuses,
    placeSlug: filter.place,
    search: filter.search,
  };
}

/**
 * A relational-query `where` for the filter, on whatever alias the query gives the table. It always
 * carries the statement budget: an events connection nested under others is evaluated once per
 * parent row, and each evaluation visits all of a parent's events to order them.
 */
export function eventWhere(dialect: Dialect, filter: EventFilter | null) {
  return { RAW: (table: typeof events) => and(withinStatementBudget(dialect, table.id), eventFilterCondition(dialect, table, filter))! };
}

/** Connection ordering; the id breaks ties so that cursors are stable. */
export function eventOrderBy(order: 'DATE_ASC' | 'DATE_DESC' | null | undefined) {
  const direction = order === 'DATE_DESC' ? 'desc' : 'asc';
  return { earliest: direction, latest: direction, id: direction } as const;
}
