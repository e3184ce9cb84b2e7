import {
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentSpreadNode,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type InlineFragmentNode,
  type SelectionSetNode,
  getArgumentValues,
  getDirectiveValues,
  getOperationAST,
  Kind,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { TimelineContext } from './builder.js';
import { claimAsOf } from './event-filter.js';

/** Whether @skip and @include let a selection run, as the executor will decide. */
function runs(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The root fields of the operation that will run: through fragments on the root type, skipping what @skip and @include leave out. */
function rootFieldsThatRun(args: ExecutionArgs, selectionSet: SelectionSetNode, seen = new Set<string>()): FieldNode[] {
  const variables = args.variableValues ?? {};
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (!runs(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFieldsThatRun(args, selection.selectionSet, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = args.document.definitions.find((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) fields.push(...rootFieldsThatRun(args, fragment.selectionSet, seen));
    }
  }
  return fields;
}

/**
 * Claims the operation's as-of day from its root fields before any of them resolves. A statement
 * reads the day when it is built, and root fields resolve in no order that could promise the day
 * is claimed by then (a connection's totalCount resolves only after every root field has started).
 * Only the fields that will run count: the operation chosen, without what @skip or @include leave
 * out. A nested Actor.events(asOf:) claims its day as it is planned, which is only when it runs.
 */
function claimOperationAsOf(args: ExecutionArgs): GraphQLError[] {
  const operation = getOperationAST(args.document, args.operationName);
  const rootType = operation && args.schema.getRootType(operation.operation);
  if (!operation || !rootType) return []; // the executor reports it
  const problems: GraphQLError[] = [];
  for (const node of rootFieldsThatRun(args, operation.selectionSet)) {
    const definition = rootType.getFields()[node.name.value];
    if (!definition?.args.some((argument) => argument.name === 'asOf')) continue;
    let asOf: unknown;
    try {
      asOf = getArgumentValues(definition, node, args.variableValues ?? {}).asOf;
    } catch {
      continue; // the executor reports arguments it cannot coerce
    }
    try {
      claimAsOf(args.contextValue as TimelineContext, asOf == null ? null : String(asOf));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      problems.push(new GraphQLError(error.message, { nodes: [node], extensions: { ...error.extensions, http: { spec: true, status: 400 } } }));
    }
  }
  return problems;
}

/** Yoga plugin: claims the as-of day of each operation and subscription before it runs. */
export function useOperationAsOf(): Plugin {
  const claim = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution(result: ExecutionResult): void }) => {
    const problems = claimOperationAsOf(args);
    if (problems.length > 0) setResultAndStopExecution({ errors: problems });
  };
  return { onExecute: claim, onSubscribe: claim };
}
