import { count, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { TimelineTransaction } from '../db/client.js';
import {
  type Column,
  actors,
  affiliations,
  articles,
  citations,
  claimSupports,
  eventRelations,
  events,
  participations,
  places,
  rivalClaimCitations,
  rivalClaims,
  sources,
} from '../db/schema.js';
import {
  type ActorInput,
  type ArticleInput,
  actorRecord,
  articleRecord,
  type EventInput,
  eventRecord,
  type PlaceInput,
  placeRecord,
  type SourceInput,
  sourceRecord,
} from '../domain/records.js';
import { isInterval, parseDateOrInterval } from '../domain/partial-date.js';
import { anchorQuote, type QuoteAnchor } from '../domain/quotes.js';
import type { EntityType, SupportedClaim } from '../domain/vocabulary.js';
import type { Row, TableWithId } from './store.js';

/** A record's pointer to another record by slug, and where in the record it sits. */
export interface Reference {
  path: string;
  kind: ReferenceKind;
  slug: string;
  mustBeCountry?: boolean;
}

export type ReferenceKind = 'actor' | 'place' | 'source' | 'article' | 'event';

/** The database id of each referenced record, by kind and slug (all resolved beforehand). */
export type ReferenceIds = (kind: ReferenceKind, slug: string) => number;

/** The text of each cited article, by slug: null when the article keeps none. */
export type ArticleTexts = (articleSlug: string) => string | null;

/** What a record's rows are built from, beyond the record: the ids of what it refers to, and the cited articles' texts. */
export interface WriteContext {
  ids: ReferenceIds;
  articleTexts: ArticleTexts;
}

export interface ChildRows {
  table: TableWithId;
  parentColumn: Column;
  keyColumns: readonly string[];
  /** The rows, or how to find them once the rows listed before them are written. */
  rows: Row[] | ((tx: TimelineTransaction) => Promise<Row[]>);
}

/** Everything the write path needs to know about one kind of record. */
export interface EntityDefinition<Input = unknown, Parsed extends { slug: string } = { slug: string }> {
  type: EntityType;
  /** What a person calls one, in messages. */
  noun: string;
  table: TableWithId & { slug: Column };
  schema: z.ZodType<Parsed, Input>;
  references(record: Parsed): Reference[];
  /** The record's own row; its references are resolved by then. */
  row(record: Parsed, ids: ReferenceIds): Row;
  /** Rows in other tables that belong to the record, written in order after every record's own row. */
  children(record: Parsed, id: number, context: WriteContext): ChildRows[];
  /** The stored record, in the shape of the seed files (and of the API's input). */
  read(tx: TimelineTransaction, id: number): Promise<Input>;
  /** Why the record cannot be deleted while other records point to it, or null. */
  blockers(tx: TimelineTransaction, id: number): Promise<string | null>;
}

export const REFERENCE_TABLES = { actor: actors, place: places, source: sources, article: articles, event: events } as const;

/** How a record of each type is named when another record refers to it. */
export const REFERENCE_KIND_OF: Record<EntityType, ReferenceKind> = {
  Source: 'source',
  Actor: 'actor',
  Place: 'place',
  Article: 'article',
  Event: 'event',
};

/** Drops empty optional values, so records read back match what an editor writes. */
function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null && value !== '')) as T;
}

async function countWhere(tx: TimelineTransaction, table: TableWithId, condition: ReturnType<typeof eq>) {
  return (await tx.select({ n: count() }).from(table as typeof actors).where(condition))[0]?.n ?? 0;
}

async function blockedBy(noun: string, slug: Promise<string>, counted: [Promise<number>, string][]): Promise<string | null> {
  const uses = await Promise.all(counted.map(async ([n, what]) => [await n, what] as const));
  const named = uses.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return named.length === 0 ? null : `the ${noun} "${await slug}" is still used by ${named.join(' and ')}; change those first`;
}

const slugOf = async (tx: TimelineTransaction, table: TableWithId & { slug: Column }, id: number): Promise<string> =>
  String((await tx.select({ slug: table.slug }).from(table as typeof actors).where(eq(table.id, id)))[0]?.slug ?? '');

