import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { VendorError } from '../http/errors.js';

/**
 * Shapes every error a response carries: a vendor failure gets its `code` and `vendor`; errors
 * devicegraph raised on purpose keep theirs; anything unexpected is reported without its message,
 * which might hold internals.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof VendorError) {
    return {
      ...formatted,
      message: original.message,
      extensions: {
        code: original.code,
        vendor: original.vendor,
        ...(original.status === undefined ? {} : { vendorStatus: original.status }),
        ...(original.vendorCode === undefined ? {} : { vendorCode: original.vendorCode }),
      },
    };
  }
  if (formatted.extensions?.code && formatted.extensions.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return { ...formatted, message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
