import type { InputObjectRef } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { RecordNotFoundError, withArticle } from '../domain/errors.js';
import { type ArticleInput as ArticleRecordInput, checkedBy, type EventInput, slug as slugSchema } from '../domain/records.js';
import { carrySupportByCitation, withoutCitation } from '../editing/claims.js';
import {
  type CitationKey,
  citationId,
  citationIndexes,
  deleteRecord,
  type Editor,
  editEvent,
  locateCitation,
  readRecord,
  restoreRecord,
  saveRecord,
  type WriteResult,
} from '../editing/editor.js';
import {
  actorDefinition,
  articleDefinition,
  type EntityDefinition,
  eventDefinition,
  placeDefinition,
  sourceDefinition,
} from '../editing/entities.js';
import type { TimelineTransaction } from '../db/client.js';
import { builder, type TimelineContext } from './builder.js';
import { EntityType, WRITE_ERRORS } from './editing-types.js';
import {
  ActorInput,
  ActorPatch,
  applyPatch,
  ArticleInput,
  ArticlePatch,
  CitationInput,
  CitationKeyInput,
  CitationPatch,
  EventInput as EventInputType,
  EventPatch,
  PlaceInput,
  PlacePatch,
  SourceInput,
  SourcePatch,
} from './inputs.js';
import { ActorRef } from './actor.js';
import { ArticleRef, CitationRef } from './article.js';
import { EventRef } from './event.js';
import { PlaceRef } from './place.js';
import { SourceRef } from './source.js';
import type { ParticipantRole as ParticipantRoleValue } from '../domain/vocabulary.js';
import { ClaimBasis, EventRelationType, ParticipantRole } from './vocabulary.js';

builder.mutationType({});

type TableName = 'events' | 'actors' | 'places' | 'sources' | 'articles' | 'citations';

export const editorOf = (context: TimelineContext): Editor => ({ author: context.viewer?.name ?? 'anonymous' });

/**
 * Runs one write in its own transaction (the database tells its change feed once it commits).
 * `operation` returns the write's result and the value to answer with.
 */
async function commit<T>(context: TimelineContext, operation: (tx: TimelineTransaction) => Promise<{ result: WriteResult; value: T }>): Promise<T> {
  const { value } = await context.database.write(operation);
  return value;
}

/** Commits a write of one record and answers with the written row. */
export async function write(context: TimelineContext, table: TableName, operation: (tx: TimelineTransaction) => Promise<WriteResult>) {
  const id = await commit(context, async (tx) => {
    const result = await operation(tx);
    return { result, value: result.id };
  });
  return findById(context, table, id);
}

function findById(context: TimelineContext, table: TableName, id: number) {
  // Without an id drizzle would answer with the table's first row.
  if (!Number.isInteger(id)) throw new Error(`no ${table} id to answer with`);
  const finder = context.db.query[table] as unknown as { findFirst(config: unknown): Promise<unknown> };
  return finder.findFirst({ where: { id } }) as never;
}

const DeletedRecord = builder.objectRef<{ type: EntityDefinition['type']; id: number; slug: string }>('DeletedRecord').implement({
  description: 'What a delete removed. Its last revision keeps the whole record, and an admin can restore it.',
  fields: (t) => ({
    entityType: t.field({ type: EntityType, resolve: (deleted) => deleted.type }),
    slug: t.exposeString('slug'),
    id: t.id({ description: 'The global id it had, and gets back on restore.', resolve: (deleted) => encodeGlobalID(deleted.type, deleted.id) }),
  }),
});

/**
 * The stored record with a patch applied. An event's claims name citations by index: when the
 * patch replaces the citations, claims it leaves alone follow their citations to the new list.
 * An article whose text is patched no longer has it from its seed file.
 */
