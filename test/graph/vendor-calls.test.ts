/**
 * Vendor calls the graph makes: every connection page costs the fewest vendor calls that cover the
 * window the engine must read, the same vendor page asked for twice in one operation
 * is fetched once, and the merged timeline reads each source once per page and loses nothing.
 *
 * The minimum is computed with `planCalls`, the pure planner, for the window the connection engine
 * has to read; each case says in a comment which window that is and why. Call logs of the
 * simulators show the page numbers and sizes actually sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_REACH, maxRecordsOf, planCalls, type PlannedCall } from '../../src/graph/connections/page-plan.js';
import type { EndpointPaging, PagingStyle } from '../../src/vendors/paging.js';
import { DEFAULT_DEVICE_RESULTS_SORT, toPolicyDeviceResult } from '../../src/graph/sources/automox.js';
import { DEVICE_RESULTS_PAGING } from '../../src/vendors/automox/contract.js';
import { APPLIVERY_FIXTURES } from '../../src/simulators/applivery/simulator.js';
import { CERTIFICATE_REPORT_PAGING } from '../../src/vendors/applivery/contract.js';
import { AUTOMOX_FIXTURES } from '../../src/simulators/automox/simulator.js';
import { AUDIT_TRAILS_PAGING } from '../../src/vendors/control-center/contract.js';
import { DEVICE_FIELD_CHANGE_ID } from '../../src/graph/sources/control-center.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { USER_LOGS_PAGING } from '../../src/vendors/kobil/contract.js';
import { USER_ACTIVITY_ID } from '../../src/graph/sources/kobil.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { SUBJECT_CREDENTIALS_PAGING } from '../../src/vendors/naver-cloud/contract.js';
import { CERTIFICATE_AUTHENTICATION_ID } from '../../src/graph/sources/naver-cloud.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import type { VendorName } from '../../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness } from '../support/graph-harness.js';

let harness: GraphHarness;

before(async () => {
  harness = await startGraphHarness();
});

after(async () => {
  await harness?.close();
});

/** Runs a query that must succeed, and returns its data. */
async function data(query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await harness.query(query, variables);
  assert.equal(response.errors, undefined, `no errors expected: ${JSON.stringify(response.errors)}`);
  assert.ok(response.data, 'the response has data');
  return response.data;
}

const cc = CONTROL_CENTER_FIXTURES.iccidWith137Records;
const kobilUser = KOBIL_FIXTURES.userWith200Logs;
const automoxExecution = AUTOMOX_FIXTURES.executionWith1300Results;
const naverSubject = NAVER_CLOUD_FIXTURES.subjectIdWith120Activities;
const report = APPLIVERY_FIXTURES.historyWith137Certificates;

/** One paged list of each vendor, with how its page requests show in the simulator's call log. */
interface VendorList {
  vendor: VendorName;
  label: string;
  /** How the vendor pages it, from its contract. */
  paging: EndpointPaging;
  /** The list's length, from the fixtures. */
  length: number;
  /** A query reading one page of the list with the given connection arguments. */
  query(args: string): string;
  /** The connection in the query's data. */
  connection(data: any): any;
  /** What the call log shows of one planned call. */
  logged(call: PlannedCall): Record<string, string>;
  /** The paging parameters of one call-log entry, in the form `logged` returns. */
  params(query: Record<string, string>): Record<string, string>;
}

const EDGES = 'edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

