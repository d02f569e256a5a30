/**
 * Errors of the public contract (README, "Operating it"): bad input is refused with `BAD_USER_INPUT` before
 * any vendor call; one vendor failing leaves the other vendors' fields of the same response
 * intact, with an error carrying `extensions.code` and `extensions.vendor`; a vendor's "not
 * found" is `NOT_FOUND` with the field null; no response carries a credential.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { DEVICE_FIELD_CHANGE_ID } from '../../src/graph/sources/control-center.js';
import type { FaultKind } from '../../src/simulators/server.js';
import { APPLIVERY_FIXTURES } from '../../src/simulators/applivery/simulator.js';
import { AUTOMOX_FIXTURES } from '../../src/simulators/automox/simulator.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import { VENDORS, type VendorName } from '../../src/vendors/vendor.js';
import { ALL_VENDORS, at, execution, FIELDS, iccid, kobilUser, report, SIMULATOR_SECRETS } from '../support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';

let harness: GraphHarness;
/** Every response body this file received, verbatim, for the credential check. */
const bodies: string[] = [];

before(async () => {
  // Short client timeouts so a hanging vendor turns into VENDOR_TIMEOUT quickly.
  // One attempt, no breaker: this file checks how each vendor failure surfaces; retries and the
  // breaker are tested in test/resilience.test.ts.
  harness = await startGraphHarness({ clientTimeoutsMs: 300, callPolicy: SINGLE_ATTEMPT.policy });
});

after(async () => {
  await harness?.close();
});

