import { type Column, type SQL, sql } from 'drizzle-orm';
import type { DatabaseHandle, Dialect } from './client.js';
import { countSearchHitsPostgres, matchesSearchPostgres, searchEverythingPostgres } from './postgres/search.js';

/** Longest search text accepted, in characters. */
export const MAX_SEARCH_LENGTH = 200;
/** At most this many words of a search take part; the rest are ignored. */
const MAX_SEARCH_WORDS = 16;

export type SearchHitType = 'Event' | 'Actor' | 'Source';

export interface SearchHit {
  type: SearchHitType;
  id: number;
}

/**
 * Turns user text into an FTS5 query that matches records containing every word. Each word is
 * quoted, so FTS5 syntax in the text (quotes, brackets, NEAR, AND, *, ^, column filters) is only
 * ever read as plain words. Returns null when the text has no word to search for.
 */
export function toMatchQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((word) => `"${word}"`).join(' ');
}

/** The words of a search that take part: runs of letters and digits, at most MAX_SEARCH_WORDS. */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_SEARCH_WORDS) ?? [];
}

const SEARCH_INDEXES = { events: 'event_search', actors: 'actor_search', sources: 'source_search' } as const;

/**
 * A condition on an id column of `table`: the record's indexed text contains every word. The
 * unary plus keeps SQLite from looping over the matches to find rows (it guesses a full-text
 * match is small): inside a nested connection it would walk every match once per parent row, a
 * common word under 800 parents ran 25 s at 100k events. As a test on the rows a query visits,
 * the matches are listed once per statement.
 */
export function matchesSearch(dialect: Dialect, table: keyof typeof SEARCH_INDEXES, id: Column | SQL, text: string): SQL {
  if (dialect === 'postgres') return matchesSearchPostgres(table, id, text);
  const match = toMatchQuery(text);
  if (match === null) return sql`0`;
  const index = sql.identifier(SEARCH_INDEXES[table]);
  return sql`+${id} in (select rowid from ${index} where ${index} match ${match})`;
}

/** Events, actors and sources whose text contains every word, best match first. */
export async function searchEverything(
  database: DatabaseHandle,
  text: string,
  page: { limit: number; offset: number },
): Promise<SearchHit[]> {
  if (database.dialect === 'postgres') return searchEverythingPostgres(database.db as never, text, page);
  const match = toMatchQuery(text);
  if (match === null) return [];
  const hits = await database.read(async (tx) =>
    tx.all<SearchHit & { rank: number }>(
      sql`select 'Event' as type, rowid as id, bm25(event_search, 10.0, 3.0, 1.0) as rank
            from event_search where event_search match ${match}
          union all
          select 'Actor', rowid, bm25(actor_search, 10.0, 3.0) from actor_search where actor_search match ${match}
          union all
          select 'Source', rowid, bm25(source_search, 10.0, 3.0) from source_search where source_search match ${match}
          order by rank, type, id
          limit ${page.limit} offset ${page.offset}`,
    ),
  );
  return hits.map(({ type, id }) => ({ type, id }));
}

/** How many records `searchEverything` finds in all. */
export async function countSearchHits(database: DatabaseHandle, text: string): Promise<number> {
  if (database.dialect === 'postgres') return countSearchHitsPostgres(database.db as never, text);
  const match = toMatchQuery(text);
  if (match === null) return 0;
  const row = await database.read(async (tx) => tx.get<{ total: number }>(
    sql`select (select count(*) from event_search where event_search match ${match})
             + (select count(*) from actor_search where actor_search match ${match})
             + (select count(*) from source_search where source_search match ${match}) as total`,
  ));
  return row?.total ?? 0;
}
