/**
 * The vendor call policy as pure units: which failures are retried and which count against a
 * vendor's health, the full-jitter backoff and `Retry-After`, and the circuit breaker's state
 * machine on an injected clock. The same policy over real HTTP is in test/resilience.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CircuitBreaker,
  countsAsOutage,
  DEFAULT_CALL_POLICY,
  isInconclusive,
  isRetryable,
  operationShare,
  retryDelayMs,
  type CallPolicy,
} from '../../src/vendors/http/call-policy.js';
import {
  OperationTimeoutError,
  VendorCallLimitError,
  VendorAuthError,
  VendorBadResponseError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorRequestRejectedError,
  VendorTimeoutError,
  VendorUnavailableError,
  type VendorError,
} from '../../src/vendors/http/errors.js';
import { parseRetryAfter } from '../../src/vendors/http/vendor-http.js';

const POLICY: CallPolicy = { ...DEFAULT_CALL_POLICY, baseDelayMs: 100, maxDelayMs: 2_000, breakerFailureThreshold: 3, breakerResetMs: 1_000 };

/** Just below 1: the top of the jitter range, which `Math.random` may return but never 1 itself. */
const ALMOST_ONE = 1 - Number.EPSILON;

const unavailable = () => new VendorUnavailableError('KOBIL', 'answered HTTP 500', { status: 500 });
const timeout = () => new VendorTimeoutError('KOBIL', 'did not answer in time');

describe('DEFAULT_CALL_POLICY', () => {
  it('retries, backs off and breaks within sane bounds', () => {
    assert.ok(DEFAULT_CALL_POLICY.maxAttempts >= 2, 'at least one retry');
    assert.ok(DEFAULT_CALL_POLICY.baseDelayMs > 0 && DEFAULT_CALL_POLICY.baseDelayMs <= DEFAULT_CALL_POLICY.maxDelayMs, 'base ≤ max delay');
    assert.ok(DEFAULT_CALL_POLICY.breakerFailureThreshold > DEFAULT_CALL_POLICY.maxAttempts, 'one failing call alone does not open the circuit');
    assert.ok(DEFAULT_CALL_POLICY.breakerResetMs > 0, 'an open circuit is probed again eventually');
    assert.ok(DEFAULT_CALL_POLICY.maxConcurrent >= 1, 'calls can be made');
    assert.ok(
      operationShare(DEFAULT_CALL_POLICY) >= 1 && operationShare(DEFAULT_CALL_POLICY) < DEFAULT_CALL_POLICY.maxConcurrent,
      'one operation gets some connections, never all of them',
    );
  });
});

describe('operationShare', () => {
  it('is a quarter of the connections unless the policy names it, never all of them while there are four or more', () => {
    assert.equal(operationShare({ maxConcurrent: 128 }), 32);
    assert.equal(operationShare({ maxConcurrent: 16 }), 4);
    assert.equal(operationShare({ maxConcurrent: 4 }), 1);
    assert.equal(operationShare({ maxConcurrent: 1 }), 1, 'a single connection is every operation’s turn in turn');
  });

  it('takes the policy’s own share, capped at the connections', () => {
    assert.equal(operationShare({ maxConcurrent: 128, maxConcurrentPerOperation: 4 }), 4);
    assert.equal(operationShare({ maxConcurrent: 2, maxConcurrentPerOperation: 4 }), 2);
  });
});

