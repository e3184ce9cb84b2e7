CREATE TABLE `rival_claim_citations` (
	`id` integer PRIMARY KEY,
	`event_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	`citation_id` integer NOT NULL,
	CONSTRAINT `fk_rival_claim_citations_event_id_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_rival_claim_citations_claim_id_rival_claims_id_fk` FOREIGN KEY (`claim_id`) REFERENCES `rival_claims`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_rival_claim_citations_citation_id_citations_id_fk` FOREIGN KEY (`citation_id`) REFERENCES `citations`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `rival_claims` (
	`id` integer PRIMARY KEY,
	`event_id` integer NOT NULL,
	`field` text NOT NULL,
	`participation_id` integer,
	`place_id` integer,
	`value` text,
	`rank` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`position` integer NOT NULL,
	CONSTRAINT `fk_rival_claims_event_id_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_rival_claims_participation_id_participations_id_fk` FOREIGN KEY (`participation_id`) REFERENCES `participations`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_rival_claims_place_id_places_id_fk` FOREIGN KEY (`place_id`) REFERENCES `places`(`id`) ON DELETE RESTRICT,
	CONSTRAINT "rival_claims_field_check" CHECK(field in ('DATE', 'STATUS', 'PLACE', 'ROLE')),
	CONSTRAINT "rival_claims_rank_check" CHECK(rank in ('PREFERRED', 'NORMAL', 'DEPRECATED')),
	CONSTRAINT "rival_claims_role_check" CHECK((field = 'ROLE') = (participation_id is not null)),
	CONSTRAINT "rival_claims_place_check" CHECK((field = 'PLACE') = (place_id is not null) and (field = 'PLACE') = (value is null))
);
--> statement-breakpoint
CREATE INDEX `rival_claim_citations_event_idx` ON `rival_claim_citations` (`event_id`);--> statement-breakpoint
CREATE INDEX `rival_claim_citations_claim_idx` ON `rival_claim_citations` (`claim_id`);--> statement-breakpoint
CREATE INDEX `rival_claim_citations_citation_idx` ON `rival_claim_citations` (`citation_id`);--> statement-breakpoint
CREATE INDEX `rival_claims_event_idx` ON `rival_claims` (`event_id`);--> statement-breakpoint
CREATE INDEX `rival_claims_participation_idx` ON `rival_claims` (`participation_id`);--> statement-breakpoint
CREATE INDEX `rival_claims_place_idx` ON `rival_claims` (`place_id`);