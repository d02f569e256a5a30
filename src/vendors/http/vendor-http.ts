import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { readCapped } from './capped-body.js';
import type { VendorName } from '../vendor.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { CircuitBreaker, countsAsOutage, DEFAULT_CALL_POLICY, isInconclusive, isRetryable, operationShare, retryDelayMs, type CallPolicy } from './call-policy.js';
import { currentOperationScope, deadlineSignal, takeVendorCall, type OperationScope } from './operation-scope.js';
import { isPlainVendorCode, redactVendorText } from './redact.js';
import { Slots, type ReleaseSlot } from './slots.js';
import type { CacheRule } from './response-cache.js';
import { accountHash, vendorScale, type Scale, type VendorScale, type VendorScaleSettings } from './scale.js';
import {
  OperationTimeoutError,
  VendorCallLimitError,
  VendorAuthError,
  VendorBadResponseError,
  VendorError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorRequestRejectedError,
  VendorTimeoutError,
  VendorUnavailableError,
} from './errors.js';

/** How a vendor client reaches its vendor; every client takes these beside its credentials. */
export interface VendorConnectionOptions {
  /** Origin plus optional path prefix, e.g. `https://api.applivery.io`. */
  baseUrl: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Retries, circuit breaker and concurrency; `DEFAULT_CALL_POLICY` where not given. */
  policy?: Partial<CallPolicy>;
  /** Told about every attempt, for logs and metrics. */
  observer?: VendorCallObserver;
  /** Response cache, coalescing and rate budget shared with other replicas; none = every GET calls the vendor. */
  scale?: { shared: Scale; settings: VendorScaleSettings } | undefined;
}

/** One attempt of one vendor call, as logs and metrics see it: never a header, never a query. */
export interface VendorCallEvent {
  vendor: VendorName;
  /** The path without its query. */
  path: string;
  /** The path as its template (`VendorGetOptions.route`), with no identifier in it: what traces show. */
  route: string | undefined;
  /** HTTP status, 0 when the vendor did not answer. */
  status: number;
  /** `ok`, or the error code the attempt failed with. */
  outcome: 'ok' | VendorError['code'];
  durationMs: number;
  attempt: number;
  requestId: string | undefined;
  /** The vendor's error code, when the attempt failed with one. */
  vendorCode?: string;
  /** What the vendor's error body said, credentials redacted; logs only. */
  vendorMessage?: string;
}

export type VendorCallObserver = (event: VendorCallEvent) => void;

/** What a vendor's error body said, read tolerantly: either field may be missing. */
export interface VendorErrorBody {
  vendorCode?: string;
  message?: string;
  /** The body says the account is over the vendor's rate limit, whatever the HTTP status. */
  rateLimited?: boolean;
}

export interface VendorGetOptions {
  /** The path's template, its identifiers as `{name}`: e.g. `/digitanium/v4/user/{userName}/logs`. */
  route?: string;
  /** Query parameters in the order they are sent; `undefined` values are left out. */
  query?: ReadonlyArray<readonly [string, string | number | boolean | undefined]>;
  /** Request headers, given the exact path-with-query sent (signature schemes sign it). */
  headers: (pathWithQuery: string) => Record<string, string>;
  /** Reads the vendor's error body; called for every non-2xx answer. */
  readErrorBody: (body: unknown) => VendorErrorBody;
}

/** A GET whose answer is validated, and reused as long as `cache` allows when the connection has a cache. */
export interface VendorDocumentGet<T> extends VendorGetOptions {
  schema: z.ZodType<T>;
  /**
   * `schema`'s value of a well-formed body, checked by hand where zod is too slow for a hot
   * endpoint; `undefined` for any body it does not accept, which `schema` then judges. Always
   * given with the same `schema`.
   */
  read?: (body: unknown) => T | undefined;
  cache: CacheRule<T>;
}

/** What a vendor client tells its connection about the vendor: its answer cap and its credentials. */
export interface VendorWire {
  /** The most bytes read of one answer (declared or streamed); a longer one is abandoned as a bad response. */
  maxResponseBytes: number;
  /** The client's credentials, redacted from anything the vendor writes (as are the header values sent); none when absent. */
  secrets?: readonly string[];
  /** What tells this account from others of the vendor (see `accountHash`): it keys cache entries, budgets and cooldowns. */
  identity?: readonly string[];
}

export interface VendorHttpResponse {
  status: number;
  body: unknown;
  /** The body's size as received, in bytes. */
  bytes: number;
}

