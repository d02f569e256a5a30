import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { graphqlSync, parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

/** schema/ at the repository root; the build copies it to dist/schema/, so dist/ runs on its own. */
const SCHEMA_DIR = new URL(import.meta.url.endsWith('.ts') ? '../../schema/' : '../schema/', import.meta.url);

/** The SDL of schema/, one file per area, in a stable order. */
export function readTypeDefs(): string {
  return readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(new URL(name, SCHEMA_DIR), 'utf8'))
    .join('\n');
}

/** devicegraph's executable schema: a Federation 2 subgraph. */
export function buildDeviceGraphSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(readTypeDefs()), resolvers: mergeResolvers(resolvers) as GraphQLResolverMap<unknown> });
}

/**
 * devicegraph's SDL as a Federation 2 subgraph (`@link`, `@key`, `@listSize` included): what the
 * running subgraph serves at `Query._service.sdl`, which a router and `rover subgraph introspect`
 * read. (`printSubgraphSchema` of @apollo/subgraph cannot print this schema: graphql-js counts
 * `@oneOf` among its own directives, so that round trip drops its definition and federation then
 * refuses the `@oneOf` on `TimelineSource`.)
 */
export function printSubgraphSdl(schema: GraphQLSchema = buildDeviceGraphSchema()): string {
  const result = graphqlSync({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (result.errors?.length || typeof sdl !== 'string') {
    throw new Error(`Could not read the subgraph SDL: ${result.errors?.map((error) => error.message).join('; ') ?? 'no SDL'}`);
  }
  return sdl.endsWith('\n') ? sdl : `${sdl}\n`;
}
