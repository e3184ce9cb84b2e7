import { createServer } from 'node:http';
import pg from 'pg';
import { searchWords } from '../../src/db/search.js';
import { parsePartialDate } from '../../src/domain/partial-date.js';

/**
 * The PostgreSQL ceiling: a minimal node:http server answering the four workloads with
 * hand-written SQL through node-postgres (the service's driver), one prepared statement per
 * request that builds the whole answer as JSON in the database, returning the same data the
 * GraphQL server does. Nothing is validated, authorised, paged or masked: it is what the
 * hardware and PostgreSQL can do, to compare against. Its pool is the service's default size.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });

/** The day a YYYY-MM-DD text names, 400 years on: src/db/postgres/dates.ts's expression, which events_span_idx indexes. */
const shifted = (iso: string) => `make_date(substr(${iso}, 1, 4)::integer + 400, substr(${iso}, 6, 2)::integer, substr(${iso}, 9, 2)::integer)`;

/** An event's card: slug, title and start date, as JSON. */
const card = (e: string) => `'slug', ${e}.slug, 'title', ${e}.title, 'startDate', json_build_object('iso', ${e}.start_iso, 'precision', ${e}.start_precision)`;

/** The first five citations of the event `e`, by id, as a connection's edges. */
const citationEdges = (e: string) => `json_build_object('edges', (
  select coalesce(json_agg(json_build_object('node', json_build_object('quote', c.quote, 'article', json_build_object('title', c.title, 'source', json_build_object('name', c.name)))) order by c.id), '[]')
  from (select citations.id, citations.quote, articles.title, sources.name from citations
        join articles on articles.id = citations.article_id join sources on sources.id = articles.source_id
        where citations.event_id = ${e}.id order by citations.id limit 5) as c))`;

