/**
 * Fan-out, tried as an attacker would, over real HTTP (devicegraph → simulators on loopback): an
 * operation that could make thousands of vendor calls is refused before any; `nodes(ids:)` over
 * one vendor page costs the calls the connection made; a heavy but allowed operation leaves
 * others their connections and never opens a circuit with its own queueing; the run-time cap
 * holds where the model counts low. The cost model as a pure unit: test/graph/operation-limits.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_VENDOR_CALLS } from '../src/graph/checks/operation-limits.js';
import { fromGlobalId } from '../src/graph/ids.js';
import { DEVICE_FIELD_CHANGE_ID } from '../src/graph/sources/control-center.js';
import { AUTOMOX_FIXTURES } from '../src/simulators/automox/simulator.js';
import { CONTROL_CENTER_FIXTURES } from '../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../src/simulators/naver-cloud/simulator.js';
import type { VendorName } from '../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness, type GraphHarnessOptions, type GraphQLResponse } from './support/graph-harness.js';

const DEVICE_137 = CONTROL_CENTER_FIXTURES.iccidWith137Records;
const ORDINARY = `{ cellularDevice(iccid: "${CONTROL_CENTER_FIXTURES.iccidWith50Records}") { auditEvents(first: 5) { edges { node { id } } } } }`;

/** Root aliases (each fails alone) of one device's `auditEvents(<args(index)>)`, for `count` indexes. */
const trails = (count: number, args: (index: number) => string) =>
  `{ ${Array.from({ length: count }, (_, index) => `d${index}: cellularDevice(iccid: "${DEVICE_137}") { auditEvents(${args(index)}) { edges { node { id } } } }`).join('\n')} }`;

/** 365 aliases of one device's audit trail, one per `daysOfHistory`: 365 distinct lists, one call each. */
const HEAVY = trails(365, (index) => `daysOfHistory: ${index + 1}, first: 1`);

async function circuit(harness: GraphHarness, vendor: VendorName): Promise<string> {
  const response = await fetch(harness.graph.url.replace(/\/graphql$/, '/healthz'));
  return ((await response.json()) as { vendors: Record<VendorName, { circuit: string }> }).vendors[vendor].circuit;
}

/** Sends `query` and returns its answer, with whether `other` had settled by then. */
async function whileRunning(harness: GraphHarness, query: string, other: { settled: boolean }) {
  const response = await harness.query(query);
  return { response, otherSettled: other.settled };
}

/** Starts `query` without waiting for it; `settled` turns true once it answered. */
function start(harness: GraphHarness, query: string) {
  const state = { settled: false, answer: undefined as unknown as Promise<GraphQLResponse> };
  state.answer = harness.query(query).finally(() => (state.settled = true));
  return state;
}

/** Waits until `vendor`'s simulator has received at least `count` calls. */
async function callsReached(harness: GraphHarness, vendor: VendorName, count: number): Promise<void> {
  for (let waited = 0; harness.calls(vendor) < count; waited += 5) {
    assert.ok(waited < 10_000, `${vendor} received ${harness.calls(vendor)} calls, waiting for ${count}`);
    await sleep(5);
  }
}

/** devicegraph over the simulators for one describe block: started before its tests, closed after. */
function harnessFor(options: GraphHarnessOptions = {}): () => GraphHarness {
  let harness: GraphHarness | undefined;
  before(async () => {
    harness = await startGraphHarness(options);
  });
  after(async () => {
    await harness?.close();
  });
  return () => harness!;
}

// For the operations whose point is not timing: hundreds of calls can outlast the default 10 s on a loaded machine.
const UNHURRIED: GraphHarnessOptions['server'] = { operationTimeoutMs: 120_000 };

const codes = (response: GraphQLResponse) => (response.errors ?? []).map((error) => String(error.extensions?.code));

