import { GraphQLError } from 'graphql';

/** A `BAD_USER_INPUT` error, raised before any vendor is called. */
export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) },
  });
}
