import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Whether `value` nests objects and arrays more than `limit` levels deep (the value itself being
 * the first level). Walked with an explicit stack, never recursion: measuring must not overflow
 * on the very input it guards against.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses variables or extensions nested deeper than `limit`, as soon as Yoga has the request's
 * parameters and before anything else reads them: the response cache's key, graphql-js's variable
 * coercion and the complexity rule all walk them recursively.
 */
export function useVariablesDepthLimit(limit: number): Plugin {
  return {
    onParams({ params }) {
      for (const field of ['variables', 'extensions'] as const) {
        if (nestedDeeperThan(params[field], limit)) {
          throw new GraphQLError(`The request's ${field} are nested more than ${limit} levels deep, the limit.`, {
            extensions: { code: 'LIMIT_EXCEEDED', http: { status: 400 } },
          });
        }
      }
    },
  };
}
