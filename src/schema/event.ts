import type { claimSupports, citations, events } from '../db/schema.js';
import type { ClaimBasis as ClaimBasisValue, SupportedClaim } from '../domain/vocabulary.js';
import { CitationConnection, CitationRef } from './article.js';
import { builder, type TimelineContext } from './builder.js';
import { asOfSelectionsOf } from './event-filter.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { MAX_RELATION_LIST_ITEMS } from './page-size.js';
import { PartialDateRef, storedPartialDate } from './partial-date.js';
import { ClaimBasis, DateBasis, EventKind, EventRelationType, EventStatus } from './vocabulary.js';

type Citation = typeof citations.$inferSelect;
type EventStatusValue = (typeof events.$inferSelect)['status'];
export type LoadedSupport = typeof claimSupports.$inferSelect & { citation: Citation };

/** A claim's support: what it rests on, the note, and the citations that report it. */
export interface ClaimSupportShape {
  basis: ClaimBasisValue;
  note: string;
  supportedBy: Citation[];
}

export const ClaimSupport = builder.objectRef<ClaimSupportShape>('ClaimSupport').implement({
  description: 'What a claim about an event rests on: the citations that report it, or a well-established outside fact named in the note.',
  fields: (t) => ({
    basis: t.field({ type: ClaimBasis, resolve: (support) => support.basis }),
    note: t.exposeString('note', { description: 'For an outside fact: which one, and why it is needed.' }),
    supportedBy: t.field({ type: [CitationRef], description: 'The citations that support the claim, oldest first; as of a day, those from articles published by then.', resolve: (support) => support.supportedBy }),
  }),
});

/** The citations supporting one claim, from an event's loaded claim supports, in citation order. */
export function citationsSupporting(supports: LoadedSupport[], claim: SupportedClaim, participationId: number | null = null): Citation[] {
  return supports
    .filter((support) => support.claim === claim && support.participationId === participationId)
    .map((support) => support.citation)
    .sort((a, b) => a.id - b.id);
}

/** Every claim support of the event with its citation (as of a day, those whose citation is known then), in the event's own statement. */
const withClaimSupports = (context: TimelineContext) =>
  ({ claimSupports: { where: asOfSelectionsOf(context).claimSupports, with: { citation: true } } }) as const;
type EventWithSupports = { claimSupports: LoadedSupport[] };

export const EventRef = builder.drizzleNode('events', {
  name: 'Event',
  description: 'Something that happened, is scheduled or is proposed, as the cited articles report it.',
  id: { column: (event) => event.id },
  // Only the columns the selected fields read (each declares its own), and the id and slug that
  // tell the response cache which records an answer shows (src/server/answer-reads.ts).
  select: { columns: { id: true, slug: true } },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    summary: t.exposeString('summary'),
    kind: t.expose('kind', { type: EventKind }),
    status: t.field({
      type: EventStatus,
      description:
        'The status now; as of a day (asOf), the one in force then, from the history of its changes: the status set by the newest ' +
        'change in force that day, or, when none is, the one the event had before its first change (its status, if it never changed). A change is in force unless ' +
        'the citation justifying it comes from an article published after that day; one recorded without a citation (from the seed files) always is.',
      select: (_args, context) => ({ extras: { statusAsOf: asOfSelectionsOf(context).status } }),
      resolve: (event) => (event as typeof event & { statusAsOf: EventStatusValue }).statusAsOf,
    }),
    startDate: t.field({
      type: PartialDateRef,
      description: 'When the event began; for a start written as an interval, its first date (endDate is its last).',
      select: { columns: { startIso: true, startPrecision: true, startEarliest: true, startLatest: true } },
      resolve: (event) => storedPartialDate(event.startIso, event.startPrecision, event.startEarliest, event.startLatest)!,
    }),
    endDate: t.field({
      type: PartialDateRef,
      nullable: true,
      description: 'For events that last; null when the event is reported as a single date.',
      select: { columns: { endIso: true, endPrecision: true, endEarliest: true, endLatest: true } },
      resolve: (event) => storedPartialDate(event.endIso, event.endPrecision, event.endEarliest, event.endLatest),
    }),
    dateBasis: t.expose('dateBasis', { type: DateBasis }),
    dateNote: t.exposeString('dateNote', { description: 'How the date was established, where that needs saying.' }),
    dateSupport: t.field({
      type: ClaimSupport,
      description: 'The citations that support the date. Its basis is OUTSIDE when dateBasis is: then dateNote names the outside fact.',
      select: (_args, context) => ({ columns: { dateBasis: true, dateNote: true }, with: withClaimSupports(context) }),
      resolve: (event) => ({
        basis: (event.dateBasis === 'OUTSIDE' ? 'OUTSIDE' : 'CITED') as ClaimBasisValue,
        note: event.dateNote,
        supportedBy: citationsSupporting((event as unknown as EventWithSupports).claimSupports, 'DATE'),
      }),
    }),
    place: t.relation('place', { nullable: true }),
    placeSupport: t.field({
      type: ClaimSupport,
      nullable: true,
      description: 'The citations that support the place, or the outside fact; null when the event has no place.',
      select: (_args, context) => ({ columns: { placeId: true, placeBasis: true, placeNote: true }, with: withClaimSupports(context) }),
      resolve: (event) =>
        event.placeId === null
          ? null
          : {
              basis: event.placeBasis as ClaimBasisValue,
              note: event.placeNote,
              supportedBy: citationsSupporting((event as unknown as EventWithSupports).claimSupports, 'PLACE'),
            },
    }),
    citations: t.relatedConnection(
      'citations',
      {
        totalCount: true,
        description: 'The citations, oldest first; as of a day, only those from articles published by then.',
        query: (_args, context) => ({ where: asOfSelectionsOf(context).citations, orderBy: { id: 'asc' } }),
      },
      CitationConnection,
    ),
    revisions: t.relatedConnection('revisions', revisionHistory, RevisionConnection),
    related: t.relation('outgoingRelations', {
      description: `Links from this event: read "this event <type> link.to". The first ${MAX_RELATION_LIST_ITEMS} by id.`,
      query: { orderBy: { id: 'asc' }, limit: MAX_RELATION_LIST_ITEMS },
    }),
    relatedFrom: t.relation('incomingRelations', {
      description: `Links to this event: read "link.from <type> this event". The first ${MAX_RELATION_LIST_ITEMS} by id.`,
      query: { orderBy: { id: 'asc' }, limit: MAX_RELATION_LIST_ITEMS },
    }),
  }),
});

export const EventConnection = sharedConnection(EventRef, 'Event');

builder.drizzleObject('eventRelations', {
  name: 'EventLink',
  description: 'A typed link between two events: "from <type> to".',
  fields: (t) => ({
    type: t.expose('type', { type: EventRelationType }),
    from: t.relation('from'),
    to: t.relation('to'),
  }),
});
