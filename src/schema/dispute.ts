import type { citations, places, actors, rivalClaims } from '../db/schema.js';
import { claimValue, INPUT_LIMITS, slug as slugSchema } from '../domain/records.js';
import type { DisputedField as DisputedFieldValue } from '../domain/vocabulary.js';
import { type ClaimKey, rankClaim, recordClaim, withdrawClaim } from '../editing/disputes.js';
import { groupByDispute } from '../editing/entities.js';
import { ActorRef } from './actor.js';
import { CitationRef } from './article.js';
import { builder, type TimelineContext } from './builder.js';
import { WRITE_ERRORS } from './editing-types.js';
import { EventRef } from './event.js';
import { asOfSelectionsOf, requestAsOf } from './event-filter.js';
import { editorOf, write } from './mutations.js';
import { PlaceRef } from './place.js';
import { ClaimRank, DisputedField } from './vocabulary.js';

type StoredClaim = typeof rivalClaims.$inferSelect & {
  participation: { actor: typeof actors.$inferSelect } | null;
  place: typeof places.$inferSelect | null;
  citations: (typeof citations.$inferSelect)[];
};

interface DisputeShape {
  field: DisputedFieldValue;
  actor: typeof actors.$inferSelect | null;
  claims: StoredClaim[];
}

const ClaimRef = builder.objectRef<StoredClaim>('Claim').implement({
  description: 'One rival value of a disputed claim about an event, ranked, with the citations that report it.',
  fields: (t) => ({
    value: t.string({
      description: 'What this claim says: the date (EDTF as written), the status, the place’s slug or the role.',
      resolve: (claim) => claim.place?.slug ?? claim.value ?? '',
    }),
    rank: t.field({ type: ClaimRank, resolve: (claim) => claim.rank }),
    note: t.exposeString('note', { description: 'Why the claim is ranked so, where that needs saying.' }),
    citations: t.field({
      type: [CitationRef],
      complexity: { field: 1, multiplier: INPUT_LIMITS.claimCitations },
      description: 'The citations that report this value, oldest first; as of a day, those from articles published by then.',
      resolve: (claim) => claim.citations,
    }),
    place: t.field({ type: PlaceRef, nullable: true, description: 'For a PLACE claim: the place it names.', resolve: (claim) => claim.place }),
  }),
});

const DisputeRef = builder.objectRef<DisputeShape>('Dispute').implement({
  description: 'A claim about an event that sources disagree on, with its rival values; the event shows the PREFERRED one.',
  fields: (t) => ({
    field: t.field({ type: DisputedField, resolve: (dispute) => dispute.field }),
    actor: t.field({ type: ActorRef, nullable: true, description: 'For ROLE: the participant whose role is disputed.', resolve: (dispute) => dispute.actor }),
    claims: t.field({ type: [ClaimRef], complexity: { field: 1, multiplier: INPUT_LIMITS.claims }, description: 'The rival values, in the order the event’s record lists them.', resolve: (dispute) => dispute.claims }),
  }),
});

/**
 * An event's rival claims grouped into disputes: one per field (and participant, for ROLE), in the
 * order the event's record lists them. As of a day (`asOf`), a claim no article had reported by then is left out,
 * and so is a dispute with fewer than two claims left.
 */
function disputesOf(claims: StoredClaim[], asOf: string | null): DisputeShape[] {
  const known = asOf === null ? claims : claims.filter((claim) => claim.citations.length > 0);
  return groupByDispute(known)
    .filter((group) => group.length >= 2)
    .map((group) => ({ field: group[0]!.field, actor: group[0]!.participation?.actor ?? null, claims: group }));
}

