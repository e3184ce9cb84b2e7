import { type Column, type SQL, sql } from 'drizzle-orm';
import { type SearchHit, type SearchHitType, searchWords, toMatchQuery } from '../search.js';

/**
 * Full-text search on PostgreSQL, with SQLite's semantics (src/db/search.ts): a record matches when
 * its text contains every word of the search, accents and case aside; the words are those
 * searchWords finds (at most 16), and user text is never query syntax. Filters match whole words;
 * `search` also takes the last word as the start of a word, and ranks by tier. The migration
 * full_text_search defines the SQL functions used here: search_text(text) folds accents and turns
 * ASCII punctuation into spaces; search_query(words) turns text into an AND of words (the quotes
 * toMatchQuery puts around each word are punctuation to it, dropped like all punctuation);
 * search_document weighs title or name A, summary or description B, quotes C.
 */

/** What these functions need of a node-postgres drizzle database or transaction. */
export interface PostgresExecutor {
  execute(query: SQL): PromiseLike<{ rows: unknown[] }>;
}

/**
 * Each kind of record's searchable document, written exactly as its GIN index is, so that the
 * index serves the match: events' is kept in event_search by triggers (it includes the quotes of
 * the event's citations); actors' and sources' are computed from the row.
 */
const SEARCH_DOCUMENTS = {
  events: { type: 'Event', from: sql`event_search`, document: sql`event_search.document` },
  actors: { type: 'Actor', from: sql`actors`, document: sql`search_document(actors.name, actors.description, '')` },
  sources: { type: 'Source', from: sql`sources`, document: sql`search_document(sources.name, sources.description, '')` },
} as const satisfies Record<string, { type: SearchHitType; from: SQL; document: SQL }>;

/** ts_rank's weights for D, C, B, A: SQLite's bm25 weights 1, 3 and 10 for quotes, summary, title. */
const RANK_WEIGHTS = sql`'{0, 0.1, 0.3, 1}'::real[]`;

/** A condition on an id column of `table`: the record's indexed text contains every word. */
export function matchesSearchPostgres(table: keyof typeof SEARCH_DOCUMENTS, id: Column | SQL, text: string): SQL {
  const match = toMatchQuery(text);
  if (match === null) return sql`false`;
  const { from, document } = SEARCH_DOCUMENTS[table];
  return sql`${id} in (select ${from}.id from ${from} where ${document} @@ search_query(${match}))`;
}

/**
 * An event (its id column) with `word` in its title or summary, or in the quote of one of its
 * citations that `citationKnown` accepts: one word of a search as of a day (see
 * wordInKnownEventText in ../search.ts).
 */
export function wordInKnownEventTextPostgres(eventId: Column | SQL, word: string, citationKnown: SQL): SQL {
  const inTitleOrSummary = sql`to_tsquery('simple', ${operand(word)} || ':AB')`;
  return sql`(${eventId} in (select event_search.id from event_search where event_search.document @@ ${inTitleOrSummary})
    or exists (select 1 from citations where citations.event_id = ${eventId} and ${citationKnown}
      and to_tsvector('simple', search_text(citations.quote)) @@ search_query(${word})))`;
}

/**
 * A word as a quoted to_tsquery operand, built in SQL: search_text folds accents and turns ASCII
 * punctuation (quotes and backslashes included) into spaces, and any quote or backslash left is
 * escaped anyway, so nothing of the word is read as an operator; a word that folds into several
 * (`½` is `1 2`) is a phrase.
 */
const operand = (word: string) => sql`'''' || replace(replace(search_text(${word}), '\\', '\\\\'), '''', '''''') || ''''`;

/**
 * The tsquery of text still being typed: every word whole, the last one also as the start of a
 * word (`'xi' & 'jin':*`); with `weights`, only lexemes of those weights count (`'jin':*A` is in
 * a title or name). The operators and marks come from here, the words only as quoted operands.
 */
function typedQuery(words: string[], weights: '' | 'A' | 'AB'): SQL {
  const operands = words.map((word, index) => {
    const marks = `${index === words.length - 1 ? '*' : ''}${weights}`;
    return marks ? sql`${operand(word)} || ${`:${marks}`}` : operand(word);
  });
  return sql`to_tsquery('simple', ${sql.join(operands, sql` || ' & ' || `)})`;
}

/**
 * The queries of a search: `words`, what a record must match; `titles` and `summaries`, the same
 * within titles or names, and within those and summaries or descriptions, which give its tier.
 * Null when the text has no word.
 */
function typedQueries(text: string): SQL | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return sql`with query as (select ${typedQuery(words, '')} as words, ${typedQuery(words, 'A')} as titles, ${typedQuery(words, 'AB')} as summaries)`;
}

/**
 * One kind of record's matches with their tier, as on SQLite: 0 when the title or name (weight A)
 * alone holds every word, 1 when the summary or description (B) is needed, 2 when the quotes are.
 * Weighted queries rather than ts_filter, which copies each document. The rank is normalized by
 * the document's length, as bm25 is, so that "Xi Jinping" ranks above a long report about him.
 */
function tieredMatches(table: keyof typeof SEARCH_DOCUMENTS): SQL {
  const { type, from, document } = SEARCH_DOCUMENTS[table];
  return sql`select ${type}::text as type, ${from}.id,
      case when ${document} @@ query.titles then 0 when ${document} @@ query.summaries then 1 else 2 end as tier,
      ts_rank(${RANK_WEIGHTS}, ${document}, query.words, 1) as rank
    from ${from}, query where ${document} @@ query.words`;
}

/**
 * Events, actors and sources whose text contains every word, the last one as the start of a word:
 * by tier (title or name, then summary or description, then quotes), then rank, type and id.
 */
export async function searchEverythingPostgres(
  db: PostgresExecutor,
  text: string,
  page: { limit: number; offset: number },
): Promise<SearchHit[]> {
  const queries = typedQueries(text);
  if (queries === null) return [];
  const { rows } = await db.execute(
    sql`${queries}
        ${tieredMatches('events')}
        union all
        ${tieredMatches('actors')}
        union all
        ${tieredMatches('sources')}
        order by tier, rank desc, type, id
        limit ${page.limit} offset ${page.offset}`,
  );
  return (rows as SearchHit[]).map(({ type, id }) => ({ type, id }));
}

/** How many records `searchEverythingPostgres` finds in all. */
export async function countSearchHitsPostgres(db: PostgresExecutor, text: string): Promise<number> {
  const queries = typedQueries(text);
  if (queries === null) return 0;
  const count = (table: keyof typeof SEARCH_DOCUMENTS) => {
    const { from, document } = SEARCH_DOCUMENTS[table];
    return sql`(select count(*) from ${from}, query where ${document} @@ query.words)`;
  };
  const { rows } = await db.execute(
    sql`${queries}
        select (${count('events')} + ${count('actors')} + ${count('sources')})::integer as total`,
  );
  return (rows[0] as { total: number } | undefined)?.total ?? 0;
}