const LISTS: VendorList[] = [
  {
    vendor: 'CISCO_CONTROL_CENTER',
    label: 'Control Center (pageNumber/pageSize ≤ 50, 1-based)',
    paging: AUDIT_TRAILS_PAGING,
    length: CONTROL_CENTER_FIXTURES.recordsWithinDefault30Days.iccidWith137Records,
    query: (args) => `{ cellularDevice(iccid: "${cc}") { auditEvents(${args}) { ${EDGES} } } }`,
    connection: (d) => d.cellularDevice.auditEvents,
    logged: (call) => ({ pageNumber: String(call.pageNumber), pageSize: String(call.limit) }),
    params: (q) => ({ pageNumber: q.pageNumber!, pageSize: q.pageSize! }),
  },
  {
    vendor: 'KOBIL',
    label: 'KOBIL (offset/limit ≤ 100)',
    paging: USER_LOGS_PAGING,
    length: KOBIL_FIXTURES.logCounts[kobilUser],
    query: (args) => `{ kobilUser(userName: "${kobilUser}") { activity(${args}) { ${EDGES} } } }`,
    connection: (d) => d.kobilUser.activity,
    logged: (call) => ({ offset: String(call.offset), limit: String(call.limit) }),
    params: (q) => ({ offset: q.offset!, limit: q.limit! }),
  },
  {
    vendor: 'AUTOMOX',
    label: 'Automox (page 0-based, limit ≤ 5000)',
    paging: DEVICE_RESULTS_PAGING,
    length: automoxExecution.resultCount,
    query: (args) =>
      `{ policyExecution(policyId: "${automoxExecution.policyId}", executionToken: "${automoxExecution.executionToken}") { deviceResults(${args}) { ${EDGES} } } }`,
    connection: (d) => d.policyExecution.deviceResults,
    logged: (call) => ({ page: String(call.pageNumber), limit: String(call.limit) }),
    params: (q) => ({ page: q.page!, limit: q.limit! }),
  },
  {
    vendor: 'NAVER_CLOUD',
    label: 'NAVER Cloud (page 0-based, size ≤ 100)',
    paging: SUBJECT_CREDENTIALS_PAGING,
    length: 120,
    query: (args) => `{ certificateSubject(subjectId: "${naverSubject}") { authentications(${args}) { ${EDGES} } } }`,
    connection: (d) => d.certificateSubject.authentications,
    logged: (call) => ({ page: String(call.pageNumber), size: String(call.limit) }),
    params: (q) => ({ page: q.page!, size: q.size! }),
  },
  {
    vendor: 'APPLIVERY',
    label: 'Applivery (one snapshot)',
    paging: CERTIFICATE_REPORT_PAGING,
    length: report.certificateCount,
    query: (args) =>
      `{ androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { certificateReport(historyId: "${report.historyId}") { certificates(${args}) { ${EDGES} } } } }`,
    connection: (d) => d.androidDevice.certificateReport.certificates,
    logged: () => ({}),
    params: () => ({}),
  },
];

/**
 * How far past `end` the engine reads around a cursor: records inserted at the head since the
 * cursor was issued push its record later, into the same answer (up to `MAX_REACH`, within the bound).
 */
function reachOf(list: VendorList, end: number): number {
  return Math.max(0, Math.min(MAX_REACH, maxRecordsOf(list.paging) - end));
}

/** The step `ListReader.ensureLength` reads a list of unknown length in: the vendor's largest page. */
function step(paging: PagingStyle): number {
  return paging.kind === 'page' ? paging.maxPageSize : paging.kind === 'offset' ? paging.maxLimit : 1;
}

/**
 * A window of a connection: the arguments, which list positions the engine must read for them
 * (and why), and the calls it plans for that. `minimum` is the fewest calls any client could make.
 */
interface Window {
  name: string;
  /** Position of the record whose cursor is passed (`after` or `before`), if any. */
  cursorAt?: (list: VendorList) => number;
  args(cursor: string | undefined): string;
  /** The positions of the records the page returns. */
  expected(list: VendorList): [start: number, end: number];
  /** The page's `hasPreviousPage` and `hasNextPage`. */
  flags(list: VendorList): { hasPreviousPage: boolean; hasNextPage: boolean };
  /** The calls the engine makes (planned with `planCalls`), in any order. */
  plan(list: VendorList): PlannedCall[];
  /** The fewest calls that can answer the page, computed with `planCalls`. */
  minimum(list: VendorList): number;
}

