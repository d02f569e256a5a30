/**
 * Resilience over real HTTP (GraphQL → devicegraph → simulators on loopback): retries that heal a
 * passing fault, the typed error on the failing vendor's field when a fault persists, Retry-After
 * against the operation's deadline, the circuit breaker and /healthz, the vendor call log lines
 * and /metrics, and no credential in any response or log line. The policy itself as pure units is
 * in test/http/call-policy.test.ts; how each single failure maps to a code is in test/graph/errors.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallPolicy } from '../src/vendors/http/call-policy.js';
import { runInOperationScope } from '../src/vendors/http/operation-scope.js';
import { VendorHttp, type VendorCallEvent } from '../src/vendors/http/vendor-http.js';
import type { CallLogEntry, FaultKind } from '../src/simulators/server.js';
import { createTelemetry } from '../src/telemetry.js';
import { KOBIL_MAX_RESPONSE_BYTES } from '../src/vendors/kobil/contract.js';
import { VENDORS, type VendorName } from '../src/vendors/vendor.js';
import { ALL_VENDORS, at, FIELDS, report, SIMULATOR_SECRETS } from './support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from './support/graph-harness.js';

/** Fast enough for tests: three tries, tens of milliseconds of backoff, a breaker that opens after 3 outages. */
const POLICY: Partial<CallPolicy> = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, breakerFailureThreshold: 3, breakerResetMs: 300 };
/** Client headers/body timeout: a hanging vendor costs 300 ms per attempt. */
const CLIENT_TIMEOUT_MS = 300;
const OPERATION_TIMEOUT_MS = 5_000;


interface Posted {
  status: number;
  body: GraphQLResponse;
  elapsedMs: number;
}

/** Every body this file received (GraphQL, /healthz, /metrics), verbatim, for the credential check. */
const bodies: string[] = [];

async function post(harness: GraphHarness, query: string, requestId?: string): Promise<Posted> {
  const started = performance.now();
  const response = await fetch(harness.graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  bodies.push(text);
  if (requestId) assert.equal(response.headers.get('x-request-id'), requestId, 'the response echoes the request id');
  return { status: response.status, body: JSON.parse(text) as GraphQLResponse, elapsedMs };
}

function siblingUrl(harness: GraphHarness, path: string): string {
  return harness.graph.url.replace(/\/graphql$/, path);
}

async function healthz(harness: GraphHarness): Promise<{ status: string; vendors: Record<VendorName, { circuit: string }> }> {
  const response = await fetch(siblingUrl(harness, '/healthz'));
  const text = await response.text();
  bodies.push(text);
  assert.equal(response.status, 200, `/healthz answers 200: ${text}`);
  return JSON.parse(text);
}

async function metrics(harness: GraphHarness): Promise<{ contentType: string | null; text: string }> {
  const response = await fetch(siblingUrl(harness, '/metrics'));
  const text = await response.text();
  bodies.push(text);
  assert.equal(response.status, 200, `/metrics answers 200: ${text.slice(0, 200)}`);
  return { contentType: response.headers.get('content-type'), text };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `a well-formed sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function sample(samples: Sample[], name: string, labels: Record<string, string>): Sample | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

async function waitForCircuit(harness: GraphHarness, vendor: VendorName, state: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const circuit = (await healthz(harness)).vendors[vendor]?.circuit;
    if (circuit === state) return;
    if (Date.now() > until) assert.fail(`${vendor}'s circuit did not become ${state} within ${timeoutMs} ms (it is ${circuit})`);
    await sleep(25);
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) assert.fail(`waited ${timeoutMs} ms for ${what}`);
    await sleep(10);
  }
}

function resetAll(harness: GraphHarness): void {
  for (const vendor of VENDORS) harness.running.simulators[vendor]!.setFault(null);
  for (const breaker of Object.values(harness.clients.breakers())) breaker.reset();
  harness.clearCalls();
}

/** A copy of one simulator's call log since the last clear. */
function callsOf(harness: GraphHarness, vendor: VendorName): CallLogEntry[] {
  return harness.running.simulators[vendor]!.calls.map((call) => ({ ...call }));
}