const STATEMENTS = {
  // The API's window: events whose interval overlaps [from, to], and (redundant, for the date
  // index) that start no earlier than `from` less the longest span of any event.
  q1: `with page as (
         select id, slug, title, start_iso, start_precision, earliest, latest from events
         where latest >= $1 and earliest <= $2
           and earliest >= (select case when start < make_date(400, 1, 1) then '0000-01-01'
                                   else lpad((extract(year from start)::integer - 400)::text, 4, '0') || to_char(start, '-MM-DD') end
                            from (select ${shifted('$1::text')} - (select coalesce(max(${shifted('latest')} - ${shifted('earliest')}), 0) from events) as start) as window_start)
         order by earliest, latest, id limit $3)
       select json_build_object('events', json_build_object('edges', coalesce(json_agg(json_build_object('node', json_build_object(${card('e')},
         'participants', json_build_object('edges', (
           select coalesce(json_agg(json_build_object('role', p.role, 'node', json_build_object('name', p.name)) order by p.id), '[]')
           from (select participations.id, participations.role, actors.name from participations join actors on actors.id = participations.actor_id
                 where participations.event_id = e.id order by participations.id limit 10) as p)),
         'citations', ${citationEdges('e')})) order by e.earliest, e.latest, e.id), '[]')))::text as data
       from page as e`,
  q2: `select json_build_object('actor', (
         select json_build_object('name', a.name, 'events', json_build_object('edges', (
           select coalesce(json_agg(json_build_object('node', json_build_object(${card('e')}, 'citations', ${citationEdges('e')})) order by e.earliest desc, e.latest desc, e.id desc), '[]')
           from (select events.id, events.slug, events.title, events.start_iso, events.start_precision, events.earliest, events.latest
                 from participations join events on events.id = participations.event_id
                 where participations.actor_id = a.id order by events.earliest desc, events.latest desc, events.id desc limit 20) as e)))
         from actors as a where a.slug = $1))::text as data`,
  // src/db/postgres/search.ts's search: every word, the last as a prefix, each a quoted operand;
  // by tier (title or name, then summary or description, then quotes), then ts_rank, type, id.
  q3: `with word as (select w, ord, ord = max(ord) over () as last from unnest($1::text[]) with ordinality as t(w, ord)),
       operand as (select ord, last, '''' || replace(replace(search_text(w), '\\', '\\\\'), '''', '''''') || '''' as op from word),
       query as (select to_tsquery('simple', string_agg(op || case when last then ':*' else '' end, ' & ' order by ord)) as words,
                        to_tsquery('simple', string_agg(op || case when last then ':*A' else ':A' end, ' & ' order by ord)) as titles,
                        to_tsquery('simple', string_agg(op || case when last then ':*AB' else ':AB' end, ' & ' order by ord)) as summaries
                 from operand),
       hits as (
         select 'Event' as type, event_search.id,
             case when event_search.document @@ query.titles then 0 when event_search.document @@ query.summaries then 1 else 2 end as tier,
             ts_rank('{0, 0.1, 0.3, 1}'::real[], event_search.document, query.words, 1) as rank
           from event_search, query where event_search.document @@ query.words
         union all
         select 'Actor', actors.id,
             case when search_document(actors.name, actors.description, '') @@ query.titles then 0 when search_document(actors.name, actors.description, '') @@ query.summaries then 1 else 2 end,
             ts_rank('{0, 0.1, 0.3, 1}'::real[], search_document(actors.name, actors.description, ''), query.words, 1)
           from actors, query where search_document(actors.name, actors.description, '') @@ query.words
         union all
         select 'Source', sources.id,
             case when search_document(sources.name, sources.description, '') @@ query.titles then 0 when search_document(sources.name, sources.description, '') @@ query.summaries then 1 else 2 end,
             ts_rank('{0, 0.1, 0.3, 1}'::real[], search_document(sources.name, sources.description, ''), query.words, 1)
           from sources, query where search_document(sources.name, sources.description, '') @@ query.words
         order by tier, rank desc, type, id limit 20)
       select json_build_object('search', json_build_object('edges', coalesce(json_agg(json_build_object('node', case hits.type
           when 'Event' then json_build_object('__typename', 'Event', 'slug', events.slug, 'title', events.title)
           when 'Actor' then json_build_object('__typename', 'Actor', 'slug', actors.slug, 'name', actors.name)
           else json_build_object('__typename', 'Source', 'slug', sources.slug, 'name', sources.name) end)
         order by hits.tier, hits.rank desc, hits.type, hits.id), '[]')))::text as data
       from hits
       left join events on hits.type = 'Event' and events.id = hits.id
       left join actors on hits.type = 'Actor' and actors.id = hits.id
       left join sources on hits.type = 'Source' and sources.id = hits.id`,
  q4: `select json_build_object('node', (select json_build_object(${card('events')}) from events where id = $1))::text as data`,
};

async function answer(url: URL): Promise<string | null> {
  const q = url.searchParams;
  const run = async (name: keyof typeof STATEMENTS, values: unknown[]) =>
    (await pool.query<{ data: string }>({ name, text: STATEMENTS[name], values })).rows[0]!.data;
  switch (url.pathname) {
    case '/q1':
      return run('q1', [parsePartialDate(q.get('from')!).earliest, parsePartialDate(q.get('to')!).latest, Number(q.get('first'))]);
    case '/q2':
      return run('q2', [q.get('slug')]);
    case '/q3': {
      const words = searchWords(q.get('query') ?? '');
      return words.length === 0 ? '{"search":{"edges":[]}}' : run('q3', [words]);
    }
    case '/q4':
      return run('q4', [Number(q.get('id'))]);
    default:
      return null;
  }
}

const server = createServer((request, response) => {
  answer(new URL(request.url ?? '/', 'http://ceiling')).then(
    (data) => {
      response.writeHead(data === null ? 404 : 200, { 'content-type': 'application/json' });
      response.end(`{"data":${data}}`);
    },
    (error: Error) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error.message);
    },
  );
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`ceiling listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
