/**
 * Property-style: random and extreme numbers, written into cursors and global IDs as an attacker
 * would write them (raw JSON, so `NaN`, `1e400` and `-0` too), for every position and total of
 * every connection and every number of every node ID. Each request must end within a time bound,
 * as either a clear refusal (`BAD_USER_INPUT`, or `NOT_FOUND` for an ID) or the right answer; a
 * number the list cannot hold must be refused before any vendor call. The numbers come from a
 * seeded generator, so a failure replays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { holdsPosition, maxRecordsOf } from '../../src/graph/connections/page-plan.js';
import type { PagingStyle } from '../../src/vendors/paging.js';
import { CERTIFICATE_REPORT_PAGING } from '../../src/vendors/applivery/contract.js';
import { DEVICE_RESULTS_PAGING } from '../../src/vendors/automox/contract.js';
import { AUDIT_TRAILS_PAGING } from '../../src/vendors/control-center/contract.js';
import { USER_LOGS_PAGING } from '../../src/vendors/kobil/contract.js';
import { SUBJECT_CREDENTIALS_PAGING } from '../../src/vendors/naver-cloud/contract.js';
import { CONTROL_CENTER_MAX_DAYS_OF_HISTORY } from '../../src/vendors/control-center/contract.js';
import { APPLIVERY_FIXTURES } from '../../src/simulators/applivery/simulator.js';
import { AUTOMOX_FIXTURES } from '../../src/simulators/automox/simulator.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';

/** Generous, for a loaded 2-core machine: a refusal takes milliseconds, a page a few vendor calls. */
const TIME_BOUND_MS = 2_000;
const SEED = 0x5eed_b0d5;

let harness: GraphHarness;
let cases = 0;
let slowestMs = 0;

before(async () => {
  harness = await startGraphHarness();
});

after(async () => {
  const response = await fetch(harness.graph.url.replace(/\/graphql$/, '/healthz'));
  assert.equal(response.status, 200, '/healthz still answers after every case');
  console.log(`forged numbers: ${cases} cases, the slowest answered in ${slowestMs.toFixed(0)} ms`);
  await harness?.close();
});

/** mulberry32: a small seeded generator, so every run throws the same numbers. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Numbers as JSON text, as an attacker types them (some are not numbers, or not JSON at all):
 * extremes, the numbers either side of `limit` (the first one refused), and seeded random ones.
 */
