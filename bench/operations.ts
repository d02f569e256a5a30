/**
 * The fixed benchmark suite: six realistic operations, each with its GraphQL text, the fewest
 * vendor calls it can be served with, and the longest chain of vendor calls it must make one
 * after another (its critical path).
 *
 * The minimums are derived from the page-planning rules (`planCalls`, the same pure function the
 * engine plans with) over each vendor's paging as its contract.ts declares it, never from what the engine
 * happens to do: a page of `first: n` at positions `[start, start + n)` needs at least
 * `planCalls(style, start, start + n).length` calls. None of the pages below needs a further call
 * for `hasNextPage`: every vendor's answer already says whether records follow (Control Center
 * `lastPage`, KOBIL `moreResultsAvailable`, Automox `total_count`, NAVER `totalElements`).
 */
import { planCalls } from '../src/graph/connections/page-plan.js';
import type { PagingStyle } from '../src/vendors/paging.js';
import { DEVICE_ID } from '../src/graph/ids.js';
import { cellularDevice } from '../src/graph/sources/control-center.js';
import { APPLIVERY_FIXTURES } from '../src/simulators/applivery/simulator.js';
import { DEVICE_RESULTS_PAGING } from '../src/vendors/automox/contract.js';
import { AUTOMOX_FIXTURES } from '../src/simulators/automox/simulator.js';
import { AUDIT_TRAILS_PAGING } from '../src/vendors/control-center/contract.js';
import { CONTROL_CENTER_FIXTURES } from '../src/simulators/control-center/simulator.js';
import { USER_LOGS_PAGING } from '../src/vendors/kobil/contract.js';
import { KOBIL_FIXTURES } from '../src/simulators/kobil/simulator.js';
import { SUBJECT_CREDENTIALS_PAGING } from '../src/vendors/naver-cloud/contract.js';
import { NAVER_CLOUD_FIXTURES } from '../src/simulators/naver-cloud/simulator.js';
import type { VendorName } from '../src/vendors/vendor.js';

/** One GraphQL request as sent: the body autocannon repeats. */
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