/** Checks the vendor's field is null with one kind of coded error, and every other vendor's data is complete. */
function assertOnlyVendorFailed(body: GraphQLResponse, vendor: VendorName, code: string, label: string): void {
  const { path } = FIELDS[vendor];
  assert.ok(body.data, `${label}: the response has data`);
  assert.equal(at(body.data, path), null, `${label}: ${path.join('.')} is null`);
  const errors = body.errors ?? [];
  assert.ok(errors.length > 0, `${label}: an error`);
  for (const error of errors) {
    assert.equal(error.extensions?.code, code, `${label}: ${JSON.stringify(error)}`);
    assert.equal(error.extensions?.vendor, vendor, `${label}: extensions.vendor`);
    assert.deepEqual(error.path?.slice(0, path.length), path, `${label}: the error is on ${path.join('.')}`);
  }
  for (const other of VENDORS.filter((name) => name !== vendor)) {
    assert.ok(FIELDS[other].present(body.data), `${label}: ${other} still has complete data`);
  }
  if (vendor === 'APPLIVERY') assert.equal(body.data.android?.vendorDeviceId, report.emmDeviceId, `${label}: the Applivery device itself is there`);
}

function assertAllPresent(body: GraphQLResponse, label: string): void {
  assert.equal(body.errors, undefined, `${label}: no errors, got ${JSON.stringify(body.errors)}`);
  for (const vendor of VENDORS) assert.ok(FIELDS[vendor].present(body.data), `${label}: ${vendor} has complete data`);
}

// ---------------------------------------------------------------------------------------------

/** Every line the main harness logged. */
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer | string, _encoding, callback) {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logLines.push(line);
    callback();
  },
});

interface LogRecord {
  msg: string;
  requestId?: string;
  vendor?: string;
  path?: string;
  status?: number;
  outcome?: string;
  ms?: number;
  attempt?: number;
  [key: string]: unknown;
}

function vendorCallLines(requestId?: string): LogRecord[] {
  return logLines
    .map((line) => JSON.parse(line) as LogRecord)
    .filter((record) => record.msg === 'vendor call' && (requestId === undefined || record.requestId === requestId));
}

/**
 * Each vendor call of one request (the simulators' call logs) has exactly one log line with that
 * request's id, the vendor, the path without its query, the status, the duration and the attempt
 * number, attempts counting 1, 2, … per vendor.
 */
function assertLogLinesMatchCalls(harness: GraphHarness, requestId: string, label: string): void {
  const lines = vendorCallLines(requestId);
  for (const vendor of VENDORS) {
    const calls = harness.running.simulators[vendor]!.calls;
    const mine = lines.filter((line) => line.vendor === vendor);
    assert.equal(mine.length, calls.length, `${label}: one log line per ${vendor} call (${calls.length}), got ${JSON.stringify(mine)}`);
    mine.forEach((line, index) => {
      assert.equal(typeof line.path, 'string', `${label}: the line has a path`);
      assert.ok(!line.path!.includes('?'), `${label}: the logged path has no query: ${line.path}`);
      assert.equal(line.path, calls[index]!.path, `${label}: the logged path is the called path`);
      assert.equal(line.status, calls[index]!.status, `${label}: the logged status is the answered status (0: no answer)`);
      assert.ok(typeof line.ms === 'number' && line.ms >= 0, `${label}: the line has ms`);
      assert.equal(line.attempt, index + 1, `${label}: attempts count up`);
      assert.ok(typeof line.outcome === 'string', `${label}: the line has an outcome`);
    });
  }
}

let harness: GraphHarness;

before(async () => {
  const telemetry = createTelemetry({ logLevel: 'debug', destination: logSink });
  harness = await startGraphHarness({
    callPolicy: POLICY,
    clientTimeoutsMs: CLIENT_TIMEOUT_MS,
    observer: telemetry.vendorObserver,
    server: { telemetry, operationTimeoutMs: OPERATION_TIMEOUT_MS },
  });
});

after(async () => {
  await harness?.close();
});

const FAULTS: Array<{ kind: FaultKind; code: string; retryable: boolean; outage: boolean; firstStatus: (status: number) => boolean }> = [
  { kind: 'server-error', code: 'VENDOR_UNAVAILABLE', retryable: true, outage: true, firstStatus: (s) => s >= 500 },
  { kind: 'rate-limit', code: 'VENDOR_RATE_LIMITED', retryable: true, outage: false, firstStatus: (s) => s === 429 },
  { kind: 'hang', code: 'VENDOR_TIMEOUT', retryable: true, outage: true, firstStatus: (s) => s === 0 },
  { kind: 'malformed-json', code: 'VENDOR_BAD_RESPONSE', retryable: false, outage: false, firstStatus: (s) => s === 200 },
  { kind: 'drop-connection', code: 'VENDOR_UNAVAILABLE', retryable: true, outage: true, firstStatus: (s) => s === 0 },
];

