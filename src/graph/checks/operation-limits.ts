import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isUnionType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { DEFAULT_PAGE_SIZE } from '../connections/arguments.js';

/** The deepest field nesting an operation may have. */
export const MAX_DEPTH = 12;
/** The most records an operation may ask for (see `measureOperation`). */
export const MAX_COST = 10_000;
/**
 * The most vendor calls one operation may make: refused beforehand when it can make more, and
 * held to at run time (a call and its retries count once).
 */
export const MAX_VENDOR_CALLS = 500;

interface OperationMeasure {
  depth: number;
  cost: number;
}

/**
 * Measures an operation before it runs, the way GitHub's node limit does: every connection field
 * costs the records it may return (`first` or `last`, default 20) times the records of every
 * connection it is nested in; `nodes(ids:)` costs one per ID and multiplies what is under it;
 * every other root field costs 1. Aliases are counted one by one, so repeating a field under
 * many aliases adds up. Introspection fields are not counted.
 */
function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationMeasure {
  let depth = 0;
  let cost = 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth, cost };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, level: number, multiplier: number) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type, level, multiplier);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type && isCompositeType(type)) walk(fragment.selectionSet, type, level, multiplier);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) continue;
      const field = isUnionType(parent) ? undefined : parent.getFields()[name];
      if (!field) continue;
      depth = Math.max(depth, level);
      const args = getArgumentValues(field, selection, variables);
      const type = getNamedType(field.type);
      let childMultiplier = multiplier;
      if (type.name.endsWith('Connection')) {
        const size = (args.first as number | null | undefined) ?? (args.last as number | null | undefined) ?? DEFAULT_PAGE_SIZE;
        cost += multiplier * size;
        childMultiplier = multiplier * Math.max(size, 1);
      } else if (parent === root && name === 'nodes') {
        const count = Array.isArray(args.ids) ? args.ids.length : 0;
        cost += count;
        childMultiplier = multiplier * Math.max(count, 1);
      } else if (parent === root) {
        cost += 1;
      }
      if (selection.selectionSet && isCompositeType(type)) walk(selection.selectionSet, type, level + 1, childMultiplier);
    }
  };
  walk(operation.selectionSet, root, 1, 1);
  return { depth, cost };
}

/** Throws `BAD_USER_INPUT` for an operation deeper than `MAX_DEPTH` or costlier than `MAX_COST`. */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): void {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const { depth, cost } = measureOperation(schema, operation, fragments, variables);
  const refuse = (message: string, extensions: Record<string, number>) =>
    new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
  if (depth > MAX_DEPTH) {
    throw refuse(`The operation is ${depth} fields deep; the limit is ${MAX_DEPTH}.`, { depth, maxDepth: MAX_DEPTH });
  }
  if (cost > MAX_COST) {
    throw refuse(
      `The operation may return up to ${cost} records; the limit is ${MAX_COST}. Ask for smaller pages (first/last) or fewer nested connections.`,
      { cost, maxCost: MAX_COST },
    );
  }
}