function patched(type: EntityDefinition['type'], record: object, patch: Record<string, unknown>): object {
  // Clearing an event's place clears what supported it, unless the patch says otherwise.
  const placeCleared = type === 'Event' && patch.place === null ? { placeSupport: null, placeBasis: null, placeNote: null } : {};
  const after = applyPatch(record, { ...placeCleared, ...patch });
  if (type === 'Event' && patch.citations != null) {
    return carrySupportByCitation(record as EventInput, after as EventInput, {
      participants: patch.participants === undefined,
      date: patch.dateSupport === undefined,
      place: patch.placeSupport === undefined,
      disputes: patch.disputes === undefined,
    });
  }
  if (type === 'Article' && patch.text !== undefined) {
    const { textFile: _seedFile, ...article } = after as ArticleRecordInput;
    return article;
  }
  return after;
}

/** create, update, upsert, delete and restore for one kind of record. */
function recordMutations(options: {
  type: EntityDefinition['type'];
  table: TableName;
  ref: unknown;
  definition: EntityDefinition<any, any>;
  input: InputObjectRef<any, any>;
  patch: InputObjectRef<any, any>;
}) {
  const { type, table, ref, definition, input, patch } = options;
  const field = type.charAt(0).toLowerCase() + type.slice(1);
  const aNoun = withArticle(definition.noun);
  const isEvent = type === 'Event';
  builder.mutationFields((t) => {
    const statusCitation = isEvent
      ? { statusCitation: t.arg({ type: CitationKeyInput, description: 'When the status changes: the citation that justifies it.' }) }
      : {};
    const returns = { types: WRITE_ERRORS, dataField: { name: field } };
    const slug = () => t.arg.string({ required: true, validate: slugSchema });
    return {
      [`create${type}`]: t.field({
        type: ref,
        description: `Creates ${aNoun}. Needs an editor token.`,
        authScopes: { editor: true },
        errors: returns,
        args: { input: t.arg({ type: input, required: true, validate: checkedBy(definition.schema) }) },
        resolve: (_root: unknown, args: any, context: TimelineContext) =>
          write(context, table, (tx) => saveRecord(tx, definition, args.input, editorOf(context), { mode: 'create' })),
      } as never),
      [`update${type}`]: t.field({
        type: ref,
        description: `Changes the given fields of ${aNoun}. Needs an editor token.`,
        authScopes: { editor: true },
        errors: returns,
        args: { slug: slug(), patch: t.arg({ type: patch, required: true }), ...statusCitation },
        resolve: (_root: unknown, args: any, context: TimelineContext) =>
          write(context, table, async (tx) =>
            saveRecord(tx, definition, patched(type, (await readRecord(tx, definition, args.slug)) as object, args.patch), editorOf(context), {
              mode: 'update',
              currentSlug: args.slug,
              statusCitation: args.statusCitation,
            }),
          ),
      } as never),
      [`upsert${type}`]: t.field({
        type: ref,
        description: `Creates the ${definition.noun} with this slug, or replaces it whole. Needs an editor token.`,
        authScopes: { editor: true },
        errors: returns,
        args: { input: t.arg({ type: input, required: true, validate: checkedBy(definition.schema) }), ...statusCitation },
        resolve: (_root: unknown, args: any, context: TimelineContext) =>
          write(context, table, (tx) =>
            saveRecord(tx, definition, args.input, editorOf(context), { mode: 'upsert', statusCitation: args.statusCitation }),
          ),
      } as never),
      [`delete${type}`]: t.field({
        type: DeletedRecord,
        description: `Deletes ${aNoun}, keeping it in its revisions. Needs an admin token.`,
        authScopes: { admin: true },
        errors: { types: WRITE_ERRORS, dataField: { name: 'deleted' } },
        args: { slug: slug() },
        resolve: (_root: unknown, args: any, context: TimelineContext) =>
          commit(context, async (tx) => {
            const result = await deleteRecord(tx, definition, args.slug, editorOf(context));
            return { result, value: { type, id: result.id, slug: result.slug } };
          }),
      } as never),
      [`restore${type}`]: t.field({
        type: ref,
        description: `Brings back a deleted ${definition.noun} from its last revision, with its old id. Needs an admin token.`,
        authScopes: { admin: true },
        errors: returns,
        args: { slug: slug() },
        resolve: (_root: unknown, args: any, context: TimelineContext) =>
          write(context, table, (tx) => restoreRecord(tx, definition, args.slug, editorOf(context))),
      } as never),
    };
  });
}

