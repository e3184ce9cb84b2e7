import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { type ExecutionArgs, type ExecutionResult, GraphQLError, type ValidationContext, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { rememberingPasses } from '../schema/operation-checks.js';
import { MAX_LIST_ARGUMENT_ITEMS, MAX_PAGE_SIZE, MAX_RELATION_LIST_ITEMS } from '../schema/page-size.js';

/**
 * What one request may ask for. Every example query in the README and the timeline page's queries
 * stay well inside these (a test checks that each uses at most half of every limit).
 */
export const LIMITS = {
  /** Nesting of selections, counted the way Pothos counts it (a connection's edges and node are levels). */
  depth: 24,
  /** Fields selected side by side, at most. */
  breadth: 300,
  /** Estimated work: each field costs 1, times the page size of every connection above it. */
  complexity: 250_000,
  aliases: 30,
  directives: 20,
  /** Lexical tokens in the document. */
  tokens: 4_000,
  /** Size of a request body, refused before it is parsed. */
  bodyBytes: 100_000,
  /** Nesting of objects and arrays in a request's variables or extensions, refused before they are read. */
  variablesDepth: 64,
  /** Time a request may spend resolving fields before it is stopped. */
  timeoutMs: 5_000,
  pageSize: MAX_PAGE_SIZE,
  /** Items in one list argument (`nodes(ids:)`, `filter.actors`). */
  listArgumentItems: MAX_LIST_ARGUMENT_ITEMS,
  /** Items a plain relation list holds (an event's links, an actor's affiliations and members). */
  relationListItems: MAX_RELATION_LIST_ITEMS,
  /** Size of a response body; a larger answer is replaced by an error and never sent. */
  responseBytes: 4_000_000,
  /** Subscriptions open at once on one server process. */
  streams: 1_000,
  /** Subscriptions open at once from one client address. */
  streamsPerClient: 20,
  /** Changes a subscriber may leave unread before its stream is ended. */
  streamBacklog: 500,
} as const;

export type Limits = { [K in keyof typeof LIMITS]: number };

/**
 * A refusal that names the limit and its value. Like a validation error under the GraphQL over
 * HTTP spec, it is HTTP 400 for clients that accept application/graphql-response+json (and 200
 * for those that only accept application/json).
 */
export function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'LIMIT_EXCEEDED', http: { spec: true, status: 400 } } });
}

/**
 * graphql-armor words every refusal "Syntax Error: Aliases limit of 30 exceeded, found 35."; the
 * query's syntax is fine, a limit was hit, so the refusal says only which one.
 */
function armorRefusal(error: GraphQLError): GraphQLError {
  return limitError(error.message.replace(/^Syntax Error: /, ''));
}

/**
 * graphql-armor for aliases, directives and tokens (and, outside development, no "Did you mean"
 * suggestions). Its rejections are reported as validation errors, so they come back as HTTP 400.
 */
function armorPlugins(limits: Limits, development: boolean) {
  const report = (context: ValidationContext | null, error: GraphQLError) => {
    context?.reportError(armorRefusal(error));
  };
  const callbacks = { propagateOnRejection: false, onReject: [report], exposeLimits: true };
  // Tokens are counted while parsing, where there is no validation to report to: the refusal is
  // thrown from the parser, and keeps its LIMIT_EXCEEDED code rather than Yoga's GRAPHQL_PARSE_FAILED.
  const refuseTokens = (_context: ValidationContext | null, error: GraphQLError) => {
    throw armorRefusal(error);
  };
  return new EnvelopArmor({
    costLimit: { enabled: false },
    maxDepth: { enabled: false },
    maxAliases: { n: limits.aliases, ...callbacks },
    maxDirectives: { n: limits.directives, ...callbacks },
    maxTokens: { n: limits.tokens, exposeLimits: true, propagateOnRejection: false, onReject: [refuseTokens] },
    blockFieldSuggestion: { enabled: !development },
  }).protect().plugins;
}

/**
 * Depth, breadth and complexity, measured by Pothos's complexity rule for the operation being
 * run with its variables (page sizes count), before anything executes.
 */
function complexityPlugin(limits: Limits): Plugin {
  const problems = rememberingPasses((schema, document, variableValues, operationName) => {
    const errors: GraphQLError[] = [];
    const rule = createComplexityRule({
      // The schema's costs read only the arguments and the field, never the context.
      context: {},
      variableValues: variableValues ?? {},
      operationName: operationName ?? undefined,
      validate: (result) => {
        const over = (name: string, value: number, limit: number) =>
          value > limit && errors.push(limitError(`The query's ${name} is ${value}; the limit is ${limit}.`));
        over('depth', result.depth, limits.depth);
        over('breadth', result.breadth, limits.breadth);
        over('complexity', result.complexity, limits.complexity);
      },
    });
    try {
      // The rule reports an argument it cannot read (a malformed global ID) instead of a cost:
      // such an operation is refused, never run unmeasured.
      for (const error of validate(schema, document, [rule])) {
        errors.push(new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { spec: true, status: 400 } } }));
      }
    } catch {
      // Arguments that fail validation are left for execution to report as it always does.
    }
    return errors;
  });
  const check = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution(result: ExecutionResult): void }) => {
    const errors = problems(args.schema, args.document, args.variableValues ?? undefined, args.operationName);
    if (errors.length > 0) setResultAndStopExecution({ errors });
  };
  // A subscription's selection is resolved again for every change it pushes: the same limits hold.
  return { onExecute: check, onSubscribe: check };
}

function bodyTooLarge(limit: number) {
  return new GraphQLError(`The request body is over ${limit} bytes, the limit.`, {
    extensions: { code: 'LIMIT_EXCEEDED', http: { status: 413 } },
  });
}

/** The stream's bytes, or a 413 error as soon as they pass `limit`: a huge body is never held whole. */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (body) {
    const reader = body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw bodyTooLarge(limit);
      }
      chunks.push(chunk.value);
    }
  }
  return Buffer.concat(chunks);
}

/**
 * Refuses a body over the limit before Yoga parses it: at once by its declared length, else by
 * reading it no further than the limit; a body within it goes on to Yoga's own parser.
 */
function bodySizePlugin(limits: Limits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method !== 'POST' || !requestParser) return;
      setRequestParser(async (incoming) => {
        const declared = incoming.headers.get('content-length');
        if (declared !== null) {
          // Node's HTTP parser holds a body to its declared length, so that length is enough to judge it.
          if (Number(declared) > limits.bodyBytes) throw bodyTooLarge(limits.bodyBytes);
          return requestParser(incoming);
        }
        const body = await readAtMost(incoming.body, limits.bodyBytes);
        return requestParser(new fetchAPI.Request(incoming.url, { method: 'POST', headers: incoming.headers, body: new Blob([new Uint8Array(body)]) }));
      });
    },
  };
}

export function useRequestLimits(limits: Limits, { development }: { development: boolean }): Plugin[] {
  return [bodySizePlugin(limits), ...(armorPlugins(limits, development) as Plugin[]), complexityPlugin(limits)];
}