const WINDOWS: Window[] = [
  {
    // Reads [0, 7). Whether a record follows comes from the page itself (Control Center's
    // `lastPage`, KOBIL's `moreResultsAvailable`, Automox's and NAVER's totals), not a look-ahead.
    name: 'first: 7',
    args: () => 'first: 7',
    expected: () => [0, 7],
    flags: () => ({ hasPreviousPage: false, hasNextPage: true }),
    plan: (list) => planCalls(list.paging, 0, 7),
    minimum: (list) => planCalls(list.paging, 0, 7).length,
  },
  {
    // Records 45..74. The engine re-reads the cursor's own record (position 44) to check that it
    // is still there (or find where new head records pushed it), so it reads [44, 75): on Control
    // Center one call, pageNumber 2 of pageSize 38 (positions 38..75).
    name: 'first: 30, after: <cursor of record 44>',
    cursorAt: () => 44,
    args: (cursor) => `first: 30, after: ${JSON.stringify(cursor)}`,
    expected: () => [45, 75],
    flags: () => ({ hasPreviousPage: true, hasNextPage: true }),
    plan: (list) => planCalls(list.paging, 44, 75, reachOf(list, 75)),
    minimum: (list) => planCalls(list.paging, 44, 75).length,
  },
  {
    // Reads [0, 100): two pages of 50 on Control Center, one call elsewhere.
    name: 'first: 100',
    args: () => 'first: 100',
    expected: () => [0, 100],
    flags: () => ({ hasPreviousPage: false, hasNextPage: true }),
    plan: (list) => planCalls(list.paging, 0, 100),
    minimum: (list) => planCalls(list.paging, 0, 100).length,
  },
  {
    // Records 45..144 (Control Center has 137, so 45..136): the engine reads [44, 145), the
    // cursor's record and the 100 after it; on Control Center no two pages of at most 50 cover
    // 101 records, so three.
    name: 'first: 100, after: <cursor of record 44>',
    cursorAt: () => 44,
    args: (cursor) => `first: 100, after: ${JSON.stringify(cursor)}`,
    expected: (list) => [45, Math.min(145, list.length)],
    flags: (list) => ({ hasPreviousPage: true, hasNextPage: list.length > 145 }),
    plan: (list) => planCalls(list.paging, 44, 145, reachOf(list, 145)),
    minimum: (list) => planCalls(list.paging, 44, 145).length,
  },
  {
    // Past the end: the engine reads the cursor's record and the 100 positions after it,
    // [length - 1, length + 100), since nothing tells it beforehand where the list ends (on
    // Control Center three pages of 34, two of them empty). The page is empty, hasNextPage false.
    name: 'first: 100, after: <cursor of the last record>',
    cursorAt: (list) => list.length - 1,
    args: (cursor) => `first: 100, after: ${JSON.stringify(cursor)}`,
    expected: (list) => [list.length, list.length],
    flags: () => ({ hasPreviousPage: true, hasNextPage: false }),
    plan: (list) => planCalls(list.paging, list.length - 1, list.length + 100, reachOf(list, list.length + 100)),
    minimum: (list) => planCalls(list.paging, list.length - 1, list.length + 100).length,
  },
  {
    // The last 7 need the list's length. Where the vendor reports a total (Automox, NAVER) the
    // first call (a largest page from the head) tells it, then [length - 7, length) is read if the
    // first call did not cover it, reaching past the end as every later call of a page does (head
    // inserts since the first call push the end further): Automox's one page of 5000 covers all
    // 1300; NAVER needs page 1 of size 85 (positions 85..169) after page 0 of size 100. Without a
    // total (Control Center, KOBIL) the engine reads the whole list [0, length) in largest pages
    // until the vendor says it ended: the minimum is `planCalls(0, length)` (3 on Control Center's
    // 137, 2 on KOBIL's 200).
    name: 'last: 7',
    args: () => 'last: 7',
    expected: (list) => [list.length - 7, list.length],
    flags: () => ({ hasPreviousPage: true, hasNextPage: false }),
    plan: (list) => {
      if (list.paging.kind === 'whole') return planCalls(list.paging, 0, 1);
      const size = step(list.paging);
      if (list.paging.reportsTotal) {
        const first = planCalls(list.paging, 0, size);
        const covered = Math.min(size, list.length);
        return covered >= list.length ? first : [...first, ...planCalls(list.paging, list.length - 7, list.length, reachOf(list, list.length))];
      }
      const calls: PlannedCall[] = [];
      for (let from = 0; from < list.length; from += size) calls.push(...planCalls(list.paging, from, from + size));
      return calls;
    },
    minimum: (list) => {
      if (list.paging.kind === 'whole') return 1;
      if (!list.paging.reportsTotal) return planCalls(list.paging, 0, list.length).length;
      // One call must learn the total; a second is needed only when no single page can hold the list.
      const size = step(list.paging);
      return list.length <= size ? 1 : 1 + planCalls(list.paging, list.length - 7, list.length).length;
    },
  },
  {
    // Records 39..43: the engine reads [39, 45), the five records and the cursor's own record.
    // On Control Center one call, pageNumber 5 of pageSize 9 (positions 36..45).
    name: 'last: 5, before: <cursor of record 44>',
    cursorAt: () => 44,
    args: (cursor) => `last: 5, before: ${JSON.stringify(cursor)}`,
    expected: () => [39, 44],
    flags: () => ({ hasPreviousPage: true, hasNextPage: true }),
    plan: (list) => planCalls(list.paging, 39, 45, reachOf(list, 45)),
    minimum: (list) => planCalls(list.paging, 39, 45).length,
  },
];

