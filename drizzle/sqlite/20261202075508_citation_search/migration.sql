-- Each citation's quote on its own (rowid = the citation's id), so a search as of a day can match
-- only the quotes of articles published by then. Triggers keep it in step with every write.
CREATE VIRTUAL TABLE `citation_search` USING fts5(quote, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO citation_search(rowid, quote) SELECT id, quote FROM citations;
--> statement-breakpoint
CREATE TRIGGER `citations_quote_search_insert` AFTER INSERT ON `citations` BEGIN
  INSERT INTO citation_search(rowid, quote) VALUES (new.id, new.quote);
END;
--> statement-breakpoint
CREATE TRIGGER `citations_quote_search_update` AFTER UPDATE OF quote ON `citations` BEGIN
  DELETE FROM citation_search WHERE rowid = old.id;
  INSERT INTO citation_search(rowid, quote) VALUES (new.id, new.quote);
END;
--> statement-breakpoint
CREATE TRIGGER `citations_quote_search_delete` AFTER DELETE ON `citations` BEGIN
  DELETE FROM citation_search WHERE rowid = old.id;
END;
