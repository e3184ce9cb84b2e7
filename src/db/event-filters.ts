import { and, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { PartialDate } from '../domain/partial-date.js';
import type { EventKind, EventStatus } from '../domain/vocabulary.js';
import { citationKnownBy, eventKnownBy, statusAsOf, supportKnownBy } from './as-of.js';
import type { DatabaseHandle, Dialect } from './client.js';
import { earliestWithinLongestSpan } from './postgres/dates.js';
import { actors, articles, citations, events, participations, places, rivalClaimCitations, rivalClaims, sources } from './schema.js';
import { matchesKnownEventText, matchesSearch } from './search.js';
import { withinStatementBudget } from './statement-budget.js';

export interface EventFilter {
  /** Events whose interval ends on or after this date's first day. */
  from?: PartialDate | null;
  /** Events whose interval starts on or before this date's last day. */
  to?: PartialDate | null;
  /** Events involving every one of these actor slugs. */
  actorSlugs?: readonly string[] | null;
  /** Events involving at least one of these actor slugs. */
  anyActorSlugs?: readonly string[] | null;
  kinds?: readonly EventKind[] | null;
  statuses?: readonly EventStatus[] | null;
  placeSlug?: string | null;
  /** Events reported by at least one of these outlets: it published a citing article, or a citation credits it. */
  sourceSlugs?: readonly string[] | null;
  /** Events citing at least one of these articles. */
  articleSlugs?: readonly string[] | null;
  search?: string | null;
  /** true: only events with a disputed claim (rival values recorded); false: only events without. */
  disputed?: boolean | null;
  /**
   * The timeline as of this day (YYYY-MM-DD): only events an article published by then cites; the
   * statuses, outlets and articles conditions read the status and citations of that day (as-of.ts).
   */
  asOf?: string | null;
}

const distinct = (slugs: readonly string[] | null | undefined) => [...new Set(slugs ?? [])];

/**
 * The SQL condition for `filter` on an events table, which may be an alias (relational queries
 * alias their tables). An empty list in the filter places no restriction.
 */
export function eventFilterCondition(dialect: Dialect, table: typeof events, filter: EventFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const conditions: (SQL | undefined)[] = [];
  const asOf = filter.asOf ?? null;
  if (asOf !== null) conditions.push(eventKnownBy(table, asOf));
  /** Citations of the day: every one, or those from articles published by asOf. */
  const knownCitation = asOf === null ? sql`` : sql` and ${citationKnownBy(citations, asOf)}`;
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
  if (filter.statuses?.length) {
    conditions.push(asOf === null ? inArray(table.status, [...filter.statuses]) : inArray(statusAsOf(dialect, table, asOf), [...filter.statuses]));
  }
  if (filter.placeSlug != null) {
    conditions.push(sql`${table.placeId} in (select ${places.id} from ${places} where ${places.slug} = ${filter.placeSlug})`);
  }
  const actorSlugs = distinct(filter.actorSlugs);
  if (actorSlugs.length > 0) {
    conditions.push(sql`${table.id} in (
      select ${participations.eventId} from ${participations}
      join ${actors} on ${actors.id} = ${participations.actorId}
      where ${inArray(actors.slug, actorSlugs)}
      group by ${participations.eventId}
      having count(distinct ${actors.id}) = ${actorSlugs.length})`);
  }
  const anyActorSlugs = distinct(filter.anyActorSlugs);
  if (anyActorSlugs.length > 0) {
    conditions.push(sql`${table.id} in (
      select ${participations.eventId} from ${participations}
      join ${actors} on ${actors.id} = ${participations.actorId}
      where ${inArray(actors.slug, anyActorSlugs)})`);
  }
  const sourceSlugs = distinct(filter.sourceSlugs);
  if (sourceSlugs.length > 0) {
    // The outlets that report an event, as Event.reportedBy counts them: each citing article's
    // publisher and each credited outlet.
    const outletIds = sql`select ${sources.id} from ${sources} where ${inArray(sources.slug, sourceSlugs)}`;
    conditions.push(sql`${table.id} in (
      select ${citations.eventId} from ${citations}
      join ${articles} on ${articles.id} = ${citations.articleId}
      where ${articles.sourceId} in (${outletIds})${knownCitation}
      union
      select ${citations.eventId} from ${citations}
      where ${citations.creditedSourceId} in (${outletIds})${knownCitation})`);
  }
  const articleSlugs = distinct(filter.articleSlugs);
  if (articleSlugs.length > 0) {
    conditions.push(sql`${table.id} in (
      select ${citations.eventId} from ${citations}
      join ${articles} on ${articles.id} = ${citations.articleId}
      where ${inArray(articles.slug, articleSlugs)}${knownCitation})`);
  }
  if (filter.search != null) {
    conditions.push(matchesSearch(dialect, 'events', table.id, filter.search));
    // As of a day, a word must be in the title, the summary or a quote known then.
    if (asOf !== null) conditions.push(matchesKnownEventText(dialect, table.id, filter.search, (citation) => citationKnownBy(citation, asOf)));
  }
  if (filter.disputed != null) {
    const hasDispute = asOf === null ? disputedNow(table) : disputedBy(table, asOf);
    conditions.push(filter.disputed ? hasDispute : sql`not ${hasDispute}`);
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** An event with a dispute: it holds two rival claims or more, so any rival claim means one. */
function disputedNow(event: typeof events): SQL {
  return sql`exists (select 1 from ${rivalClaims} where ${rivalClaims.eventId} = ${event.id})`;
}

/** An event with a dispute as of `asOf`: two rival claims of one field, each with a citation known by then. */
function disputedBy(event: typeof events, asOf: string): SQL {
  return sql`exists (
    select 1 from ${rivalClaims}
    where ${rivalClaims.eventId} = ${event.id}
      and exists (select 1 from ${rivalClaimCitations} where ${rivalClaimCitations.claimId} = ${rivalClaims.id} and ${supportKnownBy(rivalClaimCitations, asOf)})
    group by ${rivalClaims.field}, ${rivalClaims.participationId}
    having count(*) >= 2)`;
}

/**
 * How many of an actor's events match `filter`: the total count of its timeline, as an `extras`
 * entry on an actors table (an alias, in a relational query).
 */
export function actorTimelineCount(dialect: Dialect, actor: typeof actors, filter: EventFilter | null | undefined): SQL<number> {
  const eventCondition = eventFilterCondition(dialect, events, filter);
  // Evaluated once per actor row, so nested under other connections it can hold most of a
  // statement's work: it carries the budget too.
  return sql<number>`(select count(*) from ${participations} where ${withinStatementBudget(dialect, participations.id)} and ${participations.actorId} = ${actor.id}${
    eventCondition ? sql` and exists (select 1 from ${events} where ${events.id} = ${participations.eventId} and ${eventCondition})` : sql``
  })`.mapWith(Number);
}

/** PostgreSQL's drizzle answers raw SQL with `execute`; the handle's type is SQLite's (client.ts). */
interface RawQueries {
  execute(query: SQL): PromiseLike<{ rows: unknown[] }>;
}

/** The kinds of record a filter names by slug. */
export type SluggedKind = 'actor' | 'place' | 'source' | 'article';

export interface FilterSlug {
  kind: SluggedKind;
  slug: string;
}

const SLUGGED_TABLES = { actor: actors, place: places, source: sources, article: articles } as const;

/** Every distinct slug the filter names, by kind. */
function slugsOf(filter: EventFilter): FilterSlug[] {
  const named: Record<SluggedKind, string[]> = {
    actor: distinct([...(filter.actorSlugs ?? []), ...(filter.anyActorSlugs ?? [])]),
    place: filter.placeSlug != null ? [filter.placeSlug] : [],
    source: distinct(filter.sourceSlugs),
    article: distinct(filter.articleSlugs),
  };
  return (Object.keys(named) as SluggedKind[]).flatMap((kind) => named[kind].map((slug) => ({ kind, slug })));
}

/** One branch per kind of the slugs that exist, for a union. */
function knownSlugBranches(named: FilterSlug[]): SQL[] {
  return (Object.keys(SLUGGED_TABLES) as SluggedKind[]).flatMap((kind) => {
    const slugs = named.filter((slug) => slug.kind === kind).map((slug) => slug.slug);
    const table = SLUGGED_TABLES[kind];
    return slugs.length === 0 ? [] : [sql`select ${kind} as kind, ${table.slug} as slug from ${table} where ${inArray(table.slug, slugs)}`];
  });
}

/**
 * The slugs in `filter` that name no record, in the filter's order. One statement when every slug
 * exists (and none when the filter names no slug); a second one, to say which, when some do not.
 */
export async function unknownFilterSlugs(database: DatabaseHandle, filter: EventFilter): Promise<FilterSlug[]> {
  const named = slugsOf(filter);
  if (named.length === 0) return [];
  const union = sql.join(knownSlugBranches(named), sql` union all `);
  const knownCount = await database.db.$count(sql`(${union}) as known_slugs`);
  if (Number(knownCount) === named.length) return [];
  const known = await database.read(async (tx) =>
    database.dialect === 'postgres' ? ((await (tx as unknown as RawQueries).execute(union)).rows as FilterSlug[]) : tx.all<FilterSlug>(union),
  );
  const knownKeys = new Set(known.map((slug) => `${slug.kind}:${slug.slug}`));
  return named.filter((slug) => !knownKeys.has(`${slug.kind}:${slug.slug}`));
}