export const sourceDefinition: EntityDefinition<SourceInput, z.output<typeof sourceRecord>> = {
  type: 'Source',
  noun: 'source',
  table: sources,
  schema: sourceRecord,
  references: () => [],
  row: ({ slug, name, description }) => ({ slug, name, description }),
  children: () => [],
  async read(tx, id) {
    const source = (await tx.query.sources.findFirst({ where: { id } }))!;
    return compact({ slug: source.slug, name: source.name, description: source.description });
  },
  blockers: (tx, id) =>
    blockedBy('source', slugOf(tx, sources, id), [
      [countWhere(tx, articles, eq(articles.sourceId, id)), 'article(s)'],
      [countWhere(tx, citations, eq(citations.creditedSourceId, id)), 'citation credit(s)'],
    ]),
};

export const actorDefinition: EntityDefinition<ActorInput, z.output<typeof actorRecord>> = {
  type: 'Actor',
  noun: 'actor',
  table: actors,
  schema: actorRecord,
  references: (actor) =>
    actor.affiliations.map((affiliation, index) => ({ path: `affiliations[${index}].actor`, kind: 'actor', slug: affiliation.actor })),
  row: ({ slug, name, kind, description }) => ({ slug, name, kind, description }),
  children: (actor, id, { ids }) => [
    {
      table: affiliations,
      parentColumn: affiliations.memberId,
      keyColumns: ['memberId', 'organizationId'],
      rows: actor.affiliations.map((a) => ({ memberId: id, organizationId: ids('actor', a.actor), role: a.role })),
    },
  ],
  async read(tx, id) {
    const actor = (await tx.query.actors
      .findFirst({ where: { id }, with: { affiliations: { with: { organization: true }, orderBy: { id: 'asc' } } } }))!;
    return compact({
      slug: actor.slug,
      name: actor.name,
      kind: actor.kind,
      description: actor.description,
      affiliations: actor.affiliations.length
        ? actor.affiliations.map((a) => ({ actor: a.organization.slug, role: a.role }))
        : undefined,
    });
  },
  blockers: (tx, id) =>
    blockedBy('actor', slugOf(tx, actors, id), [
      [countWhere(tx, participations, eq(participations.actorId, id)), 'event participation(s)'],
      [countWhere(tx, affiliations, eq(affiliations.organizationId, id)), 'affiliated actor(s)'],
      [countWhere(tx, places, eq(places.countryId, id)), 'place(s)'],
    ]),
};

export const placeDefinition: EntityDefinition<PlaceInput, z.output<typeof placeRecord>> = {
  type: 'Place',
  noun: 'place',
  table: places,
  schema: placeRecord,
  references: (place) => (place.country ? [{ path: 'country', kind: 'actor', slug: place.country, mustBeCountry: true }] : []),
  row: ({ slug, name, country, countryNote }, ids) => ({ slug, name, countryId: country ? ids('actor', country) : null, countryNote }),
  children: () => [],
  async read(tx, id) {
    const place = (await tx.query.places.findFirst({ where: { id }, with: { country: true } }))!;
    return compact({ slug: place.slug, name: place.name, country: place.country?.slug, countryNote: place.countryNote });
  },
  blockers: (tx, id) =>
    blockedBy('place', slugOf(tx, places, id), [
      [countWhere(tx, events, eq(events.placeId, id)), 'event(s)'],
      [countWhere(tx, rivalClaims, eq(rivalClaims.placeId, id)), 'disputed place claim(s)'],
    ]),
};

export const articleDefinition: EntityDefinition<ArticleInput, z.output<typeof articleRecord>> = {
  type: 'Article',
  noun: 'article',
  table: articles,
  schema: articleRecord,
  references: (article) => [{ path: 'source', kind: 'source', slug: article.source }],
  row: (article, ids) => ({
    slug: article.slug,
    title: article.title,
    sourceId: ids('source', article.source),
    publishedIso: article.publishedOn.edtf,
    publishedPrecision: article.publishedOn.precision,
    publishedEarliest: article.publishedOn.earliest,
    publishedLatest: article.publishedOn.latest,
    dateNote: article.dateNote,
    text: article.text ?? null,
    textFile: article.textFile ?? null,
  }),
  children: () => [],
  async read(tx, id) {
    const article = (await tx.query.articles.findFirst({ where: { id }, with: { source: true } }))!;
    return compact({
      slug: article.slug,
      title: article.title,
      source: article.source.slug,
      publishedOn: article.publishedIso,
      dateNote: article.dateNote,
      text: article.text ?? undefined,
      textFile: article.textFile ?? undefined,
    });
  },
  blockers: (tx, id) =>
    blockedBy('article', slugOf(tx, articles, id), [[countWhere(tx, citations, eq(citations.articleId, id)), 'citation(s)']]),
};

