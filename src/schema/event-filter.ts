import { and, type SQL, sql } from 'drizzle-orm';
import { citationKnownBy, eventKnownBy, statusAsOf, supportKnownBy } from '../db/as-of.js';
import { type EventFilter, type FilterSlug, eventFilterCondition, unknownFilterSlugs } from '../db/event-filters.js';
import type { Dialect } from '../db/client.js';
import { citations, claimSupports, events } from '../db/schema.js';
import { withinStatementBudget } from '../db/statement-budget.js';
import { MAX_SEARCH_LENGTH } from '../db/search.js';
import { builder, type TimelineContext } from './builder.js';
import { badInput } from './errors.js';
import { parsePartialDate, PartialDateError } from '../domain/partial-date.js';
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
    anyActors: t.stringList({
      description: 'Slugs of actors of whom at least one takes part: ["japan", "russia"]. With actors, both must hold.',
    }),
    kinds: t.field({ type: [EventKind] }),
    statuses: t.field({ type: [EventStatus] }),
    place: t.string({ description: 'Slug of the place.' }),
    sources: t.stringList({
      description: 'Slugs of outlets of which at least one reports the event: it published a cited article, or a citation credits it (as reportedBy.outlets).',
    }),
    articles: t.stringList({ description: 'Slugs of articles of which the event cites at least one.' }),
    search: t.string({ description: 'Words that must all appear in the title, summary or quotes.' }),
    disputed: t.boolean({ description: 'true: only events with a disputed claim (see Event.disputes); false: only events without one.' }),
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
    anyActorSlugs: filter.anyActors,
    kinds: filter.kinds,
    statuses: filter.statuses,
    placeSlug: filter.place,
    sourceSlugs: filter.sources,
    articleSlugs: filter.articles,
    search: filter.search,
    disputed: filter.disputed,
  };
}

/** Each slugged filter field, the kind of record it names, and the word for one in messages. */
const SLUG_FIELDS = [
  { field: 'actors', kind: 'actor', slugs: (filter: EventFilter) => filter.actorSlugs },
  { field: 'anyActors', kind: 'actor', slugs: (filter: EventFilter) => filter.anyActorSlugs },
  { field: 'place', kind: 'place', slugs: (filter: EventFilter) => (filter.placeSlug != null ? [filter.placeSlug] : []) },
  { field: 'sources', kind: 'source', slugs: (filter: EventFilter) => filter.sourceSlugs },
  { field: 'articles', kind: 'article', slugs: (filter: EventFilter) => filter.articleSlugs },
] as const;

// One look-up per distinct set of slugs per request: a filtered connection nested under a page
// resolves once per parent row, and each would otherwise ask again.
const slugChecks = new WeakMap<object, Map<string, Promise<FilterSlug[]>>>();

function unknownSlugsOnce(context: TimelineContext, filter: EventFilter): Promise<FilterSlug[]> {
  const key = JSON.stringify(SLUG_FIELDS.map(({ slugs }) => slugs(filter) ?? []));
  let checks = slugChecks.get(context);
  if (!checks) slugChecks.set(context, (checks = new Map()));
  let check = checks.get(key);
  if (!check) checks.set(key, (check = unknownFilterSlugs(context.database, filter)));
  return check;
}

/**
 * eventFilterFromArgs, and a slug that names no actor, place, outlet or article is an error that
 * names it (`filter.actors: unknown actor "kim-jong-il"`) rather than an empty page. Costs one
 * statement per request when the filter names slugs, none otherwise.
 */
export async function checkedEventFilter(
  filter: EventFilterArgs,
  context: TimelineContext,
  argumentName = 'filter',
): Promise<EventFilter | null> {
  const checked = eventFilterFromArgs(filter, argumentName);
  if (!checked) return null;
  const unknown = await unknownSlugsOnce(context, checked);
  for (const { field, kind, slugs } of SLUG_FIELDS) {
    const missing = [...new Set(slugs(checked) ?? [])].filter((slug) => unknown.some((u) => u.kind === kind && u.slug === slug));
    if (missing.length > 0) throw unknownSlugsError(`${argumentName}.${field}`, kind, missing);
  }
  return checked;
}

/** The error for slugs that name nothing, at an argument: `filter.actors: unknown actors "a", "b"`. */
export function unknownSlugsError(argumentPath: string, kind: string, slugs: readonly string[]) {
  const noun = slugs.length === 1 ? kind : `${kind}s`;
  return badInput(`${argumentPath}: unknown ${noun} ${slugs.map((slug) => JSON.stringify(slug)).join(', ')}`, argumentPath);
}

/**
 * A relational-query `where` for the filter, on whatever alias the query gives the table. It always
 * carries the statement budget: an events connection nested under others is evaluated once per
 * parent row, and each evaluation visits all of a parent's events to order them. The request's
 * as-of day is read when the statement is built (see claimAsOf).
 */
