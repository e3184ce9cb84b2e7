import { z } from 'zod';
import { type DateInterval, isInterval, type PartialDate, PartialDateError, parseDateOrInterval, parsePartialDate } from './partial-date.js';
import { codePoint } from './quotes.js';
import {
  type DisputedField,
  ACTOR_KINDS,
  DATE_BASES,
  EVENT_KINDS,
  EVENT_RELATION_TYPES,
  CLAIM_BASES,
  CLAIM_RANKS,
  DISPUTED_FIELDS,
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
  /** Disputed claims of one event (one per field, one per participant's role), rival values of each, and citations of each value. */
  disputes: 10,
  claims: 10,
  claimCitations: 10,
  /** A claim's value: a date, status, role or place slug. */
  claimValue: 80,
  /** An article's text, which quotes are checked against: about 4,000 words; within a request's 100,000 bytes for any text of up to three bytes a character in UTF-8. */
  articleText: 25_000,
} as const;

/** Characters that show nothing on their own: spaces, controls, format and direction marks, combining marks, fillers. */
const INVISIBLE = /[\s\p{Z}\p{C}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/gu;
const hasVisibleCharacters = (value: string) => value.replace(INVISIBLE, '').length > 0;
const NO_VISIBLE_CHARACTERS = 'must contain visible characters, not only spaces or invisible ones';
/** Control characters other than tab and line breaks: never part of text anyone wrote (NUL, ESC, BEL…). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/** Half of a surrogate pair: not a character at all, and no database stores it as given. */
const LONE_SURROGATE = /\p{Surrogate}/u;
function noControlCharacters(value: string, context: z.RefinementCtx) {
  const found = CONTROL.exec(value)?.[0];
  if (found) context.addIssue({ code: 'custom', message: `must not contain control characters (found ${codePoint(found)})` });
  const half = LONE_SURROGATE.exec(value)?.[0];
  if (half) context.addIssue({ code: 'custom', message: `must not contain half of a character (a lone surrogate, ${codePoint(half)})` });
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

/** Reads a date with `read`, turning its PartialDateError into an issue (YAML reads a bare year as a number). */
const dateField = <T>(read: (written: string) => T) =>
  z.union([z.string(), z.number().int()]).transform((value, context) => {
    try {
      return read(String(value));
    } catch (error) {
      if (!(error instanceof PartialDateError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

/** One date in EDTF levels 0 and 1: "2014", "2014-07", "2023-09-23", "2014?", "2023-09~", "201X"… */
export const partialDate = dateField((written) => parsePartialDate(written));

/** An event's start: one date, or an interval "2023-09-23/2023-09-25" that is its whole span. */
const eventStart = dateField(parseDateOrInterval);

/** An event's end: one date; an interval belongs in `start`. */
const eventEnd = dateField((written) => parsePartialDate(written, 'write the span as start, with no end, or give end one date'));

/** Adds an issue for each item whose key repeats an earlier one's. */
function noRepeats<T>(items: T[], key: (item: T) => string, field: string | (string | number)[], what: string, context: z.RefinementCtx) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(key(item))) context.addIssue({ code: 'custom', path: [...[field].flat(), index], message: `duplicate ${what}` });
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
  /** Where the country comes from: the wording that states it, or the outside fact. */
  countryNote: optionalText,
});

export const sourceRecord = z.strictObject({
  slug,
  name,
  description: optionalText,
});

/** An article's text as published: kept exactly (no trimming), since quotes and their offsets are checked against it. */
const articleText = z.string().superRefine((value, context) => {
  if (!hasVisibleCharacters(value)) context.addIssue({ code: 'custom', message: NO_VISIBLE_CHARACTERS });
  else noControlCharacters(value, context);
  atMost(INPUT_LIMITS.articleText, value, context);
});

/** A file in the articles directory, named relative to it. */
const textFile = z.string().superRefine((value, context) => {
  if (value.trim() === '' || value.startsWith('/') || value.split(/[\\/]/).includes('..') || CONTROL.test(value)) {
    context.addIssue({ code: 'custom', message: 'must name a file inside the articles directory, like "000_111c21645aef6a9b.txt"' });
  }
});

export const articleRecord = z.strictObject({
  slug,
  title: name,
  source: slug,
  publishedOn: partialDate,
  dateNote: optionalText,
  /** The article's text, which its citations' quotes must be found in. */
  text: articleText.optional(),
  /** Where the seed files keep the text (relative to the articles directory); set by the seed loader. */
  textFile: textFile.optional(),
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

/** Citations named by their place in the event's `citations` list, counted from 0. */
const citationIndexesUpTo = (limit: number) => boundedList(z.number().int().min(0, 'must be a citation index, 0 or more'), limit, 'citations').default([]);
const citationIndexes = citationIndexesUpTo(INPUT_LIMITS.citations);

const participant = z.strictObject({
  actor: slug,
  role: z.enum(PARTICIPANT_ROLES),
  /** CITED: `supportedBy` names the citations that report this actor in this role. OUTSIDE: `note` says what outside fact does. */
  basis: z.enum(CLAIM_BASES).default('CITED'),
  note: optionalText,
  supportedBy: citationIndexes,
});

/** A claim's value as written: the date (EDTF, one date or an interval), the status, the place's slug or the role. */
export const claimValue = z.string().superRefine((value, context) => atMost(INPUT_LIMITS.claimValue, value, context));

/** One rival value of a disputed claim, ranked, with the citations that support it. */
const rivalClaim = z.strictObject({
  // YAML reads a bare year as a number.
  value: z.union([claimValue, z.number().int()]).transform((value) => String(value).trim()),
  rank: z.enum(CLAIM_RANKS).default('NORMAL'),
  supportedBy: citationIndexesUpTo(INPUT_LIMITS.claimCitations),
  note: optionalText,
});

/** A claim about the event that sources disagree on: its rival values, exactly one of them PREFERRED. */
const dispute = z.strictObject({
  field: z.enum(DISPUTED_FIELDS),
  /** Whose role, for a ROLE dispute. */
  actor: slug.optional(),
  claims: boundedList(rivalClaim, INPUT_LIMITS.claims, 'claims'),
});

export const eventRecord = z
  .strictObject({
    slug,
    title: name,
    summary: optionalText,
    kind: z.enum(EVENT_KINDS),
    status: z.enum(EVENT_STATUSES),
    start: eventStart,
    end: eventEnd.optional(),
    dateBasis: z.enum(DATE_BASES),
    dateNote: optionalText,
    dateSupport: citationIndexes,
    place: slug.optional(),
    placeBasis: z.enum(CLAIM_BASES).default('CITED'),
    placeNote: optionalText,
    placeSupport: citationIndexes,
    participants: boundedList(participant, INPUT_LIMITS.participants, 'participants').default([]),
    citations: boundedList(citationRecord, INPUT_LIMITS.citations, 'citations').min(1, 'every event needs at least one citation'),
    related: boundedList(z.strictObject({ type: z.enum(EVENT_RELATION_TYPES), event: slug }), INPUT_LIMITS.related, 'links').default([]),
    disputes: boundedList(dispute, INPUT_LIMITS.disputes, 'disputes').default([]),
  })
  .superRefine((event, context) => {
    if (event.end && isInterval(event.start)) {
      context.addIssue({
        code: 'custom',
        path: ['end'],
        message: `must be left out: start "${event.start.edtf}" is an interval, which already ends on ${event.start.end.edtf}`,
      });
    } else if (event.end && !isInterval(event.start) && event.end.latest < event.start.earliest) {
      context.addIssue({ code: 'custom', path: ['end'], message: `${event.end.edtf} is before start ${event.start.edtf}` });
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
    claimSupportIssues(event, context);
    disputeIssues(event, context);
  })
  .transform(({ start, end, ...event }) => ({ ...event, ...eventDates(start, end) }));

/** An event's dates as stored: `interval` is its start as written when that holds the end too ("2023-09-23/2023-09-25"). */
interface EventDates {
  start: PartialDate;
  end?: PartialDate;
  interval?: string;
}

/** Splits an interval into the event's start and end, keeping it as written so the seed files get it back so. */
function eventDates(start: PartialDate | DateInterval, end: PartialDate | undefined): EventDates {
  if (isInterval(start)) return { start: start.start, end: start.end, interval: start.edtf };
  return { start, end };
}

interface EventClaims {
  citations: unknown[];
  participants: { actor: string; role: string; basis: string; note: string; supportedBy: number[] }[];
  dateBasis: string;
  dateSupport: number[];
  place?: string;
  placeBasis: string;
  placeNote: string;
  placeSupport: number[];
}

/** An issue for each index in `indexes` that names no citation of the event, or one named before. */
function citationIndexIssues(citationCount: number, field: (string | number)[], indexes: number[], context: z.RefinementCtx) {
  const seen = new Set<number>();
  indexes.forEach((index, position) => {
    const path = [...field, position];
    if (index >= citationCount) context.addIssue({ code: 'custom', path, message: `there is no citations[${index}]: the event has ${citationCount} citation(s), counted from 0` });
    else if (seen.has(index)) context.addIssue({ code: 'custom', path, message: `names citations[${index}] twice` });
    seen.add(index);
  });
}

/**
 * Every claim about an event names the citations that support it, or is an outside fact with a
 * note: each participation (actor and role), the date (unless its basis is OUTSIDE) and the place.
 */
function claimSupportIssues(event: EventClaims, context: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
  const checkIndexes = (field: (string | number)[], indexes: number[]) => citationIndexIssues(event.citations.length, field, indexes, context);
  const checkClaim = (claim: string, basis: string, note: string, supportField: (string | number)[], noteField: (string | number)[], indexes: number[]) => {
    checkIndexes(supportField, indexes);
    if (basis === 'OUTSIDE' && note === '') issue(noteField, `must say what well-established outside fact supports ${claim}, since its basis is OUTSIDE`);
    if (basis === 'CITED' && indexes.length === 0) {
      issue(supportField, `must name the citations that support ${claim} (their indexes in citations, from 0), or mark it an outside fact: basis OUTSIDE with a note`);
    }
  };
  event.participants.forEach((p, index) =>
    checkClaim(`${p.actor} as ${p.role}`, p.basis, p.note, ['participants', index, 'supportedBy'], ['participants', index, 'note'], p.supportedBy),
  );
  checkIndexes(['dateSupport'], event.dateSupport);
  if (event.dateBasis !== 'OUTSIDE' && event.dateSupport.length === 0) {
    issue(['dateSupport'], `must name the citations that support the date (their indexes in citations, from 0), since dateBasis is ${event.dateBasis}`);
  }
  if (event.place !== undefined) {
    checkClaim(`the place "${event.place}"`, event.placeBasis, event.placeNote, ['placeSupport'], ['placeNote'], event.placeSupport);
  } else if (event.placeSupport.length > 0 || event.placeBasis !== 'CITED' || event.placeNote !== '') {
    issue(['place'], 'is needed for placeSupport, placeBasis or placeNote');
  }
}

type DisputeRecord = z.output<typeof dispute>;

interface DisputedEvent {
  status: string;
  start: PartialDate | DateInterval;
  end?: PartialDate;
  place?: string;
  participants: { actor: string; role: string }[];
  citations: unknown[];
  disputes: DisputeRecord[];
}

/** The event's date as one EDTF value, as a DATE claim states it: the start, or "start/end" for a span. */
function eventDateValue(start: PartialDate | DateInterval, end?: PartialDate): string {
  if (isInterval(start) || !end) return start.edtf;
  return `${start.edtf}/${end.edtf}`;
}

/** Why `value` cannot be a claim of `field`, or null; a PLACE claim's slug is checked as a reference. */
function claimValueProblem(field: DisputedField, value: string): string | null {
  switch (field) {
    case 'DATE':
      try {
        parseDateOrInterval(value);
        return null;
      } catch (error) {
        if (error instanceof PartialDateError) return error.message;
        throw error;
      }
    case 'STATUS':
      return (EVENT_STATUSES as readonly string[]).includes(value) ? null : `must be a status: ${EVENT_STATUSES.join(', ')}`;
    case 'ROLE':
      return (PARTICIPANT_ROLES as readonly string[]).includes(value) ? null : `must be a role: ${PARTICIPANT_ROLES.join(', ')}`;
    case 'PLACE':
      return slug.safeParse(value).success ? null : 'must be the slug of a place, like "seoul"';
  }
}

/** A claim's value as compared: trimmed, and a date as EDTF reads it, so "2014", " 2014" and the number 2014 are one claim. */
export function comparableValue(field: DisputedField, value: string): string {
  const trimmed = value.trim();
  if (field !== 'DATE') return trimmed;
  try {
    return parseDateOrInterval(trimmed).edtf;
  } catch {
    return trimmed;
  }
}

/**
 * Disputes: each holds two or more rival claims of distinct values, exactly one PREFERRED, each
 * naming its citations; and the event shows the PREFERRED value, so a disputed field changes only
 * by ranking another claim PREFERRED.
 */
function disputeIssues(event: DisputedEvent, context: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
  noRepeats(event.disputes, (d) => `${d.field} ${d.actor ?? ''}`, 'disputes', 'dispute (same field and actor)', context);
  event.disputes.forEach((dispute, index) => {
    const at = (...path: (string | number)[]) => ['disputes', index, ...path];
    const participantIndex = event.participants.findIndex((p) => p.actor === dispute.actor);
    if (dispute.field === 'ROLE' && dispute.actor === undefined) issue(at('actor'), 'is needed for a ROLE dispute: the participant whose role is disputed');
    else if (dispute.field !== 'ROLE' && dispute.actor !== undefined) issue(at('actor'), `must be left out: only a ROLE dispute names an actor, not ${dispute.field}`);
    else if (dispute.field === 'ROLE' && participantIndex < 0) {
      issue(at('actor'), `"${dispute.actor}" is not a participant of the event, and their role is disputed here: add them as a participant, or leave this dispute out`);
    }
    if (dispute.field === 'PLACE' && event.place === undefined) issue(at('field'), 'the event has no place to dispute; give it the place first');
    if (dispute.claims.length < 2) {
      issue(at('claims'), `must hold at least two rival claims (it has ${dispute.claims.length}): a value nobody disputes is simply the event's own`);
    }
    noRepeats(dispute.claims, (c) => comparableValue(dispute.field, c.value), at('claims'), 'claim (same value)', context);
    dispute.claims.forEach((claim, position) => {
      const problem = claimValueProblem(dispute.field, claim.value);
      if (problem) issue(at('claims', position, 'value'), problem);
      citationIndexIssues(event.citations.length, at('claims', position, 'supportedBy'), claim.supportedBy, context);
      if (claim.supportedBy.length === 0) issue(at('claims', position, 'supportedBy'), 'must name the citations that support this claim (their indexes in citations, from 0)');
    });
    const preferred = dispute.claims.filter((claim) => claim.rank === 'PREFERRED');
    if (preferred.length !== 1) {
      issue(at('claims'), `must rank exactly one claim PREFERRED, the value the event shows (it ranks ${preferred.length})`);
      return;
    }
    const shown = preferred[0]!.value;
    const current = { DATE: () => eventDateValue(event.start, event.end), STATUS: () => event.status, PLACE: () => event.place, ROLE: () => event.participants[participantIndex]?.role }[dispute.field]();
    const field = { DATE: ['start'], STATUS: ['status'], PLACE: ['place'], ROLE: ['participants', participantIndex, 'role'] }[dispute.field];
    if (current !== undefined && current !== comparableValue(dispute.field, shown)) {
      issue(
        field,
        `is disputed: its PREFERRED claim (disputes[${index}]) is "${shown}", which the event must show, not "${current}"; ` +
          'rank another claim PREFERRED to change it (rankClaim, or rank in the seed file)',
      );
    }
  });
}

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
