import { GraphQLError, type GraphQLScalarType } from 'graphql';
import { DateTimeResolver, UUIDResolver } from 'graphql-scalars';
import type { Resolvers } from '../../generated/graphql.js';
import type { NodeModel } from '../models.js';
import { activityResolvers } from './activity.js';
import { certificateResolvers } from './certificates.js';
import { deviceResolvers } from './devices.js';
import { resolveEntities } from './entities.js';
import { timelineResolvers } from './timeline.js';
import { withCheckedArguments } from '../checks/field-arguments.js';

const notFound = (id: string) => new GraphQLError(`No object has the ID ${JSON.stringify(id)} any more.`, { extensions: { code: 'NOT_FOUND' } });

const nodeResolvers: Resolvers = {
  Query: {
    node: withCheckedArguments('Query.node', async (_root, { id }, { nodes }) => {
      const node = await nodes.load(id);
      if (!node) throw notFound(id);
      return node;
    }),
    nodes: withCheckedArguments('Query.nodes', async (_root, { ids }, { nodes }) => {
      const found = await nodes.loadMany(ids);
      // graphql-js turns an Error in a list into a null entry with that error at its index.
      return found.map((node, index) => (node instanceof Error ? node : (node ?? notFound(ids[index]!)))) as unknown as NodeModel[];
    }),
  },
  Node: { __resolveType: (node) => node.__typename },
  AuditEvent: { __resolveType: (event) => event.__typename },
};

/**
 * A graphql-scalars scalar's coercion alone: passing the whole scalar would also replace the
 * description written for users in schema/core.graphql with the library's.
 */
function coercionOf(scalar: GraphQLScalarType): GraphQLScalarType {
  const { serialize, parseValue, parseLiteral } = scalar;
  return { serialize, parseValue, parseLiteral } as GraphQLScalarType;
}

/** Every resolver of the graph, one module per area. */
export const resolvers: Resolvers[] = [
  { DateTime: coercionOf(DateTimeResolver), UUID: coercionOf(UUIDResolver) },
  nodeResolvers,
  // Federation's own field, which the generated resolver types leave out.
  { Query: { _entities: resolveEntities } } as Resolvers,
  deviceResolvers,
  certificateResolvers,
  activityResolvers,
  timelineResolvers,
];
