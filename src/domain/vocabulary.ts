// The fixed vocabularies of the timeline, shared by the tables, the seed validator and the API.

export const ACTOR_KINDS = ['PERSON', 'COUNTRY', 'ORGANIZATION', 'COMPANY'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const EVENT_KINDS = [
  'STATE_VISIT',
  'VISIT',
  'SUMMIT',
  'MEETING',
  'INTERVIEW',
  'STATEMENT',
  'SANCTIONS',
  'MARKET_MOVE',
  'POLICY',
  'DIPLOMATIC_TIES',
  'CEREMONY',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ['OCCURRED', 'SCHEDULED', 'PROPOSED', 'ONGOING', 'CANCELLED'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const PARTICIPANT_ROLES = [
  'HOST',
  'VISITOR',
  'PARTICIPANT',
  'SPEAKER',
  'SUBJECT',
  'INITIATOR',
  'TARGET',
] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Read as "this event <type> the other event". */
export const EVENT_RELATION_TYPES = ['FOLLOW_UP_OF', 'PREPARES', 'PART_OF', 'PRECEDES'] as const;
export type EventRelationType = (typeof EVENT_RELATION_TYPES)[number];

export const DATE_PRECISIONS = ['YEAR', 'MONTH', 'DAY'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** How an event's date was established from the reporting. */
export const DATE_BASES = ['STATED', 'RESOLVED', 'OUTSIDE'] as const;
export type DateBasis = (typeof DATE_BASES)[number];

/** The kinds of record an editor writes; each has a slug and a revision history. */
export const ENTITY_TYPES = ['Event', 'Actor', 'Place', 'Source', 'Article'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const REVISION_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'RESTORE'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** What a claim about an event (a participation, its place) rests on. */
export const CLAIM_BASES = ['CITED', 'OUTSIDE'] as const;
export type ClaimBasis = (typeof CLAIM_BASES)[number];

/** The claims about an event that name the citations supporting them. */
export const SUPPORTED_CLAIMS = ['DATE', 'PLACE', 'PARTICIPATION'] as const;
export type SupportedClaim = (typeof SUPPORTED_CLAIMS)[number];

/** The claims about an event that rival values can dispute: its date, status, place, or one participant's role. */
export const DISPUTED_FIELDS = ['DATE', 'STATUS', 'PLACE', 'ROLE'] as const;
export type DisputedField = (typeof DISPUTED_FIELDS)[number];

/** How an editor ranks rival claims, as Wikidata ranks statements: the event shows the PREFERRED one. */
export const CLAIM_RANKS = ['PREFERRED', 'NORMAL', 'DEPRECATED'] as const;
export type ClaimRank = (typeof CLAIM_RANKS)[number];
