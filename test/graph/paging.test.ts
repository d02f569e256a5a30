import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { APPLIVERY_FIXTURES } from '../../src/simulators/applivery/simulator.js';
import { AUTOMOX_FIXTURES } from '../../src/simulators/automox/simulator.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import type { VendorName } from '../../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness, type GraphHarnessOptions, type GraphQLResponse } from '../support/graph-harness.js';

/**
 * Relay paging over real HTTP: GraphQL → devicegraph → the five vendor simulators. Every walk is
 * checked against the vendor's own list, read directly with the vendor client in large pages.
 *
 * The describes that only read share the file's harness; each test that makes a vendor insert
 * records pages over simulators of its own, so every describe (and test) can run alone and in any
 * order, and no test sees what another changed.
 */

/** The file's harness; the helpers below use it unless given another (`on`). */
let harness: GraphHarness;
/** What the vendor cache answered, by vendor and outcome (`hit`, `miss`, `stale`). */
const cacheOutcomes = new Map<string, number>();
/** The vendor cache on, with a short TTL, for every harness of this file. */
const CACHE_ON: GraphHarnessOptions['scale'] = {
  listTtlSeconds: 2,
  options: { observer: { cache: (vendor, outcome) => cacheOutcomes.set(`${vendor} ${outcome}`, (cacheOutcomes.get(`${vendor} ${outcome}`) ?? 0) + 1) } },
};

before(async () => {
  // With the vendor cache on (a short TTL): pages come from it too, each an older snapshot than
  // the vendor's list is by then. Ground truth is read without the cache (`harness.direct`).
  harness = await startGraphHarness({ scale: CACHE_ON });
});

after(async () => {
  await harness?.close();
});

// ---------------------------------------------------------------------------------------------
// What the tests select
// ---------------------------------------------------------------------------------------------

const NODE_FIELDS = /* GraphQL */ `
  fragment NodeFields on Node {
    __typename
    id
    ... on AuditEvent {
      vendor
      occurredAt
      action
      actor
      device { id vendor vendorDeviceId }
      certificate { id vendor commonName issuer serialNumber }
    }
    ... on DeviceFieldChange { field priorValue value status delegatedUser ipAddress }
    ... on UserActivity { actionCode details archived status }
    ... on PolicyDeviceResult { resultStatus resultReason exitCode policyId policyName eventTime }
    ... on CertificateAuthentication { failed }
    ... on Certificate { vendor commonName issuer serialNumber state keyPairAlias errorCode updatedAt }
    ... on Device { vendor vendorDeviceId }
    ... on KobilUser { userName }
    ... on PolicyExecution { policyId executionToken organizationId }
    ... on CertificateSubject { subjectId }
    ... on CertificateReport { historyId totalReports }
  }
`;

const CONNECTION_FIELDS = /* GraphQL */ `
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { ...NodeFields } }
  nodes { ...NodeFields }
`;

const PAGING_VARIABLES = '$first: Int, $after: String, $last: Int, $before: String';
const PAGING_ARGUMENTS = 'first: $first, after: $after, last: $last, before: $before';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

type GraphNode = Record<string, any> & { id: string; __typename: string };

interface Connection {
  totalCount: number | null;
  pageInfo: PageInfo;
  edges: Array<{ cursor: string; node: GraphNode }>;
  nodes: GraphNode[];
}

type PagingArgs = { first?: number; after?: string | null; last?: number; before?: string | null };

/** One connection of the graph, with how to read it and its ground truth from the vendor. */
interface ConnectionCase {
  name: string;
  vendor: VendorName;
  /** A query with the paging variables, selecting the connection once. */
  query: string;
  variables: Record<string, unknown>;
  pick(data: any): Connection;
  /** Whether `totalCount` is the vendor's total (else it is null). */
  reportsTotal: boolean;
  /** The length the fixtures promise, before any insert. */
  length: number;
  /** The vendor's list, newest first (or in the requested order), as identities. */
  truth(on?: GraphHarness): Promise<string[]>;
  /** A graph node's identity, comparable with `truth()`. */
  identity(node: GraphNode): string;
}

const iso = (value: string | Date | null | undefined): string | null => (value == null ? null : new Date(value).toISOString());

// ---------------------------------------------------------------------------------------------
// The connections
// ---------------------------------------------------------------------------------------------

const CC = CONTROL_CENTER_FIXTURES;
const CC_DAYS = 30;