/** POSTs a query and keeps the raw response body. */
async function query(text: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(harness.graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = await response.text();
  bodies.push(body);
  return JSON.parse(body) as GraphQLResponse;
}

/** Every simulator's call log, for messages. */
function callLogs(): string {
  return JSON.stringify(Object.fromEntries(VENDORS.map((vendor) => [vendor, harness.running.simulators[vendor]!.calls.map((c) => c.path)])));
}


const VALID_UUID = execution.policyId;
/** A record ID whose `node` lookup needs a vendor call (a Control Center audit record). */
const recordId = DEVICE_FIELD_CHANGE_ID.encode({ iccid, daysOfHistory: 30, position: 3, key: '0123456789abcdef' });

/** Queries refused with BAD_USER_INPUT before any vendor call. */
const BAD_INPUT: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  { name: 'malformed ICCID (not 89…)', query: '{ cellularDevice(iccid: "12345678901234567890") { auditEvents { totalCount } } }' },
  { name: 'malformed ICCID (too short)', query: '{ cellularDevice(iccid: "8901") { auditEvents { totalCount } } }' },
  { name: 'malformed ICCID (letters)', query: '{ cellularDevice(iccid: "8901170427893000abcd") { vendorDeviceId } }' },
  { name: 'daysOfHistory: 0', query: `{ cellularDevice(iccid: "${iccid}") { auditEvents(daysOfHistory: 0) { totalCount } } }` },
  { name: 'daysOfHistory: 366', query: `{ cellularDevice(iccid: "${iccid}") { auditEvents(daysOfHistory: 366) { totalCount } } }` },
  {
    name: 'malformed Applivery organization id',
    query: `{ androidDevice(organizationId: "a!", emmDeviceId: "${report.emmDeviceId}") { certificateReport(historyId: "${report.historyId}") { totalReports } } }`,
  },
  {
    name: 'malformed Applivery device id',
    query: `{ androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "66a1f3c9e2b4d5a6b7c8d9e") { certificateReport(historyId: "${report.historyId}") { totalReports } } }`,
  },
  {
    name: 'malformed Applivery history id',
    query: `{ androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { certificateReport(historyId: "6710a2b3c4d5e6f708192a0g") { totalReports } } }`,
  },
  { name: 'malformed KOBIL user name (slash)', query: '{ kobilUser(userName: "a/b") { activity { totalCount } } }' },
  { name: 'malformed KOBIL user name (space)', query: '{ kobilUser(userName: "max mustermann") { activity { totalCount } } }' },
  { name: 'malformed KOBIL user name (empty)', query: '{ kobilUser(userName: "") { activity { totalCount } } }' },
  { name: 'malformed NAVER subject id', query: '{ certificateSubject(subjectId: "c2dea79b-****-****-****-c162618da17d") { authentications { totalCount } } }' },
  {
    name: 'bad policyId UUID (literal)',
    query: `{ policyExecution(policyId: "not-a-uuid", executionToken: "${execution.executionToken}") { deviceResults { totalCount } } }`,
  },
  {
    name: 'bad executionToken UUID (variables)',
    query: 'query ($p: UUID!, $e: UUID!) { policyExecution(policyId: $p, executionToken: $e) { deviceResults { totalCount } } }',
    variables: { p: VALID_UUID, e: '1234' },
  },
  {
    name: 'bad organizationId UUID',
    query: `{ policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}", organizationId: "acme") { deviceResults { totalCount } } }`,
  },
  { name: 'bad global id in node (not base64 JSON)', query: '{ node(id: "not an id") { id } }' },
  { name: 'bad global id in node (unknown type)', query: `{ node(id: "${Buffer.from(JSON.stringify(['Planet', 'x'])).toString('base64url')}") { id } }` },
  { name: 'bad global id in nodes', query: `{ nodes(ids: ["${recordId}", "###"]) { id } }` },
  { name: 'nodes with 101 ids', query: `{ nodes(ids: [${Array.from({ length: 101 }, () => JSON.stringify(recordId)).join(', ')}]) { id } }` },
  { name: 'timeline with 0 sources', query: '{ timeline(sources: []) { totalCount } }' },
  {
    name: 'timeline with 11 sources',
    query: `{ timeline(sources: [${Array.from({ length: 11 }, () => `{ iccid: "${iccid}" }`).join(', ')}]) { totalCount } }`,
  },
  { name: 'timeline with a malformed source id', query: '{ timeline(sources: [{ kobilUserName: "a/b" }]) { totalCount } }' },
  { name: 'timeline source with two fields', query: `{ timeline(sources: [{ iccid: "${iccid}", kobilUserName: "${kobilUser}" }]) { totalCount } }` },
  { name: 'first: -1', query: `{ kobilUser(userName: "${kobilUser}") { activity(first: -1) { totalCount } } }` },
  { name: 'first: 101', query: `{ kobilUser(userName: "${kobilUser}") { activity(first: 101) { totalCount } } }` },
  { name: 'first and last together', query: `{ kobilUser(userName: "${kobilUser}") { activity(first: 1, last: 1) { totalCount } } }` },
  { name: 'a cursor that does not decode', query: `{ kobilUser(userName: "${kobilUser}") { activity(first: 1, after: "nope") { totalCount } } }` },
  { name: 'timeline first: 101', query: `{ timeline(sources: [{ iccid: "${iccid}" }], first: 101) { totalCount } }` },
];

