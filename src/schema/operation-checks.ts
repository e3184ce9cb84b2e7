import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';

/** Variable sets remembered per document; past it the oldest is forgotten. */
const PASSES_PER_DOCUMENT = 64;

/** Variables this large (as JSON) are checked every time rather than remembered. */
const REMEMBERED_VARIABLES_CHARACTERS = 2_000;

/**
 * A check of an operation before it runs (its limits, its connection arguments) that depends only
 * on the document, the operation's name and the variables: run once per document and variables,
 * the answer remembered while it passes. Yoga's parse cache hands the same document object to
 * every request with the same text, so a document is its identity (and is forgotten with it).
 * A failing check is run again every time, so each refusal is a fresh error.
 */
export function rememberingPasses(check: OperationCheck): OperationCheck {
  const passed = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Set<string>>>();
  return (schema, document, variables, operationName) => {
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}`;
    let documents = passed.get(schema);
    if (!documents) passed.set(schema, (documents = new WeakMap()));
    const seen = documents.get(document);
    if (seen?.has(key)) return [];
    const problems = check(schema, document, variables, operationName);
    if (problems.length === 0 && key.length <= REMEMBERED_VARIABLES_CHARACTERS) {
      const set = seen ?? new Set<string>();
      if (set.size >= PASSES_PER_DOCUMENT) set.delete(set.values().next().value as string);
      set.add(key);
      if (!seen) documents.set(document, set);
    }
    return problems;
  };
}

export type OperationCheck = (
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
) => GraphQLError[];
