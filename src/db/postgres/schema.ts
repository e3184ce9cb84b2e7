import { sql } from 'drizzle-orm';
import { oneOf } from '../check-constraints.js';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  ACTOR_KINDS,
  DATE_BASES,
  DATE_PRECISIONS,
  EVENT_KINDS,
  EVENT_RELATION_TYPES,
  ENTITY_TYPES,
  EVENT_STATUSES,
  PARTICIPANT_ROLES,
  REVISION_ACTIONS,
  CLAIM_BASES,
  SUPPORTED_CLAIMS,
  CLAIM_RANKS,
  DISPUTED_FIELDS,
} from '../../domain/vocabulary.js';
import { eventSpanDays } from './dates.js';

/*
 * The PostgreSQL tables: the same names, columns, constraints and indexes as SQLite's
 * (src/db/schema.ts; tests/postgres-schema.test.ts keeps them equal), so queries built on either
 * set of tables run on both. Ids come from identity columns, which also accept explicit ids:
 * after inserting some, call resetIdentitySequences (identity.ts).
 */

export const actors = pgTable(
  'actors',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ACTOR_KINDS }).notNull(),
    description: text('description').notNull().default(''),
  },
  (table) => [
    uniqueIndex('actors_slug_unique').on(table.slug),
    index('actors_kind_name_idx').on(table.kind, table.name),
    index('actors_name_idx').on(table.name),
    check('actors_kind_check', oneOf('kind', ACTOR_KINDS)),
  ],
);

export const affiliations = pgTable(
  'affiliations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => actors.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => actors.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
  },
  (table) => [
    uniqueIndex('affiliations_member_organization_unique').on(table.memberId, table.organizationId),
    index('affiliations_organization_idx').on(table.organizationId),
  ],
);

export const places = pgTable(
  'places',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    countryId: integer('country_id').references(() => actors.id, { onDelete: 'set null' }),
    countryNote: text('country_note').notNull().default(''),
  },
  (table) => [
    uniqueIndex('places_slug_unique').on(table.slug),
    index('places_country_idx').on(table.countryId),
    index('places_name_idx').on(table.name),
  ],
);

export const sources = pgTable(
  'sources',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
  },
  (table) => [uniqueIndex('sources_slug_unique').on(table.slug), index('sources_name_idx').on(table.name)],
);

export const articles = pgTable(
  'articles',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'restrict' }),
    publishedIso: text('published_iso').notNull(),
    publishedPrecision: text('published_precision', { enum: DATE_PRECISIONS }).notNull(),
    publishedEarliest: text('published_earliest').notNull(),
    publishedLatest: text('published_latest').notNull(),
    dateNote: text('date_note').notNull().default(''),
    text: text('text'),
    textFile: text('text_file'),
  },
  (table) => [
    uniqueIndex('articles_slug_unique').on(table.slug),
    index('articles_source_idx').on(table.sourceId),
    index('articles_published_idx').on(table.publishedEarliest, table.publishedLatest, table.id),
  ],
);

export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    status: text('status', { enum: EVENT_STATUSES }).notNull(),
    startIso: text('start_iso').notNull(),
    startPrecision: text('start_precision', { enum: DATE_PRECISIONS }).notNull(),
    startEarliest: text('start_earliest').notNull(),
    startLatest: text('start_latest').notNull(),
    endIso: text('end_iso'),
    endPrecision: text('end_precision', { enum: DATE_PRECISIONS }),
    endEarliest: text('end_earliest'),
    endLatest: text('end_latest'),
    /** The whole interval the event may cover: start's earliest day to end's (or start's) latest. */
    earliest: text('earliest').notNull(),
    latest: text('latest').notNull(),
    dateBasis: text('date_basis', { enum: DATE_BASES }).notNull(),
    dateNote: text('date_note').notNull().default(''),
    placeId: integer('place_id').references(() => places.id, { onDelete: 'set null' }),
    placeBasis: text('place_basis', { enum: CLAIM_BASES }).notNull().default('CITED'),
    placeNote: text('place_note').notNull().default(''),
  },
  (table) => [
    uniqueIndex('events_slug_unique').on(table.slug),
    index('events_date_order_idx').on(table.earliest, table.latest, table.id),
    index('events_latest_idx').on(table.latest),
    // The longest span any event covers, found at once: it bounds date-window scans (dates.ts).
    index('events_span_idx').on(eventSpanDays(table)),
    index('events_kind_idx').on(table.kind, table.earliest),
    index('events_status_idx').on(table.status, table.earliest),
    index('events_place_idx').on(table.placeId),
    check('events_kind_check', oneOf('kind', EVENT_KINDS)),
    check('events_status_check', oneOf('status', EVENT_STATUSES)),
    check('events_date_basis_check', oneOf('date_basis', DATE_BASES)),
    check('events_interval_check', sql`earliest <= latest`),
  ],
);

export const participations = pgTable(
  'participations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    actorId: integer('actor_id')
      .notNull()
      .references(() => actors.id, { onDelete: 'cascade' }),
    role: text('role', { enum: PARTICIPANT_ROLES }).notNull(),
    basis: text('basis', { enum: CLAIM_BASES }).notNull().default('CITED'),
    note: text('note').notNull().default(''),
  },
  (table) => [
    uniqueIndex('participations_event_actor_unique').on(table.eventId, table.actorId),
    index('participations_actor_event_idx').on(table.actorId, table.eventId),
    check('participations_role_check', oneOf('role', PARTICIPANT_ROLES)),
  ],
);

