import { z } from 'zod';
import { PartialDateError, parsePartialDate } from './partial-date.js';
import {
  ACTOR_KINDS,
  DATE_BASES,
  EVENT_KINDS,
  EVENT_RELATION_TYPES,
  EVENT_STATUSES,
  PARTICIPANT_ROLES,
} from './vocabulary.js';

/**
 * The shape of every record an editor writes, with the checks that need no database:
 * cross-references between records are checked where the whole data set is known.
 */

export const MAX_QUOTE_LENGTH = 300;

export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase kebab-case, like "xi-jinping"');

const text = z.string().trim().min(1, 'must not be empty');

/** A date written as YYYY, YYYY-MM or YYYY-MM-DD (YAML reads a bare year as a number). */
export const partialDate = z.union([z.string(), z.number().int()]).transform((value, context) => {
  try {
    return parsePartialDate(String(value));
  } catch (error) {
    if (!(error instanceof PartialDateError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

/** Adds an issue for each item whose key repeats an earlier one's. */
function noRepeats<T>(items: T[], key: (item: T) => string, field: string, what: string, context: z.RefinementCtx) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(key(item))) context.addIssue({ code: 'custom', path: [field, index], message: `duplicate ${what}` });
    seen.add(key(item));
  });
}

export const actorRecord = z
  .strictObject({
    slug,
    name: text,
    kind: z.enum(ACTOR_KINDS),
    description: z.string().trim().default(''),
    affiliations: z.array(z.strictObject({ actor: slug, role: text })).default([]),
  })
  .superRefine((actor, context) => {
    actor.affiliations.forEach((affiliation, index) => {
      if (affiliation.actor === actor.slug) {
        context.addIssue({ code: 'custom', path: ['affiliations', index, 'actor'], message: 'an actor cannot be affiliated with itself' });
      }
    });
    noRepeats(actor.affiliations, (a) => a.actor, 'affiliations', 'affiliation with the same actor', context);
  });

export const placeRecord = z.strictObject({
  slug,
  name: text,
  country: slug.optional(),
});

export const sourceRecord = z.strictObject({
  slug,
  name: text,
  description: z.string().trim().default(''),
});

export const articleRecord = z.strictObject({
  slug,
  title: text,
  source: slug,
  publishedOn: partialDate,
  dateNote: z.string().trim().default(''),
});

export const citationRecord = z.strictObject({
  article: slug,
  quote: text.max(MAX_QUOTE_LENGTH, `must be a short extract of at most ${MAX_QUOTE_LENGTH} characters`),
  credits: slug.optional(),
});

export const eventRecord = z
  .strictObject({
    slug,
    title: text,
    summary: z.string().trim().default(''),
    kind: z.enum(EVENT_KINDS),
    status: z.enum(EVENT_STATUSES),
    start: partialDate,
    end: partialDate.optional(),
    dateBasis: z.enum(DATE_BASES),
    dateNote: z.string().trim().default(''),
    place: slug.optional(),
    participants: z.array(z.strictObject({ actor: slug, role: z.enum(PARTICIPANT_ROLES) })).default([]),
    citations: z.array(citationRecord).min(1, 'every event needs at least one citation'),
    related: z.array(z.strictObject({ type: z.enum(EVENT_RELATION_TYPES), event: slug })).default([]),
  })
  .superRefine((event, context) => {
    if (event.end && event.end.latest < event.start.earliest) {
      context.addIssue({ code: 'custom', path: ['end'], message: `${event.end.iso} is before start ${event.start.iso}` });
    }
    event.related.forEach((relation, index) => {
      if (relation.event === event.slug) {
        context.addIssue({ code: 'custom', path: ['related', index, 'event'], message: 'an event cannot relate to itself' });
      }
    });
    noRepeats(event.participants, (p) => p.actor, 'participants', 'participant', context);
    noRepeats(event.citations, (c) => `${c.article}\n${c.quote}`, 'citations', 'citation (same article and quote)', context);
    noRepeats(event.related, (r) => `${r.type} ${r.event}`, 'related', 'relation', context);
    if (event.dateBasis !== 'STATED' && event.dateNote === '') {
      context.addIssue({
        code: 'custom',
        path: ['dateNote'],
        message: `must say how the date was established when dateBasis is ${event.dateBasis}`,
      });
    }
  });

export type ActorRecord = z.output<typeof actorRecord>;
export type PlaceRecord = z.output<typeof placeRecord>;
export type SourceRecord = z.output<typeof sourceRecord>;
export type ArticleRecord = z.output<typeof articleRecord>;
export type EventRecord = z.output<typeof eventRecord>;

export type ActorInput = z.input<typeof actorRecord>;
export type PlaceInput = z.input<typeof placeRecord>;
export type SourceInput = z.input<typeof sourceRecord>;
export type ArticleInput = z.input<typeof articleRecord>;
export type EventInput = z.input<typeof eventRecord>;

/**
 * A schema that checks a value against `schema` but passes the value on unchanged: the API's
 * validation plugin reports the same issues as the write path, which then parses the record itself.
 */
export function checkedBy(schema: z.ZodType) {
  return z.unknown().superRefine((value, context) => {
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });
}
