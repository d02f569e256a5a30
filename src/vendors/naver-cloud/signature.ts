import { createHmac } from 'node:crypto';
import type { NaverCloudCredentials } from './contract.js';

/** The NCP API Gateway headers every Sub Account request carries. */
export const NCP_HEADERS = {
  timestamp: 'x-ncp-apigw-timestamp',
  accessKey: 'x-ncp-iam-access-key',
  signature: 'x-ncp-apigw-signature-v2',
} as const;

/** What an NCP API Gateway signature v2 covers. */
export interface SignatureInput {
  method: string;
  /** The request target exactly as sent, e.g. `/api/v1/subjects/…/credentials?page=0&size=20`. */
  pathWithQuery: string;
  /** Epoch milliseconds, as the decimal string sent in `x-ncp-apigw-timestamp`. */
  timestamp: string;
  accessKey: string;
  secretKey: string;
}

/**
 * NCP API Gateway signature v2: base64 of HMAC-SHA256 over
 * `"{METHOD} {pathWithQuery}\n{timestamp}\n{accessKey}"`, keyed with the secret key.
 */
export function signRequest(input: SignatureInput): string {
  const message = `${input.method} ${input.pathWithQuery}\n${input.timestamp}\n${input.accessKey}`;
  return createHmac('sha256', input.secretKey).update(message, 'utf8').digest('base64');
}

/** The three NCP auth headers for one GET of `pathWithQuery` at `timestampMs`. */
export function ncpAuthHeaders(
  credentials: NaverCloudCredentials,
  pathWithQuery: string,
  timestampMs: number,
): Record<string, string> {
  const timestamp = String(timestampMs);
  return {
    [NCP_HEADERS.timestamp]: timestamp,
    [NCP_HEADERS.accessKey]: credentials.accessKey,
    [NCP_HEADERS.signature]: signRequest({ method: 'GET', pathWithQuery, timestamp, ...credentials }),
  };
}