function auditEventsCase(label: string, iccid: string, length: number): ConnectionCase {
  return {
    name: `cellularDevice.auditEvents (${label}, ${length} records)`,
    vendor: 'CISCO_CONTROL_CENTER',
    query: `query(${PAGING_VARIABLES}, $iccid: String!) {
      cellularDevice(iccid: $iccid) { auditEvents(${PAGING_ARGUMENTS}) { ${CONNECTION_FIELDS} } }
    } ${NODE_FIELDS}`,
    variables: { iccid },
    pick: (data) => data.cellularDevice.auditEvents,
    reportsTotal: false,
    length,
    async truth(on = harness) {
      const records: string[] = [];
      for (let pageNumber = 1; ; pageNumber++) {
        const page = await on.direct.controlCenter.getAuditTrails(iccid, { pageNumber, pageSize: 50, daysOfHistory: CC_DAYS });
        for (const r of page.records) records.push(ccIdentity(iso(r.effectiveDate), r.field, r.priorValue, r.value, r.userName));
        if (page.lastPage) return records;
        assert.ok(pageNumber < 100, 'Control Center ground truth does not end');
      }
    },
    identity: (n) => ccIdentity(iso(n.occurredAt), n.field, n.priorValue, n.value, n.actor),
  };
}

function ccIdentity(...parts: Array<string | null>): string {
  return JSON.stringify(parts);
}

function kobilCase(userName: string, length: number): ConnectionCase {
  return {
    name: `kobilUser.activity (${length} logs)`,
    vendor: 'KOBIL',
    query: `query(${PAGING_VARIABLES}, $userName: String!) {
      kobilUser(userName: $userName) { activity(${PAGING_ARGUMENTS}) { ${CONNECTION_FIELDS} } }
    } ${NODE_FIELDS}`,
    variables: { userName },
    pick: (data) => data.kobilUser.activity,
    reportsTotal: false,
    length,
    async truth(on = harness) {
      const items: string[] = [];
      for (let offset = 0; ; ) {
        const page = await on.direct.kobil.getUserLogs(userName, { offset, limit: 100 });
        for (const i of page.items) {
          items.push(JSON.stringify([iso(i.logDate), i.action, i.details, i.status, i.archived, i.userId, i.deviceId, i.certificateSerialNumber]));
        }
        offset += page.items.length;
        if (!page.moreResultsAvailable || page.items.length === 0) return items;
      }
    },
    identity: (n) =>
      JSON.stringify([
        iso(n.occurredAt),
        n.actionCode,
        n.details,
        n.status,
        n.archived,
        n.actor,
        n.device?.vendorDeviceId ?? null,
        n.certificate?.serialNumber ?? null,
      ]),
  };
}

type Execution = { organizationId: string; policyId: string; executionToken: string };

function automoxCase(
  label: string,
  execution: Execution,
  length: number | null,
  filters: { status?: string[]; deviceName?: string; orderBy?: { field: string; direction: string } } = {},
): ConnectionCase {
  const sortFields: Record<string, string> = { RUN_TIME: 'run_time', DEVICE_NAME: 'device_display_name', RESULT_STATUS: 'result_status' };
  const sort = filters.orderBy ? `${sortFields[filters.orderBy.field]}:${filters.orderBy.direction.toLowerCase()}` : 'run_time:desc';
  return {
    name: `policyExecution.deviceResults (${label})`,
    vendor: 'AUTOMOX',
    query: `query(${PAGING_VARIABLES}, $policyId: UUID!, $executionToken: UUID!, $organizationId: UUID,
                  $status: [PolicyResultStatus!], $deviceName: String, $orderBy: PolicyResultOrder) {
      policyExecution(policyId: $policyId, executionToken: $executionToken, organizationId: $organizationId) {
        deviceResults(${PAGING_ARGUMENTS}, status: $status, deviceName: $deviceName, orderBy: $orderBy) { ${CONNECTION_FIELDS} }
      }
    } ${NODE_FIELDS}`,
    variables: {
      policyId: execution.policyId,
      executionToken: execution.executionToken,
      organizationId: execution.organizationId,
      status: filters.status ?? null,
      deviceName: filters.deviceName ?? null,
      orderBy: filters.orderBy ?? null,
    },
    pick: (data) => data.policyExecution.deviceResults,
    reportsTotal: true,
    length: length ?? -1,
    async truth(on = harness) {
      const page = await on.direct.automox.getDeviceResults({
        ...execution,
        page: 0,
        limit: 5000,
        sort,
        ...(filters.status ? { resultStatuses: filters.status.map((s) => s.toLowerCase()) } : {}),
        ...(filters.deviceName ? { deviceName: filters.deviceName } : {}),
      });
      assert.equal(page.results.length, page.totalCount, 'one Automox page holds the whole ground truth');
      return page.results.map((r) => JSON.stringify([r.deviceUuid, iso(r.runTime), r.resultStatus]));
    },
    identity: (n) => JSON.stringify([n.device?.vendorDeviceId, iso(n.occurredAt), n.action]),
  };
}