describe('bad input: BAD_USER_INPUT and no vendor call', () => {
  for (const testCase of BAD_INPUT) {
    it(testCase.name, async () => {
      harness.clearCalls();
      const response = await query(testCase.query, testCase.variables);
      assert.ok(response.errors && response.errors.length > 0, `${testCase.name}: an error`);
      assert.equal(response.errors[0]!.extensions?.code, 'BAD_USER_INPUT', `${testCase.name}: ${JSON.stringify(response.errors)}`);
      assert.equal(harness.totalCalls(), 0, `${testCase.name}: no vendor call, got ${callLogs()}`);
    });
  }

  it('a query mixing valid fields with one invalid field makes no vendor call', async () => {
    harness.clearCalls();
    const response = await query(`{
      ok: cellularDevice(iccid: "${iccid}") { auditEvents(first: 5) { edges { cursor } } }
      user: kobilUser(userName: "${kobilUser}") { activity(first: 5) { edges { cursor } } }
      bad: cellularDevice(iccid: "${iccid}") { auditEvents(first: 5, daysOfHistory: 400) { edges { cursor } } }
    }`);
    assert.ok(response.errors && response.errors.length > 0, 'an error');
    assert.ok(
      response.errors.some((error) => error.extensions?.code === 'BAD_USER_INPUT'),
      `BAD_USER_INPUT: ${JSON.stringify(response.errors)}`,
    );
    assert.equal(harness.totalCalls(), 0, `no vendor call, got ${callLogs()}`);
  });

  it('a deviceName of 201 characters beside valid fields of every vendor is refused before any vendor call', async () => {
    const deviceResults = (deviceName: string) => `{
      ${ALL_VENDORS.slice(1, -1)}
      named: policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}") {
        deviceResults(first: 3, deviceName: "${deviceName}") { totalCount }
      }
    }`;
    harness.clearCalls();
    const response = await query(deviceResults('m'.repeat(201)));
    assert.deepEqual(
      response.errors?.map((error) => [error.extensions?.code, error.extensions?.argumentName]),
      [['BAD_USER_INPUT', 'deviceName']],
      JSON.stringify(response.errors),
    );
    assert.equal(response.data, undefined, 'the whole operation is refused');
    assert.equal(harness.totalCalls(), 0, `no vendor call, got ${callLogs()}`);

    harness.clearCalls();
    const atLimit = await query(deviceResults('m'.repeat(200)));
    assert.equal(atLimit.errors, undefined, `200 characters are accepted: ${JSON.stringify(atLimit.errors)}`);
    assert.equal(harness.calls('AUTOMOX'), 2, 'the operation runs: one Automox call per device results list');
  });

  it('a bad argument inside a fragment is refused before any vendor call too', async () => {
    harness.clearCalls();
    const response = await query(`{
      ok: kobilUser(userName: "${kobilUser}") { activity(first: 5) { edges { cursor } } }
      d: cellularDevice(iccid: "${iccid}") { ...Trail }
    }
    fragment Trail on Device { auditEvents(first: 500) { totalCount } }`);
    assert.ok(response.errors && response.errors.length > 0, 'an error');
    assert.equal(response.errors[0]!.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response.errors));
    assert.equal(harness.totalCalls(), 0, `no vendor call, got ${callLogs()}`);
  });

  it('a query that is not valid GraphQL keeps its validation code and calls no vendor', async () => {
    harness.clearCalls();
    const response = await query(`{ kobilUser(userName: "${kobilUser}") { noSuchField } }`);
    assert.equal(response.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(response.errors));
    assert.equal(harness.totalCalls(), 0, 'no vendor call');
  });
});

/** Each fault a simulator can play and the code it surfaces as. */
const FAULTS: Array<[FaultKind, string]> = [
  ['server-error', 'VENDOR_UNAVAILABLE'],
  ['rate-limit', 'VENDOR_RATE_LIMITED'],
  ['hang', 'VENDOR_TIMEOUT'],
  ['malformed-json', 'VENDOR_BAD_RESPONSE'],
  ['drop-connection', 'VENDOR_UNAVAILABLE'],
];