export const eventDefinition: EntityDefinition<EventInput, z.output<typeof eventRecord>> = {
  type: 'Event',
  noun: 'event',
  table: events,
  schema: eventRecord,
  references: (event) => [
    ...(event.place ? [{ path: 'place', kind: 'place' as const, slug: event.place }] : []),
    ...event.participants.map((p, i) => ({ path: `participants[${i}].actor`, kind: 'actor' as const, slug: p.actor })),
    ...event.citations.flatMap((c, i) => [
      { path: `citations[${i}].article`, kind: 'article' as const, slug: c.article },
      ...(c.credits ? [{ path: `citations[${i}].credits`, kind: 'source' as const, slug: c.credits }] : []),
    ]),
    ...event.related.map((r, i) => ({ path: `related[${i}].event`, kind: 'event' as const, slug: r.event })),
    ...event.disputes.flatMap((d, i) =>
      d.field === 'PLACE' ? d.claims.map((c, j) => ({ path: `disputes[${i}].claims[${j}].value`, kind: 'place' as const, slug: c.value })) : [],
    ),
  ],
  row: (event, ids) => ({
    slug: event.slug,
    title: event.title,
    summary: event.summary,
    kind: event.kind,
    status: event.status,
    // The *_iso columns hold EDTF as written; an interval is kept whole in start_iso, its end also in the end columns.
    startIso: event.interval ?? event.start.edtf,
    startPrecision: event.start.precision,
    startEarliest: event.start.earliest,
    startLatest: event.start.latest,
    endIso: event.end?.edtf ?? null,
    endPrecision: event.end?.precision ?? null,
    endEarliest: event.end?.earliest ?? null,
    endLatest: event.end?.latest ?? null,
    earliest: event.start.earliest,
    latest: event.end?.latest ?? event.start.latest,
    dateBasis: event.dateBasis,
    dateNote: event.dateNote,
    placeId: event.place ? ids('place', event.place) : null,
    placeBasis: event.placeBasis,
    placeNote: event.placeNote,
  }),
  children: (event, id, { ids, articleTexts }) => [
    {
      table: participations,
      parentColumn: participations.eventId,
      keyColumns: ['eventId', 'actorId'],
      rows: event.participants.map((p) => ({ eventId: id, actorId: ids('actor', p.actor), role: p.role, basis: p.basis, note: p.note })),
    },
    {
      table: citations,
      parentColumn: citations.eventId,
      keyColumns: ['eventId', 'articleId', 'quote'],
      rows: event.citations.map((c) => {
        const text = articleTexts(c.article);
        return {
          eventId: id,
          articleId: ids('article', c.article),
          quote: c.quote,
          creditedSourceId: c.credits ? ids('source', c.credits) : null,
          ...anchorColumns(text === null ? null : anchorQuote(text, c.quote)),
        };
      }),
    },
    {
      table: claimSupports,
      parentColumn: claimSupports.eventId,
      keyColumns: ['claim', 'participationId', 'citationId'],
      rows: (tx) => claimSupportRows(tx, event, id, ids),
    },
    {
      table: rivalClaims,
      parentColumn: rivalClaims.eventId,
      keyColumns: ['eventId', 'field', 'participationId', 'placeId', 'value'],
      rows: (tx) => rivalClaimRows(tx, event, id, ids),
    },
    {
      table: rivalClaimCitations,
      parentColumn: rivalClaimCitations.eventId,
      keyColumns: ['claimId', 'citationId'],
      rows: (tx) => rivalClaimCitationRows(tx, event, id, ids),
    },
    {
      table: eventRelations,
      parentColumn: eventRelations.fromEventId,
      keyColumns: ['fromEventId', 'toEventId', 'type'],
      rows: event.related.map((r) => ({ fromEventId: id, toEventId: ids('event', r.event), type: r.type })),
    },
  ],
  async read(tx, id) {
    const event = (await tx.query.events
      .findFirst({
        where: { id },
        with: {
          place: true,
          participations: { with: { actor: true }, orderBy: { id: 'asc' } },
          citations: { with: { article: true, creditedSource: true }, orderBy: { id: 'asc' } },
          outgoingRelations: { with: { to: true }, orderBy: { id: 'asc' } },
          claimSupports: true,
          rivalClaims: { with: { participation: { with: { actor: true } }, place: true, supports: true }, orderBy: { position: 'asc' } },
        },
      }))!;
    const indexOfCitation = new Map(event.citations.map((c, index) => [c.id, index]));
    const supportOf = (claim: SupportedClaim, participationId: number | null = null) => {
      const indexes = event.claimSupports
        .filter((s) => s.claim === claim && s.participationId === participationId)
        .map((s) => indexOfCitation.get(s.citationId)!)
        .sort((a, b) => a - b);
      return indexes.length > 0 ? indexes : undefined;
    };
    return compact({
      slug: event.slug,
      title: event.title,
      summary: event.summary,
      kind: event.kind,
      status: event.status,
      start: event.startIso,
      // An interval in start holds the end already.
      end: isInterval(parseDateOrInterval(event.startIso)) ? undefined : (event.endIso ?? undefined),
      dateBasis: event.dateBasis,
      dateNote: event.dateNote,
      dateSupport: supportOf('DATE'),
      place: event.place?.slug,
      placeBasis: event.placeBasis === 'CITED' ? undefined : event.placeBasis,
      placeNote: event.placeNote,
      placeSupport: supportOf('PLACE'),
      participants: event.participations.length
        ? event.participations.map((p) =>
            compact({
              actor: p.actor.slug,
              role: p.role,
              basis: p.basis === 'CITED' ? undefined : p.basis,
              note: p.note,
              supportedBy: supportOf('PARTICIPATION', p.id),
            }),
          )
        : undefined,
      citations: event.citations.map((c) => compact({ article: c.article.slug, quote: c.quote, credits: c.creditedSource?.slug })),
      related: event.outgoingRelations.length
        ? event.outgoingRelations.map((r) => ({ type: r.type, event: r.to.slug }))
        : undefined,
      disputes: disputesOf(event.rivalClaims, (citationId) => indexOfCitation.get(citationId)!),
    });
  },
  blockers: (tx, id) =>
    blockedBy('event', slugOf(tx, events, id), [
      [countWhere(tx, eventRelations, eq(eventRelations.toEventId, id)), 'relation(s) from other events'],
    ]),
};

