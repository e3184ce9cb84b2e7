import { decodeGlobalID } from '@pothos/plugin-relay';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, getNamedType, isCompositeType, isObjectType } from 'graphql';
import {
  type DaySpan,
  ENTITY_TYPES,
  type EntityType,
  namingEventsKey,
  recordKeyById,
  recordKeyBySlug,
  type RevisionReach,
} from '../editing/revision-reach.js';

/** A root `events` list limited to a window of days (null: open on that side). */
interface DayWindow {
  from: string | null;
  to: string | null;
}

// An ISO day compares as text in the same order as in time; anything else (a year past 9999,
// before 0000) is taken to overlap every window.
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const overlaps = (window: DayWindow, span: DaySpan) =>
  !ISO_DAY.test(span.earliest) ||
  !ISO_DAY.test(span.latest) ||
  ((window.from === null || span.latest >= window.from) && (window.to === null || span.earliest <= window.to));

/**
 * What one answer read, in the terms a write's reach is told in (src/editing/revision-reach.ts):
 * the records it shows, the windows of its root event lists, and whether any part of it (a search,
 * counts, another list) may change with any write at all.
 */
export class AnswerReads {
  readonly keys = new Set<string>();
  readonly windows: DayWindow[] = [];
  everyWrite = false;
  /** Whether any root field was recorded; an answer from a schema `recordReads` did not wrap may change with any write. */
  recorded = false;

  /** About how many characters the record takes, for the cache's memory budget. */
  characters(): number {
    let sum = 32 * this.windows.length;
    for (const key of this.keys) sum += key.length;
    return sum;
  }

  changedBy(reach: RevisionReach): boolean {
    if (reach.everything || this.everyWrite || !this.recorded) return true;
    return reach.keys.some((key) => this.keys.has(key)) || reach.spans.some((span) => this.windows.some((window) => overlaps(window, span)));
  }

  node(id: unknown) {
    const parsed = typeof id === 'string' ? safeDecode(id) : (id as { typename?: unknown; id?: unknown } | null);
    const typename = parsed?.typename;
    const written = String(parsed?.id);
    // A citation's changes are its event's, which its id does not name. An id written other than as
    // its record's ("017", "+17", "17.0") still finds the record, so it could be any: every write reaches it.
    if (typeof typename === 'string' && (ENTITY_TYPES as readonly string[]).includes(typename) && /^[1-9]\d*$/.test(written)) {
      this.keys.add(recordKeyById(typename as EntityType, written));
    } else {
      this.everyWrite = true;
    }
  }

  row(type: string, row: unknown) {
    if (row === null || row === undefined) return;
    const fields = row as { id?: unknown; slug?: unknown; eventId?: unknown };
    if (type === 'Citation') {
      if (typeof fields.eventId === 'number') this.keys.add(recordKeyById('Event', fields.eventId));
      else this.everyWrite = true;
      return;
    }
    if (typeof row !== 'object' || typeof fields.id !== 'number') {
      this.everyWrite = true;
      return;
    }
    this.keys.add(recordKeyById(type as EntityType, fields.id));
    if (typeof fields.slug === 'string') this.keys.add(recordKeyBySlug(type as EntityType, fields.slug));
  }

  /** The answer shows `parent`'s list of the events that name it. */
  namingEvents(type: EntityType, parent: unknown) {
    const slug = (parent as { slug?: unknown } | null)?.slug;
    if (typeof slug === 'string') this.keys.add(namingEventsKey(type, slug));
    else this.everyWrite = true;
  }
}

function safeDecode(id: string) {
  try {
    return decodeGlobalID(id);
  } catch {
    return null;
  }
}

const READS = Symbol('timeline.answerReads');
type WithReads = { [READS]?: AnswerReads };

/** Records what the execution with this context reads, from now on. */
export function recordReadsIn(context: object): AnswerReads {
  const reads = new AnswerReads();
  (context as WithReads)[READS] = reads;
  return reads;
}

/** The object types whose rows a write names: the records, and citations (part of their event). */
const RECORDED_TYPES = new Set<string>([...ENTITY_TYPES, 'Citation']);

