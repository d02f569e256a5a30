/**
 * Vendor HTTP's admission control over real HTTP (a simulator on loopback): time spent waiting for
 * one of devicegraph's own connections is never the vendor's (no VENDOR_TIMEOUT, no outage), one
 * operation gets only its share of a vendor's connections, and the per-operation cap on vendor
 * calls holds at run time. Through the whole graph: test/fan-out.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKobilSimulator } from '../../src/simulators/kobil/simulator.js';
import { KOBIL_MAX_RESPONSE_BYTES } from '../../src/vendors/kobil/contract.js';
import type { Simulator } from '../../src/simulators/server.js';
import type { CallPolicy } from '../../src/vendors/http/call-policy.js';
import { VendorError } from '../../src/vendors/http/errors.js';
import { runInOperationScope, type OperationScope } from '../../src/vendors/http/operation-scope.js';
import { VendorHttp, type VendorCallEvent } from '../../src/vendors/http/vendor-http.js';

const POLICY: Partial<CallPolicy> = { maxAttempts: 1, maxConcurrent: 4, maxConcurrentPerOperation: 2, breakerFailureThreshold: 2 };
const OPTIONS = { headers: () => ({}), readErrorBody: () => ({}) };

let simulator: Simulator;

before(async () => {
  simulator = await startKobilSimulator();
  // The first request of the process compiles undici's HTTP parser; keep that out of the timed cases.
  const http = connect();
  await http.getJson('/warm-up', OPTIONS).catch(() => undefined);
  await http.close();
});

after(async () => {
  await simulator?.close();
});

/** A VendorHttp to the simulator that reports its attempts into `events`. */
function connect(events: VendorCallEvent[] = []): VendorHttp {
  return new VendorHttp('KOBIL', { baseUrl: simulator.url, policy: POLICY, observer: (event) => events.push(event) }, { maxResponseBytes: KOBIL_MAX_RESPONSE_BYTES });
}

/** `count` distinct calls in one operation scope; each settles to `answered` (whatever the vendor said) or the code of the error that kept it from answering. */
function callsIn(http: VendorHttp, scope: OperationScope, count: number): Promise<string[]> {
  return runInOperationScope(scope, () =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        http.getJson(`/call-${index}`, OPTIONS).then(
          () => 'answered',
          (error: unknown) => {
            if (!(error instanceof VendorError)) return 'unexpected';
            if (error.status !== undefined) return 'answered';
            return /waiting for one of devicegraph's connections/.test(error.message) ? `${error.code} (waited)` : error.code;
          },
        ),
      ),
    ),
  );
}

describe('vendor HTTP admission control', () => {
  it('calls that run out of time while waiting for a connection are OPERATION_TIMEOUT, never VENDOR_TIMEOUT, and never open the circuit', async () => {
    simulator.clearCalls();
    simulator.knobs.latencyMs = 200;
    const events: VendorCallEvent[] = [];
    const http = connect(events);
    try {
      // Two at a time (the operation's share) at 200 ms each: two rounds and a bit fit before the deadline.
      const outcomes = await callsIn(http, { requestId: 'queued', deadline: Date.now() + 500 }, 40);
      const waited = outcomes.filter((outcome) => outcome === 'OPERATION_TIMEOUT (waited)').length;
      assert.ok(waited >= 30, `most calls ran out of time waiting (${waited} of 40): ${outcomes.join(', ')}`);
      assert.ok(outcomes.every((outcome) => outcome === 'answered' || outcome.startsWith('OPERATION_TIMEOUT')), `none blamed on the vendor: ${outcomes.join(', ')}`);
      assert.equal(http.breaker.state, 'closed', 'the vendor is not judged on devicegraph’s own queue');
      assert.equal(events.length, 40 - waited, 'calls that waited were never sent, nor logged as vendor calls');
      assert.ok(simulator.calls.length <= events.length, 'the vendor saw only calls that were sent');
    } finally {
      simulator.knobs.latencyMs = 0;
      await http.close();
    }
  });

  it('one operation holds at most its share of the connections: another operation’s call is sent while it runs', async () => {
    simulator.clearCalls();
    simulator.knobs.latencyMs = 20;
    const http = connect();
    try {
      const deadline = Date.now() + 30_000;
      const heavy = callsIn(http, { requestId: 'heavy', deadline }, 60);
      let heavyDone = false;
      void heavy.then(() => (heavyDone = true));
      const [ordinary] = await callsIn(http, { requestId: 'ordinary', deadline }, 1);
      const sentWhenAnswered = simulator.calls.length;
      assert.equal(ordinary, 'answered', 'the ordinary call was answered');
      assert.equal(heavyDone, false, 'while the heavy operation was still running');
      assert.ok(sentWhenAnswered <= 10, `it did not wait behind the heavy operation’s 60 calls (${sentWhenAnswered} sent by then)`);
      assert.ok((await heavy).every((code) => code === 'answered'), 'the heavy operation still made all its calls');
    } finally {
      simulator.knobs.latencyMs = 0;
      await http.close();
    }
  });

  it('the per-operation cap refuses calls past it with BAD_USER_INPUT, before they are sent', async () => {
    simulator.clearCalls();
    const http = connect();
    try {
      const outcomes = await callsIn(http, { requestId: 'capped', deadline: Date.now() + 10_000, maxVendorCalls: 3 }, 5);
      assert.deepEqual([...outcomes].sort(), ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'answered', 'answered', 'answered']);
      assert.equal(simulator.calls.length, 3, 'three calls sent');
      assert.equal(http.breaker.state, 'closed');
    } finally {
      await http.close();
    }
  });
});
