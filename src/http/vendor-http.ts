import { Pool, errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import type { VendorName } from '../vendors/vendor.js';
import {
  VendorAuthError,
  VendorBadResponseError,
  VendorError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorRequestRejectedError,
  VendorTimeoutError,
  VendorUnavailableError,
} from './errors.js';

export interface VendorHttpOptions {
  vendor: VendorName;
  /** Origin plus optional path prefix, e.g. `https://api.applivery.io`. */
  baseUrl: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Keep-alive connections kept open to the vendor. */
  connections?: number;
}

/** What a vendor's error body said, read tolerantly: either field may be missing. */
export interface VendorErrorBody {
  vendorCode?: string;
  message?: string;
}

export interface VendorGetOptions {
  /** Query parameters in the order they are sent; `undefined` values are left out. */
  query?: ReadonlyArray<readonly [string, string | number | boolean | undefined]>;
  /** Request headers, given the exact path-with-query sent (signature schemes sign it). */
  headers: (pathWithQuery: string) => Record<string, string>;
  /** Reads the vendor's error body; called for every non-2xx answer. */
  readErrorBody: (body: unknown) => VendorErrorBody;
}

export interface VendorHttpResponse {
  status: number;
  body: unknown;
}

const DEFAULTS = { connectTimeoutMs: 2_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, connections: 16 };

/** Builds `path?name=value&…` with values encoded and `undefined` values skipped. */
export function pathWithQuery(path: string, query: VendorGetOptions['query'] = []): string {
  const params = new URLSearchParams();
  for (const [name, value] of query) {
    if (value !== undefined) params.append(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * One vendor's HTTP connection: a keep-alive undici pool with explicit timeouts that turns
 * every failure into a typed `VendorError`.
 */
export class VendorHttp {
  readonly vendor: VendorName;
  readonly #pool: Pool;
  readonly #pathPrefix: string;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;

  constructor(options: VendorHttpOptions) {
    const url = new URL(options.baseUrl);
    this.vendor = options.vendor;
    this.#pathPrefix = url.pathname.replace(/\/+$/, '');
    this.#headersTimeoutMs = options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs;
    this.#bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs;
    this.#pool = new Pool(url.origin, {
      connections: options.connections ?? DEFAULTS.connections,
      connect: { timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs },
      headersTimeout: this.#headersTimeoutMs,
      bodyTimeout: this.#bodyTimeoutMs,
    });
  }

  /** GETs a JSON document; resolves only for 2xx answers whose body parses as JSON. */
  async getJson(path: string, options: VendorGetOptions): Promise<VendorHttpResponse> {
    const fullPath = pathWithQuery(this.#pathPrefix + path, options.query);
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      const response = await this.#pool.request({
        method: 'GET',
        path: fullPath,
        headers: { accept: 'application/json', ...options.headers(fullPath) },
        headersTimeout: this.#headersTimeoutMs,
        bodyTimeout: this.#bodyTimeoutMs,
      });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      text = await response.body.text();
    } catch (error) {
      throw this.#networkError(error);
    }
    const body = parseJson(text);
    if (status >= 200 && status < 300) {
      if (body === undefined) {
        throw new VendorBadResponseError(this.vendor, `answered HTTP ${status} with a body that is not JSON`, { status });
      }
      return { status, body };
    }
    throw this.#statusError(status, options.readErrorBody(body ?? text), retryAfter);
  }

  /** Validates a 2xx body against the documented shape. */
  parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
    const result = schema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new VendorBadResponseError(this.vendor, `answered with an unexpected body${where}: ${issue?.message ?? 'invalid'}`);
    }
    return result.data;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  #statusError(status: number, errorBody: VendorErrorBody, retryAfter: string | string[] | undefined): VendorError {
    const details = { status, ...(errorBody.vendorCode === undefined ? {} : { vendorCode: errorBody.vendorCode }) };
    const said = errorBody.message ? `: ${errorBody.message}` : '';
    const codeText = errorBody.vendorCode ? ` (code ${errorBody.vendorCode})` : '';
    const message = `answered HTTP ${status}${codeText}${said}`;
    if (status === 404) return new VendorNotFoundError(this.vendor, message, details);
    if (status === 401 || status === 403) return new VendorAuthError(this.vendor, message, details);
    if (status === 408) return new VendorTimeoutError(this.vendor, message, details);
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return new VendorRateLimitedError(this.vendor, message, { ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    if (status >= 500) return new VendorUnavailableError(this.vendor, message, details);
    if (status >= 400) return new VendorRequestRejectedError(this.vendor, message, details);
    return new VendorBadResponseError(this.vendor, message, details);
  }

  #networkError(error: unknown): VendorError {
    if (
      error instanceof undiciErrors.ConnectTimeoutError ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return new VendorTimeoutError(this.vendor, 'did not answer in time');
    }
    const code = (error as { code?: unknown }).code;
    return new VendorUnavailableError(this.vendor, `could not be reached${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