const DEFAULTS = { connectTimeoutMs: 2_000, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 };
/** How long every replica holds its calls after a rate-limit answer without `Retry-After`. */
const DEFAULT_COOLDOWN_MS = 1_000;

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
 * One vendor's HTTP connection: a keep-alive undici pool with explicit timeouts, retries with
 * full-jitter backoff that honour `Retry-After` and the operation's deadline, a circuit breaker,
 * and every failure turned into a typed `VendorError`.
 */
export class VendorHttp {
  readonly vendor: VendorName;
  readonly breaker: CircuitBreaker;
  readonly #pool: Pool;
  readonly #pathPrefix: string;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #secrets: readonly string[];
  readonly #policy: CallPolicy;
  readonly #observer: VendorCallObserver | undefined;
  /** One slot per pool connection: requests wait here, never queued inside the pool. */
  readonly #connections: Slots;
  /** Each running operation's share of the connections. */
  readonly #shares = new WeakMap<OperationScope, Slots>();
  readonly #scale: VendorScale | undefined;
  readonly #scaleObserver: Scale['observer'];
  readonly #lifetimes: { immutable: number; list: number } = { immutable: 0, list: 0 };
  /** One parse function per schema: the cache knows a stored answer's validated value by it. */
  readonly #parsers = new WeakMap<z.ZodType, (body: unknown) => unknown>();

