import { type Column, type SQL, sql } from 'drizzle-orm';
import type { DatabaseHandle, Dialect } from './client.js';
import { countSearchHitsPostgres, matchesSearchPostgres, searchEverythingPostgres, wordInKnownEventTextPostgres } from './postgres/search.js';
import { citations } from './schema.js';

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
  return words.map(quoted).join(' ');
}

/**
 * Like toMatchQuery, for text still being typed: the last word is the start of a word (`"xi"
 * "jin"*` finds Xi Jinping), the words before it match whole. The star goes outside the quotes,
 * where only this function puts one.
 */
export function toPrefixMatchQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return `${words.map(quoted).join(' ')}*`;
}

/**
 * The words of a search that take part: runs of letters and digits, at most MAX_SEARCH_WORDS.
 * Compatibility forms are read as their plain letters first (NFKC: full-width "ｋｉｓｈ" is
 * "kish", "ﬁ" is "fi"), the letters the articles and records are written in.
 */
export function searchWords(text: string): string[] {
  return text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_SEARCH_WORDS) ?? [];
}

/** A word as an FTS5 string. Words hold only letters and digits, so no quote needs doubling. */
const quoted = (word: string) => `"${word}"`;

const SEARCH_INDEXES = { events: 'event_search', actors: 'actor_search', sources: 'source_search' } as const;

/**
 * A condition on an id column of `table`: the record's indexed text contains every word, whole
 * (a filter's search is a finished text, not one being typed). The
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

/**
 * An event (its id column) whose text as of a day holds every word of `text`: each word is in its
 * title or summary, or in the quote of a citation that `citationKnown` accepts (one from an
 * article published by then). matchesSearch finds the candidates through the whole index; this
 * drops those that match only through later quotes.
 */
export function matchesKnownEventText(dialect: Dialect, eventId: Column | SQL, text: string, citationKnown: (table: typeof citations) => SQL): SQL {
  const words = searchWords(text);
  if (words.length === 0) return dialect === 'postgres' ? sql`false` : sql`0`;
  const known = citationKnown(citations);
  const each = words.map((word) =>
    dialect === 'postgres'
      ? wordInKnownEventTextPostgres(eventId, word, known)
      : sql`(+${eventId} in (select rowid from event_search where event_search match ${`{title summary} : ${quoted(word)}`})
          or exists (select 1 from ${citations} where ${citations.eventId} = ${eventId} and ${known}
            and +${citations.id} in (select rowid from citation_search where citation_search match ${quoted(word)})))`,
  );
  return sql`(${sql.join(each, sql` and `)})`;
}

/**
 * One kind of record's matches with their tier: 0 when the title or name alone holds every word,
 * 1 when the title and summary (or name and description) do, 2 when the quotes are needed. Tiers
 * order the results, bm25 orders each tier: bm25 scores of different tables are not comparable,
 * and within one table a long title can score below a short summary. The tier subqueries are not
 * correlated, so each runs once per statement.
 */
function tieredMatches(type: SearchHitType, index: string, columns: [string, string, ...string[]], match: string): SQL {
  const table = sql.identifier(index);
  const within = (names: string[]) => `{${names.join(' ')}} : (${match})`;
  const weights = sql.raw(columns.length === 3 ? '10.0, 3.0, 1.0' : '10.0, 3.0');
  const lastTier = columns.length - 1;
  return sql`select ${type} as type, rowid as id,
      case when rowid in (select rowid from ${table} where ${table} match ${within(columns.slice(0, 1))}) then 0
           when rowid in (select rowid from ${table} where ${table} match ${within(columns.slice(0, 2))}) then 1
           else ${sql.raw(String(lastTier))} end as tier,
      bm25(${table}, ${weights}) as rank
    from ${table} where ${table} match ${match}`;
}

/**
 * Events, actors and sources whose text contains every word, the last one as the start of a
 * word: title and name matches first, then summaries and descriptions, then quotes (see
 * tieredMatches); then by type and id, so that pages are stable.
 */
export async function searchEverything(
  database: DatabaseHandle,
  text: string,
  page: { limit: number; offset: number },
): Promise<SearchHit[]> {
  if (database.dialect === 'postgres') return searchEverythingPostgres(database.db as never, text, page);
  const match = toPrefixMatchQuery(text);
  if (match === null) return [];
  const hits = await database.read(async (tx) =>
    tx.all<SearchHit & { tier: number; rank: number }>(
      sql`${tieredMatches('Event', 'event_search', ['title', 'summary', 'quotes'], match)}
          union all
          ${tieredMatches('Actor', 'actor_search', ['name', 'description'], match)}
          union all
          ${tieredMatches('Source', 'source_search', ['name', 'description'], match)}
          order by tier, rank, type, id
          limit ${page.limit} offset ${page.offset}`,
    ),
  );
  return hits.map(({ type, id }) => ({ type, id }));
}

/** How many records `searchEverything` finds in all. */
export async function countSearchHits(database: DatabaseHandle, text: string): Promise<number> {
  if (database.dialect === 'postgres') return countSearchHitsPostgres(database.db as never, text);
  const match = toPrefixMatchQuery(text);
  if (match === null) return 0;
  const row = await database.read(async (tx) => tx.get<{ total: number }>(
    sql`select (select count(*) from event_search where event_search match ${match})
             + (select count(*) from actor_search where actor_search match ${match})
             + (select count(*) from source_search where source_search match ${match}) as total`,
  ));
  return row?.total ?? 0;
}
