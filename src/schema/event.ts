import { drizzleConnectionHelpers } from '@pothos/plugin-drizzle';
import { sql } from 'drizzle-orm';
import { participations } from '../db/schema.js';
import { builder } from './builder.js';
import { PartialDateRef, storedPartialDate } from './partial-date.js';
import { ActorRef } from './actor.js';
import { DateBasis, EventKind, EventRelationType, EventStatus, ParticipantRole } from './vocabulary.js';

type ParticipationWithActor = typeof participations.$inferSelect & { actor: unknown };

const participantConnection = drizzleConnectionHelpers(builder, 'participations', {
  select: (actorSelection) => ({ with: { actor: actorSelection() } }),
  resolveNode: (participation) => participation.actor,
  query: () => ({ orderBy: { id: 'asc' } }),
});

export const EventRef = builder.drizzleNode('events', {
  name: 'Event',
  description: 'Something that happened, is scheduled or is proposed, as the cited articles report it.',
  id: { column: (event) => event.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    summary: t.exposeString('summary'),
    kind: t.expose('kind', { type: EventKind }),
    status: t.expose('status', { type: EventStatus }),
    startDate: t.field({
      type: PartialDateRef,
      resolve: (event) => storedPartialDate(event.startIso, event.startPrecision, event.startEarliest, event.startLatest)!,
    }),
    endDate: t.field({
      type: PartialDateRef,
      nullable: true,
      description: 'For events that last; null when the event is reported as a single date.',
      resolve: (event) => storedPartialDate(event.endIso, event.endPrecision, event.endEarliest, event.endLatest),
    }),
    dateBasis: t.expose('dateBasis', { type: DateBasis }),
    dateNote: t.exposeString('dateNote', { description: 'How the date was established, where that needs saying.' }),
    place: t.relation('place', { nullable: true }),
    participants: t.connection(
      {
        type: ActorRef,
        select: (args, context, actorSelection) => ({
          with: { participations: participantConnection.getQuery(args, context, actorSelection) },
          extras: {
            participantCount: (event) =>
              sql<number>`(select count(*) from ${participations} where ${participations.eventId} = ${event.id})`,
          },
        }),
        resolve: (event, args, context) => {
          // Loaded by `select` above, which the parent's static type does not know about.
          const loaded = event as typeof event & { participations: ParticipationWithActor[]; participantCount: number };
          return {
            ...participantConnection.resolve(loaded.participations, args, context, event),
            totalCount: loaded.participantCount,
          };
        },
      },
      {
        name: 'EventParticipantConnection',
        fields: (t) => ({
          totalCount: t.int({ resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? 0 }),
        }),
      },
      {
        name: 'EventParticipantEdge',
        fields: (t) => ({
          // Each edge is the participation row itself, with its actor as the node.
          role: t.field({ type: ParticipantRole, resolve: (edge) => (edge as unknown as ParticipationWithActor).role }),
        }),
      },
    ),
    citations: t.relatedConnection('citations', {
      totalCount: true,
      query: () => ({ orderBy: { id: 'asc' } }),
    }),
    related: t.relation('outgoingRelations', {
      description: 'Links from this event: read "this event <type> link.to".',
      query: { orderBy: { id: 'asc' } },
    }),
    relatedFrom: t.relation('incomingRelations', {
      description: 'Links to this event: read "link.from <type> this event".',
      query: { orderBy: { id: 'asc' } },
    }),
  }),
});

builder.drizzleObject('eventRelations', {
  name: 'EventLink',
  description: 'A typed link between two events: "from <type> to".',
  fields: (t) => ({
    type: t.expose('type', { type: EventRelationType }),
    from: t.relation('from'),
    to: t.relation('to'),
  }),
});
