import { RecordConflictError, RecordNotFoundError, RecordValidationError } from '../domain/errors.js';
import { and, eq } from 'drizzle-orm';
import { revisions } from '../db/schema.js';
import { ENTITY_TYPES, type EntityType as EntityTypeName, REVISION_ACTIONS } from '../domain/vocabulary.js';
import { builder } from './builder.js';
import { sharedConnection } from './connections.js';

export const JSONScalar = builder.scalarType('JSON', {
  description: 'A JSON value: here, a record in the shape of the seed files.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

// UPPER_CASE in the API like every other enum; the database and the write path keep 'Event', 'Actor', ….
const ENTITY_TYPE_VALUES = Object.fromEntries(ENTITY_TYPES.map((type) => [type.toUpperCase(), { value: type }])) as {
  [Type in EntityTypeName as Uppercase<Type>]: { value: Type };
};
export const EntityType = builder.enumType('EntityType', { values: ENTITY_TYPE_VALUES });
export const RevisionAction = builder.enumType('RevisionAction', { values: REVISION_ACTIONS });

const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'A write that was refused; nothing was written.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldIssue = builder.objectRef<{ path: string; message: string }>('FieldIssue').implement({
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Where in the input, like "participants[0].actor".' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(RecordValidationError, {
  name: 'ValidationError',
  description: 'The input breaks a rule: the first problem as path and message, and all of them in issues.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    path: t.string({ resolve: (error) => error.issues[0]?.path ?? '' }),
    message: t.string({ resolve: (error) => error.issues[0]?.message ?? error.message }),
    issues: t.field({ type: [FieldIssue], resolve: (error) => error.issues }),
  }),
});

builder.objectType(RecordNotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString('entity'),
    slug: t.exposeString('slug', { description: 'The slug (or citation id) that matched nothing.' }),
  }),
});

builder.objectType(RecordConflictError, {
  name: 'ConflictError',
  description: 'The write clashes with what is stored: a slug in use, or records that still depend on this one.',
  interfaces: [ErrorInterface],
});

export const WRITE_ERRORS = [RecordValidationError, RecordNotFoundError, RecordConflictError];

/** A whole record as JSON costs what selecting its fields one by one would, about twenty. */
export const RECORD_COST = 20;

const RevisionRef = builder.drizzleObject('revisions', {
  name: 'Revision',
  description: 'One write: who, when, and the record before and after (null when it did not exist).',
  fields: (t) => ({
    action: t.expose('action', { type: RevisionAction }),
    entityType: t.expose('entityType', { type: EntityType }),
    slug: t.exposeString('entitySlug'),
    author: t.exposeString('author', { description: 'The name of the token that made the change, or "seed".' }),
    at: t.exposeString('at', { description: 'When, as an ISO 8601 timestamp (UTC).' }),
    before: t.field({ type: JSONScalar, nullable: true, complexity: RECORD_COST, resolve: (revision) => servedRecord(parseJson(revision.before)) }),
    after: t.field({ type: JSONScalar, nullable: true, complexity: RECORD_COST, resolve: (revision) => servedRecord(parseJson(revision.after)) }),
    statusCitation: t.field({
      type: JSONScalar,
      nullable: true,
      complexity: RECORD_COST,
      description: "For a change of an event's status: the citation (article and quote) that justified it.",
      // The article's internal id is kept for what was known when; the API names it by slug.
      resolve: (revision) => {
        const justification = parseJson(revision.justification) as { articleId?: number } | null;
        if (justification === null) return null;
        const { articleId: _internal, ...citation } = justification;
        return citation;
      },
    }),
  }),
});

export const RevisionConnection = sharedConnection(RevisionRef, 'Revision');

/** Oldest first; ids grow with every write. */
const revisionOrder = { id: 'asc' } as const;

/** The options of every record type's `revisions` connection. */
export const revisionHistory = {
  description: 'Every write to this record, oldest first: who, when, before and after.',
  totalCount: true,
  query: () => ({ orderBy: revisionOrder }),
} as const;

/**
 * A revision's record as the API serves it: an article's text is kept (so a deleted article comes
 * back whole) but not republished; its length stands in for it.
 */
export function servedRecord(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || typeof (record as { text?: unknown }).text !== 'string') return record;
  const { text, ...rest } = record as { text: string };
  return { ...rest, textCharacters: [...text].length };
}

export function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

builder.queryField('history', (t) =>
  t.drizzleConnection(
    {
      type: 'revisions',
      description: 'Every revision of the record of this type and slug, oldest first, including one deleted since.',
      args: {
        type: t.arg({ type: EntityType, required: true }),
        slug: t.arg.string({ required: true }),
      },
      totalCount: (_root, args, context) =>
        context.db.$count(revisions, and(eq(revisions.entityType, args.type), eq(revisions.entitySlug, args.slug))),
      resolve: (query, _root, args, context) =>
        context.db.query.revisions.findMany(
          query({ where: { entityType: args.type, entitySlug: args.slug }, orderBy: revisionOrder }),
        ),
    },
    RevisionConnection,
  ),
);
