import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { type DocumentNode, type GraphQLError, type GraphQLSchema, Kind, type TypeNode } from 'graphql';

/** Variable sets remembered per document; past it the oldest is forgotten. */
const PASSES_PER_DOCUMENT = 64;

/** Variables this large (as JSON) are checked every time rather than remembered. */
const REMEMBERED_VARIABLES_CHARACTERS = 2_000;

/** The names of an operation's variables of type ID (ID!, [ID!]! and so on), by document and operation name. */
const idVariables = new WeakMap<DocumentNode, Map<string, ReadonlySet<string>>>();

const namedTypeOf = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type));

function idVariablesOf(document: DocumentNode, operationName: string | null | undefined): ReadonlySet<string> {
  let byOperation = idVariables.get(document);
  if (!byOperation) idVariables.set(document, (byOperation = new Map()));
  let names = byOperation.get(operationName ?? '');
  if (!names) {
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    names = new Set((operation?.variableDefinitions ?? []).filter((variable) => namedTypeOf(variable.type) === 'ID').map((variable) => variable.variable.name.value));
    byOperation.set(operationName ?? '', names);
  }
  return names;
}

/** A record's id as this server writes them: a whole number, without a sign or leading zeros, within what a row id can be. */
const ROW_ID = /^[1-9]\d{0,14}$/;

/**
 * An ID variable's value as the checks see it. The limits count ids and read their types (a
 * globalID argument refuses another type's id) but never which record one names, so a global id
 * written as this server writes them stands for its type alone, and every node lookup shares
 * one remembered pass. Anything else (a malformed id, another encoding of one) stays as it came and
 * is checked for itself. The stand-in is an object, which no ID a check passes can be, and about
 * as long as the id it stands for, so a list of ids is remembered about as often as before.
 */
function asTheChecksSeeIt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asTheChecksSeeIt);
  if (typeof value !== 'string') return value;
  try {
    const { typename, id } = decodeGlobalID(value);
    if (ROW_ID.test(id) && encodeGlobalID(typename, id) === value) return { idOf: typename };
  } catch {
    // Not a global id: checked as it came.
  }
  return value;
}

function rememberedKey(document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | null | undefined): string {
  const ids = idVariablesOf(document, operationName);
  const seen = ids.size === 0 || !variables ? variables : Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, ids.has(name) ? asTheChecksSeeIt(value) : value]));
  return `${operationName ?? ''}\u0000${JSON.stringify(seen ?? {})}`;
}

/**
 * A check of an operation before it runs (its limits, its connection arguments) that depends only
 * on the document, the operation's name and the variables: run once per document and variables,
 * the answer remembered while it passes (global ids in ID variables count by their type alone:
 * `asTheChecksSeeIt`). Yoga's parse cache hands the same document object to
 * every request with the same text, so a document is its identity (and is forgotten with it).
 * A failing check is run again every time, so each refusal is a fresh error.
 */
export function rememberingPasses(check: OperationCheck): OperationCheck {
  const passed = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Set<string>>>();
  return (schema, document, variables, operationName) => {
    const key = rememberedKey(document, variables, operationName);
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
