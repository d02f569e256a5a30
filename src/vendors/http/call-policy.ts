import {
  OperationTimeoutError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnavailableError,
  type VendorError,
} from './errors.js';

/** How devicegraph calls one vendor: retries, circuit breaker and concurrency. */
export interface CallPolicy {
  /** Tries of one GET, the first included. */
  maxAttempts: number;
  /** Backoff before the n-th retry is drawn from [0, min(maxDelayMs, baseDelayMs · 2^(n-1))) (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Requests in flight to the vendor at once (its connections); more wait their turn. */
  maxConcurrent: number;
  /**
   * Requests one operation may have in flight to the vendor at once, fewer than `maxConcurrent`,
   * so however many calls one operation makes, another always finds connections; when absent,
   * `operationShare` derives it from `maxConcurrent`.
   */
  maxConcurrentPerOperation?: number;
  /** Consecutive failed calls that open the circuit. */
  breakerFailureThreshold: number;
  /** How long an open circuit fails fast before one probe call may try the vendor again. */
  breakerResetMs: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  // No vendor documents a limit on calls in flight (KOBIL says it is not rate limited; Automox's
  // 429 and Control Center's 40000029 set cooldowns), and undici's pool opens connections only as
  // calls need them and closes idle ones after their keep-alive. So the cap only has to stay above
  // what one replica drives: ~1,000 requests/s at ~1 ms of CPU each is ~100 calls in flight at
  // 100 ms of vendor latency. Known limits belong in VENDOR_RATE_LIMITS and VENDOR_CONCURRENCY.
  maxConcurrent: 128,
  breakerFailureThreshold: 5,
  breakerResetMs: 10_000,
};

/**
 * How many of a vendor's `maxConcurrent` connections one operation may hold at once, unless its
 * policy says: a quarter of them, so an operation's independent calls all start at once (a
 * `nodes` page, a timeline's sources) while three more such operations still find connections.
 */
export function operationShare(policy: Pick<CallPolicy, 'maxConcurrent' | 'maxConcurrentPerOperation'>): number {
  return Math.min(policy.maxConcurrentPerOperation ?? Math.max(1, Math.floor(policy.maxConcurrent / 4)), policy.maxConcurrent);
}

/**
 * Whether a failed GET may be tried again: the vendor was unreachable or failed (network error,
 * 5xx), did not answer in time (timeout, 408) or asked to slow down (429). Other answers (4xx,
 * malformed bodies) would fail the same way again.
 */
export function isRetryable(error: VendorError): boolean {
  return error instanceof VendorUnavailableError || error instanceof VendorTimeoutError || error instanceof VendorRateLimitedError;
}

/** Whether a failure counts against the vendor's health: a 429 says the vendor is up, just busy. */
export function countsAsOutage(error: VendorError): boolean {
  return error instanceof VendorUnavailableError || error instanceof VendorTimeoutError;
}

/** Whether a failure says nothing of the vendor's health: the operation's deadline cut the call short. */
export function isInconclusive(error: VendorError): boolean {
  return error instanceof OperationTimeoutError;
}

/** The wait before retry number `retry` (1-based): the vendor's `Retry-After`, else full-jitter backoff. */
export function retryDelayMs(retry: number, error: VendorError, policy: CallPolicy, random: () => number = Math.random): number {
  if (error instanceof VendorRateLimitedError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker over one vendor: after `breakerFailureThreshold` consecutive outages it opens
 * and calls fail fast; after `breakerResetMs` one probe call is let through (half-open); the
 * probe's success closes it, its failure opens it again.
 */
export class CircuitBreaker {
  readonly #policy: CallPolicy;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;

  constructor(policy: CallPolicy, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#policy.breakerResetMs) return 'half-open';
    return this.#state;
  }

  /** Whether a call may go to the vendor now; in half-open, only one probe at a time. */
  admit(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probing) return false;
    this.#state = 'half-open';
    this.#probing = true;
    return true;
  }

  recordSuccess(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#probing = false;
  }

  recordOutage(): void {
    this.#failures += 1;
    if (this.#probing || this.#failures >= this.#policy.breakerFailureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
    this.#probing = false;
  }

  /** A call ended without saying whether the vendor is healthy: only frees the half-open probe. */
  recordInconclusive(): void {
    this.#probing = false;
  }

  /** Closes the circuit at once (tests, operators). */
  reset(): void {
    this.recordSuccess();
  }
}
