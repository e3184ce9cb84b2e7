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

/** The longest text, in characters, and the longest lists a record may hold (the README lists them). */
export const INPUT_LIMITS = {
  slug: 80,
  /** Names of actors, places and sources; titles of events and articles. */
  name: 200,
  /** Descriptions, summaries and date notes. */
  text: 2_000,
  role: 100,
  quote: MAX_QUOTE_LENGTH,
  participants: 100,
  citations: 50,
  related: 50,
  affiliations: 50,
} as const;

/** Characters that show nothing on their own: spaces, controls, format and direction marks, combining marks, fillers. */
const INVISIBLE = /[\s\p{Z}\p{C}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/gu;
const hasVisibleCharacters = (value: string) => value.replace(INVISIBLE, '').length > 0;
const NO_VISIBLE_CHARACTERS = 'must contain visible characters, not only spaces or invisible ones';
/** Control characters other than tab and line breaks: never part of text anyone wrote (NUL, ESC, BEL…). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
function noControlCharacters(value: string, context: z.RefinementCtx) {
  const found = CONTROL.exec(value)?.[0];
  if (found) context.addIssue({ code: 'custom', message: `must not contain control characters (found U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})` });
}

/** Counts characters (code points), as a reader would, not UTF-16 units. */
const characterCount = (value: string) => [...value].length;
function atMost(limit: number, value: string, context: z.RefinementCtx) {
  const length = characterCount(value);
  if (length > limit) context.addIssue({ code: 'custom', message: `must be at most ${limit} characters (it has ${length})` });
}

export const slug = z.string().superRefine((value, context) => {
  if (characterCount(value) > INPUT_LIMITS.slug) atMost(INPUT_LIMITS.slug, value, context);
  else if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value)) context.addIssue({ code: 'custom', message: 'must be lowercase kebab-case, like "xi-jinping"' });
});

/** Text a record needs: at least one visible character, at most `limit` characters. */
const requiredText = (limit: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .superRefine((value, context) => {
      if (value.length === 0) return;
      if (!hasVisibleCharacters(value)) context.addIssue({ code: 'custom', message: NO_VISIBLE_CHARACTERS });
      else noControlCharacters(value, context);
      atMost(limit, value, context);
    });

/** Text a record may leave empty; when given, it must show something. */
const optionalText = z
  .string()
  .trim()
  .superRefine((value, context) => {
    if (value.length > 0 && !hasVisibleCharacters(value)) context.addIssue({ code: 'custom', message: `${NO_VISIBLE_CHARACTERS} (or be left empty)` });
    else noControlCharacters(value, context);
    atMost(INPUT_LIMITS.text, value, context);
  })
  .default('');

const name = requiredText(INPUT_LIMITS.name);

/** A list of at most `limit` items, `what` naming them in the message. */
const boundedList = <T extends z.ZodType>(item: T, limit: number, what: string) =>
  z.array(item).superRefine((items, context) => {
    if (items.length > limit) context.addIssue({ code: 'custom', message: `must list at most ${limit} ${what} (it has ${items.length})` });
  });

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
    name,
    kind: z.enum(ACTOR_KINDS),
    description: optionalText,
    affiliations: boundedList(z.strictObject({ actor: slug, role: requiredText(INPUT_LIMITS.role) }), INPUT_LIMITS.affiliations, 'affiliations').default([]),
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
  name,
  country: slug.optional(),
});

export const sourceRecord = z.strictObject({
  slug,
  name,
  description: optionalText,
});

export const articleRecord = z.strictObject({
  slug,
  title: name,
  source: slug,
  publishedOn: partialDate,
  dateNote: optionalText,
});

export const citationRecord = z.strictObject({
  article: slug,
  quote: requiredText(Number.POSITIVE_INFINITY).superRefine((quote, context) => {
    const length = characterCount(quote);
    if (length > MAX_QUOTE_LENGTH) {
      context.addIssue({ code: 'custom', message: `must be a short extract of at most ${MAX_QUOTE_LENGTH} characters (it has ${length})` });
    }
  }),
  credits: slug.optional(),
});

export const eventRecord = z
  .strictObject({
    slug,
    title: name,
    summary: optionalText,
    kind: z.enum(EVENT_KINDS),
    status: z.enum(EVENT_STATUSES),
    start: partialDate,
    end: partialDate.optional(),
    dateBasis: z.enum(DATE_BASES),
    dateNote: optionalText,
    place: slug.optional(),
    participants: boundedList(z.strictObject({ actor: slug, role: z.enum(PARTICIPANT_ROLES) }), INPUT_LIMITS.participants, 'participants').default([]),
    citations: boundedList(citationRecord, INPUT_LIMITS.citations, 'citations').min(1, 'every event needs at least one citation'),
    related: boundedList(z.strictObject({ type: z.enum(EVENT_RELATION_TYPES), event: slug }), INPUT_LIMITS.related, 'links').default([]),
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
