import { VENDOR_LABELS, type VendorName } from '../vendor.js';

/** The `extensions.code` values a vendor failure surfaces as in GraphQL responses. */
export type VendorErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'VENDOR_UNAUTHENTICATED'
  | 'VENDOR_UNAVAILABLE'
  | 'VENDOR_RATE_LIMITED'
  | 'VENDOR_TIMEOUT'
  | 'VENDOR_BAD_RESPONSE'
  | 'OPERATION_TIMEOUT';

export interface VendorErrorDetails {
  /** HTTP status the vendor answered with, when it answered. */
  status?: number;
  /** The vendor's own error code from its error body, when it sent one that is a plain code. */
  vendorCode?: string;
  /** What the vendor's error body said, credentials redacted. */
  vendorMessage?: string;
}

/**
 * Base class of every failure talking to a vendor. Its message is devicegraph's own words: the
 * vendor's name, the HTTP status and the vendor's error code, never request headers, URLs or
 * anything else the vendor wrote, so a vendor echoing its request cannot put a credential in front
 * of a client. What the vendor wrote is kept apart, redacted, for logs.
 */
export abstract class VendorError extends Error {
  abstract readonly code: VendorErrorCode;
  readonly vendor: VendorName;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  /** What the vendor's error body said, credentials redacted (`redactVendorText`): for logs, never for clients. */
  readonly vendorMessage: string | undefined;

  constructor(vendor: VendorName, message: string, details: VendorErrorDetails = {}) {
    super(`${VENDOR_LABELS[vendor]}: ${message}`);
    this.name = new.target.name;
    this.vendor = vendor;
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.vendorMessage = details.vendorMessage;
  }
}

/** The vendor has no such resource (HTTP 404 or the vendor's not-found code). */
export class VendorNotFoundError extends VendorError {
  readonly code = 'NOT_FOUND';
}

/**
 * The vendor refused devicegraph's credentials (HTTP 401/403): an operator's to fix, so not
 * `UNAUTHENTICATED`, which tells a client its own token for devicegraph is wrong.
 */
export class VendorAuthError extends VendorError {
  readonly code = 'VENDOR_UNAUTHENTICATED';
}

/** The vendor refused the request's parameters (HTTP 400). */
export class VendorRequestRejectedError extends VendorError {
  readonly code = 'BAD_USER_INPUT';
}

/** The vendor asked devicegraph to slow down (HTTP 429). */
export class VendorRateLimitedError extends VendorError {
  readonly code = 'VENDOR_RATE_LIMITED';
  /** How long the vendor asked to wait, from its `Retry-After` header. */
  readonly retryAfterMs: number | undefined;

  constructor(vendor: VendorName, message: string, details: VendorErrorDetails & { retryAfterMs?: number } = {}) {
    super(vendor, message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The vendor failed (HTTP 5xx) or could not be reached. */
export class VendorUnavailableError extends VendorError {
  readonly code = 'VENDOR_UNAVAILABLE';
}

/** The vendor did not answer in time (connect, headers or body timeout, or HTTP 408). */
export class VendorTimeoutError extends VendorError {
  readonly code = 'VENDOR_TIMEOUT';
}

/** The vendor answered with a body that is not the documented shape. */
export class VendorBadResponseError extends VendorError {
  readonly code = 'VENDOR_BAD_RESPONSE';
}

/**
 * The call was not made: the operation ran out of time before it could start (its deadline had
 * passed, or passed while the call waited for one of devicegraph's own connections). Nothing the
 * vendor did, so never an outage of the vendor.
 */
export class OperationTimeoutError extends VendorError {
  readonly code = 'OPERATION_TIMEOUT';
}

/** The call was not made: the operation has made the most vendor calls one operation may make. */
export class VendorCallLimitError extends VendorError {
  readonly code = 'BAD_USER_INPUT';
}