builder.drizzleObjectFields(EventRef, (t) => ({
  disputes: t.field({
    type: [DisputeRef],
    // Lists bounded by the record's limits, not by the plain-list bound of 50.
    complexity: { field: 1, multiplier: INPUT_LIMITS.disputes },
    description:
      'The claims about this event that sources disagree on; empty when none is disputed. The event’s own fields show each PREFERRED value. ' +
      'As of a day, only claims reported by then, and only disputes with two of them; ranks are as they stand now.',
    // Loaded in the event's own statement, whatever the page size.
    select: (_args, context) => ({
      with: {
        rivalClaims: {
          orderBy: { position: 'asc' },
          with: {
            participation: { with: { actor: true } },
            place: true,
            citations: { where: asOfSelectionsOf(context).citations, orderBy: { id: 'asc' } },
          },
        },
      },
    }),
    resolve: (event, _args, context) => disputesOf((event as typeof event & { rivalClaims: StoredClaim[] }).rivalClaims, requestAsOf(context)),
  }),
}));

builder.mutationFields((t) => {
  const claimArgs = () => ({
    event: t.arg.string({ required: true, validate: slugSchema, description: 'Slug of the event.' }),
    field: t.arg({ type: DisputedField, required: true }),
    actor: t.arg.string({ validate: slugSchema, description: 'For ROLE: slug of the participant whose role is disputed.' }),
    value: t.arg.string({ required: true, validate: claimValue, description: 'The date (EDTF), status, place slug or role the claim gives.' }),
  });
  const returns = { types: WRITE_ERRORS, dataField: { name: 'event' } };
  const keyOf = (args: ClaimKey): ClaimKey => ({ event: args.event, field: args.field, actor: args.actor ?? null, value: args.value });
  const citationIds = (ids: readonly { id: string | number }[] | null | undefined) => ids?.map((id) => Number(id.id)) ?? null;
  return {
    recordClaim: t.field({
      type: EventRef,
      description:
        'Records a rival value for a claim about an event, with the citations that report it. The first rival to an undisputed field also ' +
        'records the event’s current value as the PREFERRED claim. Ranked PREFERRED, the new value becomes the event’s at once. Needs an editor token.',
      authScopes: { editor: true },
      errors: returns,
      args: {
        ...claimArgs(),
        rank: t.arg({ type: ClaimRank, description: 'NORMAL unless given.' }),
        supportedBy: t.arg.globalIDList({ for: CitationRef, required: true, description: 'Ids of the event’s citations that report this value.' }),
        note: t.arg.string(),
        currentSupportedBy: t.arg.globalIDList({
          for: CitationRef,
          description:
            'For the first rival: ids of the citations that report the event’s current value. By default the field’s own support (dateSupport, placeSupport, the participant’s); STATUS has none, so it needs these.',
        }),
      },
      resolve: (_root, args, context: TimelineContext) =>
        write(context, 'events', (tx) =>
          recordClaim(tx, editorOf(context), {
            ...keyOf(args),
            rank: args.rank,
            supportedBy: citationIds(args.supportedBy) ?? [],
            note: args.note,
            currentSupportedBy: citationIds(args.currentSupportedBy),
          }),
        ),
    }),
    rankClaim: t.field({
      type: EventRef,
      description:
        'Ranks a claim. PREFERRED makes its value the event’s, with its citations as that field’s support (for STATUS, its first citation justifies the change), ' +
        'and ranks the previous preferred claim NORMAL. Needs an editor token.',
      authScopes: { editor: true },
      errors: returns,
      args: { ...claimArgs(), rank: t.arg({ type: ClaimRank, required: true }) },
      resolve: (_root, args, context: TimelineContext) => write(context, 'events', (tx) => rankClaim(tx, editorOf(context), keyOf(args), args.rank)),
    }),
    withdrawClaim: t.field({
      type: EventRef,
      description: 'Removes a claim that is not PREFERRED; when one claim is left, the field is no longer disputed. Needs an admin token.',
      authScopes: { admin: true },
      errors: returns,
      args: claimArgs(),
      resolve: (_root, args, context: TimelineContext) => write(context, 'events', (tx) => withdrawClaim(tx, editorOf(context), keyOf(args))),
    }),
  };
});
