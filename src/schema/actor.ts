import { drizzleConnectionHelpers } from '@pothos/plugin-drizzle';
import { sql } from 'drizzle-orm';
import { actorTimelineCount } from '../db/event-filters.js';
import { participations } from '../db/schema.js';
import { builder, type TimelineContext } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { MAX_RELATION_LIST_ITEMS } from './page-size.js';
import {
  AS_OF_DESCRIPTION,
  asOfSelectionsOf,
  claimAsOf,
  EventFilterInput,
  EventOrder,
  checkedEventFilter,
  eventFilterFromArgs,
  eventOrderBy,
  eventWhere,
  withRequestAsOf,
} from './event-filter.js';
import { CitationRef } from './article.js';
import { EventRef, type LoadedSupport } from './event.js';
import { ActorKind, ClaimBasis, ParticipantRole } from './vocabulary.js';

export const ActorRef = builder.drizzleNode('actors', {
  name: 'Actor',
  description: 'A person, country, organisation or company that takes part in events.',
  id: { column: (actor) => actor.id },
  // As Event's: the id and slug, and the columns the selected fields read.
  select: { columns: { id: true, slug: true } },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ActorKind }),
    description: t.exposeString('description'),
    revisions: t.relatedConnection('revisions', revisionHistory, RevisionConnection),
    affiliations: t.relation('affiliations', {
      description: `Whom this actor serves or belongs to: Han Duck-soo is Prime minister of South Korea. The first ${MAX_RELATION_LIST_ITEMS} by id.`,
      query: { orderBy: { id: 'asc' }, limit: MAX_RELATION_LIST_ITEMS },
    }),
    members: t.relation('members', {
      description: `Who serves or belongs to this actor. The first ${MAX_RELATION_LIST_ITEMS} by id.`,
      query: { orderBy: { id: 'asc' }, limit: MAX_RELATION_LIST_ITEMS },
    }),
  }),
});

export const ActorConnection = sharedConnection(ActorRef, 'Actor');

builder.drizzleObject('affiliations', {
  name: 'Affiliation',
  description: '"member is <role> of organization".',
  fields: (t) => ({
    role: t.exposeString('role'),
    member: t.relation('member'),
    organization: t.relation('organization'),
  }),
});

type ParticipationWithActor = typeof participations.$inferSelect & { actor: unknown; supports: LoadedSupport[] };

const participants = drizzleConnectionHelpers(builder, 'participations', {
  select: (actorSelection) => ({ with: { actor: actorSelection() } }),
  resolveNode: (participation) => participation.actor,
  query: () => ({ orderBy: { id: 'asc' } }),
});

// The same page with each role's supporting citations, for documents that ask for supportedBy.
// As of a day, they are those known then (see claimAsOf).
const participantsWithSupports = drizzleConnectionHelpers(builder, 'participations', {
  select: (actorSelection, _args, context) => ({
    with: { actor: actorSelection(), supports: { where: asOfSelectionsOf(context).claimSupports, with: { citation: true }, orderBy: { citationId: 'asc' } } },
  }),
  resolveNode: (participation) => participation.actor,
  query: () => ({ orderBy: { id: 'asc' } }),
});

// Participants page through the join table, so each edge is a participation carrying its role.
builder.drizzleObjectField(EventRef, 'participants', (t) =>
  t.connection(
    {
      type: ActorRef,
      description: 'Who took part, and in what role.',
      select: (args, context, actorSelection, selected) => ({
        with: { participations: (selected(['edges', 'supportedBy']) ? participantsWithSupports : participants).getQuery(args, context, actorSelection) },
        extras: {
          participantCount: (event) =>
            sql<number>`(select count(*) from ${participations} where ${participations.eventId} = ${event.id})`,
        },
      }),
      resolve: (event, args, context) => {
        // Loaded by `select` above, which the parent's static type does not know about.
        const loaded = event as typeof event & { participations: ParticipationWithActor[]; participantCount: number };
        return {
          // Either helper pages alike (the same order and cursors); they differ only in what they load.
          ...participants.resolve(loaded.participations, args, context, event),
          totalCount: loaded.participantCount,
        };
      },
    },
    {
      name: 'ParticipantConnection',
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many took part in all, across every page.',
          resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? 0,
        }),
      }),
    },
    {
      name: 'ParticipantEdge',
      fields: (t) => ({
        role: t.field({ type: ParticipantRole, resolve: (edge) => (edge as unknown as ParticipationWithActor).role }),
        basis: t.field({
          type: ClaimBasis,
          description: 'CITED: supportedBy reports this actor in this role. OUTSIDE: a well-established outside fact, named in note.',
          resolve: (edge) => (edge as unknown as ParticipationWithActor).basis,
        }),
        note: t.string({ description: 'For an outside fact: which one.', resolve: (edge) => (edge as unknown as ParticipationWithActor).note }),
        supportedBy: t.field({
          type: [CitationRef],
          description: "The event's citations that report this actor in this role, oldest first; as of a day, those from articles published by then.",
          resolve: (edge) => (edge as unknown as ParticipationWithActor).supports.map((support) => support.citation),
        }),
      }),
    },
  ),
);

