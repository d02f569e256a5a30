import { VendorRequestRejectedError } from '../http/errors.js';
import type { CircuitBreaker } from '../http/call-policy.js';
import { VendorHttp, type VendorConnectionOptions, type VendorErrorBody } from '../http/vendor-http.js';
import { APPLIVERY_MAX_RESPONSE_BYTES, certificateReportPath, isValidObjectId, isValidOrganizationId, type AppliveryCredentials } from './contract.js';
import { certificateReportResponseSchema, toCertificateReport, type AppliveryCertificateReport } from './report.js';

export type { AppliveryCertificate, AppliveryCertificateReport } from './report.js';

/** Options of {@link AppliveryClient}. */
export interface AppliveryClientOptions extends VendorConnectionOptions {
  credentials: AppliveryCredentials;
}

/**
 * Client of Applivery's Android Enterprise MDM "Get certificate report history item" endpoint.
 * The endpoint returns one immutable snapshot with its whole `certificateReport[]` list and has no
 * paging parameters, so none are sent; callers page the returned list in memory.
 */
export class AppliveryClient {
  readonly #http: VendorHttp;
  readonly #apiToken: string;

  constructor(options: AppliveryClientOptions) {
    this.#apiToken = options.credentials.apiToken;
    this.#http = new VendorHttp('APPLIVERY', options, {
      maxResponseBytes: APPLIVERY_MAX_RESPONSE_BYTES,
      secrets: Object.values(options.credentials),
      identity: [options.credentials.apiToken],
    });
  }

  /**
   * Fetches one certificate report history snapshot of a device. Ids failing the documented
   * patterns are refused with `VendorRequestRejectedError` before any request. The entries'
   * `challenge`, `clientIdentity` and `certificateInfo` are dropped at this boundary.
   */
  async getCertificateReport(organizationId: string, emmDeviceId: string, historyId: string): Promise<AppliveryCertificateReport> {
    if (!isValidOrganizationId(organizationId)) throw invalidId('organizationId');
    if (!isValidObjectId(emmDeviceId)) throw invalidId('emmDeviceId');
    if (!isValidObjectId(historyId)) throw invalidId('historyId');
    const body = await this.#http.get(certificateReportPath(organizationId, emmDeviceId, historyId), {
      route: certificateReportPath('{organizationId}', '{emmDeviceId}', '{historyId}'),
      headers: () => ({ authorization: `Bearer ${this.#apiToken}` }),
      readErrorBody: readAppliveryErrorBody,
      schema: certificateReportResponseSchema,
      // A history item is a snapshot taken once: it never changes.
      cache: { kind: 'immutable' },
    });
    return toCertificateReport(body.data);
  }

  /** Seconds this client's answers are reused from its cache (a history item never changes); 0 without a cache. */
  get maxAgeSeconds(): number {
    return this.#http.maxAgeSeconds('immutable');
  }

  /** The vendor's circuit breaker: its state for health checks, and a reset for operators and tests. */
  get breaker(): CircuitBreaker {
    return this.#http.breaker;
  }

  /** Closes the connection pool; the client cannot be used afterwards. */
  async close(): Promise<void> {
    await this.#http.close();
  }
}

function invalidId(parameter: string): VendorRequestRejectedError {
  return new VendorRequestRejectedError('APPLIVERY', `${parameter} does not match the documented pattern`);
}

/** Reads `{ status: false, error: { code, message } }`, taking whatever part of it is there. */
export function readAppliveryErrorBody(body: unknown): VendorErrorBody {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (!error) return {};
  const code = error.code;
  const vendorCode = typeof code === 'number' || (typeof code === 'string' && code !== '') ? String(code) : undefined;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : undefined;
  return {
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(message === undefined ? {} : { message }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