describe('isRetryable / countsAsOutage', () => {
  const cases: Array<{ name: string; error: VendorError; retryable: boolean; outage: boolean; inconclusive?: boolean }> = [
    { name: 'VendorUnavailableError (5xx, network)', error: unavailable(), retryable: true, outage: true },
    { name: 'VendorTimeoutError (timeout, 408)', error: timeout(), retryable: true, outage: true },
    { name: 'VendorRateLimitedError (429)', error: new VendorRateLimitedError('KOBIL', 'answered HTTP 429', { status: 429 }), retryable: true, outage: false },
    { name: 'VendorBadResponseError (malformed body)', error: new VendorBadResponseError('KOBIL', 'not JSON', { status: 200 }), retryable: false, outage: false },
    { name: 'VendorNotFoundError (404)', error: new VendorNotFoundError('KOBIL', 'answered HTTP 404', { status: 404 }), retryable: false, outage: false },
    { name: 'VendorAuthError (401/403)', error: new VendorAuthError('KOBIL', 'answered HTTP 401', { status: 401 }), retryable: false, outage: false },
    { name: 'VendorRequestRejectedError (400)', error: new VendorRequestRejectedError('KOBIL', 'answered HTTP 400', { status: 400 }), retryable: false, outage: false },
    {
      name: 'OperationTimeoutError (out of time before or while calling)',
      error: new OperationTimeoutError('KOBIL', 'was not called: the operation ran out of time'),
      retryable: false,
      outage: false,
      inconclusive: true,
    },
    { name: 'VendorCallLimitError (operation cap)', error: new VendorCallLimitError('KOBIL', 'was not called'), retryable: false, outage: false },
  ];
  for (const { name, error, retryable, outage, inconclusive = false } of cases) {
    it(`${name}: retryable ${retryable}, outage ${outage}, inconclusive ${inconclusive}`, () => {
      assert.equal(isRetryable(error), retryable, `isRetryable(${error.code})`);
      assert.equal(countsAsOutage(error), outage, `countsAsOutage(${error.code})`);
      assert.equal(isInconclusive(error), inconclusive, `isInconclusive(${error.code})`);
    });
  }

  it('every outage is retryable (the breaker never counts a failure the loop gives up on at once)', () => {
    for (const { error } of cases) if (countsAsOutage(error)) assert.ok(isRetryable(error), `${error.code} is an outage and retryable`);
  });
});

describe('retryDelayMs', () => {
  it('random 0 → no wait, on every retry', () => {
    for (let retry = 1; retry <= 10; retry++) assert.equal(retryDelayMs(retry, unavailable(), POLICY, () => 0), 0, `retry ${retry}`);
  });

  it('random ≈1 → just under base · 2^(retry-1) (full jitter upper bound, exclusive)', () => {
    const expected = [99, 199, 399, 799, 1_599];
    expected.forEach((delay, index) => {
      assert.equal(retryDelayMs(index + 1, unavailable(), POLICY, () => ALMOST_ONE), delay, `retry ${index + 1}`);
    });
  });

  it('the window doubles per retry and is capped at maxDelayMs', () => {
    for (const retry of [6, 7, 10, 30, 100]) {
      assert.equal(retryDelayMs(retry, unavailable(), POLICY, () => ALMOST_ONE), POLICY.maxDelayMs - 1, `retry ${retry} is capped`);
    }
    assert.equal(retryDelayMs(3, timeout(), POLICY, () => 0.5), 200, 'random 0.5 on retry 3: half of 400');
  });

  it('stays within [0, min(maxDelayMs, base · 2^(retry-1))) for any random value', () => {
    for (let retry = 1; retry <= 8; retry++) {
      const window = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (retry - 1));
      for (const random of [0, 0.1, 0.25, 0.5, 0.75, 0.9, ALMOST_ONE]) {
        const delay = retryDelayMs(retry, unavailable(), POLICY, () => random);
        assert.ok(Number.isInteger(delay) && delay >= 0 && delay < window, `retry ${retry}, random ${random}: ${delay} in [0, ${window})`);
      }
    }
  });

  it("the vendor's Retry-After wins over the backoff, even above maxDelayMs", () => {
    const asked = (retryAfterMs: number) => new VendorRateLimitedError('AUTOMOX', 'answered HTTP 429', { status: 429, retryAfterMs });
    assert.equal(retryDelayMs(1, asked(3_000), POLICY, () => 0), 3_000, 'above maxDelayMs, random 0');
    assert.equal(retryDelayMs(5, asked(250), POLICY, () => ALMOST_ONE), 250, 'below the backoff window');
    assert.equal(retryDelayMs(1, asked(0), POLICY, () => ALMOST_ONE), 0, 'Retry-After: 0 → retry at once');
  });

  it('a 429 without Retry-After backs off like any other failure', () => {
    const error = new VendorRateLimitedError('AUTOMOX', 'answered HTTP 429', { status: 429 });
    assert.equal(retryDelayMs(2, error, POLICY, () => ALMOST_ONE), 199, 'full jitter on retry 2');
    assert.equal(retryDelayMs(2, error, POLICY, () => 0), 0, 'random 0');
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores garbage', () => {
    assert.equal(parseRetryAfter('2'), 2_000, 'seconds');
    assert.equal(parseRetryAfter('0'), 0, 'zero');
    assert.equal(parseRetryAfter(undefined), undefined, 'absent');
    assert.equal(parseRetryAfter(''), undefined, 'empty');
    assert.equal(parseRetryAfter('soon'), undefined, 'garbage');
    assert.equal(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString()), 0, 'a date in the past → 0');
    const future = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    assert.ok(future !== undefined && future > 50_000 && future <= 60_000, `a date a minute ahead → about a minute (${future})`);
  });
});

