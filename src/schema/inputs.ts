import { builder } from './builder.js';
import { ActorKind, ClaimBasis, ClaimRank, DateBasis, DisputedField, EventKind, EventRelationType, EventStatus, ParticipantRole } from './vocabulary.js';

// Inputs mirror the seed files field for field, so an editor moves between the two without
// translating, and both are checked by the same record schemas. A *Patch has the same fields,
// all optional: a field left out keeps its value, null clears an optional one, a list replaces.

type Fields = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

export const AffiliationInput = builder.inputType('AffiliationInput', {
  fields: (t) => ({ actor: t.string({ required: true }), role: t.string({ required: true }) }),
});

const SUPPORT_INDEXES = 'Indexes (from 0) into the event’s citations of those that support this.';

export const ParticipantInput = builder.inputType('ParticipantInput', {
  fields: (t) => ({
    actor: t.string({ required: true }),
    role: t.field({ type: ParticipantRole, required: true }),
    supportedBy: t.intList({ description: `${SUPPORT_INDEXES} Needed unless basis is OUTSIDE.` }),
    basis: t.field({ type: ClaimBasis, description: 'CITED (the default) or OUTSIDE, with a note naming the outside fact.' }),
    note: t.string(),
  }),
});

const citationFields = (t: Fields, required: boolean) => ({
  article: t.string({ required, description: 'Slug of the article.' }),
  quote: t.string({ required, description: 'A short verbatim extract (at most 300 characters).' }),
  credits: t.string({ description: 'Slug of the outlet the article credits for this, if any.' }),
});
export const CitationInput = builder.inputType('CitationInput', { fields: (t) => citationFields(t, true) });
export const CitationPatch = builder.inputType('CitationPatch', { fields: (t) => citationFields(t, false) });

export const CitationKeyInput = builder.inputType('CitationKeyInput', {
  description: 'Names one of an event’s citations: its article and its quote.',
  fields: (t) => ({ article: t.string({ required: true }), quote: t.string({ required: true }) }),
});

export const EventLinkInput = builder.inputType('EventLinkInput', {
  fields: (t) => ({ type: t.field({ type: EventRelationType, required: true }), event: t.string({ required: true }) }),
});

export const RivalClaimInput = builder.inputType('RivalClaimInput', {
  fields: (t) => ({
    value: t.string({ required: true, description: 'The date (EDTF), status, place slug or role this claim gives.' }),
    rank: t.field({ type: ClaimRank, description: 'NORMAL by default; exactly one claim of a dispute is PREFERRED.' }),
    supportedBy: t.intList({ required: true, description: SUPPORT_INDEXES }),
    note: t.string(),
  }),
});

export const DisputeInput = builder.inputType('DisputeInput', {
  description: 'Rival values of one claim about the event; the PREFERRED one must be the value the event has.',
  fields: (t) => ({
    field: t.field({ type: DisputedField, required: true }),
    actor: t.string({ description: 'For ROLE: slug of the participant whose role is disputed.' }),
    claims: t.field({ type: [RivalClaimInput], required: true }),
  }),
});

const eventFields = (t: Fields, required: boolean) => ({
  slug: t.string({ required }),
  title: t.string({ required }),
  summary: t.string(),
  kind: t.field({ type: EventKind, required }),
  status: t.field({ type: EventStatus, required }),
  start: t.string({
    required,
    description:
      'One date in EDTF levels 0 and 1 ("2014-07", "2014?", "2023-09~", "2023-09%", "201X", "2023-XX"), or an interval "2023-09-23/2023-09-25" that is the event\'s whole span (then no end).',
  }),
  end: t.string({ description: 'One EDTF date, for events that last; not with an interval in start.' }),
  dateBasis: t.field({ type: DateBasis, required }),
  dateNote: t.string(),
  dateSupport: t.intList({ description: `${SUPPORT_INDEXES} Needed unless dateBasis is OUTSIDE.` }),
  place: t.string({ description: 'Slug of the place.' }),
  placeSupport: t.intList({ description: `${SUPPORT_INDEXES} Needed with a place unless placeBasis is OUTSIDE.` }),
  placeBasis: t.field({ type: ClaimBasis, description: 'CITED (the default) or OUTSIDE, with a placeNote naming the outside fact.' }),
  placeNote: t.string(),
  participants: t.field({ type: [ParticipantInput] }),
  citations: t.field({ type: [CitationInput], required }),
  related: t.field({ type: [EventLinkInput] }),
  disputes: t.field({ type: [DisputeInput], description: 'Claims sources disagree on, each with its ranked rival values.' }),
});
export const EventInput = builder.inputType('EventInput', { fields: (t) => eventFields(t, true) });
export const EventPatch = builder.inputType('EventPatch', { fields: (t) => eventFields(t, false) });

const actorFields = (t: Fields, required: boolean) => ({
  slug: t.string({ required }),
  name: t.string({ required }),
  kind: t.field({ type: ActorKind, required }),
  description: t.string(),
  affiliations: t.field({ type: [AffiliationInput] }),
});
export const ActorInput = builder.inputType('ActorInput', { fields: (t) => actorFields(t, true) });
export const ActorPatch = builder.inputType('ActorPatch', { fields: (t) => actorFields(t, false) });

const placeFields = (t: Fields, required: boolean) => ({
  slug: t.string({ required }),
  name: t.string({ required }),
  country: t.string({ description: 'Slug of an actor of kind COUNTRY.' }),
  countryNote: t.string({ description: 'Where the country comes from: the wording that states it, or the outside fact.' }),
});
export const PlaceInput = builder.inputType('PlaceInput', { fields: (t) => placeFields(t, true) });
export const PlacePatch = builder.inputType('PlacePatch', { fields: (t) => placeFields(t, false) });

const sourceFields = (t: Fields, required: boolean) => ({
  slug: t.string({ required }),
  name: t.string({ required }),
  description: t.string(),
});
export const SourceInput = builder.inputType('SourceInput', { fields: (t) => sourceFields(t, true) });
export const SourcePatch = builder.inputType('SourcePatch', { fields: (t) => sourceFields(t, false) });

const articleFields = (t: Fields, required: boolean) => ({
  slug: t.string({ required }),
  title: t.string({ required }),
  source: t.string({ required, description: 'Slug of the outlet.' }),
  publishedOn: t.string({ required, description: 'One EDTF date, as precise and as sure as the text allows.' }),
  dateNote: t.string(),
  text: t.string({ description: "The article's text as published, which every quote citing it must be found in, character for character. It is kept, not served." }),
});
export const ArticleInput = builder.inputType('ArticleInput', { fields: (t) => articleFields(t, true) });
export const ArticlePatch = builder.inputType('ArticlePatch', { fields: (t) => articleFields(t, false) });

/** The record after applying `patch`: absent fields keep their value, null removes one. */
export function applyPatch<T extends object>(record: T, patch: object): T {
  const merged = { ...record } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged as T;
}
