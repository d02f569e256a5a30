/**
 * A forged cursor, sent as an attacker would: take a real cursor, decode it, move its position to
 * `Number.MAX_SAFE_INTEGER`, encode it again and page after it. devicegraph must refuse it with
 * `BAD_USER_INPUT` at once, call no vendor, and keep answering.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromGlobalId } from '../../src/graph/ids.js';
import { DEVICE_FIELD_CHANGE_ID } from '../../src/graph/sources/control-center.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';

/** Generous, for a loaded 2-core machine: the refusal itself takes a few milliseconds. */
const TIME_BOUND_MS = 2_000;

let harness: GraphHarness;

before(async () => {
  harness = await startGraphHarness();
});

after(async () => {
  await harness?.close();
});

const iccid = CONTROL_CENTER_FIXTURES.iccidWith137Records;
const kobilUser = KOBIL_FIXTURES.userWith53Logs;
const subjectId = NAVER_CLOUD_FIXTURES.subjectIdWith120Activities;

/** The attacker's edit: every position of the cursor moved to `position`. */
function forge(cursor: string, position: number): string {
  const body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: string; p: Array<[number, string, number?] | null> };
  for (const entry of body.p) if (entry) entry[0] = position;
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

async function timed(query: string, variables?: Record<string, unknown>): Promise<{ response: GraphQLResponse; ms: number }> {
  const started = performance.now();
  const response = await harness.query(query, variables);
  return { response, ms: performance.now() - started };
}

async function healthzAnswers(): Promise<void> {
  const response = await fetch(harness.graph.url.replace(/\/graphql$/, '/healthz'), { signal: AbortSignal.timeout(TIME_BOUND_MS) });
  assert.equal(response.status, 200, '/healthz still answers');
}

const CONNECTIONS = [
  {
    name: 'Control Center auditEvents',
    query: `query ($after: String) { cellularDevice(iccid: "${iccid}") { auditEvents(first: 5, after: $after) { pageInfo { endCursor } } } }`,
    endCursor: (data: any) => data.cellularDevice.auditEvents.pageInfo.endCursor as string,
  },
  {
    name: 'KOBIL activity',
    query: `query ($after: String) { kobilUser(userName: "${kobilUser}") { activity(first: 5, after: $after) { pageInfo { endCursor } } } }`,
    endCursor: (data: any) => data.kobilUser.activity.pageInfo.endCursor as string,
  },
  {
    name: 'NAVER authentications',
    query: `query ($after: String) { certificateSubject(subjectId: "${subjectId}") { authentications(first: 5, after: $after) { pageInfo { endCursor } } } }`,
    endCursor: (data: any) => data.certificateSubject.authentications.pageInfo.endCursor as string,
  },
  {
    name: 'timeline',
    query: `query ($after: String) { timeline(sources: [{ iccid: "${iccid}" }, { kobilUserName: "${kobilUser}" }, { certificateSubjectId: "${subjectId}" }], first: 5, after: $after) { pageInfo { endCursor } } }`,
    endCursor: (data: any) => data.timeline.pageInfo.endCursor as string,
  },
];

describe('a forged cursor at Number.MAX_SAFE_INTEGER', () => {
  for (const connection of CONNECTIONS) {
    it(`${connection.name}: BAD_USER_INPUT, no vendor call, at once; the server keeps answering`, async () => {
      const real = await harness.query(connection.query);
      assert.equal(real.errors, undefined, JSON.stringify(real.errors));
      const forged = forge(connection.endCursor(real.data), Number.MAX_SAFE_INTEGER);

      harness.clearCalls();
      const { response, ms } = await timed(connection.query, { after: forged });
      console.log(`${connection.name}: forged cursor refused in ${ms.toFixed(1)} ms`);
      assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response));
      assert.equal(response.errors?.[0]?.extensions?.argumentName, 'after');
      assert.equal(harness.totalCalls(), 0, 'no vendor call');
      assert.ok(ms < TIME_BOUND_MS, `refused in ${ms} ms`);

      await healthzAnswers();
      const again = await harness.query(connection.query);
      assert.equal(again.errors, undefined, 'an ordinary page still works');
    });
  }

  it('a forged DeviceFieldChange id (position 9e15): BAD_USER_INPUT, no vendor call', async () => {
    const real = await harness.query(`{ cellularDevice(iccid: "${iccid}") { auditEvents(first: 1) { nodes { id } } } }`);
    const record = DEVICE_FIELD_CHANGE_ID.read(fromGlobalId(real.data.cellularDevice.auditEvents.nodes[0].id).parts)!;
    for (const position of [9e15, Number.MAX_SAFE_INTEGER]) {
      const id = DEVICE_FIELD_CHANGE_ID.encode({ ...record, position });
      harness.clearCalls();
      const { response, ms } = await timed('query ($id: ID!) { node(id: $id) { id } }', { id });
      console.log(`DeviceFieldChange id at ${position}: refused in ${ms.toFixed(1)} ms`);
      assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response));
      assert.equal(harness.totalCalls(), 0, 'no vendor call');
      assert.ok(ms < TIME_BOUND_MS, `refused in ${ms} ms`);
    }
    await healthzAnswers();
  });
});