/** A citation's columns for where its quote sits in the article's text; all null when it could not be found. */
function anchorColumns(anchor: QuoteAnchor | null): Row {
  return {
    quoteStart: anchor?.start ?? null,
    quoteEnd: anchor?.end ?? null,
    quotePrefix: anchor?.prefix ?? null,
    quoteSuffix: anchor?.suffix ?? null,
  };
}

/** The ids of the event's citations, once written, in the order of its record's citations (which claims' indexes count). */
async function storedCitationIds(tx: TimelineTransaction, event: EventRecordParsed, eventId: number, ids: ReferenceIds): Promise<number[]> {
  const stored = await tx.select({ id: citations.id, articleId: citations.articleId, quote: citations.quote }).from(citations).where(eq(citations.eventId, eventId));
  return event.citations.map((c) => stored.find((row) => row.articleId === ids('article', c.article) && row.quote === c.quote)!.id);
}

/** The id of the event's participation of each actor (by slug), once written. */
async function storedParticipationIds(tx: TimelineTransaction, eventId: number, ids: ReferenceIds): Promise<(actor: string) => number> {
  const stored = await tx.select({ id: participations.id, actorId: participations.actorId }).from(participations).where(eq(participations.eventId, eventId));
  return (actor) => stored.find((row) => row.actorId === ids('actor', actor))!.id;
}

