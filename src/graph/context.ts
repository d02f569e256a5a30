import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { VendorClients } from '../vendors/clients.js';
import type { Connection } from './connections/connection.js';
import type { NodeModel } from './models.js';
import { fromGlobalId } from './ids.js';
import { resolveNodes } from './node.js';

/** What every resolver of one GraphQL request shares. */
export interface GraphContext {
  /** One DataLoader per vendor endpoint: the same vendor request is made once per operation. */
  loaders: Loaders;
  /** Objects by global ID, for `node`, `nodes` and federation `_entities`; each ID resolved once, records of one list in batched calls. */
  nodes: DataLoader<string, NodeModel | null>;
  /** Connection pages built in this operation, by list and paging arguments (see `listPage`). */
  pages: Map<string, Promise<Connection<unknown>>>;
  /** Automox organization for queries that name none. */
  automoxDefaultOrgId: string | undefined;
  /** Errors of fields that still returned data (see `reportPartialError`). */
  partialErrors: GraphQLError[];
  /**
   * The shortest cache lifetime (seconds) of the vendor answers used so far; `Infinity` before any.
   * An object of its own: Apollo Server hands resolvers a shallow copy of the context.
   */
  dataFreshness: { maxAge: number };
}

/** Builds a request's context: fresh loaders, so nothing is cached across requests. */
export function createGraphContext(clients: VendorClients, automoxDefaultOrgId: string | undefined): GraphContext {
  const context: GraphContext = {
    loaders: createLoaders(clients, (maxAge) => {
      context.dataFreshness.maxAge = Math.min(context.dataFreshness.maxAge, maxAge);
    }),
    nodes: new DataLoader((ids: readonly string[]) => resolveNodes(ids, context.loaders)),
    pages: new Map(),
    automoxDefaultOrgId,
    partialErrors: [],
    dataFreshness: { maxAge: Infinity },
  };
  return context;
}

/**
 * A federation entity of `type` by its key, the global ID; `null` for the ID of another type,
 * which is not resolved at all: its vendor calls would fetch an object the gateway cannot use.
 */
export async function loadEntity<T extends 'Device' | 'Certificate'>(
  context: GraphContext,
  id: string,
  type: T,
): Promise<Extract<NodeModel, { __typename: T }> | null> {
  if (fromGlobalId(id).type !== type) return null;
  const node = await context.nodes.load(id);
  return node?.__typename === type ? (node as Extract<NodeModel, { __typename: T }>) : null;
}
