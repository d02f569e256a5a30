import type { ApolloServerPlugin } from '@apollo/server';
import {
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf, perOperation } from './per-operation.js';
import type { GraphContext } from './context.js';

/**
 * Gives every response the cache policy of the schema's `@cacheControl` hints, held to the
 * shortest cache lifetime of the vendor answers it used, so a router's cache never keeps a
 * response longer than devicegraph keeps its data; and makes it `private` when callers
 * authenticate with API tokens, so a shared cache never hands one caller's response to another.
 * The hints are static, so the policy is worked out once per operation (`operationCachePolicy`)
 * and Apollo's cache-control plugin, whose per-field hook makes Apollo wrap every resolver, stays
 * off. Sets `Cache-Control` as that plugin does with `calculateHttpHeaders: 'if-cacheable'`.
 */
export function cacheHintsPlugin(options: { privateResponses: boolean }): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      let entities: readonly string[] = [];
      return {
        async executionDidStart({ schema, document, operation, contextValue, overallCachePolicy }) {
          const policy = operationCachePolicy(schema, operation, document);
          overallCachePolicy.restrict(policy.hint);
          entities = policy.entities;
          return {
            async executionDidEnd() {
              const { maxAge } = contextValue.dataFreshness;
              if (Number.isFinite(maxAge)) overallCachePolicy.restrict({ maxAge });
              if (options.privateResponses) overallCachePolicy.restrict({ scope: 'PRIVATE' });
            },
          };
        },
        async willSendResponse({ response, overallCachePolicy }) {
          if (response.body.kind !== 'single' || response.body.singleResult.errors) return;
          const { data } = response.body.singleResult;
          // `_entities` with no representations resolves no entity, whose hint would have set its max-age.
          if (entities.some((key) => (data?.[key] as unknown[] | null | undefined)?.length === 0)) overallCachePolicy.restrict({ maxAge: 0 });
          const cacheable = overallCachePolicy.policyIfCacheable();
          if (cacheable) response.http.headers.set('cache-control', `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}`);
        },
      };
    },
  };
}

/** A cache hint as Apollo's `CachePolicy` takes it. */
export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** An operation's cache policy as the schema's hints decide it, before its data is known. */
export interface OperationCachePolicy {
  /** The policy all of the operation's fields allow together. */
  hint: CacheHint;
  /** Response keys of its root `_entities` fields. */
  entities: string[];
}

/**
 * The policy Apollo's cache-control plugin would reach (https://www.apollographql.com/docs/apollo-server/performance/caching)
 * for any data the operation can get, so never a longer max-age or a public scope where it would
 * reach a shorter or private one: every selected field counts, also those it would not resolve
 * (under a null or an empty list, skipped, or in fragments for other types), and a field selected
 * on an interface or union counts on each of its possible object types. Each field's policy: its
 * own hint, else its return type's for composite types; without a max-age, a root field and a
 * composite field that does not inherit get 0. The scope is private when any field's is.
 */
export const operationCachePolicy = perOperation((schema: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode): OperationCachePolicy => {
  const policy: OperationCachePolicy = { hint: {}, entities: [] };
  const root = schema.getRootType(operation.operation);
  if (!root) return policy;
  const fragments = fragmentsOf(document);
  // A selection set counts once per object type (and root or not): the policy is a minimum.
  const walked = new WeakMap<SelectionSetNode, Set<string>>();
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLObjectType, isRoot: boolean) => {
    const key = isRoot ? `^${parent.name}` : parent.name;
    const seen = walked.get(selectionSet) ?? new Set();
    if (seen.has(key)) return;
    walked.set(selectionSet, seen.add(key));
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        const condition = fragment?.typeCondition && schema.getType(fragment.typeCondition.name.value);
        if (fragment && (!fragment.typeCondition || (condition && appliesTo(schema, condition, parent)))) walk(fragment.selectionSet, parent, isRoot);
        continue;
      }
      // Apollo wraps the schema's own fields only: `__typename`, `__schema` and `__type` carry no hint.
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      restrict(policy.hint, fieldPolicy(schema, field, isRoot));
      if (isRoot && field.name === ENTITIES) policy.entities.push(selection.alias?.value ?? field.name);
      if (selection.selectionSet) for (const object of objectTypes(schema, getNamedType(field.type))) walk(selection.selectionSet, object, false);
    }
  };
  walk(operation.selectionSet, root, true);
  return policy;
});

/** Federation's root field for entity look-ups (@apollo/subgraph). */
const ENTITIES = '_entities';

/** One resolved field's policy, as Apollo's cache-control plugin sets it. */
function fieldPolicy(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, isRoot: boolean): CacheHint {
  const policy: CacheHint = {};
  let inherits = false;
  const type = getNamedType(field.type);
  if (isCompositeType(type)) {
    const typeHint = annotation(schema, type);
    replace(policy, typeHint);
    inherits = !!typeHint.inheritMaxAge;
  }
  const fieldHint = annotation(schema, field);
  if (fieldHint.inheritMaxAge && policy.maxAge === undefined) {
    inherits = true;
    replace(policy, { scope: fieldHint.scope });
  } else {
    replace(policy, fieldHint);
  }
  // @apollo/subgraph's `_entities` resolver restricts it to the hint of each entity's type: at most, of any of them.
  if (isRoot && field.name === ENTITIES && isAbstractType(type)) for (const entity of schema.getPossibleTypes(type)) restrict(policy, annotation(schema, entity));
  if (policy.maxAge === undefined && ((isCompositeType(type) && !inherits) || isRoot)) policy.maxAge = 0;
  return policy;
}

type Annotation = CacheHint & { inheritMaxAge?: boolean };

/** The `@cacheControl` hint on a field or a type (a type's definition first, then its extensions). */
function annotation(schema: GraphQLSchema, of: GraphQLField<unknown, unknown> | GraphQLCompositeType): Annotation {
  const directive = schema.getDirective('cacheControl');
  const nodes = 'extensionASTNodes' in of ? [of.astNode, ...of.extensionASTNodes] : [of.astNode];
  for (const node of nodes) {
    const values = directive && node && getDirectiveValues(directive, node);
    if (!values) continue;
    const scope = values.scope === 'PUBLIC' || values.scope === 'PRIVATE' ? values.scope : undefined;
    return values.inheritMaxAge === true ? { inheritMaxAge: true, scope } : { maxAge: values.maxAge as number | undefined, scope };
  }
  return {};
}

/** Whether a fragment on `condition` applies to objects of `type`. */
function appliesTo(schema: GraphQLSchema, condition: GraphQLNamedType, type: GraphQLObjectType): boolean {
  return condition === type || (isAbstractType(condition) && schema.isSubType(condition, type));
}

/** The object types a value of `type` can have. */
function objectTypes(schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  return isObjectType(type) ? [type] : isAbstractType(type) ? schema.getPossibleTypes(type) : [];
}

/** Apollo's `CachePolicy.restrict`: the shorter max-age; private once any is. */
function restrict(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope;
}

/** Apollo's `CachePolicy.replace`: what the hint sets wins. */
function replace(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}
