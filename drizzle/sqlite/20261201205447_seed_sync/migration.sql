CREATE TABLE `seed_sync` (
	`id` integer PRIMARY KEY,
	`revision_id` integer NOT NULL,
	`action` text NOT NULL,
	CONSTRAINT "seed_sync_one_row_check" CHECK(id = 1),
	CONSTRAINT "seed_sync_action_check" CHECK(action in ('load', 'export'))
);