function numbersAround(limit: number, random: () => number): string[] {
  const extremes = [
    '0', '-0', '1', '2', '-1', '0.5', '1.5', '1e-7', '2147483647', '2147483648', '4294967296',
    '9007199254740991', '9007199254740992', '-9007199254740991', '1e308', '-1e308', '1e400', 'NaN', 'Infinity',
    'null', 'true', '"5"', '"abc"', '[]', '{}',
    String(limit - 1), String(limit), String(limit + 1),
  ];
  const randoms = [
    Math.floor(random() * 200),
    Math.floor(random() * limit),
    Math.floor(random() * Number.MAX_SAFE_INTEGER),
    -Math.floor(random() * 1e6) - 1,
    random() * 1e6,
    random() * 1e300,
  ].map(String);
  return [...extremes, ...randoms];
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Whether a list can hold this total: a count from 0 to its bound. */
function holdsTotal(paging: PagingStyle, value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= maxRecordsOf(paging);
}

type EncodedPosition = [unknown, string, unknown?] | null;

function decodeCursorBody(cursor: string): { c: string; p: EncodedPosition[] } {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
}

/** The cursor with one field (0 = position, 2 = total) of one list's entry replaced by raw JSON text. */
function forgeCursor(cursor: string, list: number, field: 0 | 2, text: string): string {
  const body = decodeCursorBody(cursor);
  const entries = body.p.map((entry, index) => {
    if (entry === null) return 'null';
    const fields = [JSON.stringify(entry[0]), JSON.stringify(entry[1]), ...(entry.length > 2 ? [JSON.stringify(entry[2])] : [])];
    if (index === list) fields[field === 0 ? 0 : 2] = text;
    return `[${fields.join(',')}]`;
  });
  return Buffer.from(`{"c":${JSON.stringify(body.c)},"p":[${entries.join(',')}]}`).toString('base64url');
}

/** The global ID with one part replaced by raw JSON text. */
function forgeId(id: string, part: number, text: string): string {
  const parts = (JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as unknown[]).map((value) => JSON.stringify(value));
  parts[part] = text;
  return Buffer.from(`[${parts.join(',')}]`).toString('base64url');
}

async function timed(query: string, variables: Record<string, unknown>): Promise<{ response: GraphQLResponse; ms: number; calls: number }> {
  harness.clearCalls();
  const started = performance.now();
  const response = await harness.query(query, variables);
  const ms = performance.now() - started;
  cases++;
  slowestMs = Math.max(slowestMs, ms);
  return { response, ms, calls: harness.totalCalls() };
}

const iccid = CONTROL_CENTER_FIXTURES.iccidWith137Records;
const kobilUser = KOBIL_FIXTURES.userWith53Logs;
const execution = AUTOMOX_FIXTURES.executionWith1300Results;
const subjectId = NAVER_CLOUD_FIXTURES.subjectIdWith120Activities;
const report = APPLIVERY_FIXTURES.historyWith137Certificates;

const PAGE = '$first: Int, $after: String, $last: Int, $before: String';
const ARGS = 'first: $first, after: $after, last: $last, before: $before';
const EDGES = 'edges { cursor node { id } }';

/** One connection of each list, with the paging style its source declares. */
const CONNECTIONS: Array<{ name: string; paging: PagingStyle; query: string; connection(data: any): any }> = [
  {
    name: 'Device.auditEvents (Control Center)',
    paging: AUDIT_TRAILS_PAGING,
    query: `query (${PAGE}) { cellularDevice(iccid: "${iccid}") { auditEvents(${ARGS}) { ${EDGES} } } }`,
    connection: (data) => data?.cellularDevice?.auditEvents,
  },
  {
    name: 'KobilUser.activity',
    paging: USER_LOGS_PAGING,
    query: `query (${PAGE}) { kobilUser(userName: "${kobilUser}") { activity(${ARGS}) { ${EDGES} } } }`,
    connection: (data) => data?.kobilUser?.activity,
  },
  {
    name: 'PolicyExecution.deviceResults (Automox)',
    paging: DEVICE_RESULTS_PAGING,
    query: `query (${PAGE}) { policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}") { deviceResults(${ARGS}) { ${EDGES} } } }`,
    connection: (data) => data?.policyExecution?.deviceResults,
  },
  {
    name: 'CertificateSubject.authentications (NAVER)',
    paging: SUBJECT_CREDENTIALS_PAGING,
    query: `query (${PAGE}) { certificateSubject(subjectId: "${subjectId}") { authentications(${ARGS}) { ${EDGES} } } }`,
    connection: (data) => data?.certificateSubject?.authentications,
  },
  {
    name: 'CertificateReport.certificates (Applivery)',
    paging: CERTIFICATE_REPORT_PAGING,
    query: `query (${PAGE}) { androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { certificateReport(historyId: "${report.historyId}") { certificates(${ARGS}) { ${EDGES} } } } }`,
    connection: (data) => data?.androidDevice?.certificateReport?.certificates,
  },
];

const ids = (connection: any): string[] => connection.edges.map((edge: any) => edge.node.id);

/**
 * Checks one forged request: within the time bound; a number the list cannot hold refused with
 * BAD_USER_INPUT before any vendor call; anything else either refused with BAD_USER_INPUT or
 * answered exactly as the real cursor is.
 */
function checkAnswer(
  label: string,
  result: { response: GraphQLResponse; ms: number; calls: number },
  mustRefuse: boolean,
  answer: (data: any) => any,
  expected: string[],
): void {
  const { response, ms, calls } = result;
  assert.ok(ms < TIME_BOUND_MS, `${label}: answered in ${ms.toFixed(0)} ms`);
  if (response.errors) {
    for (const error of response.errors) assert.equal(error.extensions?.code, 'BAD_USER_INPUT', `${label}: ${JSON.stringify(response.errors)}`);
    assert.equal(answer(response.data) ?? null, null, `${label}: no page beside the refusal`);
  } else {
    assert.ok(!mustRefuse, `${label}: must be refused, got ${JSON.stringify(response.data)}`);
    assert.deepEqual(ids(answer(response.data)), expected, `${label}: the real cursor's page`);
  }
  if (mustRefuse) assert.equal(calls, 0, `${label}: refused before any vendor call (${calls} calls)`);
}

describe('forged numbers in cursors', () => {
  for (const [index, list] of CONNECTIONS.entries()) {
    it(`${list.name}: its position and total`, async () => {
      const random = generator(SEED + index);
      const first = await harness.query(list.query, { first: 5 });
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      const cursor = list.connection(first.data).edges[2].cursor as string;
      const forward = ids(list.connection((await harness.query(list.query, { first: 5, after: cursor })).data));
      const backward = ids(list.connection((await harness.query(list.query, { last: 5, before: cursor })).data));
      for (const field of [0, 2] as const) {
        for (const text of numbersAround(maxRecordsOf(list.paging), random)) {
          const value = parsed(text);
          const holds = value.ok && (field === 0 ? holdsPosition(list.paging, value.value) : holdsTotal(list.paging, value.value));
          const forged = forgeCursor(cursor, 0, field, text);
          const label = `${list.name} ${field === 0 ? 'position' : 'total'} ${text}`;
          checkAnswer(`${label} after`, await timed(list.query, { first: 5, after: forged }), !holds, list.connection, forward);
          // Paging backward locates the cursor's record the same way; its position is enough there.
          if (field === 0) checkAnswer(`${label} before`, await timed(list.query, { last: 5, before: forged }), !holds, list.connection, backward);
        }
      }
    });
  }

  it('Query.timeline: every position and total of each of its four lists', async () => {
    const random = generator(SEED + CONNECTIONS.length);
    const sources = [
      { list: AUDIT_TRAILS_PAGING, source: `{ iccid: "${iccid}" }` },
      { list: USER_LOGS_PAGING, source: `{ kobilUserName: "${kobilUser}" }` },
      { list: SUBJECT_CREDENTIALS_PAGING, source: `{ certificateSubjectId: "${subjectId}" }` },
      { list: DEVICE_RESULTS_PAGING, source: `{ policyExecution: { policyId: "${execution.policyId}", executionToken: "${execution.executionToken}" } }` },
    ];
    const query = `query ($first: Int, $after: String) { timeline(sources: [${sources.map((s) => s.source).join(', ')}], first: $first, after: $after) { ${EDGES} } }`;
    const timeline = (data: any) => data?.timeline;
    const head = await harness.query(query, { first: 100 });
    assert.equal(head.errors, undefined, JSON.stringify(head.errors));
    // A cursor past records of every list, so each of its four positions is a real one.
    const cursor = (timeline(head.data).edges as Array<{ cursor: string }>)
      .map((edge) => edge.cursor)
      .find((candidate) => decodeCursorBody(candidate).p.every((entry) => entry !== null))!;
    assert.ok(cursor, 'a cursor with a position in each list');
    const expected = ids(timeline((await harness.query(query, { first: 5, after: cursor })).data));
    for (const [index, { list }] of sources.entries()) {
      for (const field of [0, 2] as const) {
        for (const text of numbersAround(maxRecordsOf(list), random)) {
          const value = parsed(text);
          const holds = value.ok && (field === 0 ? holdsPosition(list, value.value) : holdsTotal(list, value.value));
          const forged = forgeCursor(cursor, index, field, text);
          checkAnswer(`timeline list ${index} ${field === 0 ? 'position' : 'total'} ${text}`, await timed(query, { first: 5, after: forged }), !holds, timeline, expected);
        }
      }
    }
  });
});

describe('forged numbers in global IDs', () => {
  const NODE = 'query ($id: ID!) { node(id: $id) { __typename id ... on AuditEvent { occurredAt action } } }';
  /** An ID part holding a record's position in a list paged `paging`. */
  const position = (part: number, paging: PagingStyle) => ({ part, limit: maxRecordsOf(paging), holds: (value: unknown) => holdsPosition(paging, value) });
  /** Each node type whose ID carries a number: a real ID, which parts are numbers, and what each may hold. */
  /** `part` indexes the decoded ID (0 is the type name); `limit` is the first number refused. */
  const RECORDS: Array<{ type: string; query: string; nodeId(data: any): string; numbers: Array<{ part: number; limit: number; holds(value: unknown): boolean }> }> = [
    {
      type: 'DeviceFieldChange',
      query: `{ cellularDevice(iccid: "${iccid}") { auditEvents(first: 3) { nodes { id } } } }`,
      nodeId: (data) => data.cellularDevice.auditEvents.nodes[2].id,
      numbers: [
        {
          part: 2,
          limit: CONTROL_CENTER_MAX_DAYS_OF_HISTORY + 1,
          holds: (value) => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= CONTROL_CENTER_MAX_DAYS_OF_HISTORY,
        },
        position(3, AUDIT_TRAILS_PAGING),
      ],
    },
    {
      type: 'UserActivity',
      query: `{ kobilUser(userName: "${kobilUser}") { activity(first: 3) { nodes { id } } } }`,
      nodeId: (data) => data.kobilUser.activity.nodes[2].id,
      numbers: [position(2, USER_LOGS_PAGING)],
    },
    {
      type: 'PolicyDeviceResult',
      query: `{ policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}") { deviceResults(first: 3) { nodes { id } } } }`,
      nodeId: (data) => data.policyExecution.deviceResults.nodes[2].id,
      numbers: [position(7, DEVICE_RESULTS_PAGING)],
    },
    {
      type: 'CertificateAuthentication',
      query: `{ certificateSubject(subjectId: "${subjectId}") { authentications(first: 3) { nodes { id } } } }`,
      nodeId: (data) => data.certificateSubject.authentications.nodes[2].id,
      numbers: [position(2, SUBJECT_CREDENTIALS_PAGING)],
    },
    {
      type: 'Certificate (NAVER Cloud)',
      query: `{ certificateSubject(subjectId: "${subjectId}") { authentications(first: 3) { nodes { certificate { id } } } } }`,
      nodeId: (data) => data.certificateSubject.authentications.nodes[2].certificate.id,
      numbers: [position(3, SUBJECT_CREDENTIALS_PAGING)],
    },
  ];

  for (const [index, record] of RECORDS.entries()) {
    it(`${record.type}: every number of its ID`, async () => {
      const random = generator(SEED + 100 + index);
      const real = await harness.query(record.query);
      assert.equal(real.errors, undefined, JSON.stringify(real.errors));
      const id = record.nodeId(real.data);
      const truth = (await harness.query(NODE, { id })).data.node;
      assert.equal(truth.id, id);
      for (const { part, limit, holds } of record.numbers) {
        for (const text of numbersAround(limit, random)) {
          const value = parsed(text);
          const mustRefuse = !(value.ok && holds(value.value));
          const label = `${record.type} part ${part} = ${text}`;
          const { response, ms, calls } = await timed(NODE, { id: forgeId(id, part, text) });
          assert.ok(ms < TIME_BOUND_MS, `${label}: answered in ${ms.toFixed(0)} ms`);
          if (response.errors) {
            for (const error of response.errors) {
              assert.ok(['BAD_USER_INPUT', 'NOT_FOUND'].includes(error.extensions?.code as string), `${label}: ${JSON.stringify(response.errors)}`);
            }
            if (mustRefuse) assert.equal(response.errors[0]!.extensions?.code, 'BAD_USER_INPUT', `${label}: refused as bad input`);
          } else {
            assert.ok(!mustRefuse, `${label}: must be refused, got ${JSON.stringify(response.data)}`);
            const node = response.data.node;
            assert.deepEqual([node.__typename, node.occurredAt, node.action], [truth.__typename, truth.occurredAt, truth.action], `${label}: the same record`);
          }
          if (mustRefuse) assert.equal(calls, 0, `${label}: refused before any vendor call (${calls} calls)`);
        }
      }
    });
  }
});