export interface GraphQLResponse {
  data?: any;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** What an operation's `prepare` may ask of the running graph (e.g. to walk to a cursor). */
export type GraphClient = (request: GraphQLRequest) => Promise<GraphQLResponse>;

export interface BenchOperation {
  /** Short name for the table. */
  name: string;
  /** What it stands for. */
  description: string;
  /** Builds the measured request; may query the graph first (cursors, ids). Vendor calls made here are not counted. */
  prepare(graph: GraphClient): Promise<GraphQLRequest>;
  /** Throws unless `response` is the full, error-free answer the operation should get. */
  check(response: GraphQLResponse): void;
  /** The fewest vendor calls the measured request can be served with, per vendor. */
  minimumCalls: Partial<Record<VendorName, number>>;
  /** How many vendor calls must run one after another (each waits for the one before). */
  criticalPathDepth: number;
}

// ---------------------------------------------------------------------------------------------
// Minimums.

/** The fewest calls that return list positions `[start, start + count)`. */
function callsForWindow(style: PagingStyle, start: number, count: number): number {
  return planCalls(style, start, start + count).length;
}

/** Adds per-vendor call counts. */
function sum(...parts: Array<Partial<Record<VendorName, number>>>): Partial<Record<VendorName, number>> {
  const total: Partial<Record<VendorName, number>> = {};
  for (const part of parts) {
    for (const [vendor, calls] of Object.entries(part) as Array<[VendorName, number]>) total[vendor] = (total[vendor] ?? 0) + calls;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Fixtures and shared selections.

export const PAGE = 20;
const AUTOMOX_EXECUTION = AUTOMOX_FIXTURES.executionWith1300Results;
const POLICY_EXECUTION_ARGS = `policyId: "${AUTOMOX_EXECUTION.policyId}", executionToken: "${AUTOMOX_EXECUTION.executionToken}"`;

const AUDIT_EVENT_FIELDS = `
  __typename id vendor occurredAt action actor
  device { id vendor vendorDeviceId displayName }
  certificate { id serialNumber issuer }`;

const POLICY_RESULT_FIELDS = `
  ${AUDIT_EVENT_FIELDS}
  ... on PolicyDeviceResult { resultStatus resultReason patches exitCode policyName policyType eventTime }`;

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** Deep-pagination depth: the measured request is page 10 of `first: 20`. */
const DEEP_PAGE = 10;

/** The filtered Automox page of operations 5 and 6. */
const FILTERED_DEVICE_RESULTS = `deviceResults(first: ${PAGE}, status: [APPLIED, FAILED], deviceName: "win", orderBy: { field: DEVICE_NAME, direction: ASC }) {
      totalCount
      ${PAGE_INFO}
      edges { cursor node { ${POLICY_RESULT_FIELDS} } }
    }`;

const ALIASES = 10;

// ---------------------------------------------------------------------------------------------
// Checks.

function fail(message: string): never {
  throw new Error(message);
}

function noErrors(response: GraphQLResponse): any {
  if (response.errors?.length) fail(`GraphQL errors: ${JSON.stringify(response.errors).slice(0, 500)}`);
  if (!response.data) fail('no data');
  return response.data;
}

function checkPage(connection: any, where: string, expected: number, hasNextPage: boolean): void {
  const edges = connection?.edges ?? connection?.nodes;
  if (!Array.isArray(edges) || edges.length !== expected) fail(`${where}: expected ${expected} records, got ${edges?.length}`);
  if (connection.pageInfo && connection.pageInfo.hasNextPage !== hasNextPage) fail(`${where}: expected hasNextPage ${hasNextPage}`);
}

// ---------------------------------------------------------------------------------------------
// The suite.

/**
 * 1. A device's audit trail page: the first 20 changes of a Control Center device with 137.
 *
 * Minimum: Control Center pages by number, ≤ 50 a page; positions [0, 20) are page 1 of size 20:
 * `planCalls(AUDIT_TRAILS_PAGING, 0, 20)` = 1 call, whose `lastPage: false` gives hasNextPage.
 * Critical path: 1 (one call, nothing to look up first).
 */
export const auditTrailPage: BenchOperation = {
  name: 'audit trail page',
  description: `cellularDevice(${CONTROL_CENTER_FIXTURES.iccidWith137Records}).auditEvents(first: ${PAGE}) — Control Center, 137 records`,
  async prepare() {
    return {
      query: `query AuditTrailPage($iccid: String!) {
  cellularDevice(iccid: $iccid) {
    id vendor vendorDeviceId
    auditEvents(first: ${PAGE}) {
      totalCount
      ${PAGE_INFO}
      edges { cursor node { ${AUDIT_EVENT_FIELDS} ... on DeviceFieldChange { field priorValue value status delegatedUser ipAddress } } }
    }
  }
}`,
      variables: { iccid: CONTROL_CENTER_FIXTURES.iccidWith137Records },
    };
  },
  check(response) {
    checkPage(noErrors(response).cellularDevice?.auditEvents, 'auditEvents', PAGE, true);
  },
  minimumCalls: { CISCO_CONTROL_CENTER: callsForWindow(AUDIT_TRAILS_PAGING, 0, PAGE) },
  criticalPathDepth: 1,
};

/**
 * 2. Deep pagination: page 10 of `first: 20` through the 1,300 device results of an Automox
 * execution. `prepare` walks pages 1–9 by `endCursor`; only the 10th request is measured.
 *
 * Minimum: the page is positions [180, 200); Automox pages by number with any `limit` ≤ 5000,
 * so `planCalls(DEVICE_RESULTS_PAGING, 180, 200)` = 1 call (page 9 of limit 20), whose `total_count`
 * gives hasNextPage. (Checking that the cursor's record, position 179, is still where the cursor
 * says fits in one call too — page 7 of limit 25 covers [175, 200) — so it costs nothing extra.)
 * Critical path: 1 — the cursor carries the position, so no call has to find it first.
 */
const deepPagination: BenchOperation = {
  name: 'deep pagination (page 10)',
  description: `policyExecution(${AUTOMOX_EXECUTION.resultCount} results).deviceResults(first: ${PAGE}, after: <end of page ${DEEP_PAGE - 1}>) — Automox`,
  async prepare(graph) {
    const query = `query DeepPage($after: String) {
  policyExecution(${POLICY_EXECUTION_ARGS}) {
    deviceResults(first: ${PAGE}, after: $after) {
      totalCount
      ${PAGE_INFO}
      edges { cursor node { ${POLICY_RESULT_FIELDS} } }
    }
  }
}`;
    let after: string | null = null;
    for (let page = 1; page < DEEP_PAGE; page++) {
      const data = noErrors(await graph({ query, variables: { after } }));
      after = data.policyExecution.deviceResults.pageInfo.endCursor as string;
    }
    return { query, variables: { after } };
  },
  check(response) {
    const connection = noErrors(response).policyExecution?.deviceResults;
    checkPage(connection, 'deviceResults', PAGE, true);
    if (connection.totalCount !== AUTOMOX_EXECUTION.resultCount) fail(`totalCount ${connection.totalCount}`);
  },
  minimumCalls: { AUTOMOX: callsForWindow(DEVICE_RESULTS_PAGING, (DEEP_PAGE - 1) * PAGE, PAGE) },
  criticalPathDepth: 1,
};

/** The five timeline sources: two Control Center devices, a KOBIL user, a NAVER subject, an Automox run. */
const TIMELINE_SOURCES = [
  { iccid: CONTROL_CENTER_FIXTURES.iccidWith137Records },
  { kobilUserName: KOBIL_FIXTURES.userWith53Logs },
  { certificateSubjectId: NAVER_CLOUD_FIXTURES.subjectIdWith120Activities },
  { policyExecution: { policyId: AUTOMOX_EXECUTION.policyId, executionToken: AUTOMOX_EXECUTION.executionToken } },
  { iccid: CONTROL_CENTER_FIXTURES.iccidWith50Records },
];

/**
 * 3. A timeline over 5 sources: the newest 20 events merged across two Control Center devices
 * (137 and 50 records), a KOBIL user (53), a NAVER subject (120) and an Automox run (1,300).
 *
 * Minimum: any one source may hold all 20 newest events, so each must be read up to position 20,
 * and each source's [0, 20) is one call: `planCalls(style, 0, 20)` = 1 for every style (Control
 * Center page 1 of size 20, KOBIL offset 0 limit 20, NAVER page 0 of size 20, Automox page 0 of
 * limit 20) — 5 calls, each of whose flags or totals tell whether the source goes on.
 * Critical path: 1 — the five sources are independent and can all be read at once.
 */
const timeline: BenchOperation = {
  name: 'timeline, 5 sources',
  description: 'timeline(sources: 2 Control Center devices, KOBIL user, NAVER subject, Automox run; first: 20)',
  async prepare() {
    return {
      query: `query Timeline($sources: [TimelineSource!]!) {
  timeline(sources: $sources, first: ${PAGE}) {
    totalCount
    ${PAGE_INFO}
    edges { cursor node { ${AUDIT_EVENT_FIELDS} } }
  }
}`,
      variables: { sources: TIMELINE_SOURCES },
    };
  },
  check(response) {
    checkPage(noErrors(response).timeline, 'timeline', PAGE, true);
  },
  minimumCalls: sum(
    { CISCO_CONTROL_CENTER: callsForWindow(AUDIT_TRAILS_PAGING, 0, PAGE) },
    { KOBIL: callsForWindow(USER_LOGS_PAGING, 0, PAGE) },
    { NAVER_CLOUD: callsForWindow(SUBJECT_CREDENTIALS_PAGING, 0, PAGE) },
    { AUTOMOX: callsForWindow(DEVICE_RESULTS_PAGING, 0, PAGE) },
    { CISCO_CONTROL_CENTER: callsForWindow(AUDIT_TRAILS_PAGING, 0, PAGE) },
  ),
  criticalPathDepth: 1,
};

/** Audit events shown per device in the `nodes` operation. */
const NODES_AUDIT_PAGE = 5;
const CONTROL_CENTER_DEVICES = [
  CONTROL_CENTER_FIXTURES.iccidWith137Records,
  CONTROL_CENTER_FIXTURES.iccidWithNoRecords,
  CONTROL_CENTER_FIXTURES.iccidWith50Records,
  CONTROL_CENTER_FIXTURES.iccidWith51Records,
  CONTROL_CENTER_FIXTURES.iccidSpreadOver400Days,
];
const APPLIVERY_DEVICES = [
  APPLIVERY_FIXTURES.historyWith137Certificates,
  APPLIVERY_FIXTURES.historyWith3Certificates,
  APPLIVERY_FIXTURES.historyWith45Certificates,
  APPLIVERY_FIXTURES.deviceWithoutHistory,
];
const KOBIL_DEVICE_COUNT = 5;
const AUTOMOX_DEVICE_COUNT = 20 - CONTROL_CENTER_DEVICES.length - APPLIVERY_DEVICES.length - KOBIL_DEVICE_COUNT;

/**
 * 4. A 20-device cross-vendor `nodes` query, as a fleet dashboard refetches its rows: 5 Control
 * Center devices, 4 Applivery devices, 5 KOBIL devices and 6 Automox devices (KOBIL and Automox
 * device ids are read from the graph in `prepare`), each with its last 5 audit events.
 *
 * Minimum: a Device's global id carries the vendor's device id, so resolving the 20 devices costs
 * no call; `auditEvents` is filled for Control Center devices only (an empty connection elsewhere,
 * no call). Each of the 5 Control Center devices needs positions [0, 5):
 * `planCalls(AUDIT_TRAILS_PAGING, 0, 5)` = 1 call each (page 1 of size 5) — 5 calls.
 * Critical path: 1 — the five audit trails are independent.
 */
const nodes20: BenchOperation = {
  name: 'nodes, 20 devices',
  description: `nodes(ids: 20 devices of 4 vendors) { ... on Device { auditEvents(first: ${NODES_AUDIT_PAGE}) } }`,
  async prepare(graph) {
    const ids: string[] = [];
    for (const iccid of CONTROL_CENTER_DEVICES) ids.push(DEVICE_ID.encode(cellularDevice(iccid)));
    for (const device of APPLIVERY_DEVICES) {
      const data = noErrors(
        await graph({
          query: 'query($o: String!, $d: String!) { androidDevice(organizationId: $o, emmDeviceId: $d) { id } }',
          variables: { o: device.organizationId, d: device.emmDeviceId },
        }),
      );
      ids.push(data.androidDevice.id as string);
    }
    const devicesOf = async (query: string, pick: (data: any) => any[], count: number) => {
      const found = new Set<string>();
      for (const node of pick(noErrors(await graph({ query })))) if (node.device?.id) found.add(node.device.id as string);
      if (found.size < count) fail(`found ${found.size} devices, need ${count}`);
      return [...found].slice(0, count);
    };
    const kobilUsers = [KOBIL_FIXTURES.userWith200Logs, KOBIL_FIXTURES.userWith53Logs, KOBIL_FIXTURES.userWith7Logs];
    ids.push(
      ...(await devicesOf(
        `{ ${kobilUsers.map((user, index) => `u${index}: kobilUser(userName: ${JSON.stringify(user)}) { activity(first: 100) { nodes { device { id } } } }`).join(' ')} }`,
        (data) => Object.values(data).flatMap((user: any) => user.activity.nodes),
        KOBIL_DEVICE_COUNT,
      )),
    );
    ids.push(
      ...(await devicesOf(
        `{ policyExecution(${POLICY_EXECUTION_ARGS}) { deviceResults(first: 50) { nodes { device { id } } } } }`,
        (data) => data.policyExecution.deviceResults.nodes,
        AUTOMOX_DEVICE_COUNT,
      )),
    );
    return {
      query: `query Devices($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Device {
      vendor vendorDeviceId displayName
      auditEvents(first: ${NODES_AUDIT_PAGE}) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id occurredAt action actor }
      }
    }
  }
}`,
      variables: { ids },
    };
  },
  check(response) {
    const nodes = noErrors(response).nodes;
    if (!Array.isArray(nodes) || nodes.length !== 20 || nodes.some((node) => node === null)) fail('expected 20 devices');
    const vendors = new Set(nodes.map((node: any) => node.vendor));
    if (vendors.size !== 4) fail(`expected devices of 4 vendors, got ${[...vendors].join(', ')}`);
  },
  minimumCalls: { CISCO_CONTROL_CENTER: CONTROL_CENTER_DEVICES.length * callsForWindow(AUDIT_TRAILS_PAGING, 0, NODES_AUDIT_PAGE) },
  criticalPathDepth: 1,
};

/**
 * 5. An Automox execution with filters: the first 20 of the 1,300 results with status APPLIED or
 * FAILED on devices whose name contains "win", ordered by device name.
 *
 * Minimum: Automox filters and sorts server-side (`result_status:in[]`, `device_name:like`,
 * `sort`), so the filtered list is paged like any other: `planCalls(DEVICE_RESULTS_PAGING, 0, 20)` = 1
 * call (page 0 of limit 20), whose `total_count` gives totalCount and hasNextPage.
 * Critical path: 1.
 */
const automoxFiltered: BenchOperation = {
  name: 'Automox, filtered',
  description: 'policyExecution.deviceResults(first: 20, status: [APPLIED, FAILED], deviceName: "win", orderBy: DEVICE_NAME ASC)',
  async prepare() {
    return {
      query: `query FilteredResults {
  policyExecution(${POLICY_EXECUTION_ARGS}) {
    id
    ${FILTERED_DEVICE_RESULTS}
  }
}`,
    };
  },
  check(response) {
    const connection = noErrors(response).policyExecution?.deviceResults;
    checkPage(connection, 'deviceResults', PAGE, true);
  },
  minimumCalls: { AUTOMOX: callsForWindow(DEVICE_RESULTS_PAGING, 0, PAGE) },
  criticalPathDepth: 1,
};

/**
 * 6. The same filtered Automox query under 10 aliases (identical arguments), as when several
 * components of one screen each ask for the same list and the client merges their fragments.
 *
 * Minimum: all ten aliases want the same vendor page (same filters, sort, page 0, limit 20), and
 * the same vendor page requested twice in one operation is fetched once:
 * `planCalls(DEVICE_RESULTS_PAGING, 0, 20)` = 1 call for the whole operation.
 * Critical path: 1.
 */
const automoxAliases: BenchOperation = {
  name: 'Automox, filtered ×10 aliases',
  description: 'the same query with the same deviceResults page under 10 aliases',
  async prepare() {
    const aliases = Array.from({ length: ALIASES }, (_, index) => `  r${index}: policyExecution(${POLICY_EXECUTION_ARGS}) {\n    id\n    ${FILTERED_DEVICE_RESULTS}\n  }`);
    return { query: `query FilteredResultsTenTimes {\n${aliases.join('\n')}\n}` };
  },
  check(response) {
    const data = noErrors(response);
    for (let index = 0; index < ALIASES; index++) checkPage(data[`r${index}`]?.deviceResults, `r${index}.deviceResults`, PAGE, true);
  },
  minimumCalls: { AUTOMOX: callsForWindow(DEVICE_RESULTS_PAGING, 0, PAGE) },
  criticalPathDepth: 1,
};

export const OPERATIONS: readonly BenchOperation[] = [auditTrailPage, deepPagination, timeline, nodes20, automoxFiltered, automoxAliases];
