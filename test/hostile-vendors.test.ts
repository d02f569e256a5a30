/**
 * Vendors that turn hostile, over real HTTP (GraphQL → devicegraph → a simulator on loopback):
 * a body far larger than any real answer is abandoned at the vendor's cap and answered with
 * VENDOR_BAD_RESPONSE, without devicegraph's memory following it; a vendor quoting the request's
 * credentials in its error text puts none of them in front of a client or in a log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Fault } from '../src/simulators/server.js';
import { createTelemetry } from '../src/telemetry.js';
import { AUTOMOX_MAX_RESPONSE_BYTES } from '../src/vendors/automox/contract.js';
import { CONTROL_CENTER_MAX_RESPONSE_BYTES } from '../src/vendors/control-center/contract.js';
import { VendorBadResponseError } from '../src/vendors/http/errors.js';
import { VendorHttp } from '../src/vendors/http/vendor-http.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from '../src/vendors/vendor.js';
import { ALL_VENDORS, at, execution, FIELDS, iccid, SIMULATOR_SECRETS } from './support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from './support/graph-harness.js';

const MB = 1024 * 1024;
const HOSTILE_BODY_BYTES = 200_000_000;
const MAX_RSS_GROWTH = 50 * MB;

/** A full collection, when the runner allows exposing it (it does from inside the process). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The one field per vendor `ALL_VENDORS` has, asked alone. */
const QUERIES: Partial<Record<VendorName, string>> = {
  CISCO_CONTROL_CENTER: `{ cc: cellularDevice(iccid: "${iccid}") { auditEvents(first: 3) { edges { node { id } } } } }`,
  AUTOMOX: `{ automox: policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}") { deviceResults(first: 3) { totalCount } } }`,
};

interface Measured<T> {
  result: T;
  elapsedMs: number;
  /** Highest RSS seen while it ran, minus RSS before it (after a full collection). */
  peakGrowth: number;
  /** RSS after it and a full collection, minus RSS before it. */
  heldGrowth: number;
}

/** Runs `work`, sampling the process's RSS every few milliseconds meanwhile. */
async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  gc();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  const started = performance.now();
  try {
    const result = await work();
    const elapsedMs = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage.rss());
    gc();
    return { result, elapsedMs, peakGrowth: peak - before, heldGrowth: process.memoryUsage.rss() - before };
  } finally {
    clearInterval(sampler);
  }
}

