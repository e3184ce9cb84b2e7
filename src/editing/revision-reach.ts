import type { StoredRevision } from '../db/client.js';
import type { EntityType } from '../domain/vocabulary.js';
import { eventDefinition, REFERENCE_KIND_OF, type ReferenceKind } from './entities.js';

// For src/server, which reaches the vocabulary through the write path.
export { ENTITY_TYPES, type EntityType } from '../domain/vocabulary.js';

/**
 * What a cached answer may depend on, and what a write may change, in the same terms: a record
 * named by id (`Event:12`) or by slug (`Event/camp-david-summit`), and for events a span of days.
 */
export const recordKeyById = (type: EntityType, id: number | string) => `${type}:${id}`;
export const recordKeyBySlug = (type: EntityType, slug: string) => `${type}/${slug}`;
/** The lists a record shows of the events that name it (an actor's events, an article's citations): an event's write reaches them. */
export const namingEventsKey = (type: EntityType, slug: string) => `${type}/${slug}#events`;

/** An event's days, as its `earliest` and `latest` columns hold them (ISO days, compared as text). */
export interface DaySpan {
  earliest: string;
  latest: string;
}

/** What one revision may have changed: every answer, or those naming these keys or reaching these days. */
export type RevisionReach = { everything: true } | { everything: false; keys: string[]; spans: DaySpan[] };

/** The record type each kind of reference names: REFERENCE_KIND_OF read the other way. */
const TYPE_OF = Object.fromEntries(Object.entries(REFERENCE_KIND_OF).map(([type, kind]) => [kind, type])) as Record<ReferenceKind, EntityType>;
export const EVERYTHING: RevisionReach = { everything: true };

/**
 * An event's revision reaches the event itself, wherever an answer shows it; for every record its
 * old or new version names (its actors, place, articles, credited outlets and related events), that
 * record's lists of the events naming it, but not its own fields; and the days of both versions. An actor's, place's, article's or outlet's revision reaches everything: their fields
 * show up inside answers about many events, and they change rarely.
 */
export function revisionReach(revision: StoredRevision): RevisionReach {
  if (revision.entityType !== 'Event') return EVERYTHING;
  const keys = [recordKeyById('Event', revision.entityId), recordKeyBySlug('Event', revision.entitySlug)];
  const spans: DaySpan[] = [];
  for (const stored of [revision.before, revision.after]) {
    if (stored === null) continue;
    let record;
    try {
      const parsed = eventDefinition.schema.safeParse(JSON.parse(stored));
      if (!parsed.success) return EVERYTHING;
      record = parsed.data;
    } catch {
      return EVERYTHING;
    }
    keys.push(recordKeyBySlug('Event', record.slug));
    for (const reference of eventDefinition.references(record)) keys.push(namingEventsKey(TYPE_OF[reference.kind], reference.slug));
    spans.push({ earliest: record.start.earliest, latest: record.end?.latest ?? record.start.latest });
  }
  return { everything: false, keys, spans };
}
