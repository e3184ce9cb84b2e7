CREATE TABLE `claim_supports` (
	`id` integer PRIMARY KEY,
	`event_id` integer NOT NULL,
	`claim` text NOT NULL,
	`participation_id` integer,
	`citation_id` integer NOT NULL,
	CONSTRAINT `fk_claim_supports_event_id_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_claim_supports_participation_id_participations_id_fk` FOREIGN KEY (`participation_id`) REFERENCES `participations`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_claim_supports_citation_id_citations_id_fk` FOREIGN KEY (`citation_id`) REFERENCES `citations`(`id`) ON DELETE CASCADE,
	CONSTRAINT "claim_supports_claim_check" CHECK(claim in ('DATE', 'PLACE', 'PARTICIPATION')),
	CONSTRAINT "claim_supports_participation_check" CHECK((claim = 'PARTICIPATION') = (participation_id is not null))
);
--> statement-breakpoint
ALTER TABLE `articles` ADD `text` text;--> statement-breakpoint
ALTER TABLE `articles` ADD `text_file` text;--> statement-breakpoint
ALTER TABLE `citations` ADD `quote_start` integer;--> statement-breakpoint
ALTER TABLE `citations` ADD `quote_end` integer;--> statement-breakpoint
ALTER TABLE `citations` ADD `quote_prefix` text;--> statement-breakpoint
ALTER TABLE `citations` ADD `quote_suffix` text;--> statement-breakpoint
ALTER TABLE `events` ADD `place_basis` text DEFAULT 'CITED' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `place_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `participations` ADD `basis` text DEFAULT 'CITED' NOT NULL;--> statement-breakpoint
ALTER TABLE `participations` ADD `note` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `places` ADD `country_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `claim_supports_event_idx` ON `claim_supports` (`event_id`);--> statement-breakpoint
CREATE INDEX `claim_supports_participation_idx` ON `claim_supports` (`participation_id`);--> statement-breakpoint
CREATE INDEX `claim_supports_citation_idx` ON `claim_supports` (`citation_id`);