describe('one vendor failing: its field is null with a coded error, the others have data', () => {
  afterEach(() => {
    for (const vendor of VENDORS) harness.running.simulators[vendor]!.setFault(null);
  });

  it('all five vendors answer when healthy', async () => {
    const response = await query(ALL_VENDORS);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    for (const vendor of VENDORS) assert.ok(FIELDS[vendor].present(response.data), `${vendor} has data`);
  });

  for (const vendor of VENDORS) {
    for (const [kind, code] of FAULTS) {
      it(`${vendor} ${kind} → ${code}`, async () => {
        harness.running.simulators[vendor]!.setFault({ kind, retryAfterSeconds: 7 });
        const response = await query(ALL_VENDORS);
        const { path, present } = FIELDS[vendor];

        assert.ok(response.data, 'the response has data');
        assert.equal(at(response.data, path), null, `${vendor}'s field ${path.join('.')} is null`);
        const errors = response.errors ?? [];
        assert.ok(errors.length > 0, `${vendor} ${kind}: an error`);
        for (const error of errors) {
          assert.equal(error.extensions?.code, code, `${vendor} ${kind}: ${JSON.stringify(error)}`);
          assert.equal(error.extensions?.vendor, vendor, `${vendor} ${kind}: extensions.vendor`);
          assert.deepEqual(error.path?.slice(0, path.length), path, `${vendor} ${kind}: the error is on ${path.join('.')}`);
        }
        for (const other of VENDORS.filter((name) => name !== vendor)) {
          assert.ok(FIELDS[other].present(response.data), `${other} still has data while ${vendor} fails (${kind})`);
        }
        if (vendor === 'APPLIVERY') assert.equal(response.data.android.vendorDeviceId, report.emmDeviceId, 'the Applivery device itself is there');
        assert.ok(!present(response.data), `${vendor} has no data`);
      });
    }
  }

  it('a fault that clears (times: 1) affects one request only', async () => {
    harness.running.simulators.KOBIL!.setFault({ kind: 'server-error', times: 1 });
    const failing = await query(ALL_VENDORS);
    assert.equal(failing.errors?.[0]?.extensions?.code, 'VENDOR_UNAVAILABLE', JSON.stringify(failing.errors));
    const healthy = await query(ALL_VENDORS);
    assert.equal(healthy.errors, undefined, JSON.stringify(healthy.errors));
  });
});

