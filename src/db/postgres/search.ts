import { type Column, type SQL, sql } from 'drizzle-orm';
import { type SearchHit, toMatchQuery } from '../search.js';

/**
 * Full-text search on PostgreSQL, with SQLite's semantics (src/db/search.ts): a record matches when
 * its text contains every word of the search, accents and case aside; the words are those
 * toMatchQuery finds (at most 16), and user text is never query syntax. The migration
 * full_text_search defines the SQL functions used here: search_query(words) turns text into an
 * AND of words (the quotes toMatchQuery puts around each word are punctuation to it, dropped like
 * all punctuation); search_document weighs title or name A, summary or description B, quotes C.
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
  events: { from: sql`event_search`, document: sql`event_search.document` },
  actors: { from: sql`actors`, document: sql`search_document(actors.name, actors.description, '')` },
  sources: { from: sql`sources`, document: sql`search_document(sources.name, sources.description, '')` },
} as const;

/** ts_rank's weights for D, C, B, A: SQLite's bm25 weights 1, 3 and 10 for quotes, summary, title. */
const RANK_WEIGHTS = sql`'{0, 0.1, 0.3, 1}'::real[]`;

/** A condition on an id column of `table`: the record's indexed text contains every word. */
export function matchesSearchPostgres(table: keyof typeof SEARCH_DOCUMENTS, id: Column | SQL, text: string): SQL {
  const match = toMatchQuery(text);
  if (match === null) return sql`false`;
  const { from, document } = SEARCH_DOCUMENTS[table];
  return sql`${id} in (select ${from}.id from ${from} where ${document} @@ search_query(${match}))`;
}

/** Events, actors and sources whose text contains every word, best match first (then by type and id). */
export async function searchEverythingPostgres(
  db: PostgresExecutor,
  text: string,
  page: { limit: number; offset: number },
): Promise<SearchHit[]> {
  const match = toMatchQuery(text);
  if (match === null) return [];
  const { events, actors, sources } = SEARCH_DOCUMENTS;
  const { rows } = await db.execute(
    sql`with query as (select search_query(${match}) as words)
        select 'Event' as type, event_search.id, ts_rank(${RANK_WEIGHTS}, ${events.document}, query.words) as rank
          from event_search, query where ${events.document} @@ query.words
        union all
        select 'Actor', actors.id, ts_rank(${RANK_WEIGHTS}, ${actors.document}, query.words)
          from actors, query where ${actors.document} @@ query.words
        union all
        select 'Source', sources.id, ts_rank(${RANK_WEIGHTS}, ${sources.document}, query.words)
          from sources, query where ${sources.document} @@ query.words
        order by rank desc, type, id
        limit ${page.limit} offset ${page.offset}`,
  );
  return (rows as SearchHit[]).map(({ type, id }) => ({ type, id }));
}

/** How many records `searchEverythingPostgres` finds in all. */
export async function countSearchHitsPostgres(db: PostgresExecutor, text: string): Promise<number> {
  const match = toMatchQuery(text);
  if (match === null) return 0;
  const count = (table: keyof typeof SEARCH_DOCUMENTS) => {
    const { from, document } = SEARCH_DOCUMENTS[table];
    return sql`(select count(*) from ${from}, query where ${document} @@ query.words)`;
  };
  const { rows } = await db.execute(
    sql`with query as (select search_query(${match}) as words)
        select (${count('events')} + ${count('actors')} + ${count('sources')})::integer as total`,
  );
  return (rows[0] as { total: number } | undefined)?.total ?? 0;
}
