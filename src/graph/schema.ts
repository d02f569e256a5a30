import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLObjectType, GraphQLSchema, graphqlSync, parse } from 'graphql';
import { isFederationRootField } from './client-schema.js';
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
  const schema = buildSubgraphSchema({ typeDefs: parse(readTypeDefs()), resolvers: mergeResolvers(resolvers) as GraphQLResolverMap<unknown> });
  return withEntryPointsFirst(schema);
}

/**
 * The same schema with its root fields in the order GraphiQL's docs (and any introspection) list
 * them: the entry points each area adds with `extend type Query` first, then core's `node` and
 * `nodes`, federation's `_entities` and `_service` last (buildSubgraphSchema puts them after
 * `nodes`). Nothing else refers to the Query type, so swapping it is enough.
 */
function withEntryPointsFirst(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType()!;
  const { fields, ...config } = query.toConfig();
  const entryPoints = query.extensionASTNodes.flatMap((extension) => extension.fields?.map((field) => field.name.value) ?? []);
  const isFederation = (name: string) => isFederationRootField(query.name, name);
  const rest = Object.keys(fields).filter((name) => !entryPoints.includes(name));
  const ordered = [...entryPoints, ...rest.filter((name) => !isFederation(name)), ...rest.filter(isFederation)];
  const reordered = new GraphQLObjectType({ ...config, fields: Object.fromEntries(ordered.map((name) => [name, fields[name]!])) });
  const schemaConfig = schema.toConfig();
  return new GraphQLSchema({ ...schemaConfig, query: reordered, types: schemaConfig.types.map((type) => (type === query ? reordered : type)) });
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
