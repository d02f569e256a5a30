import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { pathToArray } from 'graphql/jsutils/Path.js';
import type { GraphContext } from './context.js';
import { formatError } from './format-error.js';

/**
 * Errors of fields that still return data: a timeline page built without a source that failed
 * carries that source's error beside its edges. graphql-js reports an error only by nulling the
 * field it was thrown from, so these are collected in the request's context and added to the
 * response's `errors` (formatted like every other error) when it is sent.
 */
export function reportPartialError(context: GraphContext, info: GraphQLResolveInfo, error: unknown, extensions: Record<string, unknown>): void {
  const originalError = error instanceof Error ? error : new Error(String(error));
  context.partialErrors.push(
    new GraphQLError(originalError.message, { nodes: info.fieldNodes, path: pathToArray(info.path), originalError, extensions }),
  );
}

/** Adds the partial errors of an operation to its response, after the errors of nulled fields. */
export const partialErrorsPlugin: ApolloServerPlugin<GraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (contextValue.partialErrors.length === 0 || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        const formatted = contextValue.partialErrors.map((error) =>
          formatError({ ...error.toJSON(), extensions: { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' } }, error),
        );
        result.errors = [...(result.errors ?? []), ...formatted];
      },
    };
  },
};
