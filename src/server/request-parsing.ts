import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * A body or query string that does not parse (JSON that is not JSON, in either) is the client's
 * mistake: 400 BAD_REQUEST with what was wrong, never a 500 or the parser's own error object.
 */
export function useUnparsableRequestRefusal(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          const message = error instanceof GraphQLError ? error.message : unparsable(error, request.method);
          throw new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: (error as GraphQLError).extensions?.http?.status ?? 400 } } });
        }
      });
    },
  };
}

function unparsable(error: unknown, method: string): string {
  const where = method === 'GET' ? 'The query string' : 'The request body';
  return error instanceof SyntaxError
    ? `${where} is not valid: variables, extensions and JSON bodies must be JSON.`
    : `${where} could not be read as a GraphQL request.`;
}