/**
 * Each record's fields that return objects, by what they show: the events (or their citations)
 * whose records name this one, which a write to any such event changes; or what the record's own
 * revisions change (its fields, the records it names, its own revisions). A field in neither list
 * stops the server at start, so that a new field is never cached on a guess.
 */
const FIELDS_OF_RECORDS: Record<EntityType, { namingEvents: string[]; own: string[] }> = {
  Event: {
    namingEvents: ['relatedFrom'],
    own: ['citations', 'participants', 'place', 'related', 'disputes', 'dateSupport', 'placeSupport', 'reportedBy', 'revisions', 'startDate', 'endDate'],
  },
  Actor: { namingEvents: ['events'], own: ['affiliations', 'members', 'revisions'] },
  Place: { namingEvents: ['events'], own: ['country', 'revisions'] },
  Source: { namingEvents: ['creditedIn'], own: ['articles', 'revisions'] },
  Article: { namingEvents: ['citations'], own: ['source', 'publishedOn', 'revisions'] },
};
const BY_SLUG: Record<string, EntityType> = { event: 'Event', actor: 'Actor', article: 'Article', place: 'Place', source: 'Source' };
const WINDOW_FILTER_FIELDS = new Set(['from', 'to']);

/** What a root field reads beyond the rows it returns. */
function recordRoot(reads: AnswerReads, fieldName: string, args: Record<string, any>) {
  reads.recorded = true;
  if (fieldName === 'node') return reads.node(args.id);
  if (fieldName === 'nodes') return (args.ids as unknown[]).forEach((id) => reads.node(id));
  const bySlug = BY_SLUG[fieldName];
  if (bySlug) return reads.keys.add(recordKeyBySlug(bySlug, args.slug as string));
  if (fieldName === 'events') {
    const filter = (args.filter ?? {}) as Record<string, any>;
    const narrowed = Object.keys(filter).filter((key) => filter[key] != null);
    if (narrowed.every((key) => WINDOW_FILTER_FIELDS.has(key))) {
      return reads.windows.push({ from: filter.from?.earliest ?? null, to: filter.to?.latest ?? null });
    }
  }
  // Searches, counts and the other lists: any write may change them.
  reads.everyWrite = true;
}

function recordRows(reads: AnswerReads, type: string, value: unknown) {
  if (Array.isArray(value)) for (const item of value) reads.row(type, item);
  else reads.row(type, value);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Makes every root query field, and every field that returns events, actors, places, outlets,
 * articles or citations, tell the execution's AnswerReads (when the response cache asked for one)
 * what it read. Nothing is recorded, and little is paid, when no one asked.
 */
export function recordReads(schema: GraphQLSchema): GraphQLSchema {
  const queryType = schema.getQueryType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType() || type === schema.getSubscriptionType()) continue;
    const ofRecord = FIELDS_OF_RECORDS[type.name as EntityType] as (typeof FIELDS_OF_RECORDS)[EntityType] | undefined;
    for (const field of Object.values(type.getFields())) {
      const returned = getNamedType(field.type).name;
      const isRoot = type === queryType;
      const listsNamingEvents = ofRecord?.namingEvents.includes(field.name) ?? false;
      if (ofRecord && isCompositeType(getNamedType(field.type)) && !listsNamingEvents && !ofRecord.own.includes(field.name)) {
        throw new Error(`${type.name}.${field.name} is not in FIELDS_OF_RECORDS: say whether it shows events that name the ${type.name.toLowerCase()} or only its own record.`);
      }
      const records = RECORDED_TYPES.has(returned);
      if (!isRoot && !records && !listsNamingEvents) continue;
      const resolve: GraphQLFieldResolver<unknown, WithReads> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        const reads = context[READS];
        if (!reads) return resolve(parent, args, context, info);
        if (isRoot) recordRoot(reads, field.name, args);
        if (listsNamingEvents) reads.namingEvents(type.name as EntityType, parent);
        const result = resolve(parent, args, context, info) as unknown;
        if (!records) return result;
        if (!isThenable(result)) {
          recordRows(reads, returned, result);
          return result;
        }
        return Promise.resolve(result).then((value) => {
          recordRows(reads, returned, value);
          return value;
        });
      };
    }
  }
  return schema;
}
