import type { TimelineTransaction } from '../db/client.js';
import { RecordConflictError, RecordNotFoundError, RecordValidationError } from '../domain/errors.js';
import { comparableValue, type EventInput } from '../domain/records.js';
import type { ClaimRank, DisputedField } from '../domain/vocabulary.js';
import { type CitationKey, citationIndexes, type Editor, readRecord, saveRecord, type WriteResult } from './editor.js';
import { eventDefinition } from './entities.js';

// A disputed claim is part of its event's record (`disputes`), so every operation here reads the
// record, changes it and saves it whole through the write path: validated, one revision of the event.

type Dispute = NonNullable<EventInput['disputes']>[number];
type RivalClaim = Dispute['claims'][number];

/** Which claim: the event, the field (and for ROLE, whose), and the value it gives. */
export interface ClaimKey {
  event: string;
  field: DisputedField;
  actor?: string | null;
  value: string;
}

export interface NewClaim extends ClaimKey {
  rank?: ClaimRank | null;
  /** Ids of the event's citations that support the claim. */
  supportedBy: number[];
  note?: string | null;
  /** For the first rival: ids of the citations supporting the event's current value, if not the field's own support. */
  currentSupportedBy?: number[] | null;
}

/** The claim of `claims` giving `value`, compared as comparableValue reads them (the value read once). */
function claimGiving(field: DisputedField, claims: readonly RivalClaim[], value: string): RivalClaim | undefined {
  const wanted = comparableValue(field, value);
  return claims.find((claim) => comparableValue(field, String(claim.value)) === wanted);
}

const describe = (key: ClaimKey) => `${key.field}${key.actor ? ` of ${key.actor}` : ''}`;

const isDisputeOf = (key: ClaimKey) => (dispute: Dispute) => dispute.field === key.field && (dispute.actor ?? null) === (key.actor ?? null);

function participantOf(record: EventInput, actor: string | null | undefined) {
  const participant = record.participants?.find((p) => p.actor === actor);
  if (!participant) throw new RecordValidationError([{ path: 'actor', message: `"${actor ?? ''}" is not a participant of the event "${record.slug}"` }]);
  return participant;
}

/** The event's value of the field, as a claim gives it, and the citations that support it there. */
function currentClaim(record: EventInput, key: ClaimKey): { value: string; supportedBy: number[] } {
  if ((key.field === 'ROLE') !== Boolean(key.actor)) {
    throw new RecordValidationError([{ path: 'actor', message: key.field === 'ROLE' ? 'is needed for ROLE: whose role is disputed' : `must be left out for ${key.field}` }]);
  }
  switch (key.field) {
    case 'DATE':
      return { value: record.end === undefined ? String(record.start) : `${String(record.start)}/${String(record.end)}`, supportedBy: record.dateSupport ?? [] };
    case 'STATUS':
      return { value: record.status, supportedBy: [] };
    case 'PLACE':
      if (record.place === undefined) throw new RecordValidationError([{ path: 'field', message: `the event "${record.slug}" has no place to dispute; give it the place first` }]);
      return { value: record.place, supportedBy: record.placeSupport ?? [] };
    case 'ROLE': {
      const participant = participantOf(record, key.actor);
      return { value: participant.role, supportedBy: participant.supportedBy ?? [] };
    }
  }
}

/** The record showing `claim`'s value in the field, with the claim's citations as the field's support. */
function showing(record: EventInput, key: ClaimKey, claim: RivalClaim): EventInput {
  switch (key.field) {
    case 'DATE': {
      const { end: _end, ...rest } = record;
      return { ...rest, start: claim.value, dateSupport: claim.supportedBy };
    }
    case 'STATUS':
      return { ...record, status: claim.value as EventInput['status'] };
    case 'PLACE': {
      const { placeBasis: _basis, placeNote: _note, ...rest } = record;
      return { ...rest, place: String(claim.value), placeSupport: claim.supportedBy };
    }
    case 'ROLE':
      return {
        ...record,
        participants: record.participants!.map((p) => (p.actor === key.actor ? { actor: p.actor, role: claim.value as typeof p.role, supportedBy: claim.supportedBy } : p)),
      };
  }
}

/** The citation that justifies making a STATUS claim the event's status: the claim's first. */
function justification(record: EventInput, key: ClaimKey, claim: RivalClaim): CitationKey | null {
  if (key.field !== 'STATUS') return null;
  const citation = record.citations[claim.supportedBy?.[0] ?? -1];
  return citation ? { article: citation.article, quote: citation.quote } : null;
}

/** The record with `claim` ranked PREFERRED in the dispute at `index`: the event shows it, the previous one becomes NORMAL. */
function preferring(record: EventInput, key: ClaimKey, index: number, claim: RivalClaim): EventInput {
  const disputes = [...record.disputes!];
  disputes[index] = {
    ...disputes[index]!,
    claims: disputes[index]!.claims.map((c) => {
      if (c === claim) return { ...c, rank: 'PREFERRED' as const };
      if (c.rank === 'PREFERRED') return { ...c, rank: 'NORMAL' as const };
      return c;
    }),
  };
  return showing({ ...record, disputes }, key, claim);
}

function claimNotFound(key: ClaimKey): RecordNotFoundError {
  return new RecordNotFoundError('Claim', `${key.event} ${describe(key)} ${key.value}`, `The event "${key.event}" has no ${describe(key)} claim "${key.value}".`);
}