describe('NOT_FOUND: the field is null', () => {
  const cases: Array<{ name: string; vendor: VendorName; query: string; path: string[] }> = [
    {
      name: 'unknown ICCID',
      vendor: 'CISCO_CONTROL_CENTER',
      query: `{ cellularDevice(iccid: "${CONTROL_CENTER_FIXTURES.unknownIccid}") { vendorDeviceId auditEvents(first: 3) { totalCount } } }`,
      path: ['cellularDevice'],
    },
    {
      name: 'unknown KOBIL user',
      vendor: 'KOBIL',
      query: `{ kobilUser(userName: "${KOBIL_FIXTURES.unknownUser}") { userName activity(first: 3) { totalCount } } }`,
      path: ['kobilUser'],
    },
    {
      name: 'unknown Applivery history',
      vendor: 'APPLIVERY',
      query: `{ androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { vendorDeviceId certificateReport(historyId: "${APPLIVERY_FIXTURES.unknownObjectId}") { totalReports } } }`,
      path: ['androidDevice', 'certificateReport'],
    },
    {
      name: 'unknown NAVER subject',
      vendor: 'NAVER_CLOUD',
      query: `{ certificateSubject(subjectId: "${NAVER_CLOUD_FIXTURES.unknownSubjectId}") { authentications(first: 3) { totalCount } } }`,
      path: ['certificateSubject'],
    },
    {
      name: 'unknown Automox execution',
      vendor: 'AUTOMOX',
      query: `{ policyExecution(policyId: "${execution.policyId}", executionToken: "${AUTOMOX_FIXTURES.unknownId}") { deviceResults(first: 3) { totalCount } } }`,
      path: ['policyExecution'],
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const response = await query(testCase.query);
      assert.ok(response.data, 'the response has data');
      assert.equal(at(response.data, testCase.path), null, `${testCase.path.join('.')} is null`);
      assert.equal(response.errors?.length, 1, `one error: ${JSON.stringify(response.errors)}`);
      assert.equal(response.errors![0]!.extensions?.code, 'NOT_FOUND', JSON.stringify(response.errors));
      assert.equal(response.errors![0]!.extensions?.vendor, testCase.vendor, 'extensions.vendor');
    });
  }

  it('the unknown Applivery history leaves its device and the other fields', async () => {
    const response = await query(`{
      a: androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { vendorDeviceId certificateReport(historyId: "${APPLIVERY_FIXTURES.unknownObjectId}") { totalReports } }
      b: androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { certificateReport(historyId: "${report.historyId}") { totalReports } }
    }`);
    assert.equal(response.data?.a?.vendorDeviceId, report.emmDeviceId, 'the device is there');
    assert.equal(response.data?.a?.certificateReport, null, 'the unknown report is null');
    assert.equal(response.data?.b?.certificateReport?.totalReports !== undefined, true, 'the known report is there');
  });

  it('a timeline with an unknown KOBIL user among four sources: the other three, NOT_FOUND naming source 1, and its siblings intact', async () => {
    const others = `{ iccid: "${iccid}" }, { certificateSubjectId: "${NAVER_CLOUD_FIXTURES.subjectIdWith23Activities}" },
      { policyExecution: { policyId: "${execution.policyId}", executionToken: "${execution.executionToken}" } }`;
    const page = 'totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } }';
    const response = await query(`{
      t: timeline(sources: [{ iccid: "${iccid}" }, { kobilUserName: "${KOBIL_FIXTURES.unknownUser}" },
        { certificateSubjectId: "${NAVER_CLOUD_FIXTURES.subjectIdWith23Activities}" },
        { policyExecution: { policyId: "${execution.policyId}", executionToken: "${execution.executionToken}" } }], first: 10) { ${page} }
      user: kobilUser(userName: "${kobilUser}") { userName activity(first: 2) { edges { node { id } } } }
    }`);
    const threeSources = await query(`{ t: timeline(sources: [${others}], first: 10) { ${page} } }`);
    assert.equal(threeSources.errors, undefined, JSON.stringify(threeSources.errors));
    assert.deepEqual(response.data?.t.edges, threeSources.data.t.edges, 'the events of the three other sources');
    assert.equal(response.data?.t.pageInfo.hasNextPage, true, 'and more of them follow');
    assert.equal(response.data?.t.totalCount, null, 'no total: one source failed');
    assert.equal(response.data?.user?.activity?.edges?.length, 2, 'the kobilUser sibling has its data');
    assert.deepEqual(
      response.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.vendor, error.extensions?.sourceIndex]),
      [[['t'], 'NOT_FOUND', 'KOBIL', 1]],
      JSON.stringify(response.errors),
    );
  });

  it('a timeline none of whose sources is found: null with one NOT_FOUND per source, siblings intact', async () => {
    const response = await query(`{
      t: timeline(sources: [{ kobilUserName: "${KOBIL_FIXTURES.unknownUser}" }, { iccid: "${CONTROL_CENTER_FIXTURES.unknownIccid}" }]) { edges { cursor } }
      user: kobilUser(userName: "${kobilUser}") { userName }
    }`);
    assert.equal(response.data?.t, null, 'timeline is null');
    assert.equal(response.data?.user?.userName, kobilUser, 'the sibling is there');
    assert.deepEqual(
      response.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.sourceIndex]),
      [[['t'], 'NOT_FOUND', 0], [['t'], 'NOT_FOUND', 1]],
      JSON.stringify(response.errors),
    );
  });

  it('node(id) of a record that is not in its list: null with NOT_FOUND', async () => {
    const response = await query(`{ node(id: "${recordId}") { id } }`);
    assert.equal(response.data?.node, null, 'node is null');
    assert.equal(response.errors?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(response.errors));
  });
});

describe('credentials', () => {
  // Its own healthy, failing and refused queries, so this check runs alone; the bodies of the tests before it count too.
  before(async () => {
    await query(ALL_VENDORS);
    for (const vendor of VENDORS) {
      for (const [kind] of FAULTS) {
        harness.running.simulators[vendor]!.setFault({ kind, retryAfterSeconds: 7 });
        try {
          await query(ALL_VENDORS);
        } finally {
          harness.running.simulators[vendor]!.setFault(null);
        }
      }
    }
    for (const testCase of BAD_INPUT) await query(testCase.query, testCase.variables);
  });

  it('no response body of this file carries a simulator credential', () => {
    const own = 1 + VENDORS.length * FAULTS.length + BAD_INPUT.length;
    assert.ok(bodies.length >= own, `the bodies were kept (${bodies.length})`);
    for (const body of bodies) {
      for (const secret of SIMULATOR_SECRETS) {
        assert.ok(!body.includes(secret), `a response carries a credential: ${body.slice(0, 300)}`);
      }
    }
  });
});
