import {
  defaultFieldResolver,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isObjectType,
} from 'graphql';

/** The moment a request's resolution must stop by, set per request in its context. */
export interface DeadlineContext {
  deadline?: number;
  timeoutMs?: number;
}

/** Starts the clock for one execution: a query, a mutation, or one change pushed to a subscriber. */
export function startDeadline(context: DeadlineContext) {
  if (context.timeoutMs !== undefined) context.deadline = Date.now() + context.timeoutMs;
}

/**
 * Makes every field that returns objects check the request's deadline before it resolves, so a
 * query that runs too long stops at the next such field with a clear error. Queries here run
 * synchronously on SQLite, so nothing else could interrupt them; each SQL statement itself is
 * kept short by the page-size, search-length and complexity limits.
 */
export function withDeadlines(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve: GraphQLFieldResolver<unknown, DeadlineContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        if (context.deadline !== undefined && Date.now() > context.deadline) {
          throw new GraphQLError(`The query ran longer than the ${context.timeoutMs} ms allowed and was stopped.`, {
            extensions: { code: 'TIMEOUT', http: { status: 503 } },
          });
        }
        return resolve(parent, args, context, info);
      };
    }
  }
  return schema;
}
