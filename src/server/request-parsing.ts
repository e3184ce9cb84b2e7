import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * A body or query string that does not parse (JSON that is not JSON, in either) is the client's
 * mistake: 400 BAD_REQUEST with what was wrong, never a 500 or the parser's own error object. So is
 * text holding a NUL character (U+0000): no field takes one (records refuse control characters),
 * and PostgreSQL cannot even compare it, so it is refused the same way on both databases.
 */
export function useUnparsableRequestRefusal(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        let params: Awaited<ReturnType<typeof requestParser>>;
        try {
          params = await requestParser(request);
        } catch (error) {
          const message = error instanceof GraphQLError ? error.message : unparsable(error, request.method);
          throw new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: (error as GraphQLError).extensions?.http?.status ?? 400 } } });
        }
        if (holdsNul(params)) {
          throw new GraphQLError('The request holds a NUL character (U+0000), which no text in this API may contain.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        return params;
      });
    },
  };
}

/** Whether any text in `value`, a key or a string, holds U+0000; walked without recursion, however deep. */
function holdsNul(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, inner] of Object.entries(next)) pending.push(key, inner);
    }
  }
  return false;
}

function unparsable(error: unknown, method: string): string {
  const where = method === 'GET' ? 'The query string' : 'The request body';
  return error instanceof SyntaxError
    ? `${where} is not valid: variables, extensions and JSON bodies must be JSON.`
    : `${where} could not be read as a GraphQL request.`;
}