/** Sorted text of call-log paging parameters, to compare calls made in parallel in any order. */
function sortedCalls(calls: Array<Record<string, string>>): string[] {
  return calls.map((call) => JSON.stringify(Object.entries(call).sort())).sort();
}

describe('vendor calls per connection page', () => {
  /** Every list's edges ids in order, read once with first: 100 pages (ground truth for page contents). */
  const allIds = new Map<VendorName, string[]>();
  /** Cursors of every list's records by position. */
  const allCursors = new Map<VendorName, string[]>();
  const measured: string[] = [];

  before(async () => {
    for (const list of LISTS) {
      const ids: string[] = [];
      const cursors: string[] = [];
      let afterCursor: string | undefined;
      for (let page = 0; ; page++) {
        assert.ok(page < 20, `${list.label}: paging with first: 100 ends`);
        const d = await data(list.query(afterCursor ? `first: 100, after: ${JSON.stringify(afterCursor)}` : 'first: 100'));
        const connection = list.connection(d);
        for (const edge of connection.edges) {
          ids.push(edge.node.id);
          cursors.push(edge.cursor);
        }
        if (!connection.pageInfo.hasNextPage) break;
        assert.ok(connection.edges.length > 0, `${list.label}: a page with hasNextPage has edges`);
        afterCursor = connection.pageInfo.endCursor;
      }
      assert.equal(ids.length, list.length, `${list.label}: the list holds ${list.length} records`);
      allIds.set(list.vendor, ids);
      allCursors.set(list.vendor, cursors);
    }
  });

  after(() => {
    // The measured table, for the report: window → calls → minimum.
    if (process.env.DEVICEGRAPH_PRINT_CALLS) console.log(measured.join('\n'));
  });

  for (const window of WINDOWS) {
    describe(window.name, () => {
      for (const list of LISTS) {
        it(`${list.label}: the fewest calls, with the planned page numbers and sizes`, async () => {
          const cursor = window.cursorAt === undefined ? undefined : allCursors.get(list.vendor)![window.cursorAt(list)];
          harness.clearCalls();
          const d = await data(list.query(window.args(cursor)));
          const connection = list.connection(d);

          const [start, end] = window.expected(list);
          assert.deepEqual(
            connection.edges.map((edge: any) => edge.node.id),
            allIds.get(list.vendor)!.slice(start, end),
            `${list.label}, ${window.name}: records ${start}..${end - 1}`,
          );
          const { hasPreviousPage, hasNextPage } = connection.pageInfo;
          assert.deepEqual({ hasPreviousPage, hasNextPage }, window.flags(list), `${list.label}, ${window.name}: pageInfo`);

          const log = harness.running.simulators[list.vendor]!.calls;
          const plan = window.plan(list);
          const minimum = window.minimum(list);
          measured.push(`${window.name} | ${list.vendor} | calls ${log.length} | minimum ${minimum} | ${JSON.stringify(log.map((c) => list.params(c.query)))}`);
          assert.equal(harness.totalCalls(), log.length, 'only the list’s vendor is called');
          assert.equal(log.length, minimum, `${list.label}, ${window.name}: ${log.length} calls, the minimum is ${minimum}`);
          assert.deepEqual(sortedCalls(log.map((c) => list.params(c.query))), sortedCalls(plan.map(list.logged)), 'the planned pages were requested');
        });
      }
    });
  }

  it('Control Center: first: 30 after record 44 is one call of pageSize 44, pageNumber 2', async () => {
    // Pinned explicitly (the table computes it): the engine reads [44, 75), the cursor's record
    // too, in the one page that reaches furthest past it (13 more records absorb head inserts).
    assert.deepEqual(planCalls(LISTS[0]!.paging, 44, 75, MAX_REACH), [{ offset: 44, limit: 44, pageNumber: 2 }]);
    const cursor = allCursors.get('CISCO_CONTROL_CENTER')![44]!;
    harness.clearCalls();
    const d = await data(LISTS[0]!.query(`first: 30, after: ${JSON.stringify(cursor)}`));
    assert.equal(d.cellularDevice.auditEvents.edges.length, 30, 'thirty records');
    assert.deepEqual(
      harness.running.simulators.CISCO_CONTROL_CENTER!.calls.map((c) => ({ pageNumber: c.query.pageNumber, pageSize: c.query.pageSize })),
      [{ pageNumber: '2', pageSize: '44' }],
    );
  });

  it('Control Center: last: 7 reads the 137 records in three pages of 50', async () => {
    harness.clearCalls();
    const d = await data(LISTS[0]!.query('last: 7'));
    assert.equal(d.cellularDevice.auditEvents.edges.length, 7, 'seven records');
    assert.deepEqual(d.cellularDevice.auditEvents.pageInfo.hasPreviousPage, true);
    assert.deepEqual(
      sortedCalls(harness.running.simulators.CISCO_CONTROL_CENTER!.calls.map((c) => ({ pageNumber: c.query.pageNumber!, pageSize: c.query.pageSize! }))),
      sortedCalls([1, 2, 3].map((n) => ({ pageNumber: String(n), pageSize: '50' }))),
    );
  });
});

