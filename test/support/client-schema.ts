import { composeServices } from '@apollo/composition';
import { buildASTSchema, parse, printSchema, type GraphQLSchema } from 'graphql';
import { clientSchemaDocument, printClientSdl } from '../../src/graph/client-schema.js';
import { buildDeviceGraphSchema, printSubgraphSdl } from '../../src/graph/schema.js';

export { isFederationDirectiveName, isFederationRootField, isFederationTypeName } from '../../src/graph/client-schema.js';

/**
 * The schema a frontend sees, two ways:
 *
 * - `routerApiSchema()`: devicegraph's `_service { sdl }` composed alone into a supergraph with
 *   `@apollo/composition`, then reduced to its API schema — what a federation router serves.
 * - `subgraphClientSchema()`: the client schema `npm run schema:print -- --client` prints
 *   (src/graph/client-schema.ts) — what a client talking to devicegraph directly sees.
 */

export function subgraphClientSchema(): GraphQLSchema {
  return buildASTSchema(clientSchemaDocument(buildDeviceGraphSchema()));
}

export function printSubgraphClientSchema(): string {
  return printClientSdl(buildDeviceGraphSchema());
}

/** devicegraph composed alone, reduced to the API schema a router serves. Throws on composition errors. */
export function routerApiSchema(): GraphQLSchema {
  const result = composeServices([{ name: 'devicegraph', typeDefs: parse(printSubgraphSdl()), url: 'http://devicegraph.invalid/graphql' }]);
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

export function printRouterApiSchema(): string {
  return printSchema(routerApiSchema());
}
