import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from './context.js';

/**
 * Holds every response's cache policy (from the schema's `@cacheControl` hints) to the shortest
 * cache lifetime of the vendor answers it used, so a router's cache never keeps a response
 * longer than devicegraph keeps its data; and makes it `private` when callers authenticate with
 * API tokens, so a shared cache never hands one caller's response to another.
 */
export function cacheHintsPlugin(options: { privateResponses: boolean }): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ contextValue, overallCachePolicy }) {
          return {
            async executionDidEnd() {
              const { maxAge } = contextValue.dataFreshness;
              if (Number.isFinite(maxAge)) overallCachePolicy.restrict({ maxAge });
              if (options.privateResponses) overallCachePolicy.restrict({ scope: 'PRIVATE' });
            },
          };
        },
      };
    },
  };
}
