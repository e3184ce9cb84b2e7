import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin, { resolveNodes } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError, type GraphQLResolveInfo, getNamedType, isListType, getNullableType } from 'graphql';
import type { DatabaseHandle, TimelineDatabase } from '../db/client.js';
import { relations, tableConfig, type TimelineRelations } from '../db/relations.js';
import { formatIssuePath, RecordValidationError } from '../domain/errors.js';
import type { PartialDate } from '../domain/partial-date.js';
import type { Viewer } from '../server/auth.js';
import type { DeadlineContext } from '../server/deadline.js';
import type { LiveChanges } from '../server/live-changes.js';
import { cursorBindingPlugin } from './cursor-binding.js';
import { listArguments } from './list-arguments.js';
import { DEFAULT_PAGE_SIZE, MAX_LIST_ARGUMENT_ITEMS, MAX_PAGE_SIZE, MAX_RELATION_LIST_ITEMS } from './page-size.js';

export interface TimelineContext extends DeadlineContext {
  /** The database, for writes (`database.write`) and dialect-aware conditions. */
  database: DatabaseHandle;
  /** Its reads: relational queries, awaited. */
  db: TimelineDatabase;
  /** Who the request's token says sent it; null without a valid token. */
  viewer: Viewer | null;
  /** The request sent a token that is unknown, revoked or malformed; it may still read, as anyone may. */
  invalidToken?: boolean;
  /** Every committed change to the timeline, for subscriptions. */
  changes: LiveChanges;
  /** The address the request came from, for per-client caps; "local" when called in-process. */
  clientAddress: string;
}

export const builder = new SchemaBuilder<{
  Context: TimelineContext;
  DrizzleRelations: TimelineRelations;
  DefaultFieldNullability: false;
  AuthScopes: { editor: boolean; admin: boolean };
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    Date: { Input: string; Output: string };
    PartialDateString: { Input: PartialDate; Output: string };
    DateTime: { Input: string; Output: string };
  };
}>({
  // The errors plugin wraps the validation plugin, so failed validation becomes a ValidationError result.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, ComplexityPlugin, RelayPlugin, DrizzlePlugin, cursorBindingPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({
      editor: context.viewer?.role === 'editor' || context.viewer?.role === 'admin',
      admin: context.viewer?.role === 'admin',
    }),
    unauthorizedError: (_parent, context, info) =>
      context.viewer
        ? new GraphQLError(`The token "${context.viewer.name}" (${context.viewer.role}) may not use ${info.fieldName}.`, {
            extensions: { code: 'FORBIDDEN' },
          })
        : context.invalidToken
          ? new GraphQLError(`The token is not valid (unknown, revoked or malformed): ${info.fieldName} needs a current token, sent as "Authorization: Bearer <token>".`, {
              extensions: { code: 'UNAUTHENTICATED' },
            })
          : new GraphQLError(`${info.fieldName} needs a token: send "Authorization: Bearer <token>".`, {
              extensions: { code: 'UNAUTHENTICATED' },
            }),
  },
  // Each field costs 1, plus one for every item of its list arguments (a filter's actors). What is
  // selected below a connection counts once per row it may return (its page size); below a list
  // sized by an argument (nodes(ids:)) once per item; below any other plain list once per item it
  // may hold (MAX_RELATION_LIST_ITEMS). The server enforces the limits (src/server/limits.ts).
  complexity: {
    fieldComplexity: (args, _context, field) => {
      const lists = listArguments(field.args, args as Record<string, unknown>);
      const cost = 1 + lists.reduce((sum, list) => sum + list.items, 0);
      const named = getNamedType(field.type).name;
      if (named.endsWith('Connection')) {
        const { first, last } = args as { first?: number | null; last?: number | null };
        return { field: cost, multiplier: first ?? last ?? DEFAULT_PAGE_SIZE };
      }
      // A connection's edges are already counted by its page size.
      if (!isListType(getNullableType(field.type)) || named.endsWith('Edge')) return { field: cost, multiplier: 1 };
      const sizedBy = lists.find((list) => !list.path.includes('.'));
      return { field: cost, multiplier: sizedBy ? sizedBy.items : MAX_RELATION_LIST_ITEMS };
    },
  },
  // Bad input comes back as a ValidationError result. It is checked before the token, which tells
  // an anonymous client only the schema's public rules, and nothing is written either way.
  errors: { unsafelyHandleInputErrors: true },
  validation: {
    // Paths inside a record argument are given within the record ("start", not "input.start"),
    // as the write path and the seed loader give them.
    validationError: (failure) =>
      new RecordValidationError(
        failure.issues.map((issue) => {
          const path = (issue.path ?? []).map((part) => (typeof part === 'object' ? part.key : part));
          return { path: formatIssuePath(path[0] === 'input' ? path.slice(1) : path), message: issue.message };
        }),
      ),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // One node, whatever the id: a fixed cost, so a malformed id is the field's own error and
    // never keeps the rest of the operation from being measured.
    nodeQueryOptions: {
      complexity: { field: 1, multiplier: 1 },
      description: 'The node with this id; null when it matches nothing (a record deleted since, say).',
      resolve: (_root, { id }, context, info) => nullWhenMissing(() => loadNode(context, info, id)),
    },
    nodesQueryOptions: {
      description: `The nodes with these ids, in the same order (null for an id that matches nothing); at most ${MAX_LIST_ARGUMENT_ITEMS} ids.`,
      // One id at a time, so that a missing one is null in its place; the loader still batches them into one query per type.
      resolve: (_root, { ids }, context, info) => ids.map((id) => nullWhenMissing(() => loadNode(context, info, id))),
    },
  },
  drizzle: {
    // Each request brings its own database handle, so tests and scripts can open their own.
    client: (context) => context.db,
    getTableConfig: tableConfig,
    relations,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
  },
});

builder.queryType({});

/** The drizzle plugin's node loader rejects an id that matches no row; a Relay client expects null. */
const MISSING_ROW = /^Model \w+\(.*\) not found$/s;

/** One node by its parsed global id, through the relay plugin's loading (batched per type within a tick). */
async function loadNode(context: TimelineContext, info: GraphQLResolveInfo, id: { id: unknown; typename: string }): Promise<unknown> {
  return (await resolveNodes(builder as never, context, info, [id as never]))[0];
}

async function nullWhenMissing<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof Error && MISSING_ROW.test(error.message)) return null;
    throw error;
  }
}