function naverCase(subjectId: string, length: number): ConnectionCase {
  return {
    name: `certificateSubject.authentications (${length} activities)`,
    vendor: 'NAVER_CLOUD',
    query: `query(${PAGING_VARIABLES}, $subjectId: String!) {
      certificateSubject(subjectId: $subjectId) { authentications(${PAGING_ARGUMENTS}) { ${CONNECTION_FIELDS} } }
    } ${NODE_FIELDS}`,
    variables: { subjectId },
    pick: (data) => data.certificateSubject.authentications,
    reportsTotal: true,
    length,
    async truth(on = harness) {
      const items: string[] = [];
      for (let page = 0; ; page++) {
        const answer = await on.direct.naverCloud.getCredentials(subjectId, { page, size: 100 });
        for (const a of answer.content) items.push(JSON.stringify([iso(a.seenTime), a.failed, a.serialNumber, a.issuer]));
        if ((page + 1) * 100 >= answer.totalElements) return items;
        assert.ok(page < 100, 'NAVER Cloud ground truth does not end');
      }
    },
    identity: (n) => JSON.stringify([iso(n.occurredAt), n.failed, n.certificate?.serialNumber ?? null, n.certificate?.issuer ?? null]),
  };
}

type History = { organizationId: string; emmDeviceId: string; historyId: string };

function certificatesCase(history: History, length: number | null, state?: 'INSTALLED' | 'FAILED' | 'PENDING'): ConnectionCase {
  const vendorState = { INSTALLED: 'installed', FAILED: 'fail', PENDING: 'pending' } as const;
  return {
    name: `androidDevice.certificateReport.certificates (${length ?? 'filtered'} certificates${state ? `, state ${state}` : ''})`,
    vendor: 'APPLIVERY',
    query: `query(${PAGING_VARIABLES}, $organizationId: String!, $emmDeviceId: String!, $historyId: ID!, $state: CertificateState) {
      androidDevice(organizationId: $organizationId, emmDeviceId: $emmDeviceId) {
        certificateReport(historyId: $historyId) { certificates(${PAGING_ARGUMENTS}, state: $state) { ${CONNECTION_FIELDS} } }
      }
    } ${NODE_FIELDS}`,
    variables: { organizationId: history.organizationId, emmDeviceId: history.emmDeviceId, historyId: history.historyId, state: state ?? null },
    pick: (data) => data.androidDevice.certificateReport.certificates,
    reportsTotal: true,
    length: length ?? -1,
    async truth(on = harness) {
      const report = await on.direct.applivery.getCertificateReport(history.organizationId, history.emmDeviceId, history.historyId);
      return report.certificates
        .filter((c) => !state || c.state === vendorState[state])
        .map((c) => JSON.stringify([c.keyPairAlias, c.commonName, iso(c.updatedAt), c.errorCode]));
    },
    identity: (n) => JSON.stringify([n.keyPairAlias, n.commonName, iso(n.updatedAt), n.errorCode]),
  };
}

const AX = AUTOMOX_FIXTURES;
const KB = KOBIL_FIXTURES;
const NV = NAVER_CLOUD_FIXTURES;
const AP = APPLIVERY_FIXTURES;