describe('an operation that could fan out is refused before any vendor call', () => {
  const harness = harnessFor();

  it('1,000 aliases × 10 ICCIDs (10,000 Control Center calls, 1,000 records) → BAD_USER_INPUT stating the budget, no call', async (t) => {
    const aliases = Array.from({ length: 1_000 }, (_, alias) => {
      const sources = Array.from({ length: 10 }, (_, index) => `{ iccid: "8901170427${String(alias * 10 + index).padStart(10, '0')}" }`);
      return `t${alias}: timeline(sources: [${sources.join(', ')}], first: 1) { nodes { id } }`;
    });
    const query = `{ ${aliases.join('\n')} }`;
    assert.ok(query.length > 300_000, `a body of ${Math.round(query.length / 1_000)} KB`);
    harness().clearCalls();
    const started = performance.now();
    const response = await harness().query(query);
    const elapsedMs = performance.now() - started;
    t.diagnostic(`${Math.round(query.length / 1_000)} KB refused in ${Math.round(elapsedMs)} ms: ${response.errors?.[0]?.message}`);
    assert.equal(response.data, undefined, 'no data');
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    const [error] = response.errors!;
    assert.equal(error!.extensions?.maxVendorCalls, MAX_VENDOR_CALLS);
    assert.ok(Number(error!.extensions?.vendorCalls) > MAX_VENDOR_CALLS, `extensions.vendorCalls: ${error!.extensions?.vendorCalls}`);
    assert.match(error!.message, new RegExp(`vendor calls; the limit is ${MAX_VENDOR_CALLS}`));
    assert.equal(harness().totalCalls(), 0, 'no simulator received a call');
  });

  it('the same fan-out through `node` aliases of distinct records → refused, no call', async () => {
    const ids = await harness().query<{ cellularDevice: { auditEvents: { nodes: Array<{ id: string }> } } }>(
      `{ cellularDevice(iccid: "${DEVICE_137}") { auditEvents(first: 1) { nodes { id } } } }`,
    );
    const record = DEVICE_FIELD_CHANGE_ID.read(fromGlobalId(ids.data!.cellularDevice.auditEvents.nodes[0]!.id).parts)!;
    // 600 distinct IDs made from the record's: other days of history (365 lists) and other keys, one call each.
    const aliases = Array.from({ length: 600 }, (_, index) => {
      const id = DEVICE_FIELD_CHANGE_ID.encode({ ...record, daysOfHistory: (index % 365) + 1, key: `${record.key}${index >= 365 ? index : ''}` });
      return `n${index}: node(id: "${id}") { id }`;
    });
    harness().clearCalls();
    const response = await harness().query(`{ ${aliases.join('\n')} }`);
    assert.deepEqual(codes(response), ['BAD_USER_INPUT'], JSON.stringify(response.errors?.[0]));
    assert.equal(harness().totalCalls(), 0, 'no simulator received a call');
  });
});