describe('the same data asked for through aliases', () => {
  const aliases = (count: number, field: (index: number) => string) =>
    Array.from({ length: count }, (_, index) => `a${index}: ${field(index)}`).join('\n');

  it('10 × cellularDevice.auditEvents(first: 10) costs the one call of one', async () => {
    harness.clearCalls();
    const d = await data(`{ ${aliases(10, () => `cellularDevice(iccid: "${cc}") { auditEvents(first: 10) { edges { cursor node { id occurredAt } } } }`)} }`);
    assert.equal(Object.keys(d).length, 10, 'ten aliases answered');
    for (const value of Object.values<any>(d)) assert.deepEqual(value, d.a0, 'every alias has the same page');
    assert.equal(harness.calls('CISCO_CONTROL_CENTER'), 1, 'one Control Center call');
    assert.equal(harness.totalCalls(), 1, 'no other call');
  });

  it('10 aliases on each of the five vendors cost one call per vendor', async () => {
    const fields = [
      `cellularDevice(iccid: "${cc}") { auditEvents(first: 10) { edges { node { id } } } }`,
      `kobilUser(userName: "${kobilUser}") { activity(first: 10) { edges { node { id } } } }`,
      `policyExecution(policyId: "${automoxExecution.policyId}", executionToken: "${automoxExecution.executionToken}") { deviceResults(first: 10) { edges { node { id } } } }`,
      `certificateSubject(subjectId: "${naverSubject}") { authentications(first: 10) { edges { node { id } } } }`,
      `androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") { certificateReport(historyId: "${report.historyId}") { totalReports certificates(first: 10) { edges { node { id } } } } }`,
    ];
    harness.clearCalls();
    const query = `{ ${Array.from({ length: 50 }, (_, index) => `a${index}: ${fields[index % 5]}`).join('\n')} }`;
    const d = await data(query);
    assert.equal(Object.keys(d).length, 50, 'fifty aliases answered');
    for (const vendor of ['CISCO_CONTROL_CENTER', 'KOBIL', 'AUTOMOX', 'NAVER_CLOUD', 'APPLIVERY'] as const) {
      assert.equal(harness.calls(vendor), 1, `one ${vendor} call`);
    }
  });

  it('10 × node(id) of one record costs the calls of one node(id)', async () => {
    const ids = {
      controlCenter: (await data(LISTS[0]!.query('first: 4'))).cellularDevice.auditEvents.edges[3].node.id,
      kobil: (await data(LISTS[1]!.query('first: 4'))).kobilUser.activity.edges[3].node.id,
      naver: (await data(LISTS[3]!.query('first: 4'))).certificateSubject.authentications.edges[3].node.id,
    };
    for (const [name, id] of Object.entries(ids)) {
      const node = `node(id: ${JSON.stringify(id)}) { id ... on AuditEvent { occurredAt action } }`;
      harness.clearCalls();
      const one = await data(`{ ${node} }`);
      const callsOfOne = harness.totalCalls();
      assert.equal(one.node.id, id, `${name}: node(id) finds the record`);
      assert.ok(callsOfOne >= 1, `${name}: node(id) calls the vendor`);
      harness.clearCalls();
      const ten = await data(`{ ${aliases(10, () => node)} }`);
      for (const value of Object.values<any>(ten)) assert.deepEqual(value, one.node, `${name}: every alias has the record`);
      assert.equal(harness.totalCalls(), callsOfOne, `${name}: ten aliases make the ${callsOfOne} call(s) of one`);
    }
  });

  it('10 × nodes([id]) and node(id) of the same record share their calls', async () => {
    const id = (await data(LISTS[1]!.query('first: 2'))).kobilUser.activity.edges[1].node.id;
    harness.clearCalls();
    const d = await data(`{ one: node(id: ${JSON.stringify(id)}) { id } ${aliases(10, () => `nodes(ids: [${JSON.stringify(id)}, ${JSON.stringify(id)}]) { id }`)} }`);
    assert.equal(d.one.id, id, 'node(id) finds the record');
    assert.equal(harness.calls('KOBIL'), 1, 'one KOBIL call');
  });
});

