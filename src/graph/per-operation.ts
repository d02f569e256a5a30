import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/**
 * `analyse` run once per parsed operation and schema, its result kept while the operation lives:
 * Apollo Server keeps the documents it parsed, so a repeated operation arrives as the same AST and
 * the pre-execution checks redo only what depends on the request's variables.
 */
export function perOperation<Rest extends unknown[], T>(
  analyse: (schema: GraphQLSchema, operation: OperationDefinitionNode, ...rest: Rest) => T,
): (schema: GraphQLSchema, operation: OperationDefinitionNode, ...rest: Rest) => T {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, T>>();
  return (schema, operation, ...rest) => {
    let analyses = bySchema.get(schema);
    if (!analyses) bySchema.set(schema, (analyses = new WeakMap()));
    if (analyses.has(operation)) return analyses.get(operation)!;
    const analysis = analyse(schema, operation, ...rest);
    analyses.set(operation, analysis);
    return analysis;
  };
}

/** The fragment definitions of a document by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}
