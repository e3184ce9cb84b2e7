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

export const actorRecord = z.strictObject({
  slug,
  name: text,
  kind: z.enum(ACTOR_KINDS),
  description: z.string().trim().default(''),
  affiliations: z.array(z.strictObject({ actor: slug, role: text })).default([]),
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
