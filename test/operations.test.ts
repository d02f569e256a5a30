/**
 * What an operator relies on, in process over the real simulators: the probes, refused vendor
 * credentials (VENDOR_UNAUTHENTICATED on /readyz and once in the log), a graceful shutdown that
 * lets a request in flight finish while /readyz says 503 and no new connection is taken, traces
 * that continue the caller's `traceparent`, metrics, and internal errors logged with their stack.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { context as otelContext, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Client } from 'undici';
import { formatError } from '../src/graph/format-error.js';
import { runInOperationScope } from '../src/vendors/http/operation-scope.js';
import { VendorNotFoundError } from '../src/vendors/http/errors.js';
import { KOBIL_FIXTURES } from '../src/simulators/kobil/simulator.js';
import { createTelemetry } from '../src/telemetry.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness } from './support/graph-harness.js';

const KOBIL_QUERY = `{ kobilUser(userName: "${KOBIL_FIXTURES.userWith7Logs}") { userName activity(first: 2) { edges { cursor } } } }`;

/** Collects a telemetry instance's JSON log lines. */
function logCollector(tracing: Parameters<typeof createTelemetry>[0] = {}) {
  const lines: Array<Record<string, any>> = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, any>);
      callback();
    },
  });
  return { lines, telemetry: createTelemetry({ ...tracing, logLevel: 'info', destination }) };
}

async function getJson(base: string, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(path, base));
  return { status: response.status, body: await response.json() };
}