function assertBadResponse(body: GraphQLResponse, vendor: VendorName, alias: string): void {
  assert.equal(body.data?.[alias], null, `${alias} is null: ${JSON.stringify(body).slice(0, 300)}`);
  const [error] = body.errors ?? [];
  assert.equal(body.errors?.length, 1, `one error: ${JSON.stringify(body.errors)}`);
  assert.equal(error!.extensions?.code, 'VENDOR_BAD_RESPONSE', JSON.stringify(error));
  assert.equal(error!.extensions?.vendor, vendor, JSON.stringify(error));
  assert.match(error!.message, /larger than \d+ bytes/, 'the message says why');
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;

describe('a vendor streaming a 200 MB body', () => {
  let harness: GraphHarness;

  before(async () => {
    harness = await startGraphHarness();
    // Warm every code path the measured requests take, so their RSS shows only what they hold.
    assert.equal((await harness.query(ALL_VENDORS)).errors, undefined, 'healthy first');
    for (const vendor of ['CISCO_CONTROL_CENTER', 'AUTOMOX'] as const) {
      harness.running.simulators[vendor]!.setFault({ kind: 'oversized-body', bodyBytes: 2 * CONTROL_CENTER_MAX_RESPONSE_BYTES, times: 1 });
      await harness.query(QUERIES[vendor]!);
    }
  });

  after(async () => {
    await harness?.close();
  });

  const cases: Array<{ vendor: VendorName; alias: string; cap: number }> = [
    { vendor: 'CISCO_CONTROL_CENTER', alias: 'cc', cap: CONTROL_CENTER_MAX_RESPONSE_BYTES },
    { vendor: 'AUTOMOX', alias: 'automox', cap: AUTOMOX_MAX_RESPONSE_BYTES },
  ];
  for (const { vendor, alias, cap } of cases) {
    it(`${vendor} (cap ${mb(cap)}), streamed chunked → VENDOR_BAD_RESPONSE, RSS growth under ${mb(MAX_RSS_GROWTH)}, the read abandoned near the cap`, async (t) => {
      const simulator = harness.running.simulators[vendor]!;
      simulator.clearCalls();
      simulator.setFault({ kind: 'oversized-body', bodyBytes: HOSTILE_BODY_BYTES });
      try {
        const measured = await measure(() => harness.query(QUERIES[vendor]!));
        t.diagnostic(
          `${vendor}: ${measured.elapsedMs.toFixed(0)} ms, RSS peak +${mb(measured.peakGrowth)}, held +${mb(measured.heldGrowth)}, ` +
            `simulator sent ${mb(simulator.calls[0]?.bodyBytesSent ?? 0)} of ${mb(HOSTILE_BODY_BYTES)}`,
        );
        assertBadResponse(measured.result, vendor, alias);
        assert.ok(measured.peakGrowth < MAX_RSS_GROWTH, `RSS peak growth ${mb(measured.peakGrowth)}`);
        assert.ok(measured.heldGrowth < MAX_RSS_GROWTH, `RSS held growth ${mb(measured.heldGrowth)}`);
        assert.equal(simulator.calls.length, 1, 'not retried: the answer would be as large again');
        const sent = simulator.calls[0]!.bodyBytesSent ?? 0;
        assert.ok(sent < cap + 16 * MB, `the simulator stopped soon after the cap: it sent ${mb(sent)}`);
      } finally {
        simulator.setFault(null);
      }
    });
  }

  it('four at once (Control Center): all VENDOR_BAD_RESPONSE, RSS growth under 50 MB', async (t) => {
    const simulator = harness.running.simulators.CISCO_CONTROL_CENTER!;
    simulator.setFault({ kind: 'oversized-body', bodyBytes: HOSTILE_BODY_BYTES });
    try {
      const measured = await measure(() => Promise.all(Array.from({ length: 4 }, () => harness.query(QUERIES.CISCO_CONTROL_CENTER!))));
      t.diagnostic(`four at once: ${measured.elapsedMs.toFixed(0)} ms, RSS peak +${mb(measured.peakGrowth)}, held +${mb(measured.heldGrowth)}`);
      for (const body of measured.result) assertBadResponse(body, 'CISCO_CONTROL_CENTER', 'cc');
      assert.ok(measured.peakGrowth < MAX_RSS_GROWTH, `RSS peak growth ${mb(measured.peakGrowth)}`);
    } finally {
      simulator.setFault(null);
    }
  });

  it('a declared content-length over the cap is refused before reading the body', async () => {
    const simulator = harness.running.simulators.CISCO_CONTROL_CENTER!;
    simulator.clearCalls();
    simulator.setFault({ kind: 'oversized-body', bodyBytes: HOSTILE_BODY_BYTES, declareLength: true });
    try {
      assertBadResponse(await harness.query(QUERIES.CISCO_CONTROL_CENTER!), 'CISCO_CONTROL_CENTER', 'cc');
      const sent = simulator.calls[0]?.bodyBytesSent ?? 0;
      assert.ok(sent < 16 * MB, `the simulator could send little before the connection closed: ${mb(sent)}`);
    } finally {
      simulator.setFault(null);
    }
  });

  it('the vendor stays healthy for everyone: its circuit is closed and the next query has all data', async () => {
    assert.equal(harness.clients.breakers().CISCO_CONTROL_CENTER.state, 'closed');
    assert.equal(harness.clients.breakers().AUTOMOX.state, 'closed');
    const body = await harness.query(ALL_VENDORS);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    for (const [vendor, field] of Object.entries(FIELDS)) assert.ok(field.present(body.data), `${vendor} has data`);
  });
});

describe('the cap is exact', () => {
  let harness: GraphHarness;
  let http: VendorHttp;
  const CAP = 1000;

  before(async () => {
    harness = await startGraphHarness();
    http = new VendorHttp('KOBIL', { baseUrl: harness.running.simulators.KOBIL!.url }, { maxResponseBytes: CAP });
  });

  after(async () => {
    await http?.close();
    await harness?.close();
  });

  const get = () => http.getJson('/anything', { headers: () => ({}), readErrorBody: () => ({}) });

  for (const declareLength of [false, true]) {
    const how = declareLength ? 'with content-length' : 'chunked';
    it(`${how}: a body of exactly the cap is read; one byte more is VendorBadResponseError`, async () => {
      const simulator = harness.running.simulators.KOBIL!;
      const fault = (bodyBytes: number): Fault => ({ kind: 'oversized-body', bodyBytes, declareLength, times: 1 });
      simulator.setFault(fault(CAP));
      const { body } = await get();
      assert.equal((body as { padding: string }).padding.length, CAP - '{"padding":""}'.length);
      simulator.setFault(fault(CAP + 1));
      await assert.rejects(get(), (error) => error instanceof VendorBadResponseError && error.status === 200 && /larger than 1000 bytes/.test(error.message));
    });
  }
});

describe("a vendor quoting the request's credentials in its error text", () => {
  let harness: GraphHarness;
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logLines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
      callback();
    },
  });

  before(async () => {
    const telemetry = createTelemetry({ logLevel: 'trace', destination: logSink });
    harness = await startGraphHarness({
      callPolicy: { baseDelayMs: 5, maxDelayMs: 20 },
      observer: telemetry.vendorObserver,
      server: { telemetry },
    });
  });

  after(async () => {
    await harness?.close();
  });

  /** The credential headers the simulator received and quoted back, and the values after their auth schemes. */
  const CREDENTIAL_HEADERS = ['authorization', 'x-ncp-iam-access-key', 'x-ncp-apigw-signature-v2'];

  for (const vendor of VENDORS) {
    it(`${vendor}: the client sees devicegraph's words and the vendor code; the log has the vendor's text, redacted`, async () => {
      const simulator = harness.running.simulators[vendor]!;
      simulator.clearCalls();
      logLines.length = 0;
      simulator.setFault({ kind: 'echo-request' });
      let text: string;
      try {
        const response = await fetch(harness.graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ALL_VENDORS }) });
        text = await response.text();
      } finally {
        simulator.setFault(null);
        harness.clients.breakers()[vendor].reset();
      }
      const body = JSON.parse(text) as GraphQLResponse;
      assert.equal(at(body.data, FIELDS[vendor].path), null, `${vendor}'s field failed`);
      for (const error of body.errors ?? []) {
        assert.equal(error.extensions?.code, 'VENDOR_UNAVAILABLE', JSON.stringify(error));
        assert.match(error.message, new RegExp(`^${VENDOR_LABELS[vendor]}: answered HTTP 500( \\(code \\w+\\))?$`), 'only devicegraph\'s words');
      }

      const echoed = simulator.calls.flatMap((call) => Object.entries(call.echoedHeaders ?? {}));
      const quoted = echoed
        .filter(([name]) => CREDENTIAL_HEADERS.includes(name))
        .flatMap(([, value]) => [String(value), String(value).split(' ').at(-1)!]);
      assert.ok(quoted.length > 0, 'the simulator quoted credential headers back');
      const logged = logLines.join('\n');
      for (const secret of [...SIMULATOR_SECRETS, ...quoted]) {
        assert.ok(!text.includes(secret), `the response carries ${secret.slice(0, 6)}…`);
        assert.ok(!logged.includes(secret), `a log line carries ${secret.slice(0, 6)}…`);
      }
      const failed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'vendor call' && line.vendor === vendor);
      assert.ok(failed.length > 0, 'the failed calls were logged');
      for (const line of failed) {
        assert.match(String(line.vendorMessage), /Failed: GET \//, 'the vendor\'s own text is in the log');
        assert.ok(String(line.vendorMessage).includes('[redacted]'), `redacted: ${String(line.vendorMessage)}`);
      }
    });
  }
});
