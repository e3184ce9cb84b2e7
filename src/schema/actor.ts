import { drizzleConnectionHelpers } from '@pothos/plugin-drizzle';
import { sql } from 'drizzle-orm';
import { participations } from '../db/schema.js';
import { builder } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { MAX_RELATION_LIST_ITEMS } from './page-size.js';
import { EventFilterInput, EventOrder, eventFilterFromArgs, eventOrderBy, eventWhere } from './event-filter.js';
import { CitationRef } from './article.js';
import { EventConnection, EventRef, type LoadedSupport } from './event.js';
import { ActorKind, ClaimBasis, ParticipantRole } from './vocabulary.js';

export const ActorRef = builder.drizzleNode('actors', {
  name: 'Actor',
  description: 'A person, country, organisation or company that takes part in events.',
  id: { column: (actor) => actor.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ActorKind }),
    description: t.exposeString('description'),
    events: t.relatedConnection(
      'events',
      {
        description: "The actor's timeline: the events it takes part in.",
        totalCount: true,
        args: {
          filter: t.arg({ type: EventFilterInput }),
          orderBy: t.arg({ type: EventOrder, defaultValue: 'DATE_ASC' }),
        },
        query: (args, context) => ({
          where: eventWhere(context.database.dialect, eventFilterFromArgs(args.filter)),
          orderBy: eventOrderBy(args.orderBy),
        }),
      },
      EventConnection,
    ),
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

const participantConnection = drizzleConnectionHelpers(builder, 'participations', {
  select: (actorSelection) => ({ with: { actor: actorSelection(), supports: { with: { citation: true }, orderBy: { citationId: 'asc' } } } }),
  resolveNode: (participation) => participation.actor,
  query: () => ({ orderBy: { id: 'asc' } }),
});

// Participants page through the join table, so each edge is a participation carrying its role.
builder.drizzleObjectField(EventRef, 'participants', (t) =>
  t.connection(
    {
      type: ActorRef,
      description: 'Who took part, and in what role.',
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
          description: "The event's citations that report this actor in this role, oldest first.",
          resolve: (edge) => (edge as unknown as ParticipationWithActor).supports.map((support) => support.citation),
        }),
      }),
    },
  ),
);
