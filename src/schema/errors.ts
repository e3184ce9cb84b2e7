import { GraphQLError } from 'graphql';

/** An error in what the client sent, shown to the client as is (with code BAD_USER_INPUT). */
export function badInput(message: string, argumentPath?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argumentPath ? { argument: argumentPath } : {}) },
  });
}