describe('nodes(ids:) over one vendor page: the calls the connection made', () => {
  const harness = harnessFor();

  const lists: Array<{ vendor: VendorName; query: string; nodes(data: any): Array<{ id: string }> }> = [
    {
      vendor: 'CISCO_CONTROL_CENTER',
      query: `{ cellularDevice(iccid: "${DEVICE_137}") { auditEvents(first: 100) { nodes { id } } } }`,
      nodes: (d) => d.cellularDevice.auditEvents.nodes,
    },
    {
      vendor: 'KOBIL',
      query: `{ kobilUser(userName: "${KOBIL_FIXTURES.userWith200Logs}") { activity(first: 100) { nodes { id } } } }`,
      nodes: (d) => d.kobilUser.activity.nodes,
    },
    {
      vendor: 'NAVER_CLOUD',
      query: `{ certificateSubject(subjectId: "${NAVER_CLOUD_FIXTURES.subjectIdWith120Activities}") { authentications(first: 100) { nodes { id } } } }`,
      nodes: (d) => d.certificateSubject.authentications.nodes,
    },
    {
      vendor: 'AUTOMOX',
      query: `{ policyExecution(policyId: "${AUTOMOX_FIXTURES.executionWith1300Results.policyId}", executionToken: "${AUTOMOX_FIXTURES.executionWith1300Results.executionToken}") { deviceResults(first: 100) { nodes { id } } } }`,
      nodes: (d) => d.policyExecution.deviceResults.nodes,
    },
  ];

  for (const list of lists) {
    it(`${list.vendor}: the 100 records of first: 100, by their IDs, in the connection's calls`, async (t) => {
      harness().clearCalls();
      const page = await harness().query(list.query);
      assert.equal(page.errors, undefined, JSON.stringify(page.errors));
      const ids = list.nodes(page.data).map((node) => node.id);
      assert.equal(ids.length, 100);
      const connectionCalls = harness().calls(list.vendor);

      harness().clearCalls();
      const found = await harness().query('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [...ids].reverse() });
      assert.equal(found.errors, undefined, JSON.stringify(found.errors));
      assert.deepEqual(
        found.data.nodes.map((node: { id: string }) => node.id),
        [...ids].reverse(),
        'every record found, in the order asked',
      );
      t.diagnostic(`${list.vendor}: connection ${connectionCalls} call(s), nodes(ids:) ${harness().calls(list.vendor)}`);
      assert.equal(harness().calls(list.vendor), connectionCalls, 'nodes(ids:) made the calls the connection made');
      assert.equal(harness().totalCalls(), connectionCalls, 'and no other vendor was called');
    });
  }
});

describe('a heavy but allowed operation beside an ordinary one', () => {
  // A share of 4 connections spreads the heavy operation's 365 calls over ~0.9 s (at the default
  // share they took ~0.1 s), so "answered before half of them" still holds on a loaded machine.
  const harness = harnessFor({ knobs: { latencyMs: 10 }, callPolicy: { maxConcurrentPerOperation: 4 }, server: UNHURRIED });

  it('365 Control Center calls in one operation (within the budget): a concurrent query is answered at once, the circuit stays closed', async () => {
    harness().clearCalls();
    const heavy = start(harness(), HEAVY);
    await callsReached(harness(), 'CISCO_CONTROL_CENTER', 8);
    const { response, otherSettled } = await whileRunning(harness(), ORDINARY, heavy);
    const callsWhenAnswered = harness().calls('CISCO_CONTROL_CENTER');
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(response.data.cellularDevice.auditEvents.edges.length, 5, 'the ordinary query has its data');
    assert.equal(otherSettled, false, 'answered while the heavy operation was still running');
    assert.ok(callsWhenAnswered < 365 / 2, `it did not wait behind the heavy operation's calls (${callsWhenAnswered} made by then)`);
    const heavyResponse = await heavy.answer;
    assert.equal(heavyResponse.errors, undefined, 'the heavy operation completed too');
    assert.equal(harness().calls('CISCO_CONTROL_CENTER'), 365 + 1, 'one call per list');
    assert.equal(await circuit(harness(), 'CISCO_CONTROL_CENTER'), 'closed');
  });
});

describe('a heavy operation that runs out of time waiting for connections', () => {
  // With a share of 4 connections, its 365 calls need 365 / 4 × 400 ms ≈ 37 s: most run out of an
  // 8 s deadline, which still leaves a loaded machine seconds for parsing and checking the 365
  // aliases, deadline time too.
  const harness = harnessFor({ knobs: { latencyMs: 400 }, callPolicy: { maxConcurrentPerOperation: 4 }, server: { operationTimeoutMs: 8_000 } });

  it('its calls that never left devicegraph are OPERATION_TIMEOUT, not VENDOR_TIMEOUT; the circuit stays closed; the ordinary query is unaffected', async (t) => {
    harness().clearCalls();
    const heavy = start(harness(), HEAVY);
    await callsReached(harness(), 'CISCO_CONTROL_CENTER', 8);
    const { response } = await whileRunning(harness(), ORDINARY, heavy);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(response.data.cellularDevice.auditEvents.edges.length, 5, 'the ordinary query has its data');

    const heavyCodes = codes(await heavy.answer);
    t.diagnostic(`heavy operation: ${harness().calls('CISCO_CONTROL_CENTER') - 1} calls made, ${heavyCodes.length} fields out of time`);
    assert.ok(heavyCodes.length > 200, `most of its 365 calls ran out of time (${heavyCodes.length})`);
    assert.deepEqual([...new Set(heavyCodes)], ['OPERATION_TIMEOUT'], 'all of them as devicegraph’s own time-out');
    assert.ok(harness().calls('CISCO_CONTROL_CENTER') < 365 - 200, 'calls that ran out of time were never sent');
    assert.equal(await circuit(harness(), 'CISCO_CONTROL_CENTER'), 'closed', 'the vendor is not blamed for devicegraph’s queue');
  });
});

describe('the run-time cap on vendor calls', () => {
  const harness = harnessFor({ server: UNHURRIED });

  it('an operation the model counts low (last: 1 on 200 lists of 137 records: counted 400, needs 600) stops at the cap', async () => {
    // `last` without a cursor is counted as one call for the length and one for the window; without
    // a vendor total the engine reads the whole list to learn its length: three pages of 50 here.
    harness().clearCalls();
    const response = await harness().query(trails(200, (index) => `daysOfHistory: ${30 + index}, last: 1`));
    assert.equal(harness().calls('CISCO_CONTROL_CENTER'), MAX_VENDOR_CALLS, `exactly ${MAX_VENDOR_CALLS} calls were made`);
    const capped = (response.errors ?? []).filter((error) => error.extensions?.code === 'BAD_USER_INPUT');
    assert.ok(capped.length > 0 && capped.length === response.errors!.length, `the fields past the cap failed: ${JSON.stringify(response.errors?.[0])}`);
    assert.match(capped[0]!.message, new RegExp(`made ${MAX_VENDOR_CALLS} vendor calls, the most one operation may make`));
    assert.equal(capped[0]!.extensions?.vendor, 'CISCO_CONTROL_CENTER');
    const answered = Object.values(response.data as Record<string, unknown>).filter((device) => device !== null);
    assert.ok(answered.length > 0, 'lists read within the cap have their data');
    assert.equal(answered.length + capped.length, 200, 'every other list failed on its own, with the cap’s error');
    assert.equal(await circuit(harness(), 'CISCO_CONTROL_CENTER'), 'closed');
  });
});
