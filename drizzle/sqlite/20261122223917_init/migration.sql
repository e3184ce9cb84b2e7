CREATE TABLE `actors` (
	`id` integer PRIMARY KEY,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	CONSTRAINT "actors_kind_check" CHECK(kind in ('PERSON', 'COUNTRY', 'ORGANIZATION', 'COMPANY'))
);
--> statement-breakpoint
CREATE TABLE `affiliations` (
	`id` integer PRIMARY KEY,
	`member_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	`role` text NOT NULL,
	CONSTRAINT `fk_affiliations_member_id_actors_id_fk` FOREIGN KEY (`member_id`) REFERENCES `actors`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_affiliations_organization_id_actors_id_fk` FOREIGN KEY (`organization_id`) REFERENCES `actors`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `articles` (
	`id` integer PRIMARY KEY,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`source_id` integer NOT NULL,
	`published_iso` text NOT NULL,
	`published_precision` text NOT NULL,
	`published_earliest` text NOT NULL,
	`published_latest` text NOT NULL,
	`date_note` text DEFAULT '' NOT NULL,
	CONSTRAINT `fk_articles_source_id_sources_id_fk` FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON DELETE RESTRICT
);
--> statement-breakpoint
CREATE TABLE `citations` (
	`id` integer PRIMARY KEY,
	`event_id` integer NOT NULL,
	`article_id` integer NOT NULL,
	`quote` text NOT NULL,
	`credited_source_id` integer,
	CONSTRAINT `fk_citations_event_id_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_citations_article_id_articles_id_fk` FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_citations_credited_source_id_sources_id_fk` FOREIGN KEY (`credited_source_id`) REFERENCES `sources`(`id`) ON DELETE SET NULL,
	CONSTRAINT "citations_quote_check" CHECK(length(trim(quote)) > 0)
);
--> statement-breakpoint
CREATE TABLE `event_relations` (
	`id` integer PRIMARY KEY,
	`from_event_id` integer NOT NULL,
	`to_event_id` integer NOT NULL,
	`type` text NOT NULL,
	CONSTRAINT `fk_event_relations_from_event_id_events_id_fk` FOREIGN KEY (`from_event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_event_relations_to_event_id_events_id_fk` FOREIGN KEY (`to_event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT "event_relations_type_check" CHECK(type in ('FOLLOW_UP_OF', 'PREPARES', 'PART_OF', 'PRECEDES')),
	CONSTRAINT "event_relations_not_self_check" CHECK(from_event_id <> to_event_id)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`start_iso` text NOT NULL,
	`start_precision` text NOT NULL,
	`start_earliest` text NOT NULL,
	`start_latest` text NOT NULL,
	`end_iso` text,
	`end_precision` text,
	`end_earliest` text,
	`end_latest` text,
	`earliest` text NOT NULL,
	`latest` text NOT NULL,
	`date_basis` text NOT NULL,
	`date_note` text DEFAULT '' NOT NULL,
	`place_id` integer,
	CONSTRAINT `fk_events_place_id_places_id_fk` FOREIGN KEY (`place_id`) REFERENCES `places`(`id`) ON DELETE SET NULL,
	CONSTRAINT "events_kind_check" CHECK(kind in ('STATE_VISIT', 'VISIT', 'SUMMIT', 'MEETING', 'INTERVIEW', 'STATEMENT', 'SANCTIONS', 'MARKET_MOVE', 'POLICY', 'DIPLOMATIC_TIES', 'CEREMONY')),
	CONSTRAINT "events_status_check" CHECK(status in ('OCCURRED', 'SCHEDULED', 'PROPOSED', 'ONGOING', 'CANCELLED')),
	CONSTRAINT "events_date_basis_check" CHECK(date_basis in ('STATED', 'RESOLVED', 'OUTSIDE')),
	CONSTRAINT "events_interval_check" CHECK(earliest <= latest)
);
--> statement-breakpoint
CREATE TABLE `participations` (
	`id` integer PRIMARY KEY,
	`event_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`role` text NOT NULL,
	CONSTRAINT `fk_participations_event_id_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_participations_actor_id_actors_id_fk` FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON DELETE CASCADE,
	CONSTRAINT "participations_role_check" CHECK(role in ('HOST', 'VISITOR', 'PARTICIPANT', 'SPEAKER', 'SUBJECT', 'INITIATOR', 'TARGET'))
);
--> statement-breakpoint
CREATE TABLE `places` (
	`id` integer PRIMARY KEY,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`country_id` integer,
	CONSTRAINT `fk_places_country_id_actors_id_fk` FOREIGN KEY (`country_id`) REFERENCES `actors`(`id`) ON DELETE SET NULL
);
--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `actors_slug_unique` ON `actors` (`slug`);--> statement-breakpoint
CREATE INDEX `actors_kind_name_idx` ON `actors` (`kind`,`name`);--> statement-breakpoint
CREATE INDEX `actors_name_idx` ON `actors` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `affiliations_member_organization_unique` ON `affiliations` (`member_id`,`organization_id`);--> statement-breakpoint
CREATE INDEX `affiliations_organization_idx` ON `affiliations` (`organization_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `articles_slug_unique` ON `articles` (`slug`);--> statement-breakpoint
CREATE INDEX `articles_source_idx` ON `articles` (`source_id`);--> statement-breakpoint
CREATE INDEX `articles_published_idx` ON `articles` (`published_earliest`,`published_latest`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `citations_event_article_quote_unique` ON `citations` (`event_id`,`article_id`,`quote`);--> statement-breakpoint
CREATE INDEX `citations_article_idx` ON `citations` (`article_id`);--> statement-breakpoint
CREATE INDEX `citations_credited_source_idx` ON `citations` (`credited_source_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `event_relations_from_to_type_unique` ON `event_relations` (`from_event_id`,`to_event_id`,`type`);--> statement-breakpoint
CREATE INDEX `event_relations_to_idx` ON `event_relations` (`to_event_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_slug_unique` ON `events` (`slug`);--> statement-breakpoint
CREATE INDEX `events_date_order_idx` ON `events` (`earliest`,`latest`,`id`);--> statement-breakpoint
CREATE INDEX `events_latest_idx` ON `events` (`latest`);--> statement-breakpoint
CREATE INDEX `events_kind_idx` ON `events` (`kind`,`earliest`);--> statement-breakpoint
CREATE INDEX `events_status_idx` ON `events` (`status`,`earliest`);--> statement-breakpoint
CREATE INDEX `events_place_idx` ON `events` (`place_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `participations_event_actor_unique` ON `participations` (`event_id`,`actor_id`);--> statement-breakpoint
CREATE INDEX `participations_actor_event_idx` ON `participations` (`actor_id`,`event_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `places_slug_unique` ON `places` (`slug`);--> statement-breakpoint
CREATE INDEX `places_country_idx` ON `places` (`country_id`);--> statement-breakpoint
CREATE INDEX `places_name_idx` ON `places` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `sources_slug_unique` ON `sources` (`slug`);--> statement-breakpoint
CREATE INDEX `sources_name_idx` ON `sources` (`name`);