// ---------------------------------------------------------------------------------------------
// The merged timeline.

const timelineSources = {
  iccid: CONTROL_CENTER_FIXTURES.iccidWith50Records,
  kobilUserName: KOBIL_FIXTURES.userWith53Logs,
  certificateSubjectId: NAVER_CLOUD_FIXTURES.subjectIdWith23Activities,
  execution: AUTOMOX_FIXTURES.executionWith12Results,
};

/** Events of the merged ground truth: id, time and which source (index) and position it came from. */
interface TruthEvent {
  id: string;
  occurredAt: number;
  source: number;
  position: number;
}

/** Reads each source in full through the vendor clients and merges: newest first, ties by source then position. */
async function mergedGroundTruth(): Promise<TruthEvent[]> {
  const { clients } = harness;
  const events: TruthEvent[] = [];

  // Source 0: Control Center, default 30 days of history.
  for (let pageNumber = 1, position = 0; ; pageNumber++) {
    const page = await clients.controlCenter.getAuditTrails(timelineSources.iccid, { pageNumber, pageSize: 50, daysOfHistory: 30 });
    for (const record of page.records) {
      events.push({ id: DEVICE_FIELD_CHANGE_ID.encode({ iccid: timelineSources.iccid, daysOfHistory: 30, position, key: record.key }), occurredAt: +record.effectiveDate, source: 0, position });
      position++;
    }
    if (page.lastPage) break;
  }
  // Source 1: KOBIL.
  for (let offset = 0; ; offset += 100) {
    const page = await clients.kobil.getUserLogs(timelineSources.kobilUserName, { offset, limit: 100 });
    page.items.forEach((item, index) =>
      events.push({ id: USER_ACTIVITY_ID.encode({ userName: timelineSources.kobilUserName, position: offset + index, key: item.key }), occurredAt: +item.logDate, source: 1, position: offset + index }),
    );
    if (!page.moreResultsAvailable) break;
  }
  // Source 2: NAVER Cloud.
  {
    const page = await clients.naverCloud.getCredentials(timelineSources.certificateSubjectId, { page: 0, size: 100 });
    assert.ok(page.totalElements <= 100, 'one NAVER page holds the subject');
    page.content.forEach((activity, position) =>
      events.push({
        id: CERTIFICATE_AUTHENTICATION_ID.encode({ subjectId: timelineSources.certificateSubjectId, position, key: activity.key }),
        occurredAt: +activity.seenTime,
        source: 2,
        position,
      }),
    );
  }
  // Source 3: Automox, in the organization the server defaults to, newest run first.
  {
    const { policyId, executionToken } = timelineSources.execution;
    const execution = { policyId, executionToken, organizationId: AUTOMOX_FIXTURES.organizationId };
    const page = await clients.automox.getDeviceResults({ ...execution, page: 0, limit: 100, sort: DEFAULT_DEVICE_RESULTS_SORT });
    const query = { statuses: [], deviceName: null, sort: DEFAULT_DEVICE_RESULTS_SORT };
    page.results.forEach((result, position) =>
      events.push({ id: toPolicyDeviceResult(execution, query, result, position).id, occurredAt: +result.runTime, source: 3, position }),
    );
  }
  return events.sort((a, b) => b.occurredAt - a.occurredAt || a.source - b.source || a.position - b.position);
}

