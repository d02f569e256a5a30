/**
 * What an operator relies on, in process over the real simulators: the probes, refused vendor
 * credentials (VENDOR_UNAUTHENTICATED on /readyz and once in the log), and a graceful shutdown
 * that lets a request in flight finish while /readyz says 503 and no new connection is taken.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Client } from 'undici';
import { KOBIL_FIXTURES } from '../src/simulators/kobil/simulator.js';
import { createTelemetry } from '../src/telemetry.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness } from './support/graph-harness.js';

const KOBIL_QUERY = `{ kobilUser(userName: "${KOBIL_FIXTURES.userWith7Logs}") { userName activity(first: 2) { edges { cursor } } } }`;

/** Collects a telemetry instance's JSON log lines. */
function logCollector() {
  const lines: Array<Record<string, any>> = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, any>);
      callback();
    },
  });
  return { lines, telemetry: createTelemetry({ logLevel: 'info', destination }) };
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

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