  constructor(vendor: VendorName, options: VendorConnectionOptions, wire: VendorWire) {
    const url = new URL(options.baseUrl);
    this.vendor = vendor;
    if (options.scale) {
      this.#scale = vendorScale(options.scale.shared, vendor, accountHash(vendor, options.baseUrl, wire.identity ?? []), options.scale.settings);
      this.#scaleObserver = options.scale.shared.observer;
      this.#lifetimes = { immutable: options.scale.shared.immutableTtlSeconds, list: options.scale.settings.listTtlSeconds };
    }
    this.#maxResponseBytes = wire.maxResponseBytes;
    this.#secrets = wire.secrets ?? [];
    this.#policy = { ...DEFAULT_CALL_POLICY, ...options.policy };
    this.breaker = new CircuitBreaker(this.#policy);
    this.#observer = options.observer;
    this.#pathPrefix = url.pathname.replace(/\/+$/, '');
    this.#headersTimeoutMs = options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs;
    this.#bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs;
    this.#connections = new Slots(this.#policy.maxConcurrent);
    this.#pool = new Pool(url.origin, {
      connections: this.#policy.maxConcurrent,
      connect: { timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs },
      headersTimeout: this.#headersTimeoutMs,
      bodyTimeout: this.#bodyTimeoutMs,
    });
  }

  /** Seconds an answer cached under a rule of this kind is reused (0 without a cache): what callers may tell their own caches. */
  maxAgeSeconds(kind: CacheRule<unknown>['kind']): number {
    return this.#lifetimes[kind];
  }

  /**
   * GETs a JSON document and validates it against `schema`. With a cache, identical GETs in
   * flight share one call and answers are reused as `cache` allows; without one, it is `getJson`
   * then `parse`.
   */
  async get<T>(path: string, options: VendorDocumentGet<T>): Promise<T> {
    const parse = this.#parserOf(options.schema, options.read);
    const fetch = () => this.getJson(path, options);
    if (!this.#scale) return parse((await fetch()).body);
    return this.#scale.cache.get({
      path: pathWithQuery(this.#pathPrefix + path, options.query),
      rule: options.cache,
      fetch,
      parse,
      staleOn: (error) => error instanceof VendorError && isRetryable(error),
      deadline: currentOperationScope()?.deadline,
    });
  }

  /**
   * GETs a JSON document; resolves only for 2xx answers whose body parses as JSON. Retries what
   * `isRetryable` allows, while attempts and the operation's deadline last. Counts once against
   * the operation's cap on vendor calls, and waits for a free connection (its own and the
   * operation's share) before each attempt: that wait is devicegraph's, never the vendor's. With a
   * rate budget, each attempt then waits for the vendor's budget and any cooldown a rate-limit
   * answer set (`VENDOR_RATE_LIMITED` when none comes before the deadline).
   */
  async getJson(path: string, options: VendorGetOptions): Promise<VendorHttpResponse> {
    const scope = currentOperationScope();
    if (scope && !takeVendorCall(scope)) {
      throw new VendorCallLimitError(
        this.vendor,
        `was not called: the operation has made ${scope.maxVendorCalls} vendor calls, the most one operation may make; ask for fewer or smaller connections`,
      );
    }
    let lastError: VendorError | undefined;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#tryOnce(path, options, scope, attempt, lastError);
      if (!(outcome instanceof VendorError)) return outcome;
      const error = outcome;
      lastError = error;
      if (error instanceof VendorRateLimitedError && this.#scale) {
        const ms = error.retryAfterMs ?? DEFAULT_COOLDOWN_MS;
        this.#scaleObserver?.cooldown?.(this.vendor, ms);
        await this.#scale.budget.coolDown(ms);
      }
      if (!isRetryable(error) || attempt >= this.#policy.maxAttempts) throw error;
      const delay = retryDelayMs(attempt, error, this.#policy);
      if (scope && Date.now() + delay >= scope.deadline) throw error;
      await sleep(delay);
    }
  }

  /** One attempt with its connection slots held: the response, or the vendor's failure to retry or report. */
  async #tryOnce(
    path: string,
    options: VendorGetOptions,
    scope: OperationScope | undefined,
    attempt: number,
    lastError: VendorError | undefined,
  ): Promise<VendorHttpResponse | VendorError> {
    // Before the breaker: a call that is never made is not an outage, and must not take a half-open circuit's probe.
    const release = await this.#takeSlots(scope);
    try {
      // Last before sending: a unit of budget is spent in the slot it was granted for.
      await this.#scale?.budget.take(scope?.deadline);
      if (!this.breaker.admit()) {
        // A retry that finds the circuit just opened by its own failure reports that failure.
        throw lastError ?? new VendorUnavailableError(this.vendor, 'keeps failing; devicegraph is not calling it for a moment (circuit open)');
      }
      // From here the request is sent at once: only this time is the vendor's.
      const started = performance.now();
      try {
        const response = await this.#attempt(path, options, scope);
        this.breaker.recordSuccess();
        this.#report(path, options.route, response.status, 'ok', started, attempt, scope);
        return response;
      } catch (error) {
        if (!(error instanceof VendorError)) throw error;
        if (countsAsOutage(error)) this.breaker.recordOutage();
        else if (isInconclusive(error)) this.breaker.recordInconclusive();
        else this.breaker.recordSuccess();
        this.#report(path, options.route, error.status ?? 0, error.code, started, attempt, scope, error);
        return error;
      }
    } finally {
      release();
    }
  }

  /**
   * Waits, in turn, for one of the operation's share of this vendor's connections, then for one of
   * the connections, so the pool never queues a request. Throws `OperationTimeoutError` when the
   * operation's deadline passes first.
   */
  async #takeSlots(scope: OperationScope | undefined): Promise<ReleaseSlot> {
    if (scope && Date.now() >= scope.deadline) {
      throw new OperationTimeoutError(this.vendor, 'was not called: the operation ran out of time');
    }
    const share = scope ? this.#shareOf(scope) : undefined;
    const releaseShare = share ? await share.take(scope?.deadline) : () => {};
    const releaseConnection = releaseShare && (await this.#connections.take(scope?.deadline));
    if (!releaseShare || !releaseConnection) {
      releaseShare?.();
      throw new OperationTimeoutError(this.vendor, "was not called: the operation ran out of time waiting for one of devicegraph's connections to it");
    }
    return () => {
      releaseConnection();
      releaseShare();
    };
  }

  #shareOf(scope: OperationScope): Slots {
    let share = this.#shares.get(scope);
    if (!share) {
      share = new Slots(operationShare(this.#policy));
      this.#shares.set(scope, share);
    }
    return share;
  }

  #report(
    path: string,
    route: string | undefined,
    status: number,
    outcome: VendorCallEvent['outcome'],
    started: number,
    attempt: number,
    scope: OperationScope | undefined,
    error?: VendorError,
  ) {
    this.#observer?.({
      vendor: this.vendor,
      path: this.#pathPrefix + path,
      // Built with the contract's path function, a template's braces arrive percent-encoded.
      route: route === undefined ? undefined : this.#pathPrefix + decodeURIComponent(route),
      status,
      outcome,
      durationMs: performance.now() - started,
      attempt,
      requestId: scope?.requestId,
      ...(error?.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
      ...(error?.vendorMessage === undefined ? {} : { vendorMessage: error.vendorMessage }),
    });
  }

  /** One try; its timeouts shrink to what is left of the operation's deadline (`getJson` checked some is left). */
  async #attempt(path: string, options: VendorGetOptions, scope: OperationScope | undefined): Promise<VendorHttpResponse> {
    const deadline = scope?.deadline;
    const left = deadline === undefined ? Infinity : Math.max(1, deadline - Date.now());
    const fullPath = pathWithQuery(this.#pathPrefix + path, options.query);
    const headers = options.headers(fullPath);
    let status: number;
    let received: Buffer | undefined;
    let retryAfter: string | string[] | undefined;
    try {
      const response = await this.#pool.request({
        method: 'GET',
        path: fullPath,
        headers: { accept: 'application/json', ...headers },
        headersTimeout: Math.min(this.#headersTimeoutMs, left),
        bodyTimeout: Math.min(this.#bodyTimeoutMs, left),
        // undici checks its timeouts on a coarse clock; the operation's deadline is kept exactly.
        ...(scope ? { signal: deadlineSignal(scope) } : {}),
      });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      received = await readVendorBody(response, this.#maxResponseBytes);
    } catch (error) {
      // Cut short by the operation's deadline, before the vendor's own time-outs: not the vendor's failure.
      if (deadline !== undefined && Date.now() >= deadline) {
        throw new OperationTimeoutError(this.vendor, 'had not answered when the operation ran out of time');
      }
      throw this.#networkError(error);
    }
    if (received === undefined) {
      throw new VendorBadResponseError(this.vendor, `answered HTTP ${status} with a body larger than ${this.#maxResponseBytes} bytes`, { status });
    }
    const text = received.toString('utf8');
    const body = parseJson(text);
    if (status >= 200 && status < 300) {
      if (body === undefined) {
        throw new VendorBadResponseError(this.vendor, `answered HTTP ${status} with a body that is not JSON`, { status });
      }
      return { status, body, bytes: received.length };
    }
    throw this.#statusError(status, options.readErrorBody(body ?? text), retryAfter, [...this.#secrets, ...sentCredentials(headers)]);
  }

  #parserOf<T>(schema: z.ZodType<T>, read: ((body: unknown) => T | undefined) | undefined): (body: unknown) => T {
    let parse = this.#parsers.get(schema);
    if (!parse) {
      parse = read
        ? (body) => {
            const value = read(body);
            return value === undefined ? this.parse(schema, body) : deepFreeze(value);
          }
        : (body) => this.parse(schema, body);
      this.#parsers.set(schema, parse);
    }
    return parse as (body: unknown) => T;
  }

  /** Validates a 2xx body against the documented shape; the value is frozen, as callers share cached ones. */
  parse<T>(schema: z.ZodType<T>, body: unknown): T {
    const result = schema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      // A path may hold keys the vendor chose (record keys): redacted like anything it writes.
      throw new VendorBadResponseError(this.vendor, `answered with an unexpected body${redactVendorText(where, this.#secrets)}: ${issue?.message ?? 'invalid'}`);
    }
    return deepFreeze(result.data);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** The typed error of a non-2xx answer: devicegraph's words and a plain vendor code; the vendor's own text redacted, apart. */
  #statusError(status: number, errorBody: VendorErrorBody, retryAfter: string | string[] | undefined, secrets: readonly string[]): VendorError {
    const vendorCode = errorBody.vendorCode !== undefined && isPlainVendorCode(errorBody.vendorCode, secrets) ? errorBody.vendorCode : undefined;
    const details = {
      status,
      ...(vendorCode === undefined ? {} : { vendorCode }),
      ...(errorBody.message ? { vendorMessage: redactVendorText(errorBody.message, secrets) } : {}),
    };
    const message = `answered HTTP ${status}${vendorCode === undefined ? '' : ` (code ${vendorCode})`}`;
    if (status === 404) return new VendorNotFoundError(this.vendor, message, details);
    if (status === 401 || status === 403) return new VendorAuthError(this.vendor, message, details);
    if (status === 408) return new VendorTimeoutError(this.vendor, message, details);
    if (status === 429 || errorBody.rateLimited) {
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return new VendorRateLimitedError(this.vendor, message, { ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    if (status >= 500) return new VendorUnavailableError(this.vendor, message, details);
    if (status >= 400) return new VendorRequestRejectedError(this.vendor, message, details);
    return new VendorBadResponseError(this.vendor, message, details);
  }

  #networkError(error: unknown): VendorError {
    if (
      (error instanceof Error && error.name === 'TimeoutError') ||
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

/**
 * The body's bytes, or `undefined` when it is longer than `max` bytes: a declared `content-length`
 * over it is refused unread, and a streamed body is abandoned (its connection closed) at the first
 * chunk past it, so a hostile vendor costs at most `max` bytes of memory.
 */
function readVendorBody(response: Dispatcher.ResponseData, max: number): Promise<Buffer | undefined> {
  const body = response.body;
  // Destroying an unfinished undici body emits its RequestAbortedError: expected here, so ignored.
  const abandon = () => void body.on('error', () => {}).destroy();
  if (Number(response.headers['content-length']) > max) {
    abandon();
    return Promise.resolve(undefined);
  }
  return readCapped(body, max, abandon);
}

/** The values of the headers a client sent that may carry credentials, and the part after an auth scheme. */
function sentCredentials(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => !['accept', 'content-type'].includes(name.toLowerCase()))
    .flatMap(([, value]) => [value, value.split(/\s+/).at(-1) ?? value]);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Freezes `value` and every object in it (a `Date`'s time stays settable; nothing sets it). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
