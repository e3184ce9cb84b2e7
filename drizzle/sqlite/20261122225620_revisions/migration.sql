CREATE TABLE `revisions` (
	`id` integer PRIMARY KEY,
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`entity_slug` text NOT NULL,
	`action` text NOT NULL,
	`author` text NOT NULL,
	`at` text NOT NULL,
	`before` text,
	`after` text,
	`justification` text,
	CONSTRAINT "revisions_entity_type_check" CHECK(entity_type in ('Event', 'Actor', 'Place', 'Source', 'Article')),
	CONSTRAINT "revisions_action_check" CHECK(action in ('CREATE', 'UPDATE', 'DELETE', 'RESTORE'))
);
--> statement-breakpoint
CREATE INDEX `revisions_entity_idx` ON `revisions` (`entity_type`,`entity_id`,`id`);--> statement-breakpoint
CREATE INDEX `revisions_slug_idx` ON `revisions` (`entity_type`,`entity_slug`,`id`);