interface MatrixRow {
  clears?: { outcome: string; attempts: number };
  persists?: { outcome: string; attempts: number };
}
const matrix = new Map<string, MatrixRow>();
const row = (vendor: VendorName, kind: FaultKind) => {
  const key = `${vendor} ${kind}`;
  if (!matrix.has(key)) matrix.set(key, {});
  return matrix.get(key)!;
};
const outcomeOf = (body: GraphQLResponse) => (body.errors ? [...new Set(body.errors.map((e) => String(e.extensions?.code)))].join('+') : 'ok');

/**
 * From a clean slate, the all-vendors query with one vendor meeting `kind` (`times` calls, or until
 * cleared); its answer and that vendor's calls.
 */
async function postWithFault(vendor: VendorName, kind: FaultKind, times?: number): Promise<{ requestId: string; body: GraphQLResponse; calls: CallLogEntry[] }> {
  resetAll(harness);
  harness.running.simulators[vendor]!.setFault({ kind, times, retryAfterSeconds: 0 });
  const requestId = `${times === undefined ? 'persists' : 'clears'}-${vendor}-${kind}`;
  const { body } = await post(harness, ALL_VENDORS, requestId);
  return { requestId, body, calls: callsOf(harness, vendor) };
}

let matrixCalls: Promise<void> | undefined;
/**
 * The fault matrix's queries without its checks, for the describes that read the metrics and logs
 * such calls leave, so each runs alone; made once per run of this file, ending with all faults cleared.
 */
function makeMatrixCalls(): Promise<void> {
  matrixCalls ??= (async () => {
    resetAll(harness);
    await post(harness, ALL_VENDORS, 'healthy-baseline');
    for (const vendor of VENDORS) {
      for (const { kind } of FAULTS) {
        await postWithFault(vendor, kind, 1);
        await postWithFault(vendor, kind);
      }
    }
    resetAll(harness);
  })();
  return matrixCalls;
}