/** The dispute of `key`'s field and the claim giving its value; NotFound if either is missing. */
function findClaim(record: EventInput, key: ClaimKey): { index: number; claim: RivalClaim } {
  const index = (record.disputes ?? []).findIndex(isDisputeOf(key));
  const claim = claimGiving(key.field, record.disputes?.[index]?.claims ?? [], key.value);
  if (!claim) throw claimNotFound(key);
  return { index, claim };
}

function refusePreferred(key: ClaimKey, claim: RivalClaim, path: string, action: string) {
  if (claim.rank === 'PREFERRED') {
    throw new RecordValidationError([
      { path, message: `"${key.value}" is the PREFERRED ${describe(key)} claim, the value the event shows; rank another claim PREFERRED first, then ${action}` },
    ]);
  }
}

/**
 * Records a rival value for a claim about an event. The first rival to an undisputed field also
 * records the event's current value, PREFERRED, supported by `currentSupportedBy` or else by the
 * field's own support. Ranked PREFERRED, the new claim becomes the event's value at once.
 */
export async function recordClaim(tx: TimelineTransaction, editor: Editor, claim: NewClaim): Promise<WriteResult<EventInput>> {
  const record = await readRecord(tx, eventDefinition, claim.event);
  const current = currentClaim(record, claim);
  const supportedBy = await citationIndexes(tx, claim.event, claim.supportedBy);
  const rank = claim.rank ?? 'NORMAL';
  const added: RivalClaim = { value: claim.value.trim(), ...(rank === 'DEPRECATED' ? { rank } : {}), supportedBy, ...(claim.note ? { note: claim.note } : {}) };
  const disputes = [...(record.disputes ?? [])];
  let index = disputes.findIndex(isDisputeOf(claim));
  if (index >= 0) {
    if (claimGiving(claim.field, disputes[index]!.claims, claim.value)) {
      throw new RecordConflictError(`The event "${claim.event}" already has the ${describe(claim)} claim "${claim.value.trim()}"; rank it with rankClaim.`);
    }
    disputes[index] = { ...disputes[index]!, claims: [...disputes[index]!.claims, added] };
  } else {
    if (comparableValue(claim.field, current.value) === comparableValue(claim.field, claim.value)) {
      throw new RecordConflictError(`"${claim.value.trim()}" is already the ${describe(claim)} of the event "${claim.event}"; a rival claim gives another value.`);
    }
    const currentSupport = claim.currentSupportedBy ? await citationIndexes(tx, claim.event, claim.currentSupportedBy, 'currentSupportedBy') : current.supportedBy;
    if (currentSupport.length === 0) {
      throw new RecordValidationError([
        { path: 'currentSupportedBy', message: `must name the citations that support the event's current ${describe(claim)}, "${current.value}": the field names none of its own` },
      ]);
    }
    const shown: RivalClaim = { value: current.value, rank: 'PREFERRED', supportedBy: currentSupport };
    disputes.push({ field: claim.field, ...(claim.actor ? { actor: claim.actor } : {}), claims: [shown, added] });
    index = disputes.length - 1;
  }
  const withClaim = { ...record, disputes };
  if (rank !== 'PREFERRED') return save(tx, editor, claim.event, withClaim);
  return save(tx, editor, claim.event, preferring(withClaim, claim, index, added), justification(record, claim, added));
}

/** Ranks a claim. PREFERRED makes its value the event's (the previous preferred becomes NORMAL); the preferred claim cannot be ranked down. */
export async function rankClaim(tx: TimelineTransaction, editor: Editor, key: ClaimKey, rank: ClaimRank): Promise<WriteResult<EventInput>> {
  const record = await readRecord(tx, eventDefinition, key.event);
  const { index, claim } = findClaim(record, key);
  if (rank === (claim.rank ?? 'NORMAL')) return save(tx, editor, key.event, record);
  refusePreferred(key, claim, 'rank', `rank this one ${rank}`);
  if (rank === 'PREFERRED') return save(tx, editor, key.event, preferring(record, key, index, claim), justification(record, key, claim));
  const disputes = [...record.disputes!];
  disputes[index] = { ...disputes[index]!, claims: disputes[index]!.claims.map((c) => (c === claim ? { ...c, rank } : c)) };
  return save(tx, editor, key.event, { ...record, disputes });
}

/** Removes a claim that is not PREFERRED; with one claim left, the field is no longer disputed. */
export async function withdrawClaim(tx: TimelineTransaction, editor: Editor, key: ClaimKey): Promise<WriteResult<EventInput>> {
  const record = await readRecord(tx, eventDefinition, key.event);
  const { index, claim } = findClaim(record, key);
  refusePreferred(key, claim, 'value', 'withdraw this one');
  const remaining = record.disputes![index]!.claims.filter((c) => c !== claim);
  const disputes = record.disputes!.flatMap((dispute, i) => (i !== index ? [dispute] : remaining.length >= 2 ? [{ ...dispute, claims: remaining }] : []));
  const { disputes: _all, ...rest } = record;
  return save(tx, editor, key.event, disputes.length > 0 ? { ...rest, disputes } : rest);
}

function save(tx: TimelineTransaction, editor: Editor, slug: string, record: EventInput, statusCitation: CitationKey | null = null) {
  return saveRecord(tx, eventDefinition, record, editor, { mode: 'update', currentSlug: slug, statusCitation });
}