export const citations = pgTable(
  'citations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    quote: text('quote').notNull(),
    creditedSourceId: integer('credited_source_id').references(() => sources.id, { onDelete: 'set null' }),
    quoteStart: integer('quote_start'),
    quoteEnd: integer('quote_end'),
    quotePrefix: text('quote_prefix'),
    quoteSuffix: text('quote_suffix'),
  },
  (table) => [
    uniqueIndex('citations_event_article_quote_unique').on(table.eventId, table.articleId, table.quote),
    index('citations_article_idx').on(table.articleId),
    index('citations_credited_source_idx').on(table.creditedSourceId),
    check('citations_quote_check', sql`length(trim(quote)) > 0`),
  ],
);

export const claimSupports = pgTable(
  'claim_supports',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    claim: text('claim', { enum: SUPPORTED_CLAIMS }).notNull(),
    participationId: integer('participation_id').references(() => participations.id, { onDelete: 'cascade' }),
    citationId: integer('citation_id')
      .notNull()
      .references(() => citations.id, { onDelete: 'cascade' }),
  },
  (table) => [
    index('claim_supports_event_idx').on(table.eventId),
    index('claim_supports_participation_idx').on(table.participationId),
    index('claim_supports_citation_idx').on(table.citationId),
    check('claim_supports_claim_check', oneOf('claim', SUPPORTED_CLAIMS)),
    check('claim_supports_participation_check', sql`(claim = 'PARTICIPATION') = (participation_id is not null)`),
  ],
);

/**
 * One of the rival values of a disputed claim about an event, ranked: the event's own column holds
 * the PREFERRED one. `value` is the date (EDTF as written), status or role; a PLACE claim names its place.
 */
export const rivalClaims = pgTable(
  'rival_claims',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    field: text('field', { enum: DISPUTED_FIELDS }).notNull(),
    /** For a ROLE claim: whose role. */
    participationId: integer('participation_id').references(() => participations.id, { onDelete: 'cascade' }),
    /** For a PLACE claim: the place it names (a place so named cannot be deleted). */
    placeId: integer('place_id').references(() => places.id, { onDelete: 'restrict' }),
    value: text('value'),
    rank: text('rank', { enum: CLAIM_RANKS }).notNull(),
    note: text('note').notNull().default(''),
    /** Where the claim comes in the event's record, counted over all its disputes: claims are read back in the order written. */
    position: integer('position').notNull(),
  },
  (table) => [
    index('rival_claims_event_idx').on(table.eventId),
    index('rival_claims_participation_idx').on(table.participationId),
    index('rival_claims_place_idx').on(table.placeId),
    check('rival_claims_field_check', oneOf('field', DISPUTED_FIELDS)),
    check('rival_claims_rank_check', oneOf('rank', CLAIM_RANKS)),
    check('rival_claims_role_check', sql`(field = 'ROLE') = (participation_id is not null)`),
    check('rival_claims_place_check', sql`(field = 'PLACE') = (place_id is not null) and (field = 'PLACE') = (value is null)`),
  ],
);

/** A citation supporting one rival claim. */
export const rivalClaimCitations = pgTable(
  'rival_claim_citations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    claimId: integer('claim_id')
      .notNull()
      .references(() => rivalClaims.id, { onDelete: 'cascade' }),
    citationId: integer('citation_id')
      .notNull()
      .references(() => citations.id, { onDelete: 'cascade' }),
  },
  (table) => [
    index('rival_claim_citations_event_idx').on(table.eventId),
    index('rival_claim_citations_claim_idx').on(table.claimId),
    index('rival_claim_citations_citation_idx').on(table.citationId),
  ],
);

export const eventRelations = pgTable(
  'event_relations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    fromEventId: integer('from_event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    toEventId: integer('to_event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    type: text('type', { enum: EVENT_RELATION_TYPES }).notNull(),
  },
  (table) => [
    uniqueIndex('event_relations_from_to_type_unique').on(table.fromEventId, table.toEventId, table.type),
    index('event_relations_to_idx').on(table.toEventId),
    check('event_relations_type_check', oneOf('type', EVENT_RELATION_TYPES)),
    check('event_relations_not_self_check', sql`from_event_id <> to_event_id`),
  ],
);

export const revisions = pgTable(
  'revisions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    entityType: text('entity_type', { enum: ENTITY_TYPES }).notNull(),
    entityId: integer('entity_id').notNull(),
    entitySlug: text('entity_slug').notNull(),
    action: text('action', { enum: REVISION_ACTIONS }).notNull(),
    author: text('author').notNull(),
    at: text('at').notNull(),
    before: text('before'),
    after: text('after'),
    justification: text('justification'),
  },
  (table) => [
    index('revisions_entity_idx').on(table.entityType, table.entityId, table.id),
    index('revisions_slug_idx').on(table.entityType, table.entitySlug, table.id),
    // changes(since:) starts from a point in time.
    index('revisions_at_idx').on(table.at),
    check('revisions_entity_type_check', oneOf('entity_type', ENTITY_TYPES)),
    check('revisions_action_check', oneOf('action', REVISION_ACTIONS)),
  ],
);

export const seedSync = pgTable(
  'seed_sync',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    revisionId: integer('revision_id').notNull(),
    action: text('action', { enum: ['load', 'export'] }).notNull(),
  },
  () => [check('seed_sync_one_row_check', sql`id = 1`), check('seed_sync_action_check', oneOf('action', ['load', 'export']))],
);