type TimelineEvent = { participations: (typeof participations.$inferSelect)[] };
type TimelineArgs = { filter?: typeof EventFilterInput.$inferInput | null; orderBy?: 'DATE_ASC' | 'DATE_DESC' | null; asOf?: string | null };
type TimelineEdge = { participation: typeof participations.$inferSelect };

// An actor's timeline pages through its events, as Query.events does (by date, through the date
// index), and each event brings its participations: the edge carries the one of this actor. Paging
// through the participations instead would order by a joined column, and PostgreSQL then loads
// every participation's nested selection before it sorts and cuts the page.
const timelineConnection = drizzleConnectionHelpers(builder, 'events', {
  args: (t) => ({
    filter: t.field({ type: EventFilterInput }),
    orderBy: t.field({ type: EventOrder, defaultValue: 'DATE_ASC' }),
    asOf: t.field({ type: 'Date', description: AS_OF_DESCRIPTION }),
  }),
  // Each event as the selection beneath the edges asks for it, with its participations.
  select: (eventSelection) => eventSelection({ with: { participations: { columns: { id: true, actorId: true, role: true, basis: true, note: true } } } }),
  // (Annotated: TypeScript does not infer the arguments here from `args` above.)
  query: (args: TimelineArgs, context: TimelineContext) => ({
    where: eventWhere(context.database.dialect, eventFilterFromArgs(args.filter), context),
    orderBy: eventOrderBy(args.orderBy),
  }),
});

builder.drizzleObjectField(ActorRef, 'events', (t) =>
  t.connection(
    {
      type: EventRef,
      description: "The actor's timeline: the events it takes part in, each edge with the actor's role, filtered and ordered as Query.events.",
      args: timelineConnection.getArgs(),
      select: (args, context, eventSelection) => {
        // Claimed as the field is planned, before the events beneath it are (see claimAsOf).
        claimAsOf(context, (args as TimelineArgs).asOf);
        return {
          with: { events: timelineConnection.getQuery(args, context, eventSelection) },
          extras: {
            timelineCount: (actor) => actorTimelineCount(context.database.dialect, actor, withRequestAsOf(eventFilterFromArgs(args.filter), context)),
          },
        };
      },
      resolve: async (actor, args, context) => {
        // Loaded by `select` above, which the parent's static type does not know about.
        const loaded = actor as typeof actor & { events: (typeof actor.events)[number] & TimelineEvent[]; timelineCount: number };
        // The filter's slugs are looked up once per request, however many actors' timelines are on the page.
        await checkedEventFilter(args.filter, context);
        const connection = timelineConnection.resolve(loaded.events, args, context, actor);
        const edges = connection.edges.map((edge) => ({
          ...edge,
          participation: (edge.node as unknown as TimelineEvent).participations.find((participation) => participation.actorId === actor.id)!,
        }));
        return { ...connection, edges, totalCount: loaded.timelineCount };
      },
    },
    {
      name: 'ActorEventConnection',
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many events match in all, across every page.',
          resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? 0,
        }),
      }),
    },
    {
      name: 'ActorEventEdge',
      fields: (t) => ({
        role: t.field({
          type: ParticipantRole,
          description: "The actor's role in this event.",
          resolve: (edge) => (edge as unknown as TimelineEdge).participation.role,
        }),
        basis: t.field({
          type: ClaimBasis,
          description: "CITED: the event's citations report the actor in this role (see the event's participants for which). OUTSIDE: a well-established outside fact, named in note.",
          resolve: (edge) => (edge as unknown as TimelineEdge).participation.basis,
        }),
        note: t.string({ description: 'For an outside fact: which one.', resolve: (edge) => (edge as unknown as TimelineEdge).participation.note }),
      }),
    },
  ),
);