const CASES: ConnectionCase[] = [
  auditEventsCase('137', CC.iccidWith137Records, 137),
  auditEventsCase('50', CC.iccidWith50Records, 50),
  auditEventsCase('51', CC.iccidWith51Records, 51),
  auditEventsCase('0', CC.iccidWithNoRecords, 0),
  kobilCase(KB.userWith53Logs, 53),
  kobilCase(KB.userWith7Logs, 7),
  kobilCase(KB.userWith0Logs, 0),
  automoxCase('137 results', AX.executionWith137Results, 137),
  automoxCase('12 results', AX.executionWith12Results, 12),
  automoxCase('0 results', AX.executionWith0Results, 0),
  automoxCase('status FAILED or PENDING', AX.executionWith137Results, null, { status: ['FAILED', 'PENDING'] }),
  automoxCase('deviceName "macbook"', AX.executionWith137Results, null, { deviceName: 'macbook' }),
  automoxCase('orderBy RESULT_STATUS DESC', AX.executionWith137Results, null, { orderBy: { field: 'RESULT_STATUS', direction: 'DESC' } }),
  automoxCase('orderBy DEVICE_NAME ASC', AX.executionWith137Results, null, { orderBy: { field: 'DEVICE_NAME', direction: 'ASC' } }),
  naverCase(NV.subjectIdWith120Activities, 120),
  naverCase(NV.subjectIdWith23Activities, 23),
  naverCase(NV.subjectIdWithNoActivity, 0),
  certificatesCase(AP.historyWith137Certificates, 137),
  certificatesCase(AP.historyWith45Certificates, 45),
  certificatesCase(AP.historyWith0Certificates, 0),
  certificatesCase(AP.historyWith137Certificates, null, 'FAILED'),
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function ok<T = any>(query: string, variables?: Record<string, unknown>, on = harness): Promise<T> {
  const response: GraphQLResponse<T> = await on.query<T>(query, variables);
  assert.equal(response.errors, undefined, `unexpected errors: ${JSON.stringify(response.errors)}`);
  assert.ok(response.data, 'the response has data');
  return response.data as T;
}

async function page(c: ConnectionCase, args: PagingArgs, on = harness): Promise<Connection> {
  return c.pick(await ok(c.query, { ...c.variables, ...args }, on));
}

/** What every page of every connection keeps: cursors at both ends, `nodes` = `edges.node`. */
function checkPageShape(c: ConnectionCase, connection: Connection, at: string): void {
  const { edges, nodes, pageInfo } = connection;
  assert.equal(pageInfo.startCursor, edges[0]?.cursor ?? null, `${c.name} ${at}: startCursor is the first edge's cursor`);
  assert.equal(pageInfo.endCursor, edges.at(-1)?.cursor ?? null, `${c.name} ${at}: endCursor is the last edge's cursor`);
  assert.deepEqual(
    nodes,
    edges.map((edge) => edge.node),
    `${c.name} ${at}: nodes equals edges.node`,
  );
  assert.equal(new Set(edges.map((edge) => edge.cursor)).size, edges.length, `${c.name} ${at}: cursors are distinct`);
  for (const edge of edges) assert.equal(edge.node.vendor, c.vendor, `${c.name} ${at}: node of the vendor`);
}

/** Walks a connection to its end, forward (`first`/`endCursor`) or backward (`last`/`startCursor`). */
async function walk(
  c: ConnectionCase,
  direction: 'forward' | 'backward',
  size: number,
  afterPage?: (index: number) => void,
  on = harness,
): Promise<Connection[]> {
  const pages: Connection[] = [];
  let cursor: string | null = null;
  for (let index = 0; ; index++) {
    assert.ok(index < 500, `${c.name}: ${direction} walk does not end`);
    const args: PagingArgs = direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    const connection = await page(c, args, on);
    checkPageShape(c, connection, `${direction} page ${index}`);
    pages.push(connection);
    afterPage?.(index);
    const more = direction === 'forward' ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage;
    if (!more) return pages;
    cursor = direction === 'forward' ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
    assert.ok(cursor, `${c.name}: ${direction} page ${index} says more follow but has no cursor`);
  }
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

// ---------------------------------------------------------------------------------------------
// 1. Every connection, walked both ways
// ---------------------------------------------------------------------------------------------

const SIZE = 7;

describe('every connection walked with first: 7 and last: 7', () => {
  for (const c of CASES) {
    it(`${c.name}: forward and backward walks yield the vendor's list once, in order, with exact pageInfo`, async () => {
      const truth = await c.truth();
      if (c.length >= 0) assert.equal(truth.length, c.length, `${c.name}: the fixture has ${c.length} records`);
      assert.deepEqual(duplicates(truth), [], `${c.name}: the ground truth's identities are unique`);
      const n = truth.length;
      const expectedPages = Math.max(1, Math.ceil(n / SIZE));
      const expectedTotal = c.reportsTotal ? n : null;

      // Forward.
      const forward = await walk(c, 'forward', SIZE);
      assert.equal(forward.length, expectedPages, `${c.name}: ${expectedPages} forward pages`);
      forward.forEach((p, index) => {
        const last = index === forward.length - 1;
        const at = `forward page ${index}`;
        assert.equal(p.edges.length, last ? n - SIZE * index : SIZE, `${c.name} ${at}: edge count`);
        assert.equal(p.pageInfo.hasPreviousPage, index > 0, `${c.name} ${at}: hasPreviousPage`);
        assert.equal(p.pageInfo.hasNextPage, !last, `${c.name} ${at}: hasNextPage`);
        assert.equal(p.totalCount, expectedTotal, `${c.name} ${at}: totalCount`);
      });
      const forwardEdges = forward.flatMap((p) => p.edges);
      assert.deepEqual(
        forwardEdges.map((e) => c.identity(e.node)),
        truth,
        `${c.name}: the forward walk is the vendor's list`,
      );
      assert.equal(new Set(forwardEdges.map((e) => e.node.id)).size, n, `${c.name}: forward node ids are distinct`);

      // Backward.
      const backward = await walk(c, 'backward', SIZE);
      assert.equal(backward.length, expectedPages, `${c.name}: ${expectedPages} backward pages`);
      backward.forEach((p, index) => {
        const last = index === backward.length - 1;
        const at = `backward page ${index}`;
        assert.equal(p.edges.length, last ? n - SIZE * index : SIZE, `${c.name} ${at}: edge count`);
        assert.equal(p.pageInfo.hasNextPage, index > 0, `${c.name} ${at}: hasNextPage`);
        assert.equal(p.pageInfo.hasPreviousPage, !last, `${c.name} ${at}: hasPreviousPage`);
        assert.equal(p.totalCount, expectedTotal, `${c.name} ${at}: totalCount`);
      });
      const backwardEdges = [...backward].reverse().flatMap((p) => p.edges);
      assert.deepEqual(
        backwardEdges.map((e) => c.identity(e.node)),
        truth,
        `${c.name}: the backward walk is the vendor's list`,
      );
      assert.deepEqual(
        backwardEdges.map((e) => e.node.id),
        forwardEdges.map((e) => e.node.id),
        `${c.name}: both walks give each record the same id`,
      );
      assert.deepEqual(
        backwardEdges.map((e) => e.cursor),
        forwardEdges.map((e) => e.cursor),
        `${c.name}: both walks give each record the same cursor`,
      );

      if (n === 0) {
        const [empty] = forward;
        assert.deepEqual(
          empty!.pageInfo,
          { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
          `${c.name}: empty pageInfo`,
        );
        assert.deepEqual(empty!.edges, [], `${c.name}: no edges`);
        assert.deepEqual(empty!.nodes, [], `${c.name}: no nodes`);
      }
    });
  }

  it('any edge cursor pages on from its record, both ways; first: 0, first: 100, last: 100 and the default of 20', async () => {
    const c = CASES[0]!; // Control Center, 137 records
    const truth = await c.truth();
    const head = await page(c, { first: 20 });
    const middle = head.edges[12]!;
    const next = await page(c, { first: 5, after: middle.cursor });
    assert.deepEqual(next.edges.map((e) => c.identity(e.node)), truth.slice(13, 18), 'first: 5 after edge 12 is records 13..17');
    assert.equal(next.pageInfo.hasPreviousPage, true, 'hasPreviousPage after a cursor');
    assert.equal(next.pageInfo.hasNextPage, true, 'hasNextPage in the middle');
    const beforeIt = await page(c, { last: 5, before: middle.cursor });
    assert.deepEqual(beforeIt.edges.map((e) => c.identity(e.node)), truth.slice(7, 12), 'last: 5 before edge 12 is records 7..11');
    assert.equal(beforeIt.pageInfo.hasPreviousPage, true, 'records precede 7');
    assert.equal(beforeIt.pageInfo.hasNextPage, true, 'records follow 11');
    const headOf = await page(c, { last: 20, before: middle.cursor });
    assert.deepEqual(headOf.edges.map((e) => c.identity(e.node)), truth.slice(0, 12), 'last: 20 before edge 12 stops at the head');
    assert.equal(headOf.pageInfo.hasPreviousPage, false, 'nothing precedes the head');

    const zero = await page(c, { first: 0 });
    assert.deepEqual(zero.edges, [], 'first: 0 has no edges');
    assert.equal(zero.pageInfo.hasNextPage, true, 'first: 0 on a non-empty list has a next page');
    assert.equal(zero.pageInfo.startCursor, null, 'first: 0 has no startCursor');

    const hundred = await page(c, { first: 100 });
    assert.deepEqual(hundred.edges.map((e) => c.identity(e.node)), truth.slice(0, 100), 'first: 100 is the first 100 records');
    const defaults = await page(c, {});
    assert.deepEqual(defaults.edges.map((e) => c.identity(e.node)), truth.slice(0, 20), 'no first/last: the first 20 records');
    const tail = await page(c, { last: 100 });
    assert.deepEqual(tail.edges.map((e) => c.identity(e.node)), truth.slice(-100), 'last: 100 is the last 100 records');
  });
});

// ---------------------------------------------------------------------------------------------
// 2. node(id) and nodes(ids) round trips
// ---------------------------------------------------------------------------------------------

const NODE_QUERY = `query($id: ID!) { node(id: $id) { ...NodeFields } } ${NODE_FIELDS}`;
const NODES_QUERY = `query($ids: [ID!]!) { nodes(ids: $ids) { ...NodeFields } } ${NODE_FIELDS}`;

describe('node(id) and nodes(ids) fetch the objects of the walks again', () => {
  it('events, certificates, devices and users round-trip through node and nodes', async () => {
    const objects = new Map<string, GraphNode>();
    const add = (node: GraphNode | null | undefined) => {
      if (!node) return;
      objects.set(node.id, node);
    };
    // Records at the head and at the tail of every non-empty connection (the tail has the highest positions).
    for (const c of CASES) {
      if (c.length === 0) continue;
      const head = await page(c, { first: 2 });
      const tail = await page(c, { last: 2 });
      for (const node of [...head.nodes, ...tail.nodes]) {
        add(node);
        if (node.device) add({ __typename: 'Device', ...node.device });
        if (node.certificate) add({ __typename: 'Certificate', ...node.certificate });
      }
    }
    // The parents of the connections.
    const parents = await ok(
      `query($iccid: String!, $user: String!, $subject: String!, $policyId: UUID!, $token: UUID!, $org: String!, $emm: String!, $history: ID!) {
        cellularDevice(iccid: $iccid) { ...NodeFields }
        kobilUser(userName: $user) { ...NodeFields }
        certificateSubject(subjectId: $subject) { ...NodeFields }
        policyExecution(policyId: $policyId, executionToken: $token) { ...NodeFields }
        androidDevice(organizationId: $org, emmDeviceId: $emm) { ...NodeFields certificateReport(historyId: $history) { ...NodeFields } }
      } ${NODE_FIELDS}`,
      {
        iccid: CC.iccidWith137Records,
        user: KB.userWith53Logs,
        subject: NV.subjectIdWith120Activities,
        policyId: AX.executionWith137Results.policyId,
        token: AX.executionWith137Results.executionToken,
        org: AP.historyWith45Certificates.organizationId,
        emm: AP.historyWith45Certificates.emmDeviceId,
        history: AP.historyWith45Certificates.historyId,
      },
    );
    const { certificateReport, ...android } = parents.androidDevice;
    for (const node of [parents.cellularDevice, parents.kobilUser, parents.certificateSubject, parents.policyExecution, android, certificateReport]) {
      add(node);
    }

    const typenames = new Set([...objects.values()].map((o) => o.__typename));
    for (const type of [
      'DeviceFieldChange',
      'UserActivity',
      'PolicyDeviceResult',
      'CertificateAuthentication',
      'Certificate',
      'Device',
      'KobilUser',
      'PolicyExecution',
      'CertificateSubject',
      'CertificateReport',
    ]) {
      assert.ok(typenames.has(type), `the round trip covers ${type}`);
    }
    const certificateVendors = new Set([...objects.values()].filter((o) => o.__typename === 'Certificate').map((o) => o.vendor));
    assert.deepEqual([...certificateVendors].sort(), ['APPLIVERY', 'KOBIL', 'NAVER_CLOUD'], 'certificates of every vendor that has them');

    for (const [id, expected] of objects) {
      const { node } = await ok(NODE_QUERY, { id });
      assert.ok(node, `node(${expected.__typename} ${id}) is found`);
      assertSameObject(node, expected, `node(${expected.__typename})`);
    }

    const ids = [...objects.keys()];
    for (let start = 0; start < ids.length; start += 100) {
      const chunk = ids.slice(start, start + 100);
      const { nodes } = await ok(NODES_QUERY, { ids: chunk });
      assert.equal(nodes.length, chunk.length, 'nodes returns one entry per id');
      nodes.forEach((node: GraphNode, index: number) => assertSameObject(node, objects.get(chunk[index]!)!, `nodes[${index}]`));
    }
  });
});

/**
 * The refetched object has every field the original selection had, with the same values. Devices
 * that came nested in an event were selected with fewer fields, so only those are compared.
 */
function assertSameObject(actual: GraphNode, expected: GraphNode, label: string): void {
  assert.ok(actual, `${label}: found`);
  const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key]]));
  assert.deepEqual(picked, expected, `${label}: the same ${expected.__typename} again`);
}

