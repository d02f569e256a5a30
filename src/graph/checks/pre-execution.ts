import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import type { GraphContext } from '../context.js';
import { perOperation } from '../per-operation.js';
import { checkIntrospectionLimit } from './introspection-limits.js';
import { checkOperationLimits } from './operation-limits.js';
import { checkOperationArguments } from './field-arguments.js';

/**
 * The HTTP status of an operation refused before execution: 200, as `application/json` GraphQL
 * responses carry request errors, so a federation gateway passes our `BAD_USER_INPUT` on to its
 * client instead of turning a 4xx into its own INTERNAL_SERVER_ERROR.
 */
const REFUSED_HTTP = { status: 200 } as const;

/** The most variable sets remembered per operation as passed, and the longest one remembered (as JSON). */
const MAX_PASSED_PER_OPERATION = 32;
const MAX_PASSED_VARIABLES_LENGTH = 1_024;

/**
 * The variables (as JSON, with the default Automox organization the checks read) each operation
 * passed the checks with: the checks are pure, so the same operation with the same variables
 * passes again without running them.
 */
const passedWith = perOperation((): Set<string> => new Set());

/**
 * Refuses a bad operation before execution starts, so before any vendor call: more introspection
 * than allowed, a bad argument anywhere in it, or more depth, records or vendor calls than
 * allowed. Variables are coerced once for the checks that read them.
 */
export const preExecutionChecksPlugin: ApolloServerPlugin<GraphContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request, contextValue }) {
        if (!operation) return;
        const passed = passedWith(schema, operation);
        const asPassed = `${contextValue.automoxDefaultOrgId ?? ''}\n${JSON.stringify(request.variables ?? {})}`;
        if (passed.has(asPassed)) return;
        const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
        if (variables.errors) return; // Apollo reports invalid variables itself.
        try {
          // First: it stops measuring at its limit, so a hostile operation is refused at little cost.
          checkIntrospectionLimit(schema, document, operation, variables.coerced);
          checkOperationArguments(schema, document, operation, variables.coerced, contextValue);
          checkOperationLimits(schema, document, operation, variables.coerced, contextValue);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: REFUSED_HTTP } });
        }
        if (asPassed.length > MAX_PASSED_VARIABLES_LENGTH) return;
        if (passed.size >= MAX_PASSED_PER_OPERATION) passed.clear();
        passed.add(asPassed);
      },
    };
  },
};
