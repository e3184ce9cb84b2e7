import { builder } from './builder.js';
import { EventFilterInput, EventOrder, eventFilterFromArgs, eventOrderBy, eventWhere } from './event-filter.js';
import { ActorKind } from './vocabulary.js';

export const ActorRef = builder.drizzleNode('actors', {
  name: 'Actor',
  description: 'A person, country, organisation or company that takes part in events.',
  id: { column: (actor) => actor.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ActorKind }),
    description: t.exposeString('description'),
    events: t.relatedConnection('events', {
      description: "The actor's timeline: the events it takes part in.",
      totalCount: true,
      args: {
        filter: t.arg({ type: EventFilterInput }),
        orderBy: t.arg({ type: EventOrder, defaultValue: 'DATE_ASC' }),
      },
      query: (args) => ({
        where: eventWhere(eventFilterFromArgs(args.filter)),
        orderBy: eventOrderBy(args.orderBy),
      }),
    }),
    affiliations: t.relation('affiliations', {
      description: 'Whom this actor serves or belongs to: Han Duck-soo is Prime minister of South Korea.',
      query: { orderBy: { id: 'asc' } },
    }),
    members: t.relation('members', {
      description: 'Who serves or belongs to this actor.',
      query: { orderBy: { id: 'asc' } },
    }),
  }),
});

builder.drizzleObject('affiliations', {
  name: 'Affiliation',
  description: '"member is <role> of organization".',
  fields: (t) => ({
    role: t.exposeString('role'),
    member: t.relation('member'),
    organization: t.relation('organization'),
  }),
});
