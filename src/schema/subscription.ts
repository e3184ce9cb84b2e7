import { filter, pipe } from 'graphql-yoga';
import { isInterval, type PartialDate, parseDateOrInterval, parsePartialDate } from '../domain/partial-date.js';
import type { EventInput } from '../domain/records.js';
import type { TimelineChange } from '../editing/changes.js';
import { unknownFilterSlugs } from '../db/event-filters.js';
import { builder } from './builder.js';
import { unknownSlugsError } from './event-filter.js';
import { PartialDateString } from './partial-date.js';

const ChangeAction = builder.enumType('ChangeAction', { values: ['CREATED', 'UPDATED', 'DELETED'] as const });

const TimelineChangeRef = builder.objectRef<TimelineChange>('TimelineChange').implement({
  description: 'An event that was created, updated or deleted.',
  fields: (t) => ({
    action: t.field({ type: ChangeAction, resolve: (change) => change.action }),
    slug: t.exposeString('slug'),
    // Loaded with its whole selection in one statement, like a root field, however deep the subscription asks.
    event: t.drizzleField({
      type: 'events',
      nullable: true,
      description: 'The event as it is now; null once deleted.',
      resolve: async (query, change, _args, context) =>
        change.action === 'DELETED' ? null : ((await context.db.query.events.findFirst(query({ where: { id: change.eventId } }))) ?? null),
    }),
    before: t.field({ type: 'JSON', nullable: true, description: 'The record before the change.', resolve: (change) => change.before }),
    after: t.field({ type: 'JSON', nullable: true, description: 'The record after the change.', resolve: (change) => change.after }),
  }),
});

interface ChangeFilter {
  actors?: readonly string[] | null;
  from?: PartialDate | null;
  to?: PartialDate | null;
}

/** Whether the event, before or after the change, involves every actor asked for and overlaps the window. */
export function changeMatches(change: TimelineChange, wanted: ChangeFilter): boolean {
  return [change.before, change.after].some((record) => record !== null && recordMatches(record, wanted));
}

function recordMatches(record: EventInput, { actors, from, to }: ChangeFilter): boolean {
  const involved = new Set((record.participants ?? []).map((p) => p.actor));
  if (actors?.some((actor) => !involved.has(actor))) return false;
  // A stored record's start may be an interval, which holds its end; qualifiers do not widen either bound.
  const start = parseDateOrInterval(String(record.start));
  const earliest = isInterval(start) ? start.start.earliest : start.earliest;
  const latest = isInterval(start) ? start.end.latest : record.end === undefined ? start.latest : parsePartialDate(String(record.end)).latest;
  if (from && latest < from.earliest) return false;
  if (to && earliest > to.latest) return false;
  return true;
}

builder.subscriptionType({
  fields: (t) => ({
    timelineChanged: t.field({
      type: TimelineChangeRef,
      description: 'Pushes every created, updated or deleted event, optionally only those involving all the given actors or overlapping a date window.',
      args: {
        actors: t.arg.stringList(),
        from: t.arg({ type: PartialDateString }),
        to: t.arg({ type: PartialDateString }),
      },
      subscribe: async (_root, args, context) => {
        // An unknown actor would filter out every change: say so, as a query's filter does.
        const unknown = await unknownFilterSlugs(context.database, { actorSlugs: args.actors });
        if (unknown.length > 0) throw unknownSlugsError('actors', 'actor', unknown.map(({ slug }) => slug));
        return pipe(
          context.changes.subscribe(context.clientAddress),
          filter((change: TimelineChange) => changeMatches(change, args)),
        );
      },
      // Each pushed change is resolved like a query of its own, with its own deadline (deadline.ts).
      resolve: (change) => change,
    }),
  }),
});
