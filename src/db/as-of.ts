import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { EventStatus } from '../domain/vocabulary.js';
import type { Dialect } from './client.js';
import { articles, citations, type events, revisions } from './schema.js';

/**
 * "What was known when": the timeline as the articles published on or before a day (YYYY-MM-DD)
 * reported it. An article counts as published on the last day its publication date can mean
 * (published_latest): one known only to the month counts from the month's last day, so nothing is
 * shown before every reading of its date has it published.
 */

/** The ids of the articles published on or before `asOf`. */
function articlesPublishedBy(asOf: string): SQL {
  return sql`select ${articles.id} from ${articles} where ${articles.publishedLatest} <= ${asOf}`;
}

/** A citation (on a citations table or alias) from an article published on or before `asOf`. */
export function citationKnownBy(citation: { articleId: SQLWrapper }, asOf: string): SQL {
  return sql`${citation.articleId} in (${articlesPublishedBy(asOf)})`;
}

/** A claim support (on a claim_supports or participation_supports table or alias) whose citation is known by `asOf`. */
export function supportKnownBy(support: { citationId: SQLWrapper }, asOf: string): SQL {
  return sql`${support.citationId} in (select ${citations.id} from ${citations} where ${citationKnownBy(citations, asOf)})`;
}

/** An event (on an events table or alias) that an article published on or before `asOf` cites. */
export function eventKnownBy(event: typeof events, asOf: string): SQL {
  return sql`exists (select 1 from ${citations} where ${citations.eventId} = ${event.id} and ${citationKnownBy(citations, asOf)})`;
}

/** A field of a revision's JSON text column, as text. */
function jsonText(dialect: Dialect, column: SQLWrapper, field: 'status' | 'article' | 'articleId'): SQL<string | null> {
  return dialect === 'postgres' ? sql`(${column}::json ->> ${sql.raw(`'${field}'`)})` : sql`json_extract(${column}, ${sql.raw(`'$.${field}'`)})`;
}

/**
 * The status an event (on an events table or alias) had on `asOf`, from its status history: the
 * revisions that changed its status (an UPDATE whose before and after differ in status). A change
 * is in force on `asOf` unless the citation that justified it comes from an article published
 * after `asOf` (found by the article's id, so a rename keeps the link); a change with no
 * justification (a seed file's correction) or whose article no longer exists is in force. The
 * status is the one the newest change in force set; when none is, the one the event had before its
 * first change; with no change at all, its status.
 * Deleting and restoring an event records no status change, so its history carries over when the
 * restored event keeps its id.
 */
export function statusAsOf(dialect: Dialect, event: typeof events, asOf: string): SQL<EventStatus> {
  const before = jsonText(dialect, revisions.before, 'status');
  const after = jsonText(dialect, revisions.after, 'status');
  const statusChanges = sql`${revisions.entityType} = 'Event' and ${revisions.entityId} = ${event.id} and ${revisions.action} = 'UPDATE' and ${before} <> ${after}`;
  // By the article's id, which a rename keeps; a justification written before ids were kept, by its slug.
  const articleId = jsonText(dialect, revisions.justification, 'articleId');
  const justifyingArticle = sql`(case when ${articleId} is not null then ${articles.id} = cast(${articleId} as integer) else ${articles.slug} = ${jsonText(dialect, revisions.justification, 'article')} end)`;
  const justifiedLater = sql`exists (select 1 from ${articles} where ${justifyingArticle} and ${articles.publishedLatest} > ${asOf})`;
  return sql<EventStatus>`coalesce(
    (select ${after} from ${revisions} where ${statusChanges} and not ${justifiedLater} order by ${revisions.id} desc limit 1),
    (select ${before} from ${revisions} where ${statusChanges} order by ${revisions.id} asc limit 1),
    ${event.status})`;
}
