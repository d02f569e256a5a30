import { Kind, parse, print, printSchema, visit, type DefinitionNode, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * The schema a frontend compiles against when it talks to devicegraph directly: the subgraph's
 * own schema without the federation machinery (`_service`, `_entities`, `_Any`, `_Entity`,
 * `link__*`/`federation__*` types, `@key`/`@link`/`@shareable`/`@listSize`… directives). Unlike a
 * router's API schema it keeps `@oneOf`, which Federation 2 does not compose.
 */

/** Federation's own directives, which are no part of the public API. */
const FEDERATION_DIRECTIVES = new Set([
  'link',
  'key',
  'shareable',
  'external',
  'requires',
  'provides',
  'extends',
  'tag',
  'inaccessible',
  'override',
  'composeDirective',
  'interfaceObject',
  'authenticated',
  'requiresScopes',
  'policy',
  'context',
  'fromContext',
  'cost',
  'listSize',
]);
const FEDERATION_ROOT_FIELDS = new Set(['_service', '_entities']);

export function isFederationDirectiveName(name: string): boolean {
  return FEDERATION_DIRECTIVES.has(name) || name.startsWith('federation__') || name.startsWith('link__');
}

export function isFederationTypeName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('federation__') || name.startsWith('link__');
}

export function isFederationRootField(typeName: string, fieldName: string): boolean {
  return typeName === 'Query' && FEDERATION_ROOT_FIELDS.has(fieldName);
}

/** The subgraph schema's SDL with every federation directive, type and root field removed. */
export function clientSchemaDocument(schema: GraphQLSchema): DocumentNode {
  return visit(parse(printSchema(schema)), {
    SchemaDefinition: () => null,
    SchemaExtension: () => null,
    DirectiveDefinition: (node) => (isFederationDirectiveName(node.name.value) ? null : undefined),
    Directive: (node) => (isFederationDirectiveName(node.name.value) ? null : undefined),
    enter(node) {
      if ('name' in node && node.name && isTypeDefinition(node) && isFederationTypeName(node.name.value)) return null;
      if (node.kind === Kind.OBJECT_TYPE_DEFINITION && node.name.value === 'Query') {
        return { ...node, fields: node.fields?.filter((field) => !FEDERATION_ROOT_FIELDS.has(field.name.value)) };
      }
      return undefined;
    },
  });
}

/** The client schema as SDL, what `npm run schema:print -- --client` prints. */
export function printClientSdl(schema: GraphQLSchema): string {
  return `${print(clientSchemaDocument(schema))}\n`;
}

function isTypeDefinition(node: { kind: Kind }): node is DefinitionNode & { name: { value: string } } {
  return (
    node.kind === Kind.OBJECT_TYPE_DEFINITION ||
    node.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    node.kind === Kind.UNION_TYPE_DEFINITION ||
    node.kind === Kind.SCALAR_TYPE_DEFINITION ||
    node.kind === Kind.ENUM_TYPE_DEFINITION ||
    node.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION
  );
}