describe('CircuitBreaker', () => {
  /** A breaker on a clock the test moves by hand. */
  function breakerWithClock(policy: CallPolicy = POLICY) {
    const clock = { now: 1_000_000 };
    const breaker = new CircuitBreaker(policy, () => clock.now);
    return { breaker, clock };
  }

  function open(breaker: CircuitBreaker) {
    for (let i = 0; i < POLICY.breakerFailureThreshold; i++) breaker.recordOutage();
    assert.equal(breaker.state, 'open', 'opened by the threshold of outages');
  }

  it('starts closed and admits calls', () => {
    const { breaker } = breakerWithClock();
    assert.equal(breaker.state, 'closed');
    for (let i = 0; i < 5; i++) assert.equal(breaker.admit(), true, `call ${i + 1} admitted`);
  });

  it('opens after breakerFailureThreshold consecutive outages, not before', () => {
    const { breaker } = breakerWithClock();
    breaker.recordOutage();
    breaker.recordOutage();
    assert.equal(breaker.state, 'closed', 'threshold - 1 outages: still closed');
    assert.equal(breaker.admit(), true, 'still admits');
    breaker.recordOutage();
    assert.equal(breaker.state, 'open', 'threshold reached');
    assert.equal(breaker.admit(), false, 'an open circuit fails calls fast');
  });

  it('a success resets the count: outages must be consecutive', () => {
    const { breaker } = breakerWithClock();
    breaker.recordOutage();
    breaker.recordOutage();
    breaker.recordSuccess();
    breaker.recordOutage();
    breaker.recordOutage();
    assert.equal(breaker.state, 'closed', '2 + success + 2 outages: closed');
    breaker.recordOutage();
    assert.equal(breaker.state, 'open', 'the third consecutive outage opens it');
  });

  it('stays open, refusing every call, until breakerResetMs has passed', () => {
    const { breaker, clock } = breakerWithClock();
    open(breaker);
    const openedAt = clock.now;
    for (const elapsed of [0, 1, 500, POLICY.breakerResetMs - 1]) {
      clock.now = openedAt + elapsed;
      assert.equal(breaker.state, 'open', `open ${elapsed} ms after opening`);
      assert.equal(breaker.admit(), false, `refused ${elapsed} ms after opening`);
    }
  });

  it('after breakerResetMs is half-open and admits exactly one probe', () => {
    const { breaker, clock } = breakerWithClock();
    open(breaker);
    clock.now += POLICY.breakerResetMs;
    assert.equal(breaker.state, 'half-open', 'half-open once the reset time has passed');
    assert.equal(breaker.admit(), true, 'the probe is admitted');
    assert.equal(breaker.state, 'half-open', 'half-open while the probe is out');
    assert.equal(breaker.admit(), false, 'a second call is refused while the probe is out');
    clock.now += 10 * POLICY.breakerResetMs;
    assert.equal(breaker.admit(), false, 'still refused, however long the probe takes');
  });

  it('a successful probe closes the circuit and clears the count', () => {
    const { breaker, clock } = breakerWithClock();
    open(breaker);
    clock.now += POLICY.breakerResetMs;
    assert.equal(breaker.admit(), true, 'probe admitted');
    breaker.recordSuccess();
    assert.equal(breaker.state, 'closed', 'closed by the probe');
    assert.equal(breaker.admit(), true, 'admits again');
    assert.equal(breaker.admit(), true, 'admits more than one');
    breaker.recordOutage();
    breaker.recordOutage();
    assert.equal(breaker.state, 'closed', 'the count started over');
  });

  it('an inconclusive probe (cut short by the operation) frees the probe slot and changes nothing else', () => {
    const { breaker, clock } = breakerWithClock();
    open(breaker);
    clock.now += POLICY.breakerResetMs;
    assert.equal(breaker.admit(), true, 'probe admitted');
    breaker.recordInconclusive();
    assert.equal(breaker.state, 'half-open', 'neither closed nor opened again');
    assert.equal(breaker.admit(), true, 'the next call may probe');
    breaker.recordInconclusive();
    const closed = breakerWithClock().breaker;
    closed.recordOutage();
    closed.recordOutage();
    closed.recordInconclusive();
    closed.recordOutage();
    assert.equal(closed.state, 'open', 'nor does it reset the count of outages');
  });

  it('a failed probe re-opens the circuit for another breakerResetMs', () => {
    const { breaker, clock } = breakerWithClock();
    open(breaker);
    clock.now += POLICY.breakerResetMs;
    assert.equal(breaker.admit(), true, 'probe admitted');
    clock.now += 50; // the probe takes a while
    breaker.recordOutage();
    assert.equal(breaker.state, 'open', 'one failed probe re-opens at once');
    assert.equal(breaker.admit(), false, 'refused again');
    clock.now += POLICY.breakerResetMs - 1;
    assert.equal(breaker.state, 'open', 'the reset time counts from the failed probe');
    clock.now += 1;
    assert.equal(breaker.state, 'half-open', 'half-open again');
    assert.equal(breaker.admit(), true, 'a new probe');
    breaker.recordSuccess();
    assert.equal(breaker.state, 'closed', 'closed');
  });

  it('a probe that fails with a single outage re-opens even with a high threshold', () => {
    const policy = { ...POLICY, breakerFailureThreshold: 3 };
    const { breaker, clock } = breakerWithClock(policy);
    open(breaker);
    clock.now += policy.breakerResetMs;
    breaker.admit();
    breaker.recordSuccess();
    // Closed now: a new run of outages needs the full threshold again…
    breaker.recordOutage();
    assert.equal(breaker.state, 'closed', 'one outage after closing does not re-open');
    // …but a half-open probe needs one.
    breaker.recordOutage();
    breaker.recordOutage();
    clock.now += policy.breakerResetMs;
    breaker.admit();
    breaker.recordOutage();
    assert.equal(breaker.state, 'open', 'the probe outage re-opened it');
  });

  it('reset() closes an open circuit at once', () => {
    const { breaker } = breakerWithClock();
    open(breaker);
    breaker.reset();
    assert.equal(breaker.state, 'closed', 'closed');
    assert.equal(breaker.admit(), true, 'admits');
    breaker.recordOutage();
    breaker.recordOutage();
    assert.equal(breaker.state, 'closed', 'the count was cleared too');
  });

  it('reset() during a probe lets calls through again', () => {
    const { breaker, clock } = breakerWithClock();
    open(breaker);
    clock.now += POLICY.breakerResetMs;
    assert.equal(breaker.admit(), true, 'probe admitted');
    breaker.reset();
    assert.equal(breaker.admit(), true, 'admitted after reset');
    assert.equal(breaker.admit(), true, 'and again: not stuck probing');
  });
});
