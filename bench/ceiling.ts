import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { parsePartialDate } from '../src/domain/partial-date.js';
import { toPrefixMatchQuery } from '../src/db/search.js';

/**
 * The ceiling: a minimal node:http server answering the four workloads with hand-written SQL on
 * better-sqlite3 and JSON.stringify, returning the same data the GraphQL server does. Nothing is
 * validated, authorised, paged or masked: it is what the hardware can do, to compare against.
 */
const database = new Database(process.env.DATABASE_URL ?? './data/timeline.db', { readonly: true });
database.pragma('cache_size = -262144');

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
const participantsOf = (ids: number[]) =>
  database
    .prepare(
      `select event_id, role, name from (
         select p.event_id, p.role, a.name, row_number() over (partition by p.event_id order by p.id) as n
         from participations p join actors a on a.id = p.actor_id where p.event_id in (select value from json_each(?))
       ) where n <= 10`,
    )
    .all(JSON.stringify(ids)) as { event_id: number; role: string; name: string }[];
const citationsOf = (ids: number[]) =>
  database
    .prepare(
      `select event_id, quote, title, name from (
         select c.event_id, c.quote, ar.title, s.name, row_number() over (partition by c.event_id order by c.id) as n
         from citations c join articles ar on ar.id = c.article_id join sources s on s.id = ar.source_id
         where c.event_id in (select value from json_each(?))
       ) where n <= 5`,
    )
    .all(JSON.stringify(ids)) as { event_id: number; quote: string; title: string; name: string }[];

type EventRow = { id: number; slug: string; title: string; iso: string; precision: string };

function group<T extends { event_id: number }>(rows: T[]) {
  const byEvent = new Map<number, T[]>();
  for (const row of rows) byEvent.set(row.event_id, [...(byEvent.get(row.event_id) ?? []), row]);
  return byEvent;
}

function eventNodes(rows: EventRow[], withParticipants: boolean) {
  const ids = rows.map((row) => row.id);
  const participants = withParticipants ? group(participantsOf(ids)) : new Map();
  const citations = group(citationsOf(ids));
  return rows.map((row) => ({
    node: {
      slug: row.slug,
      title: row.title,
      startDate: { iso: row.iso, precision: row.precision },
      ...(withParticipants
        ? { participants: { edges: (participants.get(row.id) ?? []).map((p: { role: string; name: string }) => ({ role: p.role, node: { name: p.name } })) } }
        : {}),
      citations: {
        edges: (citations.get(row.id) ?? []).map((c) => ({ node: { quote: c.quote, article: { title: c.title, source: { name: c.name } } } })),
      },
    },
  }));
}

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

function answer(url: URL): unknown {
  const q = url.searchParams;
  switch (url.pathname) {
    case '/q1': {
      const rows = windowEvents.all({
        from: parsePartialDate(q.get('from')!).earliest,
        to: parsePartialDate(q.get('to')!).latest,
        first: Number(q.get('first')),
      }) as EventRow[];
      return { events: { edges: eventNodes(rows, true) } };
    }
    case '/q2': {
      const actor = actorBySlug.get(q.get('slug')) as { id: number; name: string } | undefined;
      if (!actor) return { actor: null };
      return { actor: { name: actor.name, events: { edges: eventNodes(actorEvents.all(actor.id) as EventRow[], false) } } };
    }
    case '/q3': {
      const match = toPrefixMatchQuery(q.get('query') ?? '');
      const within = (columns: string) => `{${columns}} : (${match})`;
      const hits = match === null
        ? []
        : (search.all({ words: match, titles: within('title'), summaries: within('title summary'), names: within('name') }) as { type: 'Event' | 'Actor' | 'Source'; id: number }[]);
      return {
        search: {
          edges: hits.map(({ type, id }) => {
            if (type === 'Event') {
              const { slug, title } = eventById.get(id) as EventRow;
              return { node: { __typename: type, slug, title } };
            }
            return { node: { __typename: type, ...(nameOf[type].get(id) as object) } };
          }),
        },
      };
    }
    case '/q4': {
      const row = eventById.get(Number(q.get('id'))) as EventRow | undefined;
      return { node: row ? { slug: row.slug, title: row.title, startDate: { iso: row.iso, precision: row.precision } } : null };
    }
    default:
      return null;
  }
}

const server = createServer((request, response) => {
  const data = answer(new URL(request.url ?? '/', 'http://ceiling'));
  response.writeHead(data === null ? 404 : 200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ data }));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`ceiling listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