// ---------------------------------------------------------------------------------------------
// 3. Misused arguments
// ---------------------------------------------------------------------------------------------

describe('misused paging arguments are BAD_USER_INPUT before any vendor call', () => {
  async function refused(c: ConnectionCase, args: Record<string, unknown>, label: string): Promise<void> {
    harness.clearCalls();
    const response = await harness.query(c.query, { ...c.variables, ...args });
    const codes = (response.errors ?? []).map((e) => e.extensions?.code);
    assert.ok(codes.length > 0, `${c.name}, ${label}: an error (got ${JSON.stringify(response)})`);
    assert.deepEqual(
      [...new Set(codes)],
      ['BAD_USER_INPUT'],
      `${c.name}, ${label}: BAD_USER_INPUT (got ${JSON.stringify(response.errors)})`,
    );
    assert.equal(harness.totalCalls(), 0, `${c.name}, ${label}: no vendor call`);
  }

  const garbage = [
    ['garbage', 'garbage'],
    ['not base64url', 'not a cursor!'],
    ['empty', ''],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ c: 'x', p: 'y' })).toString('base64url')],
    ['a global id', Buffer.from(JSON.stringify(['DeviceFieldChange', CC.iccidWith137Records, 30, 0, 'k'])).toString('base64url')],
    ['negative offset', Buffer.from(JSON.stringify({ c: 'x', p: [[-1, 'k']] })).toString('base64url')],
  ] as const;

  for (const c of CASES.filter((c) => c.length > 0)) {
    it(`${c.name}: both counts, bad counts, mixed directions and garbage cursors`, async () => {
      const good = (await page(c, { first: 2 })).pageInfo.endCursor;
      assert.ok(good, `${c.name}: a cursor to misuse`);
      await refused(c, { first: 5, last: 5 }, 'first and last');
      await refused(c, { first: -1 }, 'first: -1');
      await refused(c, { first: 101 }, 'first: 101');
      await refused(c, { last: -1 }, 'last: -1');
      await refused(c, { last: 101 }, 'last: 101');
      await refused(c, { last: 5, after: good }, 'after with last');
      await refused(c, { first: 5, before: good }, 'before with first');
      await refused(c, { after: good, before: good }, 'after and before');
      for (const [label, cursor] of garbage) {
        await refused(c, { first: 5, after: cursor }, `after: ${label}`);
        await refused(c, { last: 5, before: cursor }, `before: ${label}`);
      }
    });
  }

  it("a cursor of another ICCID's audit trail, or of another connection, is refused", async () => {
    const cc137 = CASES[0]!;
    const cc51 = CASES[2]!;
    const foreign = (await page(cc137, { first: 3 })).pageInfo.endCursor;
    await refused(cc51, { first: 5, after: foreign }, "after: another ICCID's cursor");
    await refused(cc51, { last: 5, before: foreign }, "before: another ICCID's cursor");
    // Same ICCID, other daysOfHistory: another list.
    const days = `query($iccid: String!, $after: String) { cellularDevice(iccid: $iccid) { auditEvents(first: 5, after: $after, daysOfHistory: 60) { totalCount } } }`;
    harness.clearCalls();
    const response = await harness.query(days, { iccid: CC.iccidWith137Records, after: foreign });
    assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `other daysOfHistory: ${JSON.stringify(response)}`);
    assert.equal(harness.totalCalls(), 0, 'other daysOfHistory: no vendor call');

    // Other vendors' cursors, and a cursor of a filtered list on the unfiltered one.
    const kobil = (await page(CASES[4]!, { first: 3 })).pageInfo.endCursor;
    await refused(cc137, { first: 5, after: kobil }, 'after: a KOBIL cursor');
    const automoxAll = CASES.find((c) => c.name.includes('(137 results)'))!;
    const automoxFailed = CASES.find((c) => c.name.includes('status FAILED'))!;
    const filtered = (await page(automoxFailed, { first: 3 })).pageInfo.endCursor;
    await refused(automoxAll, { first: 5, after: filtered }, 'after: a cursor of the status-filtered list');
    const ordered = (await page(automoxAll, { first: 3 })).pageInfo.endCursor;
    await refused(CASES.find((c) => c.name.includes('orderBy DEVICE_NAME'))!, { first: 5, after: ordered }, 'after: a cursor of another order');
    const naver = CASES.find((c) => c.vendor === 'NAVER_CLOUD')!;
    const naver23 = CASES.find((c) => c.name.includes('(23 activities)'))!;
    const naverCursor = (await page(naver, { first: 3 })).pageInfo.endCursor;
    await refused(naver23, { first: 5, after: naverCursor }, "after: another subject's cursor");

    // A report's certificates: the cursor's binding can only be checked under the report, and
    // `Device.certificateReport` loads the report first (it is null with NOT_FOUND when Applivery
    // has none), so that one call is made; the certificates connection itself calls nothing more.
    const failedOnly = CASES.find((c) => c.name.includes('state FAILED'))!;
    const certificates = CASES.find((c) => c.name.includes('(137 certificates)'))!;
    const unfiltered = (await page(certificates, { first: 3 })).pageInfo.endCursor;
    harness.clearCalls();
    const report = await harness.query(failedOnly.query, { ...failedOnly.variables, first: 5, after: unfiltered });
    assert.deepEqual(
      report.errors?.map((e) => e.extensions?.code),
      ['BAD_USER_INPUT'],
      `state-filtered certificates, after: an unfiltered cursor: ${JSON.stringify(report.errors)}`,
    );
    assert.ok(harness.calls('APPLIVERY') <= 1 && harness.totalCalls() === harness.calls('APPLIVERY'), 'at most the report itself is read');
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Records inserted at the head while paging
// ---------------------------------------------------------------------------------------------

describe('paging forward while the vendor inserts records at its head', () => {
  // Inserted records stay: each test pages over simulators of its own, never the file's.
  let own: GraphHarness;
  beforeEach(async () => {
    own = await startGraphHarness({ scale: CACHE_ON });
  });
  afterEach(async () => {
    await own?.close();
  });

  const insertCases: Array<[string, ConnectionCase]> = [
    ['page number, no total (Control Center)', auditEventsCase('137', CC.iccidWith137Records, 137)],
    ['offset, no total (KOBIL)', kobilCase(KB.userWith53Logs, 53)],
    ['page number with total (Automox)', automoxCase('137 results', AX.executionWith137Results, 137)],
    ['page number with total (NAVER Cloud)', naverCase(NV.subjectIdWith120Activities, 120)],
  ];
  // first: 7 as in the walks above; first: 50 and 51 also take several vendor calls per page on
  // Control Center, so records move between two calls of one page, not only between pages.
  for (const size of [SIZE, 50, 51]) for (const [style, c] of insertCases) {
    it(`${style}, first: ${size}: every original record exactly once, in order`, async () => {
      const truth = await c.truth(own);
      const simulator = own.running.simulators[c.vendor]!;
      let seen: string[];
      let callsWhileInserting: number;
      try {
        const pages = await walk(
          c,
          'forward',
          size,
          (index) => {
            if (index !== 0) return;
            own.clearCalls();
            simulator.knobs.insertEveryRequests = 2;
          },
          own,
        );
        callsWhileInserting = own.calls(c.vendor);
        seen = pages.flatMap((p) => p.edges.map((e) => c.identity(e.node)));
      } finally {
        simulator.knobs.insertEveryRequests = 0;
      }
      const now = await c.truth(own);
      assert.ok(
        now.length - truth.length >= Math.floor(callsWhileInserting / 2),
        `${c.name}: the vendor inserted a record every 2 calls while we paged (${callsWhileInserting} calls, ${truth.length} → ${now.length} records)`,
      );
      if (size === SIZE) assert.ok(now.length > truth.length, `${c.name}: records were inserted while we paged`);
      assert.deepEqual(duplicates(seen), [], `${c.name}: no record twice`);
      const original = new Set(truth);
      assert.deepEqual(
        seen.filter((identity) => original.has(identity)),
        truth,
        `${c.name}: every original record once, in the vendor's order`,
      );
      const inserted = new Set(now.slice(0, now.length - truth.length));
      assert.deepEqual(
        seen.filter((identity) => !original.has(identity) && !inserted.has(identity)),
        [],
        `${c.name}: nothing but original and inserted records`,
      );
    });
  }

  // Two clients paging the same list in step: the second is served the pages the first fetched,
  // from the cache, while the vendor has moved on (older snapshots mixed with fresh ones).
  for (const [style, c] of insertCases) {
    it(`${style}, two readers in step, the second served from the cache: every original record exactly once each`, async () => {
      const truth = await c.truth(own);
      const simulator = own.running.simulators[c.vendor]!;
      const hitsBefore = cacheOutcomes.get(`${c.vendor} hit`) ?? 0;
      const seen: string[][] = [[], []];
      const cursors: Array<string | null> = [null, null];
      const done = [false, false];
      simulator.knobs.insertEveryRequests = 2;
      try {
        for (let index = 0; !(done[0] && done[1]); index++) {
          assert.ok(index < 500, `${c.name}: the walks end`);
          for (const reader of [0, 1]) {
            if (done[reader]) continue;
            const connection = await page(c, { first: SIZE, after: cursors[reader] }, own);
            checkPageShape(c, connection, `reader ${reader} page ${index}`);
            seen[reader]!.push(...connection.edges.map((e) => c.identity(e.node)));
            cursors[reader] = connection.pageInfo.endCursor;
            done[reader] = !connection.pageInfo.hasNextPage;
          }
        }
      } finally {
        simulator.knobs.insertEveryRequests = 0;
      }
      assert.ok((cacheOutcomes.get(`${c.vendor} hit`) ?? 0) > hitsBefore, `${c.name}: the second reader was served from the cache`);
      const original = new Set(truth);
      for (const reader of [0, 1]) {
        assert.deepEqual(duplicates(seen[reader]!), [], `${c.name}: reader ${reader} saw no record twice`);
        assert.deepEqual(
          seen[reader]!.filter((identity) => original.has(identity)),
          truth,
          `${c.name}: reader ${reader} saw every original record once, in the vendor's order`,
        );
      }
    });
  }
});
