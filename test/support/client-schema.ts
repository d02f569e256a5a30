import { composeServices } from '@apollo/composition';
import {
  Kind,
  buildASTSchema,
  parse,
  print,
  printSchema,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { buildDeviceGraphSchema, printSubgraphSdl } from '../../src/graph/schema.js';

/**
 * The schema a frontend sees, two ways:
 *
 * - `routerApiSchema()`: devicegraph's `_service { sdl }` composed alone into a supergraph with
 *   `@apollo/composition`, then reduced to its API schema — what a federation router serves.
 * - `subgraphClientSchema()`: the subgraph's own schema (buildDeviceGraphSchema) without the
 *   federation machinery (`_service`, `_entities`, `_Any`, `_Entity`, `link__*`/`federation__*`
 *   types, `@key`/`@link`/`@shareable`… directives) — what a client talking to devicegraph directly
 *   sees. Unlike the router's, it keeps `@oneOf`, which Federation 2 does not compose.
 */

/** Federation's own directives, types and root fields, which are no part of the public API. */
const FEDERATION_DIRECTIVES = new Set(['link', 'key', 'shareable', 'external', 'requires', 'provides', 'extends', 'tag', 'inaccessible', 'override', 'composeDirective', 'interfaceObject', 'authenticated', 'requiresScopes', 'policy', 'context', 'fromContext', 'cost', 'listSize']);
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
export function subgraphClientDocument(schema: GraphQLSchema = buildDeviceGraphSchema()): DocumentNode {
  const document = parse(printSchema(schema));
  return visit(document, {
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

export function subgraphClientSchema(): GraphQLSchema {
  return buildASTSchema(subgraphClientDocument());
}

export function printSubgraphClientSchema(): string {
  return print(subgraphClientDocument());
}

/** devicegraph composed alone, reduced to the API schema a router serves. Throws on composition errors. */
export function routerApiSchema(): GraphQLSchema {
  const result = composeServices([{ name: 'devicegraph', typeDefs: parse(printSubgraphSdl()), url: 'http://devicegraph.invalid/graphql' }]);
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

export function printRouterApiSchema(): string {
  return printSchema(routerApiSchema());
}
