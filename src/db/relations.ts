import { defineRelations } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.js';

/**
 * The relations between the timeline's tables, over either dialect's tables: PostgreSQL's have the
 * same names and columns as SQLite's (a test keeps them so), so one definition serves both.
 */
export const timelineRelations = (tables: typeof schema) => defineRelations(tables, (r) => ({
  actors: {
    revisions: r.many.revisions({ from: r.actors.id, to: r.revisions.entityId, where: { entityType: 'Actor' } }),
    participations: r.many.participations({ from: r.actors.id, to: r.participations.actorId }),
    events: r.many.events({
      from: r.actors.id.through(r.participations.actorId),
      to: r.events.id.through(r.participations.eventId),
    }),
    affiliations: r.many.affiliations({ from: r.actors.id, to: r.affiliations.memberId }),
    members: r.many.affiliations({ from: r.actors.id, to: r.affiliations.organizationId }),
    places: r.many.places({ from: r.actors.id, to: r.places.countryId }),
  },
  affiliations: {
    member: r.one.actors({ from: r.affiliations.memberId, to: r.actors.id, optional: false }),
    organization: r.one.actors({ from: r.affiliations.organizationId, to: r.actors.id, optional: false }),
  },
  places: {
    revisions: r.many.revisions({ from: r.places.id, to: r.revisions.entityId, where: { entityType: 'Place' } }),
    country: r.one.actors({ from: r.places.countryId, to: r.actors.id }),
    events: r.many.events({ from: r.places.id, to: r.events.placeId }),
  },
  sources: {
    revisions: r.many.revisions({ from: r.sources.id, to: r.revisions.entityId, where: { entityType: 'Source' } }),
    articles: r.many.articles({ from: r.sources.id, to: r.articles.sourceId }),
    creditedIn: r.many.citations({ from: r.sources.id, to: r.citations.creditedSourceId }),
  },
  articles: {
    revisions: r.many.revisions({ from: r.articles.id, to: r.revisions.entityId, where: { entityType: 'Article' } }),
    source: r.one.sources({ from: r.articles.sourceId, to: r.sources.id, optional: false }),
    citations: r.many.citations({ from: r.articles.id, to: r.citations.articleId }),
    events: r.many.events({
      from: r.articles.id.through(r.citations.articleId),
      to: r.events.id.through(r.citations.eventId),
    }),
  },
  events: {
    revisions: r.many.revisions({ from: r.events.id, to: r.revisions.entityId, where: { entityType: 'Event' } }),
    place: r.one.places({ from: r.events.placeId, to: r.places.id }),
    participations: r.many.participations({ from: r.events.id, to: r.participations.eventId }),
    citations: r.many.citations({ from: r.events.id, to: r.citations.eventId }),
    outgoingRelations: r.many.eventRelations({ from: r.events.id, to: r.eventRelations.fromEventId }),
    claimSupports: r.many.claimSupports({ from: r.events.id, to: r.claimSupports.eventId }),
    incomingRelations: r.many.eventRelations({ from: r.events.id, to: r.eventRelations.toEventId }),
    rivalClaims: r.many.rivalClaims({ from: r.events.id, to: r.rivalClaims.eventId }),
  },
  participations: {
    event: r.one.events({ from: r.participations.eventId, to: r.events.id, optional: false }),
    actor: r.one.actors({ from: r.participations.actorId, to: r.actors.id, optional: false }),
    supports: r.many.claimSupports({ from: r.participations.id, to: r.claimSupports.participationId }),
  },
  citations: {
    event: r.one.events({ from: r.citations.eventId, to: r.events.id, optional: false }),
    article: r.one.articles({ from: r.citations.articleId, to: r.articles.id, optional: false }),
    creditedSource: r.one.sources({ from: r.citations.creditedSourceId, to: r.sources.id }),
  },
  claimSupports: {
    event: r.one.events({ from: r.claimSupports.eventId, to: r.events.id, optional: false }),
    participation: r.one.participations({ from: r.claimSupports.participationId, to: r.participations.id }),
    citation: r.one.citations({ from: r.claimSupports.citationId, to: r.citations.id, optional: false }),
  },
  rivalClaims: {
    event: r.one.events({ from: r.rivalClaims.eventId, to: r.events.id, optional: false }),
    participation: r.one.participations({ from: r.rivalClaims.participationId, to: r.participations.id }),
    place: r.one.places({ from: r.rivalClaims.placeId, to: r.places.id }),
    supports: r.many.rivalClaimCitations({ from: r.rivalClaims.id, to: r.rivalClaimCitations.claimId }),
    citations: r.many.citations({
      from: r.rivalClaims.id.through(r.rivalClaimCitations.claimId),
      to: r.citations.id.through(r.rivalClaimCitations.citationId),
    }),
  },
  rivalClaimCitations: {
    claim: r.one.rivalClaims({ from: r.rivalClaimCitations.claimId, to: r.rivalClaims.id, optional: false }),
    citation: r.one.citations({ from: r.rivalClaimCitations.citationId, to: r.citations.id, optional: false }),
  },
  eventRelations: {
    from: r.one.events({ from: r.eventRelations.fromEventId, to: r.events.id, optional: false }),
    to: r.one.events({ from: r.eventRelations.toEventId, to: r.events.id, optional: false }),
  },
}));

export const relations = timelineRelations(schema);

export type TimelineRelations = typeof relations;

/** What the GraphQL schema's drizzle plugin reads of a table (its primary key); the types are SQLite's, as TimelineDatabase's are. */
export const tableConfig = getTableConfig;
