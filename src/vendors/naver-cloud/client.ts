import { hash } from 'node:crypto';
import { z } from 'zod';
import type { CircuitBreaker } from '../http/call-policy.js';
import { VendorHttp, type VendorConnectionOptions, type VendorErrorBody } from '../http/vendor-http.js';
import { isoTimestamp } from '../timestamps.js';
import { absentTextAsNull } from '../optional-text.js';
import { NAVER_CLOUD_MAX_RESPONSE_BYTES, subjectCredentialsPath, type NaverCloudCredentials } from './contract.js';
import { ncpAuthHeaders } from './signature.js';


/** One authentication with a certificate of the subject. */
export interface NaverCredentialActivity {
  /** Short stable hash of the fields below: NAVER gives activities no id. */
  key: string;
  /** Issuer distinguished name, e.g. `CN=QA_Root_CA, OU=IAM Service, O=NAVER Cloud Corp., …, C=KR`. */
  issuer: string | null;
  /** Certificate serial number in decimal, possibly partly masked with `*`. */
  serialNumber: string | null;
  /** The certificate, as PEM or as base64 DER (read it with `parseX509`). */
  x509CertificateData: string | null;
  /** Whether the authentication failed. */
  failed: boolean;
  seenTime: Date;
}

/** One page of a subject's activity list, with NAVER's own paging fields. */
export interface NaverCredentialPage {
  /** 0-based page number. */
  pageNo: number;
  pageSize: number;
  /** Number of activities in the whole list. */
  totalElements: number;
  content: NaverCredentialActivity[];
}

export interface NaverCloudClientOptions extends VendorConnectionOptions {
  credentials: NaverCloudCredentials;
}

const count = z.number().int().nonnegative();

/** A page as `getCredentials` hands it out, each activity keyed in validation so a cached answer is keyed once. */
const CREDENTIAL_PAGE = z
  .object({
    pageNo: count,
    totalElements: count,
    pageSize: count,
    content: z.array(
      z.object({
        issuer: absentTextAsNull,
        serialNumber: absentTextAsNull,
        x509CertificateData: absentTextAsNull,
        failed: z.boolean(),
        seenTime: isoTimestamp,
      }),
    ),
  })
  .transform(
    (page): NaverCredentialPage => ({
      pageNo: page.pageNo,
      pageSize: page.pageSize,
      totalElements: page.totalElements,
      content: page.content.map((activity) => ({ key: activityKey(activity), ...activity })),
    }),
  );

/**
 * Reads an error body tolerantly: the NCP API Gateway's `{ error: { errorCode, message, details } }`
 * or a Sub Account `ErrorResponse` `{ errorCode, message }`.
 */
function readErrorBody(body: unknown): VendorErrorBody {
  const outer = asRecord(body);
  const error = asRecord(outer?.['error']) ?? outer;
  if (!error) return {};
  const code = error['errorCode'];
  const message = error['message'];
  const details = error['details'];
  const said = [message, details].filter((part): part is string => typeof part === 'string' && part.length > 0).join(': ');
  return {
    ...(typeof code === 'string' || typeof code === 'number' ? { vendorCode: String(code) } : {}),
    ...(said ? { message: said } : {}),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Client of the NAVER Cloud Sub Account API, signing every request with NCP signature v2. */
export class NaverCloudClient {
  readonly #http: VendorHttp;
  readonly #credentials: NaverCloudCredentials;

  constructor(options: NaverCloudClientOptions) {
    this.#credentials = { ...options.credentials };
    this.#http = new VendorHttp('NAVER_CLOUD', options, {
      maxResponseBytes: NAVER_CLOUD_MAX_RESPONSE_BYTES,
      secrets: Object.values(options.credentials),
      identity: [options.credentials.accessKey],
    });
  }

  /**
   * `GET /api/v1/subjects/{subjectId}/credentials?page&size`: one page of the subject's
   * certificate authentications (the simulator serves them newest first; the doc names no order).
   */
  async getCredentials(subjectId: string, params: { page: number; size: number }): Promise<NaverCredentialPage> {
    return this.#http.get(subjectCredentialsPath(subjectId), {
      route: subjectCredentialsPath('{subjectId}'),
      query: [
        ['page', params.page],
        ['size', params.size],
      ],
      headers: (pathWithQuery) => ncpAuthHeaders(this.#credentials, pathWithQuery, Date.now()),
      readErrorBody,
      schema: CREDENTIAL_PAGE,
      cache: { kind: 'list', list: subjectId },
    });
  }

  /** Seconds this client's answers are reused from its cache (pages of a list growing at its head); 0 without a cache. */
  get maxAgeSeconds(): number {
    return this.#http.maxAgeSeconds('list');
  }

  /** The vendor's circuit breaker: its state for health checks, and a reset for operators and tests. */
  get breaker(): CircuitBreaker {
    return this.#http.breaker;
  }

  async close(): Promise<void> {
    await this.#http.close();
  }
}

function activityKey(activity: Omit<NaverCredentialActivity, 'key'>): string {
  const identity = [activity.seenTime.toISOString(), activity.issuer, activity.serialNumber, activity.failed, activity.x509CertificateData];
  return hash('sha256', JSON.stringify(identity), 'hex').slice(0, 16);
}
