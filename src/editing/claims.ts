import type { EventInput } from '../domain/records.js';

type Participant = NonNullable<EventInput['participants']>[number];

/** Which of an event's claims keep their support when its citations change (a claim given anew keeps its own). */
export interface CarriedClaims {
  participants: boolean;
  date: boolean;
  place: boolean;
  /** The rival claims of disputed fields. */
  disputes: boolean;
}

const ALL_CLAIMS: CarriedClaims = { participants: true, date: true, place: true, disputes: true };

/**
 * Claims name their citations by index, so when the list of citations changes, the indexes move
 * with the citations: `newIndexOf` gives a citation's index in the new list, or undefined when it
 * is gone (a claim it alone supported then fails validation, naming the claim).
 */
export function carrySupport(record: EventInput, newIndexOf: (oldIndex: number) => number | undefined, carried: CarriedClaims = ALL_CLAIMS): EventInput {
  const moved = (indexes: number[] | undefined) =>
    indexes?.flatMap((index) => {
      const next = newIndexOf(index);
      return next === undefined ? [] : [next];
    });
  return {
    ...record,
    ...(carried.date && record.dateSupport ? { dateSupport: moved(record.dateSupport) } : {}),
    ...(carried.place && record.placeSupport ? { placeSupport: moved(record.placeSupport) } : {}),
    ...(carried.participants && record.participants
      ? { participants: record.participants.map((p: Participant) => (p.supportedBy ? { ...p, supportedBy: moved(p.supportedBy) } : p)) }
      : {}),
    ...(carried.disputes && record.disputes
      ? { disputes: record.disputes.map((d) => ({ ...d, claims: d.claims.map((c) => (c.supportedBy ? { ...c, supportedBy: moved(c.supportedBy) } : c)) })) }
      : {}),
  };
}

/** The same citation: quotes are stored trimmed, so a quote restated with spaces around it is the same one. */
const sameCitation = (a: { article: string; quote: string }, b: { article: string; quote: string }) => a.article === b.article && a.quote.trim() === b.quote.trim();

/** Carries the claims of `before` over to `after`'s citations, matching citations by article and quote. */
export function carrySupportByCitation(before: EventInput, after: EventInput, carried: CarriedClaims): EventInput {
  const newIndexOf = (index: number) => {
    const found = after.citations.findIndex((citation) => sameCitation(citation, before.citations[index]!));
    return found < 0 ? undefined : found;
  };
  const carriedOver = carrySupport(before, newIndexOf, carried);
  return {
    ...after,
    ...(carried.date ? { dateSupport: carriedOver.dateSupport } : {}),
    ...(carried.place ? { placeSupport: carriedOver.placeSupport } : {}),
    ...(carried.participants ? { participants: carriedOver.participants } : {}),
    ...(carried.disputes ? { disputes: carriedOver.disputes } : {}),
  };
}

/** The record without citation `removed`, its claims' indexes moved to match. */
export function withoutCitation(record: EventInput, removed: number): EventInput {
  const shifted = carrySupport(record, (index) => (index < removed ? index : index > removed ? index - 1 : undefined));
  return { ...shifted, citations: record.citations.filter((_, index) => index !== removed) };
}