recordMutations({ type: 'Event', table: 'events', ref: EventRef, definition: eventDefinition, input: EventInputType, patch: EventPatch });
recordMutations({ type: 'Actor', table: 'actors', ref: ActorRef, definition: actorDefinition, input: ActorInput, patch: ActorPatch });
recordMutations({ type: 'Place', table: 'places', ref: PlaceRef, definition: placeDefinition, input: PlaceInput, patch: PlacePatch });
recordMutations({ type: 'Source', table: 'sources', ref: SourceRef, definition: sourceDefinition, input: SourceInput, patch: SourcePatch });
recordMutations({ type: 'Article', table: 'articles', ref: ArticleRef, definition: articleDefinition, input: ArticleInput, patch: ArticlePatch });

// Citations, participants and links are parts of an event: each edit rewrites the event's record
// through the same write path, and is recorded as a revision of the event.

function editEventAndReturn(context: TimelineContext, slug: string, change: (record: EventInput) => EventInput) {
  return write(context, 'events', (tx) => editEvent(tx, slug, editorOf(context), change));
}

/** Adds or replaces the participant the arguments describe. */
function writeParticipant(context: TimelineContext, args: ParticipantArgs, replace: boolean) {
  return write(context, 'events', async (tx) => {
    const participant = await participantOf(tx, args);
    return editEvent(tx, args.event, editorOf(context), (record) => {
      const participants = [...(record.participants ?? [])];
      if (!replace) return { ...record, participants: [...participants, participant] };
      const index = requireIndex(participants.findIndex((p) => p.actor === args.actor), 'Participant', `${args.event} ${args.actor}`);
      participants[index] = participant;
      return { ...record, participants };
    });
  });
}

interface ParticipantArgs {
  event: string;
  actor: string;
  role: ParticipantRoleValue;
  supportedBy?: { id: string | number }[] | null;
  basis?: 'CITED' | 'OUTSIDE' | null;
  note?: string | null;
}

/** A participant as the event's record holds it: the supporting citations, given by id, as indexes into its citations. */
async function participantOf(tx: TimelineTransaction, args: ParticipantArgs) {
  const supportedBy = await citationIndexes(tx, args.event, (args.supportedBy ?? []).map((id) => Number(id.id)));
  return { actor: args.actor, role: args.role, supportedBy, ...(args.basis ? { basis: args.basis } : {}), ...(args.note ? { note: args.note } : {}) };
}

function requireIndex(index: number, entity: string, key: string) {
  if (index < 0) throw new RecordNotFoundError(entity, key);
  return index;
}

