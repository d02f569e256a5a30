import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

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