describe('fault matrix: every vendor × every fault, with retries', () => {
  it('all five vendors answer when healthy, one call each', async () => {
    resetAll(harness);
    const { body } = await post(harness, ALL_VENDORS, 'healthy-baseline');
    assertAllPresent(body, 'healthy');
    for (const vendor of VENDORS) assert.equal(harness.calls(vendor), 1, `${vendor}: one call`);
    assertLogLinesMatchCalls(harness, 'healthy-baseline', 'healthy');
  });

  for (const vendor of VENDORS) {
    for (const { kind, code, retryable, outage, firstStatus } of FAULTS) {
      it(`${vendor} ${kind} once (times: 1) → ${retryable ? 'retried, complete data' : `not retried, ${code}`}`, async () => {
        const { requestId, body, calls } = await postWithFault(vendor, kind, 1);
        const simulator = harness.running.simulators[vendor]!;
        row(vendor, kind).clears = { outcome: outcomeOf(body), attempts: calls.length };
        const label = `${vendor} ${kind} once`;

        if (retryable) {
          assertAllPresent(body, label);
          assert.equal(calls.length, 2, `${label}: the failed call and its retry, got ${JSON.stringify(calls)}`);
          assert.ok(firstStatus(calls[0]!.status), `${label}: the first call met the fault (status ${calls[0]!.status})`);
          assert.equal(calls[1]!.status, 200, `${label}: the retry succeeded`);
          assert.deepEqual([calls[1]!.path, calls[1]!.query], [calls[0]!.path, calls[0]!.query], `${label}: the retry is the same request`);
        } else {
          assertOnlyVendorFailed(body, vendor, code, label);
          assert.equal(calls.length, 1, `${label}: a malformed body is not retried, got ${JSON.stringify(calls)}`);
        }
        for (const other of VENDORS.filter((name) => name !== vendor)) assert.equal(harness.calls(other), 1, `${label}: ${other} was called once`);
        assert.equal(simulator.knobs.fault, null, `${label}: the fault has cleared`);
        assert.equal(harness.clients.breakers()[vendor].state, 'closed', `${label}: one passing failure leaves the circuit closed`);
        assertLogLinesMatchCalls(harness, requestId, label);
      });

      it(`${vendor} ${kind} persistent → ${code} on its field, the others intact`, async () => {
        const { requestId, body, calls } = await postWithFault(vendor, kind);
        row(vendor, kind).persists = { outcome: outcomeOf(body), attempts: calls.length };
        const label = `${vendor} ${kind} persistent`;

        assertOnlyVendorFailed(body, vendor, code, label);
        const expectedAttempts = retryable ? POLICY.maxAttempts! : 1;
        assert.equal(calls.length, expectedAttempts, `${label}: ${expectedAttempts} attempt(s), got ${JSON.stringify(calls)}`);
        for (const call of calls) assert.ok(firstStatus(call.status), `${label}: every attempt met the fault (status ${call.status})`);
        for (const other of VENDORS.filter((name) => name !== vendor)) assert.equal(harness.calls(other), 1, `${label}: ${other} was called once`);
        assertLogLinesMatchCalls(harness, requestId, label);
        const outcomes = vendorCallLines(requestId).filter((line) => line.vendor === vendor).map((line) => line.outcome);
        assert.deepEqual(outcomes, calls.map(() => code), `${label}: every attempt logged with outcome ${code}`);
        // The circuit may already be half-open if breakerResetMs passed since: either way it tripped.
        const state = harness.clients.breakers()[vendor].state;
        if (outage) assert.notEqual(state, 'closed', `${label}: ${POLICY.breakerFailureThreshold} consecutive outages tripped the circuit`);
        else assert.equal(state, 'closed', `${label}: not an outage, the circuit stays closed`);
      });
    }
  }

  it('prints the matrix', (t) => {
    const pad = (text: string, width: number) => text.padEnd(width);
    const show = (cell: { outcome: string; attempts: number } | undefined) => (cell ? `${cell.outcome}, ${cell.attempts} attempt${cell.attempts === 1 ? '' : 's'}` : '(not run)');
    t.diagnostic(`${pad('vendor', 22)} ${pad('fault', 16)} ${pad('once (times: 1)', 34)} persistent`);
    for (const vendor of VENDORS) {
      for (const { kind } of FAULTS) {
        const cells = matrix.get(`${vendor} ${kind}`);
        t.diagnostic(`${pad(vendor, 22)} ${pad(kind, 16)} ${pad(show(cells?.clears), 34)} ${show(cells?.persists)}`);
      }
    }
    assert.equal(matrix.size, VENDORS.length * FAULTS.length, 'every vendor × fault ran');
  });
});

