import {
  defaultFieldResolver,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isObjectType,
} from 'graphql';
import { StatementBudgetError } from '../db/statement-budget.js';

/** The moment a request's resolution must stop by, set per request in its context. */
export interface DeadlineContext {
  deadline?: number;
  timeoutMs?: number;
  /** Why this execution stopped early: every field after the first that ran out of time fails at once. */
  stoppedBy?: Error;
}

/** Starts the clock for one execution: a query, a mutation, or one change pushed to a subscriber. */
export function startDeadline(context: DeadlineContext) {
  if (context.timeoutMs !== undefined) context.deadline = Date.now() + context.timeoutMs;
  context.stoppedBy = undefined;
}

const stopsExecution = (error: unknown) =>
  error instanceof StatementBudgetError ||
  (error as { cause?: unknown } | null)?.cause instanceof StatementBudgetError ||
  (error instanceof GraphQLError && error.extensions?.code === 'TIMEOUT');

/**
 * Makes every field that returns objects check the request's deadline before it resolves, so a
 * query that runs too long stops at the next such field with a clear error; and once one field
 * has run out of time (or past the statement budget), every later one fails at once instead of
 * running too. Each SQL statement is bounded by the statement budget (src/db/statement-budget.ts),
 * and requests take turns between statements (src/db/turn-taking.ts).
 */
export function withDeadlines(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve: GraphQLFieldResolver<unknown, DeadlineContext> = field.resolve ?? defaultFieldResolver;
      if (type === schema.getSubscriptionType()) {
        // A subscription's root field resolves once per pushed change: each push starts its own clock,
        // however long the subscriber waited for it.
        field.resolve = (parent, args, context, info) => {
          startDeadline(context);
          return resolve(parent, args, context, info);
        };
        continue;
      }
      field.resolve = (parent, args, context, info) => {
        if (context.stoppedBy) throw context.stoppedBy;
        if (context.deadline !== undefined && Date.now() > context.deadline) {
          throw (context.stoppedBy = new GraphQLError(`The query ran longer than the ${context.timeoutMs} ms allowed and was stopped.`, {
            extensions: { code: 'TIMEOUT', http: { status: 503 } },
          }));
        }
        const stopping = (error: unknown) => {
          if (stopsExecution(error)) context.stoppedBy = error as Error;
          throw error;
        };
        try {
          const result = resolve(parent, args, context, info) as unknown;
          return typeof (result as PromiseLike<unknown> | null)?.then === 'function' ? Promise.resolve(result).catch(stopping) : result;
        } catch (error) {
          return stopping(error);
        }
      };
    }
  }
  return schema;
}
