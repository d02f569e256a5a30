import { createRequire } from 'node:module';
import type { GraphQLField, FieldNode } from 'graphql';

type GetArgumentValues = (def: GraphQLField<unknown, unknown>, node: FieldNode, variableValues?: Record<string, unknown> | null) => Record<string, unknown>;

/** The `args` of every field that declares none: frozen, so no resolver can write into what all share. */
export const NO_ARGUMENTS: Readonly<Record<string, never>> = Object.freeze(Object.create(null) as Record<string, never>);

/**
 * graphql-js 16 coerces the arguments of every field it executes, even one that declares none,
 * into two fresh null-prototype objects (dictionary-mode objects in V8): about 195 KB of the
 * ~690 KB an uncached 20-record audit-trail page allocated, and 15–18 % of devicegraph's CPU per
 * request with the garbage collection that follows. A field without declared arguments can only
 * have empty ones (validation refuses any other), so it is handed `NO_ARGUMENTS` instead; every
 * other field goes through graphql-js's own coercion unchanged.
 *
 * graphql-js's executor calls `getArgumentValues` through its CommonJS module's exports object,
 * which is the one `graphql` resolves to in Node; `test/graph/empty-arguments.test.ts` fails if an
 * upgrade stops that. Installing twice is harmless.
 */
export function shareEmptyArguments(): void {
  const values = createRequire(import.meta.url)('graphql/execution/values.js') as { getArgumentValues: GetArgumentValues & { [SHARED]?: true } };
  if (values.getArgumentValues[SHARED]) return;
  const coerce = values.getArgumentValues;
  const shared: GetArgumentValues & { [SHARED]?: true } = (def, node, variableValues) =>
    def.args.length === 0 ? NO_ARGUMENTS : coerce(def, node, variableValues);
  shared[SHARED] = true;
  values.getArgumentValues = shared;
}

const SHARED = Symbol('devicegraph.sharedEmptyArguments');
