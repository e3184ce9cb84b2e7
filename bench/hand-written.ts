import type Database from 'better-sqlite3';
import { parsePartialDate } from '../src/domain/partial-date.js';
import { toPrefixMatchQuery } from '../src/db/search.js';

/**
 * The four workloads' answers from hand-written SQL on better-sqlite3, shaped as the GraphQL
 * server's data. The ceiling serialises them as they are; the floor hands them to graphql-js.
 */
export function handWrittenAnswers(database: Database.Database) {
  // The same bound as the API's: a window's events start no earlier than `from` minus the longest span.
  const windowEvents = database.prepare(
    `select id, slug, title, start_iso as iso, start_precision as precision from events
     where latest >= :from and earliest <= :to
       and earliest >= date(:from, '-' || (select coalesce(max(julianday(latest) - julianday(earliest)), 0) from events) || ' days')
     order by earliest, latest, id limit :first`,
  );
  const actorEvents = database.prepare(
    `select e.id, e.slug, e.title, e.start_iso as iso, e.start_precision as precision
     from participations p join events e on e.id = p.event_id
     where p.actor_id = ? order by e.earliest desc, e.latest desc, e.id desc limit 20`,
  );
  const participants = database.prepare(
    `select event_id, role, name from (
       select p.event_id, p.role, a.name, row_number() over (partition by p.event_id order by p.id) as n
       from participations p join actors a on a.id = p.actor_id where p.event_id in (select value from json_each(?))
     ) where n <= 10`,
  );
  const citations = database.prepare(
    `select event_id, quote, title, name from (
       select c.event_id, c.quote, ar.title, s.name, row_number() over (partition by c.event_id order by c.id) as n
       from citations c join articles ar on ar.id = c.article_id join sources s on s.id = ar.source_id
       where c.event_id in (select value from json_each(?))
     ) where n <= 5`,
  );
  // src/db/search.ts's ranking: the tier (every word in the title or name, then with the summary or
  // description, then with the quotes), then bm25, type and id.
  const search = database.prepare(
    `select type, id from (
       select 'Event' as type, rowid as id,
         case when rowid in (select rowid from event_search where event_search match @titles) then 0
              when rowid in (select rowid from event_search where event_search match @summaries) then 1 else 2 end as tier,
         bm25(event_search, 10.0, 3.0, 1.0) as rank from event_search where event_search match @words
       union all select 'Actor', rowid, case when rowid in (select rowid from actor_search where actor_search match @names) then 0 else 1 end,
         bm25(actor_search, 10.0, 3.0) from actor_search where actor_search match @words
       union all select 'Source', rowid, case when rowid in (select rowid from source_search where source_search match @names) then 0 else 1 end,
         bm25(source_search, 10.0, 3.0) from source_search where source_search match @words
     ) order by tier, rank, type, id limit 20`,
  );
  const eventById = database.prepare('select slug, title, start_iso as iso, start_precision as precision from events where id = ?');
  const actorBySlug = database.prepare('select id, name from actors where slug = ?');
  const nameOf = { Actor: database.prepare('select slug, name from actors where id = ?'), Source: database.prepare('select slug, name from sources where id = ?') };

  type EventRow = { id: number; slug: string; title: string; iso: string; precision: string };
  const byEvent = <T extends { event_id: number }>(statement: Database.Statement, ids: number[]) => {
    const grouped = new Map<number, T[]>();
    for (const row of statement.all(JSON.stringify(ids)) as T[]) grouped.set(row.event_id, [...(grouped.get(row.event_id) ?? []), row]);
    return grouped;
  };
  const eventEdges = (rows: EventRow[], withParticipants: boolean) => {
    const ids = rows.map((row) => row.id);
    const participantsOf = withParticipants ? byEvent<{ event_id: number; role: string; name: string }>(participants, ids) : new Map();
    const citationsOf = byEvent<{ event_id: number; quote: string; title: string; name: string }>(citations, ids);
    return rows.map((row) => ({
      node: {
        slug: row.slug,
        title: row.title,
        startDate: { iso: row.iso, precision: row.precision },
        ...(withParticipants
          ? { participants: { edges: (participantsOf.get(row.id) ?? []).map((p: { role: string; name: string }) => ({ role: p.role, node: { name: p.name } })) } }
          : {}),
        citations: {
          edges: (citationsOf.get(row.id) ?? []).map((c) => ({ node: { quote: c.quote, article: { title: c.title, source: { name: c.name } } } })),
        },
      },
    }));
  };

  return {
    /** Q1: a date window's first events, with participants and citations. */
    timelinePage: (from: string, to: string, first: number) => ({
      edges: eventEdges(windowEvents.all({ from: parsePartialDate(from).earliest, to: parsePartialDate(to).latest, first }) as EventRow[], true),
    }),
    /** Q2: an actor and its 20 latest events with citations. */
    actorPage: (slug: string) => {
      const actor = actorBySlug.get(slug) as { id: number; name: string } | undefined;
      return actor ? { name: actor.name, events: { edges: eventEdges(actorEvents.all(actor.id) as EventRow[], false) } } : null;
    },
    /** Q3: search, 20 hits, each node carrying its `__typename`. */
    search: (query: string) => {
      const match = toPrefixMatchQuery(query);
      const within = (columns: string) => `{${columns}} : (${match})`;
      const hits = match === null
        ? []
        : (search.all({ words: match, titles: within('title'), summaries: within('title summary'), names: within('name') }) as { type: 'Event' | 'Actor' | 'Source'; id: number }[]);
      return {
        edges: hits.map(({ type, id }) => {
          if (type === 'Event') {
            const { slug, title } = eventById.get(id) as EventRow;
            return { node: { __typename: type, slug, title } };
          }
          return { node: { __typename: type, ...(nameOf[type].get(id) as object) } };
        }),
      };
    },
    /** Q4: one event by id. */
    lookup: (id: number) => {
      const row = eventById.get(id) as EventRow | undefined;
      return row ? { slug: row.slug, title: row.title, startDate: { iso: row.iso, precision: row.precision } } : null;
    },
  };
}