describe('Retry-After and the operation deadline', () => {
  it('a Retry-After within the deadline is waited for, then the retry succeeds', async () => {
    resetAll(harness);
    harness.running.simulators.KOBIL!.setFault({ kind: 'rate-limit', times: 1, retryAfterSeconds: 1 });
    const { body, elapsedMs } = await post(harness, ALL_VENDORS, 'retry-after-honoured');
    assertAllPresent(body, 'Retry-After: 1');
    assert.equal(harness.calls('KOBIL'), 2, 'KOBIL: the 429 and the retry');
    assert.ok(elapsedMs >= 900, `the retry waited for Retry-After (about 1000 ms), the response took ${Math.round(elapsedMs)} ms`);
  });

  it('a Retry-After beyond the remaining deadline is not waited for: VENDOR_RATE_LIMITED at once', async () => {
    resetAll(harness);
    const retryAfterSeconds = 30; // far beyond OPERATION_TIMEOUT_MS
    harness.running.simulators.AUTOMOX!.setFault({ kind: 'rate-limit', retryAfterSeconds });
    const { body, elapsedMs } = await post(harness, ALL_VENDORS, 'retry-after-beyond-deadline');
    assertOnlyVendorFailed(body, 'AUTOMOX', 'VENDOR_RATE_LIMITED', 'Retry-After beyond the deadline');
    assert.equal(harness.calls('AUTOMOX'), 1, 'one attempt, no retry');
    assert.ok(elapsedMs < retryAfterSeconds * 1000, `answered before Retry-After elapsed (${Math.round(elapsedMs)} ms)`);
    assertLogLinesMatchCalls(harness, 'retry-after-beyond-deadline', 'Retry-After beyond the deadline');
  });

  it('a call the operation has no time left for is not made, and does not count against the vendor', async () => {
    resetAll(harness);
    const events: VendorCallEvent[] = [];
    const http = new VendorHttp('KOBIL', { baseUrl: harness.running.simulators.KOBIL!.url, policy: POLICY, observer: (event) => events.push(event) }, { maxResponseBytes: KOBIL_MAX_RESPONSE_BYTES });
    const options = { headers: () => ({}), readErrorBody: () => ({}) };
    const late = () => runInOperationScope({ requestId: 'out-of-time', deadline: Date.now() - 1 }, () => http.getJson('/anything', options));
    try {
      for (let i = 0; i < POLICY.breakerFailureThreshold! + 1; i++) {
        await assert.rejects(late(), (error: Error & { code?: string }) => error.code === 'OPERATION_TIMEOUT', `call ${i + 1}: OPERATION_TIMEOUT`);
      }
      assert.equal(harness.calls('KOBIL'), 0, 'the vendor was not called');
      assert.equal(http.breaker.state, 'closed', 'calls never made are not outages: the circuit stays closed');
      assert.deepEqual(events, [], 'no vendor call was logged: none was made');

      // Nor does such a call use up the one probe of a half-open circuit.
      for (let i = 0; i < POLICY.breakerFailureThreshold!; i++) http.breaker.recordOutage();
      await waitFor(() => http.breaker.state === 'half-open', POLICY.breakerResetMs! * 10, 'the circuit to become half-open');
      await assert.rejects(late(), (error: Error & { code?: string }) => error.code === 'OPERATION_TIMEOUT', 'out of time while half-open');
      assert.equal(http.breaker.state, 'half-open', 'still half-open: the probe is left for a call that is made');
      assert.equal(http.breaker.admit(), true, 'the probe slot is free');
    } finally {
      await http.close();
    }
  });

  it('a rate-limited vendor does not open its circuit (429 is not an outage)', async () => {
    resetAll(harness);
    harness.running.simulators.NAVER_CLOUD!.setFault({ kind: 'rate-limit', retryAfterSeconds: 0 });
    for (let i = 0; i < 2; i++) {
      const { body } = await post(harness, ALL_VENDORS);
      assertOnlyVendorFailed(body, 'NAVER_CLOUD', 'VENDOR_RATE_LIMITED', `429 round ${i + 1}`);
    }
    assert.equal(harness.calls('NAVER_CLOUD'), 2 * POLICY.maxAttempts!, 'every attempt reached the vendor');
    assert.equal(harness.clients.breakers().NAVER_CLOUD.state, 'closed', 'still closed after 6 consecutive 429s');
  });

  it('a vendor answering malformed bodies does not open its circuit either', async () => {
    resetAll(harness);
    harness.running.simulators.KOBIL!.setFault({ kind: 'malformed-json' });
    for (let i = 0; i < POLICY.breakerFailureThreshold! + 1; i++) {
      const { body } = await post(harness, ALL_VENDORS);
      assertOnlyVendorFailed(body, 'KOBIL', 'VENDOR_BAD_RESPONSE', `malformed round ${i + 1}`);
    }
    assert.equal(harness.calls('KOBIL'), POLICY.breakerFailureThreshold! + 1, 'every query called the vendor');
    assert.equal(harness.clients.breakers().KOBIL.state, 'closed', 'still closed');
    resetAll(harness);
  });
});

