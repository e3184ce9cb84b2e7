import { builder } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { EventOrder, eventOrderBy, eventWhere } from './event-filter.js';
import { EventConnection } from './event.js';

export const PlaceRef = builder.drizzleNode('places', {
  name: 'Place',
  id: { column: (place) => place.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    revisions: t.relatedConnection('revisions', revisionHistory, RevisionConnection),
    country: t.relation('country', { nullable: true }),
    events: t.relatedConnection(
      'events',
      {
        totalCount: true,
        args: { orderBy: t.arg({ type: EventOrder, defaultValue: 'DATE_ASC' }) },
        query: (args, context) => ({ where: eventWhere(context.database.dialect, null, context), orderBy: eventOrderBy(args.orderBy) }),
      },
      EventConnection,
    ),
  }),
});

export const PlaceConnection = sharedConnection(PlaceRef, 'Place');