describe('timeline', () => {
  const sources = [
    { iccid: timelineSources.iccid },
    { kobilUserName: timelineSources.kobilUserName },
    { certificateSubjectId: timelineSources.certificateSubjectId },
    // No organizationId: the server's default organization.
    { policyExecution: { policyId: timelineSources.execution.policyId, executionToken: timelineSources.execution.executionToken } },
  ];
  const TIMELINE = `query ($sources: [TimelineSource!]!, $first: Int, $after: String, $last: Int, $before: String) {
    timeline(sources: $sources, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { __typename id vendor occurredAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

  it('the first page makes exactly one call per source', async () => {
    harness.clearCalls();
    const d = await data(TIMELINE, { sources, first: 10 });
    assert.equal(d.timeline.edges.length, 10, 'ten events');
    assert.equal(d.timeline.pageInfo.hasNextPage, true, 'more follow');
    assert.equal(d.timeline.pageInfo.hasPreviousPage, false, 'first page');
    for (const vendor of ['CISCO_CONTROL_CENTER', 'KOBIL', 'NAVER_CLOUD', 'AUTOMOX'] as const) {
      assert.equal(harness.calls(vendor), 1, `one ${vendor} call`);
    }
    assert.equal(harness.calls('APPLIVERY'), 0, 'Applivery is no source');
    // The Automox call went to the default organization.
    assert.equal(harness.running.simulators.AUTOMOX!.calls[0]!.query.org, AUTOMOX_FIXTURES.organizationId);
  });

  it('pages with first: 10 to the end: newest first, every event exactly once, as the merged ground truth', async () => {
    const truth = await mergedGroundTruth();
    const expectedTotal =
      CONTROL_CENTER_FIXTURES.recordsWithinDefault30Days.iccidWith50Records +
      KOBIL_FIXTURES.logCounts[timelineSources.kobilUserName] +
      23 +
      timelineSources.execution.resultCount;
    assert.equal(truth.length, expectedTotal, 'ground truth holds every source’s records');

    const seen: Array<{ id: string; occurredAt: string; typename: string }> = [];
    let afterCursor: string | undefined;
    let pages = 0;
    for (;;) {
      const d = await data(TIMELINE, { sources, first: 10, ...(afterCursor ? { after: afterCursor } : {}) });
      const page = d.timeline;
      pages++;
      assert.ok(pages <= Math.ceil(expectedTotal / 10) + 1, 'paging ends');
      assert.equal(page.pageInfo.hasPreviousPage, afterCursor !== undefined, 'hasPreviousPage after a cursor');
      if (page.pageInfo.hasNextPage) assert.equal(page.edges.length, 10, 'a full page before the last');
      for (const edge of page.edges) seen.push({ id: edge.node.id, occurredAt: edge.node.occurredAt, typename: edge.node.__typename });
      if (page.edges.length > 0) assert.equal(page.pageInfo.endCursor, page.edges.at(-1).cursor, 'endCursor is the last edge’s');
      if (!page.pageInfo.hasNextPage) break;
      afterCursor = page.pageInfo.endCursor;
    }
    assert.equal(pages, Math.ceil(expectedTotal / 10), `${pages} pages of 10 for ${expectedTotal} events`);

    // Newest first.
    for (let index = 1; index < seen.length; index++) {
      assert.ok(Date.parse(seen[index - 1]!.occurredAt) >= Date.parse(seen[index]!.occurredAt), `event ${index} is not newer than event ${index - 1}`);
    }
    // No duplicates.
    assert.equal(new Set(seen.map((event) => event.id)).size, seen.length, 'no event twice');
    // No gaps, and ties in the documented order: exactly the ground truth, in its order.
    assert.deepEqual(
      seen.map((event) => event.id),
      truth.map((event) => event.id),
      'the pages concatenated are the merged ground truth',
    );
    const typenames = new Set(seen.map((event) => event.typename));
    assert.deepEqual([...typenames].sort(), ['CertificateAuthentication', 'DeviceFieldChange', 'PolicyDeviceResult', 'UserActivity']);
  });

  it('pages with last: 10 back to the newest: the merged ground truth, each event once, with the cursors of the forward walk', async () => {
    const truth = await mergedGroundTruth();
    const walk = async (direction: 'forward' | 'backward') => {
      const pages: any[] = [];
      let cursor: string | null = null;
      for (let index = 0; index <= Math.ceil(truth.length / 10); index++) {
        const args: Record<string, unknown> = direction === 'forward' ? { first: 10, after: cursor } : { last: 10, before: cursor };
        const page: any = (await data(TIMELINE, { sources, ...args })).timeline;
        pages.push(page);
        const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
        if (!more) break;
        cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
      }
      return pages;
    };
    const forward = (await walk('forward')).flatMap((page) => page.edges);
    const backwardPages = await walk('backward');
    assert.equal(backwardPages.length, Math.ceil(truth.length / 10), `${backwardPages.length} pages of 10 for ${truth.length} events`);
    backwardPages.forEach((page, index) => {
      const last = index === backwardPages.length - 1;
      if (!last) assert.equal(page.edges.length, 10, `backward page ${index}: a full page before the last`);
      assert.equal(page.pageInfo.hasNextPage, index > 0, `backward page ${index}: hasNextPage after a cursor`);
      assert.equal(page.pageInfo.hasPreviousPage, !last, `backward page ${index}: hasPreviousPage`);
      assert.equal(page.totalCount, null, `backward page ${index}: no total (Control Center and KOBIL report none)`);
    });
    const backward = [...backwardPages].reverse().flatMap((page) => page.edges);
    assert.deepEqual(
      backward.map((edge: any) => edge.node.id),
      truth.map((event) => event.id),
      'the backward pages, newest first, are the merged ground truth',
    );
    assert.deepEqual(
      backward.map((edge: any) => edge.cursor),
      forward.map((edge: any) => edge.cursor),
      'every event has the same cursor in both walks',
    );
    // A cursor from the forward walk pages back to the events before it.
    const middle = 57;
    const beforeMiddle = (await data(TIMELINE, { sources, last: 10, before: forward[middle].cursor })).timeline;
    assert.deepEqual(
      beforeMiddle.edges.map((edge: any) => edge.node.id),
      truth.slice(middle - 10, middle).map((event) => event.id),
      'last: 10 before event 57 is events 47 to 56',
    );
  });

  it('first: 100 is the merged ground truth’s first 100 events', async () => {
    const truth = await mergedGroundTruth();
    const d = await data(TIMELINE, { sources, first: 100 });
    assert.deepEqual(
      d.timeline.edges.map((edge: any) => edge.node.id),
      truth.slice(0, 100).map((event) => event.id),
      'first: 100 is the ground truth’s first 100',
    );
  });

  it('refuses a source with zero or two fields set (@oneOf) with BAD_USER_INPUT and no vendor call', async () => {
    const cases: Array<[string, string, Record<string, unknown> | undefined]> = [
      ['two fields, variables', TIMELINE, { sources: [{ iccid: timelineSources.iccid, kobilUserName: timelineSources.kobilUserName }] }],
      ['zero fields, variables', TIMELINE, { sources: [{}] }],
      ['one null field, variables', TIMELINE, { sources: [{ iccid: null }] }],
      ['two fields, literal', `{ timeline(sources: [{ iccid: "${timelineSources.iccid}", kobilUserName: "${timelineSources.kobilUserName}" }]) { edges { cursor } } }`, undefined],
      ['zero fields, literal', '{ timeline(sources: [{}]) { edges { cursor } } }', undefined],
      ['one null field, literal', '{ timeline(sources: [{ iccid: null }]) { edges { cursor } } }', undefined],
    ];
    for (const [name, query, variables] of cases) {
      harness.clearCalls();
      const response = await harness.query(query, variables);
      assert.ok(response.errors && response.errors.length > 0, `${name}: an error`);
      assert.equal(response.errors[0]!.extensions?.code, 'BAD_USER_INPUT', `${name}: ${JSON.stringify(response.errors)}`);
      assert.equal(harness.totalCalls(), 0, `${name}: no vendor call`);
    }
  });
});
