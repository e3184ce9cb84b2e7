import { CitationConnection } from './article.js';
import { builder } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { MAX_RELATION_LIST_ITEMS } from './page-size.js';
import { PartialDateRef, storedPartialDate } from './partial-date.js';
import { DateBasis, EventKind, EventRelationType, EventStatus } from './vocabulary.js';

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
    citations: t.relatedConnection(
      'citations',
      { totalCount: true, query: () => ({ orderBy: { id: 'asc' } }) },
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
