-- Full-text search (SQLite FTS5). One index per kind of result; each row's rowid is the id of the
-- record it indexes. Triggers keep them in step with every write, whoever makes it.
CREATE VIRTUAL TABLE `event_search` USING fts5(title, summary, quotes, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `actor_search` USING fts5(name, description, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `source_search` USING fts5(name, description, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `events_search_insert` AFTER INSERT ON `events` BEGIN
  INSERT INTO event_search(rowid, title, summary, quotes) VALUES (new.id, new.title, new.summary, '');
END;
--> statement-breakpoint
CREATE TRIGGER `events_search_update` AFTER UPDATE OF title, summary ON `events` BEGIN
  DELETE FROM event_search WHERE rowid = old.id;
  INSERT INTO event_search(rowid, title, summary, quotes)
    VALUES (new.id, new.title, new.summary,
      coalesce((SELECT group_concat(quote, ' ') FROM citations WHERE event_id = new.id), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `events_search_delete` AFTER DELETE ON `events` BEGIN
  DELETE FROM event_search WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `citations_search_insert` AFTER INSERT ON `citations` BEGIN
  DELETE FROM event_search WHERE rowid = new.event_id;
  INSERT INTO event_search(rowid, title, summary, quotes)
    SELECT id, title, summary, coalesce((SELECT group_concat(quote, ' ') FROM citations WHERE event_id = new.event_id), '')
    FROM events WHERE id = new.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER `citations_search_update` AFTER UPDATE OF quote, event_id ON `citations` BEGIN
  DELETE FROM event_search WHERE rowid IN (old.event_id, new.event_id);
  INSERT INTO event_search(rowid, title, summary, quotes)
    SELECT id, title, summary, coalesce((SELECT group_concat(quote, ' ') FROM citations WHERE event_id = events.id), '')
    FROM events WHERE id IN (old.event_id, new.event_id);
END;
--> statement-breakpoint
CREATE TRIGGER `citations_search_delete` AFTER DELETE ON `citations` BEGIN
  DELETE FROM event_search WHERE rowid = old.event_id;
  INSERT INTO event_search(rowid, title, summary, quotes)
    SELECT id, title, summary, coalesce((SELECT group_concat(quote, ' ') FROM citations WHERE event_id = old.event_id), '')
    FROM events WHERE id = old.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER `actors_search_insert` AFTER INSERT ON `actors` BEGIN
  INSERT INTO actor_search(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `actors_search_update` AFTER UPDATE OF name, description ON `actors` BEGIN
  DELETE FROM actor_search WHERE rowid = old.id;
  INSERT INTO actor_search(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `actors_search_delete` AFTER DELETE ON `actors` BEGIN
  DELETE FROM actor_search WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `sources_search_insert` AFTER INSERT ON `sources` BEGIN
  INSERT INTO source_search(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `sources_search_update` AFTER UPDATE OF name, description ON `sources` BEGIN
  DELETE FROM source_search WHERE rowid = old.id;
  INSERT INTO source_search(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `sources_search_delete` AFTER DELETE ON `sources` BEGIN
  DELETE FROM source_search WHERE rowid = old.id;
END;
