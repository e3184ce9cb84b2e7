import { type ExecutionArgs, type ExecutionResult, GraphQLError, getArgumentValues, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { TimelineContext } from './builder.js';
import { claimAsOf } from './event-filter.js';

/**
 * Claims the operation's as-of day before any field resolves: every `asOf` argument in the
 * document, literal or variable, wherever it sits. A statement reads the day when it is built,
 * and fields resolve in no order that could promise the day is claimed by then (a connection's
 * totalCount resolves only after every root field has started): so the whole operation is read
 * first. A bad day, or two different ones, is refused before anything runs.
 */
function claimOperationAsOf(args: ExecutionArgs): GraphQLError[] {
  const context = args.contextValue as TimelineContext;
  const problems: GraphQLError[] = [];
  const typeInfo = new TypeInfo(args.schema);
  visit(
    args.document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        if (!definition?.args.some((argument) => argument.name === 'asOf')) return;
        let asOf: unknown;
        try {
          asOf = getArgumentValues(definition, node, args.variableValues ?? {}).asOf;
        } catch {
          return; // the executor reports arguments it cannot coerce
        }
        try {
          claimAsOf(context, typeof asOf === 'string' ? asOf : null);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          problems.push(new GraphQLError(error.message, { nodes: [node], extensions: { ...error.extensions, http: { spec: true, status: 400 } } }));
        }
      },
    }),
  );
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
