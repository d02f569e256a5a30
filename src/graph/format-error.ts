import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { VendorError } from '../vendors/http/errors.js';

/**
 * Shapes every error a response carries: a vendor failure gets its `code` and `vendor`; errors
 * devicegraph raised on purpose keep theirs; anything unexpected is reported without its message,
 * which might hold internals, and handed to `onInternal` (to be logged with its stack).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, onInternal: (error: unknown) => void = () => {}): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof VendorError) {
    return {
      ...formatted,
      message: original.message,
      extensions: {
        // Extensions devicegraph set on purpose, such as a timeline source's `sourceIndex`.
        ...formatted.extensions,
        code: original.code,
        vendor: original.vendor,
        ...(original.status === undefined ? {} : { vendorStatus: original.status }),
        ...(original.vendorCode === undefined ? {} : { vendorCode: original.vendorCode }),
      },
    };
  }
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && isArgumentValueError(original)) {
    // An argument written in the query with a value its type refuses (a malformed UUID, a `@oneOf`
    // TimelineSource with zero or two fields) is bad input, the BAD_USER_INPUT the same value gets
    // when passed in variables; not a malformed query.
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (formatted.extensions?.code && formatted.extensions.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const requestError = requestErrorCode(original);
  if (requestError) return { ...formatted, extensions: { ...formatted.extensions, code: requestError } };
  onInternal(original);
  return { ...formatted, message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Apollo Server's own refusals of a request that carry no code, by their message: a code a client can act on. */
const APOLLO_REQUEST_ERRORS: Readonly<Record<string, string>> = {
  'provided sha does not match query': 'PERSISTED_QUERY_HASH_MISMATCH',
  'Unsupported persisted query version': 'PERSISTED_QUERY_NOT_SUPPORTED',
};

/**
 * The code of an error Apollo Server raised about the request itself (it answers such with an HTTP
 * 4xx and, for a few, no code): from `APOLLO_REQUEST_ERRORS`, else `BAD_REQUEST`. `undefined` for
 * anything else, which stays an internal error.
 */
function requestErrorCode(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return undefined;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return APOLLO_REQUEST_ERRORS[error.message] ?? 'BAD_REQUEST';
}

const VALUE_KINDS: ReadonlySet<string> = new Set([
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.OBJECT_FIELD,
]);

/**
 * Whether a validation error is about a literal argument value (graphql-js's ValuesOfCorrectType
 * rule, the only one that reports value nodes alone), not about the shape of the query.
 */
function isArgumentValueError(error: unknown): boolean {
  const nodes = error instanceof GraphQLError ? error.nodes : undefined;
  return nodes !== undefined && nodes.length > 0 && nodes.every((node) => VALUE_KINDS.has(node.kind));
}
