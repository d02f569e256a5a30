import type { ApolloServer, HeaderMap } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';

/**
 * The header a federation router sends when it wants a subgraph's trace of its part of a query
 * (`ftv1`): https://www.apollographql.com/docs/federation/metrics/
 */
export const FEDERATED_TRACE_HEADER = 'apollo-federation-include-trace';

/**
 * The Apollo Servers that answer GraphQL requests: one for plain requests, and a twin, started on
 * the first request that asks for a federated trace, for those that do.
 *
 * Apollo's inline-trace plugin times every field of a traced request; to do so, Apollo Server
 * wraps every field resolver of its schema, in place and for good, the first time a request asks.
 * Behind a router that samples traces, that would be every replica soon after start, and each
 * later request would pay the wrapper on every field (measured: 3–22 % more CPU per request).
 * The twin runs on its own instance of the schema, so only traced requests ever meet the wrapper.
 */
export interface GraphServers<Context extends object> {
  /** The server for a request with these headers (the twin's start awaited on first use). */
  serverFor(headers: HeaderMap): ApolloServer<Context> | Promise<ApolloServer<Context>>;
  /** Stops both servers (the twin only if it was started). */
  stop(): Promise<void>;
}

/**
 * Starts the plain server over `buildSchema()`; `create` makes each server, over the schema it is
 * given, with everything else the same.
 */
export async function startGraphServers<Context extends object>(
  create: (schema: GraphQLSchema) => ApolloServer<Context>,
  buildSchema: () => GraphQLSchema,
): Promise<GraphServers<Context>> {
  const plain = create(buildSchema());
  await plain.start();
  let traced: Promise<ApolloServer<Context>> | undefined;
  const startTraced = async () => {
    const twin = create(buildSchema());
    await twin.start();
    return twin;
  };
  return {
    serverFor(headers) {
      if (headers.get(FEDERATED_TRACE_HEADER) !== 'ftv1') return plain;
      // A failed start is tried again by the next traced request, not kept as the answer to all.
      return (traced ??= startTraced().catch((error: unknown) => {
        traced = undefined;
        throw error;
      }));
    },
    async stop() {
      await Promise.all([plain.stop(), traced?.then((twin) => twin.stop(), () => undefined)]);
    },
  };
}
