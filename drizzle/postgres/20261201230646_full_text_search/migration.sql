CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE FUNCTION search_text(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN regexp_replace(unaccent('unaccent'::regdictionary, value), '[!-/:-@[-`{-~]', ' ', 'g');
--> statement-breakpoint
CREATE FUNCTION search_document(title text, summary text, quotes text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector('simple', search_text(coalesce(title, ''))), 'A')
  || setweight(to_tsvector('simple', search_text(coalesce(summary, ''))), 'B')
  || setweight(to_tsvector('simple', search_text(coalesce(quotes, ''))), 'C');
--> statement-breakpoint
CREATE FUNCTION search_query(words text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN plainto_tsquery('simple', search_text(words));
--> statement-breakpoint
CREATE INDEX actors_search_idx ON actors USING gin (search_document(name, description, ''));
--> statement-breakpoint
CREATE INDEX sources_search_idx ON sources USING gin (search_document(name, description, ''));
--> statement-breakpoint
CREATE TABLE event_search (
  id integer PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE ON UPDATE CASCADE,
  document tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX event_search_document_idx ON event_search USING gin (document);
--> statement-breakpoint
CREATE FUNCTION refresh_event_search(event_ids integer[]) RETURNS void LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO event_search (id, document)
  SELECT events.id, search_document(events.title, events.summary,
    (SELECT string_agg(citations.quote, ' ' ORDER BY citations.id) FROM citations WHERE citations.event_id = events.id))
  FROM events WHERE events.id = ANY (event_ids)
  ON CONFLICT (id) DO UPDATE SET document = excluded.document;
END;
--> statement-breakpoint
CREATE FUNCTION events_refresh_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_event_search(array(SELECT id FROM new_rows));
  ELSE
    PERFORM refresh_event_search(array(
      SELECT new_rows.id FROM new_rows JOIN old_rows USING (id)
      WHERE (new_rows.title, new_rows.summary) IS DISTINCT FROM (old_rows.title, old_rows.summary)));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER events_search_insert AFTER INSERT ON events
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION events_refresh_search();
--> statement-breakpoint
CREATE TRIGGER events_search_update AFTER UPDATE ON events
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION events_refresh_search();
--> statement-breakpoint
CREATE FUNCTION citations_refresh_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_event_search(array(SELECT event_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_event_search(array(SELECT event_id FROM old_rows));
  ELSE
    PERFORM refresh_event_search(array(SELECT event_id FROM old_rows UNION SELECT event_id FROM new_rows));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER citations_search_insert AFTER INSERT ON citations
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION citations_refresh_search();
--> statement-breakpoint
CREATE TRIGGER citations_search_update AFTER UPDATE ON citations
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION citations_refresh_search();
--> statement-breakpoint
CREATE TRIGGER citations_search_delete AFTER DELETE ON citations
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION citations_refresh_search();
--> statement-breakpoint
SELECT refresh_event_search(array(SELECT id FROM events));
