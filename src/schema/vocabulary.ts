import {
  ACTOR_KINDS,
  CLAIM_BASES,
  CLAIM_RANKS,
  DATE_BASES,
  DISPUTED_FIELDS,
  DATE_PRECISIONS,
  EVENT_KINDS,
  EVENT_RELATION_TYPES,
  EVENT_STATUSES,
  PARTICIPANT_ROLES,
} from '../domain/vocabulary.js';
import { builder } from './builder.js';

export const ActorKind = builder.enumType('ActorKind', { values: ACTOR_KINDS });

export const EventKind = builder.enumType('EventKind', { values: EVENT_KINDS });

export const EventStatus = builder.enumType('EventStatus', {
  values: {
    OCCURRED: { description: 'It happened.' },
    SCHEDULED: { description: 'It is set to happen on its date.' },
    PROPOSED: { description: 'It is sought or under discussion, not fixed.' },
    ONGOING: { description: 'It began and, as reported, goes on.' },
    CANCELLED: { description: 'It was called off.' },
  } satisfies Record<(typeof EVENT_STATUSES)[number], unknown>,
});

export const ParticipantRole = builder.enumType('ParticipantRole', { values: PARTICIPANT_ROLES });

export const EventRelationType = builder.enumType('EventRelationType', {
  description: 'Read as "from <type> to": the 26 September officials meeting PREPARES the trilateral summit.',
  values: EVENT_RELATION_TYPES,
});

export const ClaimBasis = builder.enumType('ClaimBasis', {
  description: 'What a claim about an event (a participation, its place, its date) rests on.',
  values: {
    CITED: { description: 'Citations of the articles report it: see supportedBy.' },
    OUTSIDE: { description: 'A well-established outside fact the articles do not state; the note says which.' },
  } satisfies Record<(typeof CLAIM_BASES)[number], unknown>,
});

export const DatePrecision = builder.enumType('DatePrecision', { values: DATE_PRECISIONS });

export const DateBasis = builder.enumType('DateBasis', {
  description: 'How an event date was established from the reporting.',
  values: {
    STATED: { description: 'An article gives the date itself.' },
    RESOLVED: { description: 'A relative date ("on Saturday", "next year") resolved against the article date.' },
    OUTSIDE: { description: 'The articles leave a gap that a well-established outside fact fills.' },
  } satisfies Record<(typeof DATE_BASES)[number], unknown>,
});

export const DisputedField = builder.enumType('DisputedField', {
  description: 'A claim about an event that sources may disagree on.',
  values: {
    DATE: { description: 'Its date: one EDTF date, or an interval "start/end" for a span.' },
    STATUS: { description: 'Its status: an EventStatus.' },
    PLACE: { description: 'Where it happened: a place, named by slug.' },
    ROLE: { description: "One participant's role: a ParticipantRole." },
  } satisfies Record<(typeof DISPUTED_FIELDS)[number], unknown>,
});

export const ClaimRank = builder.enumType('ClaimRank', {
  description: "How editors rank a disputed claim's rival values, as Wikidata ranks statements.",
  values: {
    PREFERRED: { description: 'The value the event shows: exactly one per dispute.' },
    NORMAL: { description: 'A value reported and not ruled out.' },
    DEPRECATED: { description: 'A value reported but judged wrong, kept so readers see it was considered.' },
  } satisfies Record<(typeof CLAIM_RANKS)[number], unknown>,
});