describe('probes', () => {
  let harness: GraphHarness;
  before(async () => {
    harness = await startGraphHarness();
  });
  after(async () => {
    await harness?.close();
  });

  it('/livez says the process works; /readyz and /healthz list every vendor circuit and credential state', async () => {
    assert.deepEqual(await getJson(harness.graph.url, '/livez'), { status: 200, body: { status: 'ok' } });
    const ready = await getJson(harness.graph.url, '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    const health = await getJson(harness.graph.url, '/healthz');
    assert.equal(health.body.status, 'ok', '/healthz keeps its answer');
    for (const body of [ready.body, health.body]) {
      assert.deepEqual(Object.keys(body.vendors).sort(), [...VENDORS].sort());
      for (const vendor of VENDORS) assert.deepEqual(body.vendors[vendor], { circuit: 'closed', credentialsRefused: false }, vendor);
    }
  });
});

describe('refused vendor credentials', () => {
  let harness: GraphHarness;
  const { lines, telemetry } = logCollector();
  before(async () => {
    harness = await startGraphHarness({
      observer: telemetry.vendorObserver,
      server: { telemetry },
      credentials: { KOBIL: { accessToken: 'a-token-kobil-never-issued' } },
    });
  });
  after(async () => {
    await harness?.close();
  });

  it('are VENDOR_UNAUTHENTICATED for the client, shown on /readyz, and logged at error once per streak', async () => {
    for (let round = 1; round <= 2; round++) {
      const body = await harness.query(KOBIL_QUERY);
      assert.equal(body.data?.kobilUser, null, 'the KOBIL field is null');
      assert.deepEqual(
        body.errors?.map((error) => [error.extensions?.code, error.extensions?.vendor]),
        [['VENDOR_UNAUTHENTICATED', 'KOBIL']],
        `round ${round}: ${JSON.stringify(body.errors)}`,
      );
    }
    const ready = await getJson(harness.graph.url, '/readyz');
    assert.equal(ready.status, 200, 'still ready: the other vendors work, and every instance shares the credentials');
    assert.deepEqual(ready.body.vendors.KOBIL, { circuit: 'closed', credentialsRefused: true });
    assert.deepEqual(ready.body.vendors.AUTOMOX, { circuit: 'closed', credentialsRefused: false });
    const errors = lines.filter((line) => line.level === 50);
    assert.equal(errors.length, 1, `one error line for the streak: ${JSON.stringify(errors)}`);
    assert.equal(errors[0]!.vendor, 'KOBIL');
    assert.equal(errors[0]!.status, 401);
    assert.match(errors[0]!.msg, /KOBIL refused devicegraph's credentials \(HTTP 401\)/);
    assert.ok(!JSON.stringify(lines).includes('a-token-kobil-never-issued'), 'the token is never logged');
  });
});

describe('graceful shutdown', () => {
  let harness: GraphHarness;
  before(async () => {
    harness = await startGraphHarness();
  });
  after(async () => {
    await harness?.close();
  });

  it('finishes the request in flight, answers 503 on /readyz meanwhile, and takes no new connection', async () => {
    const base = harness.graph.url;
    // A connection opened before the signal, as a router's keep-alive pool holds one.
    const kept = new Client(new URL(base).origin);
    try {
      assert.equal((await kept.request({ method: 'GET', path: '/readyz' })).statusCode, 200);
      harness.running.simulators.KOBIL!.knobs.latencyMs = 1_500;
      const slow = harness.query(KOBIL_QUERY);
      await waitFor(() => harness.calls('KOBIL') === 1);
      const stopped = harness.graph.shutdown(10_000);

      const draining = await kept.request({ method: 'GET', path: '/readyz' });
      assert.equal(draining.statusCode, 503);
      assert.equal(draining.headers.connection, 'close', 'the kept connection closes after this answer');
      assert.equal(((await draining.body.json()) as { status: string }).status, 'draining');
      await assert.rejects(fetch(new URL('/livez', base)), 'a new connection is refused');

      const body = await slow;
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.equal(body.data.kobilUser.activity.edges.length, 2, 'the full answer');
      assert.deepEqual(await stopped, { cut: 0 });
    } finally {
      await kept.close();
    }
  });
});

describe('traces, metrics and logs of an operation', () => {
  let harness: GraphHarness;
  const exporter = new InMemorySpanExporter();
  const { lines, telemetry } = logCollector({ tracing: { exporter, immediate: true } });
  before(async () => {
    harness = await startGraphHarness({ observer: telemetry.vendorObserver, server: { telemetry } });
  });
  after(async () => {
    await harness?.close();
  });

  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpanId = '00f067aa0ba902b7';

  it("continues the caller's traceparent: the operation span under it, one client span per vendor attempt under that", async () => {
    harness.running.simulators.KOBIL!.knobs.fault = { kind: 'server-error', times: 1 };
    const response = await fetch(harness.graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01`, 'x-request-id': 'traced-request' },
      body: JSON.stringify({ query: `query KobilActivity ${KOBIL_QUERY}`, operationName: 'KobilActivity' }),
    });
    const body = (await response.json()) as { errors?: unknown };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));

    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const operation = spans.find((span) => span.kind === SpanKind.SERVER);
    assert.ok(operation, 'an operation span in the caller\'s trace');
    assert.equal(operation.parentSpanContext?.spanId, callerSpanId, "the caller's span is its parent");
    assert.equal(operation.name, 'query KobilActivity');
    assert.deepEqual(operation.attributes, { 'graphql.operation.type': 'query', 'graphql.operation.name': 'KobilActivity' });

    const attempts = spans.filter((span) => span.kind === SpanKind.CLIENT);
    assert.deepEqual(
      attempts.map((span) => [span.parentSpanContext?.spanId, span.name, span.attributes['devicegraph.attempt'], span.attributes['http.response.status_code']]),
      [
        [operation.spanContext().spanId, 'GET /digitanium/v4/user/{userName}/logs', 1, 500],
        [operation.spanContext().spanId, 'GET /digitanium/v4/user/{userName}/logs', 2, 200],
      ],
    );
    assert.equal(attempts[0]!.attributes['error.type'], 'VENDOR_UNAVAILABLE');
    assert.equal(attempts[1]!.attributes['devicegraph.vendor'], 'KOBIL');
    const recorded = JSON.stringify(spans.map((span) => span.attributes));
    assert.ok(!recorded.includes(KOBIL_FIXTURES.userWith7Logs) && !recorded.includes('?'), `no identifier or query in a span: ${recorded}`);

    const requestLine = lines.find((line) => line.msg === 'request' && line.requestId === 'traced-request');
    assert.equal(requestLine?.trace_id, traceId, 'the request line carries the trace id');
  });

  it('/metrics has the process metrics, an operation histogram by name and a vendor call histogram', async () => {
    const text = await (await fetch(new URL('/metrics', harness.graph.url))).text();
    assert.match(text, /^process_cpu_user_seconds_total \d/m);
    assert.match(text, /^nodejs_eventloop_lag_seconds \d/m);
    assert.match(text, /^devicegraph_graphql_operation_duration_seconds_count\{operation="KobilActivity",type="query"\} 1$/m);
    assert.match(text, /^devicegraph_vendor_call_duration_seconds_count\{vendor="KOBIL"\} 2$/m);
  });
});

describe('internal errors', () => {
  it('are masked for the client and handed over to be logged; deliberate and vendor errors are not', () => {
    const internal: unknown[] = [];
    const masked = formatError({ message: "Cannot read properties of undefined (reading 'x')" }, new TypeError("Cannot read properties of undefined (reading 'x')"), (error) =>
      internal.push(error),
    );
    assert.deepEqual(masked, { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    assert.ok(internal[0] instanceof TypeError);
    formatError({ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }, new Error('bad'), (error) => internal.push(error));
    formatError({ message: 'gone' }, new VendorNotFoundError('KOBIL', 'answered HTTP 404'), (error) => internal.push(error));
    assert.equal(internal.length, 1);
  });

  it('are logged at error with their stack, the request id and the trace id', () => {
    const { lines, telemetry } = logCollector();
    const { context: traced } = telemetry.tracing.startOperation(telemetry.tracing.callerContext({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` }));
    otelContext.with(traced, () =>
      runInOperationScope({ requestId: 'failing-request', deadline: Date.now() + 1_000, maxVendorCalls: 1 }, () =>
        telemetry.logger.error({ err: new TypeError('boom') }, 'internal error'),
      ),
    );
    const line = lines.at(-1)!;
    assert.equal(line.level, 50);
    assert.equal(line.requestId, 'failing-request');
    assert.equal(line.trace_id, 'a'.repeat(32));
    assert.match(line.err.stack, /^TypeError: boom\n\s+at /);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