/** The rows linking each claim of the event to the citations supporting it, once its citations and participations are written. */
async function claimSupportRows(tx: TimelineTransaction, event: EventRecordParsed, eventId: number, ids: ReferenceIds): Promise<Row[]> {
  const citationIdAt = await storedCitationIds(tx, event, eventId, ids);
  const participationOf = await storedParticipationIds(tx, eventId, ids);
  const supports = (claim: SupportedClaim, indexes: number[], participationId: number | null = null) =>
    indexes.map((index) => ({ eventId, claim, participationId, citationId: citationIdAt[index]! }));
  return [
    ...supports('DATE', event.dateSupport),
    ...(event.place === undefined ? [] : supports('PLACE', event.placeSupport)),
    ...event.participants.flatMap((p) => supports('PARTICIPATION', p.supportedBy, participationOf(p.actor))),
  ];
}

type Dispute = NonNullable<EventInput['disputes']>[number];
type StoredClaim = typeof rivalClaims.$inferSelect & {
  participation: { actor: { slug: string } } | null;
  place: { slug: string } | null;
  supports: { citationId: number }[];
};

/**
 * Stored rival claims grouped into their disputes: one per field (and participant, for ROLE), in
 * the order of the claims given (the record's, by position).
 */
export function groupByDispute<Claim extends { field: string; participationId: number | null }>(claims: readonly Claim[]): Claim[][] {
  const disputes = new Map<string, Claim[]>();
  for (const claim of claims) {
    const key = `${claim.field} ${claim.participationId ?? ''}`;
    disputes.set(key, [...(disputes.get(key) ?? []), claim]);
  }
  return [...disputes.values()];
}

/** An event's stored rival claims as the record's disputes, in the order written. */
function disputesOf(claims: StoredClaim[], indexOfCitation: (citationId: number) => number): Dispute[] | undefined {
  const disputes = groupByDispute(claims).map((group) => ({
    field: group[0]!.field,
    ...(group[0]!.participation ? { actor: group[0]!.participation.actor.slug } : {}),
    claims: group.map((claim) =>
      compact({
        value: claim.place?.slug ?? claim.value ?? '',
        rank: claim.rank === 'NORMAL' ? undefined : claim.rank,
        supportedBy: claim.supports.map((support) => indexOfCitation(support.citationId)).sort((a, b) => a - b),
        note: claim.note,
      }),
    ),
  }));
  return disputes.length > 0 ? disputes : undefined;
}

type EventRecordParsed = z.output<typeof eventRecord>;

/** Each rival claim's row, once the event's participations are written: what it claims, for whose role or which place. */
async function rivalClaimRows(tx: TimelineTransaction, event: EventRecordParsed, eventId: number, ids: ReferenceIds): Promise<Row[]> {
  const participationOf = await storedParticipationIds(tx, eventId, ids);
  let position = 0;
  return event.disputes.flatMap((dispute) => {
    const participationId = dispute.actor === undefined ? null : participationOf(dispute.actor);
    return dispute.claims.map((claim) => ({
      eventId,
      position: position++,
      field: dispute.field,
      participationId,
      placeId: dispute.field === 'PLACE' ? ids('place', claim.value) : null,
      value: dispute.field === 'PLACE' ? null : claim.value,
      rank: claim.rank,
      note: claim.note,
    }));
  });
}

/** The rows linking each rival claim to its citations, once the claims and citations are written: a claim's position is its place among the record's claims. */
async function rivalClaimCitationRows(tx: TimelineTransaction, event: EventRecordParsed, eventId: number, ids: ReferenceIds): Promise<Row[]> {
  const citationIdAt = await storedCitationIds(tx, event, eventId, ids);
  const storedClaims = await tx.select({ id: rivalClaims.id, position: rivalClaims.position }).from(rivalClaims).where(eq(rivalClaims.eventId, eventId));
  const claimIdAt = new Map(storedClaims.map((claim) => [claim.position, claim.id]));
  return event.disputes.flatMap((dispute) => dispute.claims).flatMap((claim, position) =>
    claim.supportedBy.map((index) => ({ eventId, claimId: claimIdAt.get(position)!, citationId: citationIdAt[index]! })),
  );
}

/** In the order a whole data set is written: every record's references come earlier. */
export const ENTITY_DEFINITIONS = [sourceDefinition, actorDefinition, placeDefinition, articleDefinition, eventDefinition] as const;

export const DEFINITION_BY_TYPE: Record<EntityType, EntityDefinition<any, any>> = {
  Source: sourceDefinition,
  Actor: actorDefinition,
  Place: placeDefinition,
  Article: articleDefinition,
  Event: eventDefinition,
};