export function eventWhere(dialect: Dialect, filter: EventFilter | null, context: TimelineContext) {
  return {
    RAW: (table: typeof events) => and(withinStatementBudget(dialect, table.id), eventFilterCondition(dialect, table, withRequestAsOf(filter, context)))!,
  };
}

// What was known when. An operation is answered as of one day: asOf on events, event, eventCounts
// or Actor.events sets it for the request. It lives in the request's context rather than on the
// parent rows because plugin-drizzle plans a nested selection (an event's citations, its status)
// into the parent's one statement before any row exists, handing the planning callbacks only their
// own arguments and the context. The plan therefore holds conditions that read the day when the
// statement is built: the root fields' day is claimed before any of them resolves
// (operation-as-of.ts), a nested Actor.events's as it is planned, before the statement beneath it
// is built. Two different days in one operation are refused rather than mixed.

const asOfByRequest = new WeakMap<object, string>();

export const AS_OF_DESCRIPTION =
  'The timeline as the articles published on or before this day (YYYY-MM-DD) reported it: only the events an article ' +
  'published by then cites, each with the citations from later articles hidden (from citations, reportedBy and supportedBy) ' +
  'and the status in force that day (see Event.status). An article counts as published on the last day its publication ' +
  'date can mean: one dated only "2023-09" counts from 2023-09-30, one dated "2023" from 2023-12-31. The day holds for the ' +
  'whole operation: events, event, eventCounts and Actor.events in it answer as of that day even where it is not given, ' +
  "every other event in the answer shows that day's citations and status, and two different days in one operation are refused.";

function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    return parsePartialDate(value).earliest === value;
  } catch (error) {
    if (error instanceof PartialDateError) return false;
    throw error;
  }
}

/** Sets the request's as-of day from an `asOf` argument (nothing when it is absent); a bad day, or a second different one, is refused. */
export function claimAsOf(context: TimelineContext, asOf: string | null | undefined, argumentName = 'asOf'): void {
  if (asOf == null) return;
  if (!isDay(asOf)) throw badInput(`${argumentName}: ${JSON.stringify(asOf)} is not a day: write YYYY-MM-DD, as "2023-09-24".`, argumentName);
  const claimed = asOfByRequest.get(context);
  if (claimed !== undefined && claimed !== asOf) {
    throw badInput(`${argumentName}: one operation is answered as of one day, and this one asks for ${claimed} and ${asOf}: send them as separate operations.`, argumentName);
  }
  asOfByRequest.set(context, asOf);
}

/** The request's as-of day, or null for the timeline as it stands. */
export function requestAsOf(context: TimelineContext): string | null {
  return asOfByRequest.get(context) ?? null;
}

/** The filter with the request's as-of day; null when there is neither. */
export function withRequestAsOf(filter: EventFilter | null, context: TimelineContext): EventFilter | null {
  const asOf = requestAsOf(context);
  return asOf === null ? filter : { ...filter, asOf };
}

/** A relational `where` that places no condition: drizzle leaves out an undefined RAW part. */
const NO_CONDITION = undefined as unknown as SQL;

interface AsOfSelections {
  events: { RAW: (table: typeof events) => SQL };
  citations: { RAW: (table: typeof citations) => SQL };
  claimSupports: { RAW: (table: typeof claimSupports) => SQL };
  status: (table: typeof events) => SQL<string>;
}

// One set per request: plugin-drizzle merges two selections of a relation only when their
// arguments are equal, and functions are equal only to themselves.
const asOfSelections = new WeakMap<object, AsOfSelections>();

/** Conditions and columns that read the request's as-of day when the statement is built. */
export function asOfSelectionsOf(context: TimelineContext): AsOfSelections {
  let selections = asOfSelections.get(context);
  if (!selections) {
    const dialect = context.database.dialect;
    const knownAt = <T>(condition: (asOf: string) => T, otherwise: T) => {
      const asOf = requestAsOf(context);
      return asOf === null ? otherwise : condition(asOf);
    };
    selections = {
      events: { RAW: (table) => knownAt((asOf) => eventKnownBy(table, asOf), NO_CONDITION) },
      citations: { RAW: (table) => knownAt((asOf) => citationKnownBy(table, asOf), NO_CONDITION) },
      claimSupports: { RAW: (table) => knownAt((asOf) => supportKnownBy(table, asOf), NO_CONDITION) },
      status: (table) => knownAt((asOf) => statusAsOf(dialect, table, asOf), sql<string>`${table.status}`),
    };
    asOfSelections.set(context, selections);
  }
  return selections;
}

/** Connection ordering; the id breaks ties so that cursors are stable. */
export function eventOrderBy(order: 'DATE_ASC' | 'DATE_DESC' | null | undefined) {
  const direction = order === 'DATE_DESC' ? 'desc' : 'asc';
  return { earliest: direction, latest: direction, id: direction } as const;
}