builder.mutationFields((t) => {
  const slug = () => t.arg.string({ required: true, validate: slugSchema });
  const participantArgs = () => ({
    event: slug(),
    actor: slug(),
    role: t.arg({ type: ParticipantRole, required: true }),
    supportedBy: t.arg.globalIDList({
      for: CitationRef,
      description: "Ids of the event's citations that report this actor in this role. Needed unless basis is OUTSIDE.",
    }),
    basis: t.arg({ type: ClaimBasis, description: 'CITED (the default) or OUTSIDE, with a note naming the outside fact.' }),
    note: t.arg.string(),
  });
  const linkArgs = () => ({ from: slug(), type: t.arg({ type: EventRelationType, required: true }), to: slug() });
  return {
    addCitation: t.field({
      type: CitationRef,
      description: 'Adds a citation to an event. Needs an editor token.',
      authScopes: { editor: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'citation' } },
      args: { event: slug(), citation: t.arg({ type: CitationInput, required: true }) },
      resolve: async (_root, args, context) => {
        const citation = applyPatch({}, args.citation) as CitationKey;
        const id = await commit(context, async (tx) => {
          const result = await editEvent(tx, args.event, editorOf(context), (record) => ({ ...record, citations: [...record.citations, citation] }));
          return { result, value: await citationId(tx, result.id, citation) };
        });
        return findById(context, 'citations', id);
      },
    }),
    updateCitation: t.field({
      type: CitationRef,
      description: 'Changes a citation. Needs an editor token.',
      authScopes: { editor: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'citation' } },
      args: { id: t.arg.globalID({ required: true, for: CitationRef }), patch: t.arg({ type: CitationPatch, required: true }) },
      resolve: async (_root, args, context) => {
        const id = await commit(context, async (tx) => {
          const { eventSlug, index } = await locateCitation(tx, Number(args.id.id));
          let updated: CitationKey = { article: '', quote: '' };
          const result = await editEvent(tx, eventSlug, editorOf(context), (record) => {
            const citations = [...record.citations];
            updated = applyPatch(citations[index]!, args.patch);
            citations[index] = updated;
            return { ...record, citations };
          });
          return { result, value: await citationId(tx, result.id, updated) };
        });
        return findById(context, 'citations', id);
      },
    }),
    deleteCitation: t.field({
      type: EventRef,
      description: 'Removes a citation from its event (an event keeps at least one). Needs an admin token.',
      authScopes: { admin: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'event' } },
      args: { id: t.arg.globalID({ required: true, for: CitationRef }) },
      resolve: (_root, args, context) =>
        write(context, 'events', async (tx) => {
          const { eventSlug, index } = await locateCitation(tx, Number(args.id.id));
          return editEvent(tx, eventSlug, editorOf(context), (record) => withoutCitation(record, index));
        }),
    }),
    addParticipant: t.field({
      type: EventRef,
      description: 'Adds an actor to an event in a role. Needs an editor token.',
      authScopes: { editor: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'event' } },
      args: participantArgs(),
      resolve: (_root, args, context) => writeParticipant(context, args, false),
    }),
    updateParticipant: t.field({
      type: EventRef,
      description: "Changes a participant's role. Needs an editor token.",
      authScopes: { editor: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'event' } },
      args: participantArgs(),
      resolve: (_root, args, context) => writeParticipant(context, args, true),
    }),
    removeParticipant: t.field({
      type: EventRef,
      description: 'Takes an actor off an event. Needs an admin token.',
      authScopes: { admin: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'event' } },
      args: { event: slug(), actor: slug() },
      resolve: (_root, args, context) =>
        editEventAndReturn(context, args.event, (record) => {
          const participants = record.participants ?? [];
          requireIndex(participants.findIndex((p) => p.actor === args.actor), 'Participant', `${args.event} ${args.actor}`);
          return { ...record, participants: participants.filter((p) => p.actor !== args.actor) };
        }),
    }),
    addEventRelation: t.field({
      type: EventRef,
      description: 'Links two events: "from <type> to". Needs an editor token.',
      authScopes: { editor: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'event' } },
      args: linkArgs(),
      resolve: (_root, args, context) =>
        editEventAndReturn(context, args.from, (record) => ({
          ...record,
          related: [...(record.related ?? []), { type: args.type, event: args.to }],
        })),
    }),
    deleteEventRelation: t.field({
      type: EventRef,
      description: 'Removes a link between two events. Needs an admin token.',
      authScopes: { admin: true },
      errors: { types: WRITE_ERRORS, dataField: { name: 'event' } },
      args: linkArgs(),
      resolve: (_root, args, context) =>
        editEventAndReturn(context, args.from, (record) => {
          const related = record.related ?? [];
          const matches = (r: { type: string; event: string }) => r.type === args.type && r.event === args.to;
          requireIndex(related.findIndex(matches), 'EventRelation', `${args.from} ${args.type} ${args.to}`);
          return { ...record, related: related.filter((r) => !matches(r)) };
        }),
    }),
  };
});