describe('/metrics after the calls of the fault matrix', () => {
  before(makeMatrixCalls);

  it('exposes vendor calls by vendor and outcome, their latency, the circuits and the operations', async () => {
    resetAll(harness);
    const { contentType, text } = await metrics(harness);
    assert.match(contentType ?? '', /^text\/plain/, 'Prometheus text exposition');
    for (const name of [
      'devicegraph_vendor_calls_total',
      'devicegraph_vendor_call_duration_seconds',
      'devicegraph_vendor_circuit_state',
      'devicegraph_graphql_operations_total',
      'devicegraph_graphql_errors_total',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is declared`);
    }
    const samples = parseMetrics(text);
    const lines = vendorCallLines();
    for (const vendor of VENDORS) {
      for (const outcome of ['ok', 'VENDOR_UNAVAILABLE', 'VENDOR_RATE_LIMITED', 'VENDOR_TIMEOUT', 'VENDOR_BAD_RESPONSE']) {
        const counted = sample(samples, 'devicegraph_vendor_calls_total', { vendor, outcome })?.value;
        const logged = lines.filter((line) => line.vendor === vendor && line.outcome === outcome).length;
        assert.ok(logged > 0, `${vendor} ${outcome}: the matrix made such calls`);
        assert.equal(counted, logged, `${vendor} ${outcome}: the counter equals the logged attempts`);
      }
      const attempts = lines.filter((line) => line.vendor === vendor).length;
      assert.equal(sample(samples, 'devicegraph_vendor_call_duration_seconds_count', { vendor })?.value, attempts, `${vendor}: one latency observation per attempt`);
      assert.equal(sample(samples, 'devicegraph_vendor_call_duration_seconds_bucket', { vendor, le: '+Inf' })?.value, attempts, `${vendor}: the +Inf bucket`);
      const sum = sample(samples, 'devicegraph_vendor_call_duration_seconds_sum', { vendor })?.value;
      assert.ok(sum !== undefined && sum > 0, `${vendor}: the latency sum is positive (${sum})`);
      const timeouts = sample(samples, 'devicegraph_vendor_call_duration_seconds_bucket', { vendor, le: '0.25' })?.value ?? 0;
      assert.ok(timeouts < attempts, `${vendor}: the timed-out attempts (≥ 300 ms) are above the 0.25 s bucket`);
      assert.equal(sample(samples, 'devicegraph_vendor_circuit_state', { vendor })?.value, 0, `${vendor}: circuit closed (0)`);
    }
    const queries = sample(samples, 'devicegraph_graphql_operations_total', { type: 'query' })?.value ?? 0;
    assert.ok(queries >= VENDORS.length * FAULTS.length * 2, `every query of the matrix was counted (${queries})`);
    for (const code of ['VENDOR_UNAVAILABLE', 'VENDOR_RATE_LIMITED', 'VENDOR_TIMEOUT', 'VENDOR_BAD_RESPONSE']) {
      const errors = sample(samples, 'devicegraph_graphql_errors_total', { code })?.value ?? 0;
      assert.ok(errors > 0, `errors with code ${code} were counted (${errors})`);
    }
  });
});

describe('logs and responses carry no credential', () => {
  before(makeMatrixCalls);

  it('every vendor call was logged with vendor, path, status, ms, attempt and the requestId', () => {
    const lines = vendorCallLines();
    assert.ok(lines.length >= VENDORS.length * FAULTS.length * 2, `the matrix's calls were logged (${lines.length})`);
    for (const line of lines) {
      for (const key of ['vendor', 'path', 'status', 'ms', 'attempt', 'outcome', 'requestId'] as const) {
        assert.ok(line[key] !== undefined && line[key] !== null, `the vendor call line has ${key}: ${JSON.stringify(line)}`);
      }
      assert.ok((VENDORS as readonly string[]).includes(line.vendor!), `a known vendor: ${line.vendor}`);
    }
    const requests = logLines.map((line) => JSON.parse(line) as LogRecord).filter((record) => record.msg === 'request');
    assert.ok(requests.some((record) => record.requestId === 'healthy-baseline' && record.path === '/graphql' && record.status === 200), 'the request itself was logged');
  });

  it('no response body and no log line contains a simulator credential', () => {
    assert.ok(bodies.length > 50, `the bodies were kept (${bodies.length})`);
    assert.ok(logLines.length > 100, `the log lines were kept (${logLines.length})`);
    for (const secret of SIMULATOR_SECRETS) {
      for (const body of bodies) assert.ok(!body.includes(secret), `a response carries a credential: ${body.slice(0, 300)}`);
      for (const line of logLines) assert.ok(!line.includes(secret), `a log line carries a credential: ${line.slice(0, 300)}`);
    }
    for (const line of logLines) {
      assert.ok(!/authorization|x-ncp-|bearer|basic /i.test(line), `a log line names an auth header: ${line.slice(0, 300)}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('circuit breaker over HTTP, with /healthz', () => {
  /** Long enough that the steps between opening and the fail-fast check never outlast it. */
  const BREAKER_RESET_MS = 1_000;
  let breakerHarness: GraphHarness;

  before(async () => {
    breakerHarness = await startGraphHarness({
      callPolicy: { ...POLICY, breakerResetMs: BREAKER_RESET_MS },
      clientTimeoutsMs: CLIENT_TIMEOUT_MS,
      server: { operationTimeoutMs: OPERATION_TIMEOUT_MS },
    });
  });

  after(async () => {
    await breakerHarness?.close();
  });

  async function circuitGauge(vendor: VendorName): Promise<number | undefined> {
    return sample(parseMetrics((await metrics(breakerHarness)).text), 'devicegraph_vendor_circuit_state', { vendor })?.value;
  }

  it('persistent server errors open the circuit after the threshold', async () => {
    resetAll(breakerHarness);
    breakerHarness.running.simulators.KOBIL!.setFault({ kind: 'server-error' });
    const { body } = await post(breakerHarness, ALL_VENDORS);
    assertOnlyVendorFailed(body, 'KOBIL', 'VENDOR_UNAVAILABLE', 'opening');
    assert.equal(breakerHarness.calls('KOBIL'), POLICY.breakerFailureThreshold, 'three failed attempts');
    assert.equal(breakerHarness.clients.breakers().KOBIL.state, 'open', 'open');
  });

  it('the next query fails fast with VENDOR_UNAVAILABLE and makes no call to the vendor', async () => {
    breakerHarness.clearCalls();
    const { body } = await post(breakerHarness, ALL_VENDORS);
    assertOnlyVendorFailed(body, 'KOBIL', 'VENDOR_UNAVAILABLE', 'open circuit');
    assert.match(body.errors![0]!.message, /circuit open/, 'the message says why');
    assert.equal(breakerHarness.calls('KOBIL'), 0, 'no call to KOBIL');
    for (const other of VENDORS.filter((v) => v !== 'KOBIL')) assert.equal(breakerHarness.calls(other), 1, `${other} called as usual`);
  });

  it('/healthz shows open for that vendor and closed for the others; the gauge says 2', async () => {
    const health = await healthz(breakerHarness);
    assert.equal(health.status, 'ok', 'the service itself is up');
    assert.deepEqual(
      Object.fromEntries(VENDORS.map((vendor) => [vendor, health.vendors[vendor]?.circuit])),
      Object.fromEntries(VENDORS.map((vendor) => [vendor, vendor === 'KOBIL' ? 'open' : 'closed'])),
      'circuits',
    );
    assert.equal(await circuitGauge('KOBIL'), 2, 'KOBIL open = 2');
    assert.equal(await circuitGauge('AUTOMOX'), 0, 'AUTOMOX closed = 0');
  });

  it('after breakerResetMs exactly one probe goes through, even for concurrent queries; when it fails the circuit opens again', async () => {
    await waitForCircuit(breakerHarness, 'KOBIL', 'half-open', BREAKER_RESET_MS * 3);
    assert.equal(await circuitGauge('KOBIL'), 1, 'half-open = 1');
    breakerHarness.clearCalls();
    const kobil = breakerHarness.running.simulators.KOBIL!;
    kobil.knobs.latencyMs = 200; // keeps the probe in flight while the second query arrives
    try {
      const answers = await Promise.all([post(breakerHarness, ALL_VENDORS), post(breakerHarness, ALL_VENDORS)]);
      for (const [index, { body }] of answers.entries()) assertOnlyVendorFailed(body, 'KOBIL', 'VENDOR_UNAVAILABLE', `query ${index + 1} while half-open`);
    } finally {
      kobil.knobs.latencyMs = 0;
    }
    assert.equal(breakerHarness.calls('KOBIL'), 1, 'exactly one probe call for both queries');
    assert.equal((await healthz(breakerHarness)).vendors.KOBIL.circuit, 'open', 'open again');
  });

  it('with the fault cleared, the probe succeeds and the circuit closes', async () => {
    breakerHarness.running.simulators.KOBIL!.setFault(null);
    await waitForCircuit(breakerHarness, 'KOBIL', 'half-open', BREAKER_RESET_MS * 3);
    breakerHarness.clearCalls();
    const { body } = await post(breakerHarness, ALL_VENDORS);
    assertAllPresent(body, 'successful probe');
    assert.equal(breakerHarness.calls('KOBIL'), 1, 'the probe');
    const health = await healthz(breakerHarness);
    for (const vendor of VENDORS) assert.equal(health.vendors[vendor]?.circuit, 'closed', `${vendor} closed`);
    assert.equal(await circuitGauge('KOBIL'), 0, 'closed = 0');

    breakerHarness.clearCalls();
    const again = await post(breakerHarness, ALL_VENDORS);
    assertAllPresent(again.body, 'after closing');
    assert.equal(breakerHarness.calls('KOBIL'), 1, 'calls flow normally');
  });
});
