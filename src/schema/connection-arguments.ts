import { decodeBase64, decodeCursorChunk } from '@pothos/core';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { cursorScope, readBoundCursor } from './cursor-binding.js';
import { listArguments } from './list-arguments.js';
import { rememberingPasses } from './operation-checks.js';
import { MAX_LIST_ARGUMENT_ITEMS, MAX_PAGE_SIZE } from './page-size.js';

/**
 * Checks the arguments of every field in an operation before anything runs: the paging arguments
 * of connections, and the length of every list argument (outside mutations' inputs, which the write
 * path checks). Pothos would otherwise clamp `first: 1000` to the maximum without a word, and never
 * look at `first`/`after` at all when only `totalCount` is selected; clients get a clear error instead.
 */
export function connectionArgumentProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError[] {
  const problems: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!definition || !parent) return;
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(definition, node, variables ?? {});
        } catch {
          return; // the executor reports arguments it cannot coerce
        }
        const where = `${parent.name}.${definition.name}`;
        const fail = (message: string, code = 'BAD_USER_INPUT') =>
          problems.push(new GraphQLError(message, { nodes: [node], extensions: { code, field: where, http: { spec: true, status: 400 } } }));
        if (parent !== schema.getMutationType()) {
          for (const list of listArguments(definition.args, args)) {
            if (list.items > MAX_LIST_ARGUMENT_ITEMS) {
              fail(`Argument "${list.path}" of ${where} has ${list.items} items; the limit is ${MAX_LIST_ARGUMENT_ITEMS}.`, 'LIMIT_EXCEEDED');
            }
          }
        }
        if (!getNamedType(definition.type).name.endsWith('Connection')) return;
        for (const name of ['first', 'last'] as const) {
          const value = args[name];
          if (typeof value === 'number' && (value < 0 || value > MAX_PAGE_SIZE)) {
            fail(`Argument "${name}" of ${where} must be between 0 and ${MAX_PAGE_SIZE}; got ${value}.`);
          }
        }
        if (args.first != null && args.last != null) {
          fail(`${where} takes "first" or "last", not both.`);
        }
        const scope = cursorScope(where, args);
        for (const name of ['after', 'before'] as const) {
          const value = args[name];
          if (typeof value !== 'string') continue;
          const bound = readBoundCursor(value);
          if (!bound || !isWellFormedCursor(bound.cursor)) {
            fail(`Argument "${name}" of ${where} is not a cursor this server issued: "${value.slice(0, 80)}".`);
          } else if (bound.scope !== scope) {
            fail(`Argument "${name}" of ${where} is not a cursor of ${scope}; it was issued by ${bound.scope.slice(0, 200)}.`);
          }
        }
      },
    }),
  );
  return problems;
}

/** True for the two cursor forms the paging libraries issue: key-set cursors and offset cursors. */
export function isWellFormedCursor(cursor: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(cursor)) return false;
  let decoded: string;
  try {
    decoded = decodeBase64(cursor);
  } catch {
    return false;
  }
  if (/^OffsetConnection:\d{1,9}$/.test(decoded)) return true;
  if (!decoded.startsWith('DC:')) return false;
  try {
    const value = decodeCursorChunk(decoded.slice(3));
    const parts = Array.isArray(value) ? value : [value];
    // The numbers in the cursors issued here are ids: whole, and within what a row id can be.
    return parts.length > 0 && parts.every((part) => typeof part === 'string' || Number.isSafeInteger(part));
  } catch {
    return false;
  }
}

/** Yoga plugin: rejects an operation or subscription with bad arguments before it runs. */
export function useConnectionArgumentChecks(): Plugin {
  const checkedProblems = rememberingPasses(connectionArgumentProblems);
  const check = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution(result: ExecutionResult): void }) => {
    const problems = checkedProblems(args.schema, args.document, args.variableValues ?? undefined, args.operationName);
    if (problems.length > 0) setResultAndStopExecution({ errors: problems });
  };
  return { onExecute: check, onSubscribe: check };
}
