import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an operation whose type (mutation, subscription) the schema has no root type for, as a
 * validation error: graphql-js 16 lets such an operation through validation and fails it only when
 * it runs, which Apollo Server reports as an internal error. (graphql-js 17 has this rule built in.)
 */
export const KnownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(new GraphQLError(`The ${node.operation} operation is not supported by the schema.`, { nodes: node }));
  },
});
