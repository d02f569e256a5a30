import {
  defaultFieldResolver,
  getIntrospectionQuery,
  getNamedType,
  GraphQLError,
  isLeafType,
  isObjectType,
  Kind,
  parse,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { fragmentsOf, perOperation } from '../per-operation.js';

/**
 * How much introspection one operation may ask for, in full introspections of the schema (graphql-js
 * `getIntrospectionQuery` with every option, as GraphiQL and schema tools send it): one fits, with
 * room for some `__type` look-ups beside it; two do not.
 */
export const MAX_INTROSPECTIONS = 1.5;

const BUDGETS = new WeakMap<GraphQLSchema, number>();

/**
 * The bytes of JSON the introspection of an operation (`__schema`, `__type` and everything under
 * them) would answer with, found by running graphql-js's own introspection resolvers over the
 * schema without building the response. Aliases and repeated fragments count every time. Stops
 * once past `limit`, so measuring a hostile operation costs about as much as answering `limit` bytes.
 */
export function measureIntrospection(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limit = Infinity,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = fragmentsOf(document);
  const info = { schema } as GraphQLResolveInfo; // the only part of `info` introspection resolvers read, beside the parent type
  let bytes = 0;
  const measure = (selectionSet: SelectionSetNode, parent: GraphQLObjectType, source: unknown): void => {
    for (const selection of fieldsOf(selectionSet, parent, fragments)) {
      if (bytes > limit) return;
      const field = introspectionField(parent, selection.name.value, root);
      if (!field) continue;
      bytes += (selection.alias ?? selection.name).value.length + 4; // "key": and a comma
      const resolve = field.resolve ?? defaultFieldResolver;
      const value = resolve(source, getArgumentValues(field, selection, variables), undefined, { ...info, parentType: parent });
      const type = getNamedType(field.type);
      if (isLeafType(type) || value == null || !selection.selectionSet || !isObjectType(type)) {
        bytes += JSON.stringify(isLeafType(type) ? value : null)?.length ?? 4;
        continue;
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        bytes += 3; // {} and a comma
        measure(selection.selectionSet, type, item);
      }
    }
  };
  measure(operation.selectionSet, root, undefined);
  return bytes;
}

/** The introspection bytes one operation may ask for: `MAX_INTROSPECTIONS` full introspections of `schema`. */
export function maxIntrospectionBytes(schema: GraphQLSchema): number {
  let budget = BUDGETS.get(schema);
  if (budget === undefined) {
    const full = parse(
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }),
    );
    const operation = full.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)!;
    budget = Math.ceil(MAX_INTROSPECTIONS * measureIntrospection(schema, full, operation, {}));
    BUDGETS.set(schema, budget);
  }
  return budget;
}

/** Throws `BAD_USER_INPUT` for an operation whose introspection would answer more than `maxIntrospectionBytes`. */
export function checkIntrospectionLimit(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): void {
  if (!asksIntrospection(schema, operation, document)) return;
  const max = maxIntrospectionBytes(schema);
  if (measureIntrospection(schema, document, operation, variables, max) <= max) return;
  throw new GraphQLError(
    `The operation asks for more introspection than ${MAX_INTROSPECTIONS} full introspections of the schema (over ${max} bytes). Introspect the schema once per operation.`,
    { extensions: { code: 'BAD_USER_INPUT', maxIntrospectionBytes: max } },
  );
}

/** Whether the operation selects `__schema` or `__type` at all: most never do, and need no measuring. */
const asksIntrospection = perOperation((schema: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode): boolean => {
  const root = schema.getRootType(operation.operation);
  return !!root && [...fieldsOf(operation.selectionSet, root, fragmentsOf(document))].some((field) => introspectionField(root, field.name.value, root));
});

/** The introspection field `name` of `type`: `__schema`/`__type` on the root, any field of an introspection type. */
function introspectionField(type: GraphQLObjectType, name: string, root: GraphQLObjectType): GraphQLField<unknown, unknown> | undefined {
  if (type === root) return name === SchemaMetaFieldDef.name ? SchemaMetaFieldDef : name === TypeMetaFieldDef.name ? TypeMetaFieldDef : undefined;
  return type.name.startsWith('__') ? type.getFields()[name] : undefined;
}

/** The fields a selection set selects on `parent`, through inline fragments and fragment spreads that apply to it. */
function* fieldsOf(selectionSet: SelectionSetNode, parent: GraphQLObjectType, fragments: ReadonlyMap<string, FragmentDefinitionNode>): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      yield selection;
      continue;
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
    // Introspection types are object types: a fragment applies exactly when it names the parent.
    if (fragment && (!fragment.typeCondition || fragment.typeCondition.name.value === parent.name)) yield* fieldsOf(fragment.selectionSet, parent, fragments);
  }
}
