-- What PostGraphile needs beside the tables to answer the benchmark's workloads the way the
-- service does. Each is plain SQL that PostgreSQL can inline into PostGraphile's own query.

-- Q1: the events whose interval overlaps the days [from_day, to_day], in timeline order: the
-- service's date window (src/db/event-filters.ts). The last condition is redundant but lets the
-- date index start near the window: nothing that ends after from_day starts more than the
-- longest span of any event before it (events_span_idx finds that span at once; the expression
-- is src/db/postgres/dates.ts's).
create or replace function events_in_window(from_day text, to_day text) returns setof events
language sql stable parallel safe as $$
  select * from events
  where latest >= from_day and earliest <= to_day
    and earliest >= (
      select case when start < make_date(400, 1, 1) then '0000-01-01'
                  else lpad((extract(year from start)::integer - 400)::text, 4, '0') || to_char(start, '-MM-DD') end
      from (select make_date(substr(from_day, 1, 4)::integer + 400, substr(from_day, 6, 2)::integer, substr(from_day, 9, 2)::integer)
                 - (select coalesce(max(make_date(substr(latest, 1, 4)::integer + 400, substr(latest, 6, 2)::integer, substr(latest, 9, 2)::integer)
                                      - make_date(substr(earliest, 1, 4)::integer + 400, substr(earliest, 6, 2)::integer, substr(earliest, 9, 2)::integer)), 0)
                    from events) as start) as window_start)
  order by earliest, latest, id
$$;

-- Q2: an actor's events, latest first: a computed column, Actor.latestEvents.
create or replace function actors_latest_events(actor actors) returns setof events
language sql stable parallel safe as $$
  select events.* from participations join events on events.id = participations.event_id
  where participations.actor_id = actor.id
  order by events.earliest desc, events.latest desc, events.id desc
$$;

-- Q3: events, actors and outlets whose text holds every word, best first, ranked as the
-- service ranks them (src/db/postgres/search.ts, with the migration's search functions).
-- The words are the service's (searchWords); the last is a prefix, each a quoted operand.
drop function if exists search_everything(text);
drop function if exists search_everything(text[]);
drop type if exists search_hit;
create type search_hit as (type text, slug text, label text);
create or replace function search_everything(words text[]) returns setof search_hit
language sql stable parallel safe as $$
  with word as (select w, ord, ord = max(ord) over () as last from unnest(words) with ordinality as t(w, ord)),
  operand as (select ord, last, '''' || replace(replace(search_text(w), '\', '\\'), '''', '''''') || '''' as op from word),
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
      from sources, query where search_document(sources.name, sources.description, '') @@ query.words)
  select hits.type, coalesce(events.slug, actors.slug, sources.slug), coalesce(events.title, actors.name, sources.name)
  from hits
  left join events on hits.type = 'Event' and events.id = hits.id
  left join actors on hits.type = 'Actor' and actors.id = hits.id
  left join sources on hits.type = 'Source' and sources.id = hits.id
  order by hits.tier, hits.rank desc, hits.type, hits.id
$$;
