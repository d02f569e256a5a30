/**
 * Paging over real HTTP while the vendor's list grows at its head between any two vendor calls:
 * GraphQL → devicegraph → a vendor simulator inserting 1, 3 or 10 records after every request,
 * for each paging style a vendor list has. Vendor calls are counted from the simulator's request
 * log, without the vendor cache, so every call the engine makes reaches the vendor.
 *
 * Each describe pages over simulators of its own, and each test turns the inserts off again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { DEVICE_RESULTS_PAGING } from '../../src/vendors/automox/contract.js';
import { AUDIT_TRAILS_PAGING } from '../../src/vendors/control-center/contract.js';
import { USER_LOGS_PAGING } from '../../src/vendors/kobil/contract.js';
import { SUBJECT_CREDENTIALS_PAGING } from '../../src/vendors/naver-cloud/contract.js';
import type { EndpointPaging } from '../../src/vendors/paging.js';
import { AUTOMOX_FIXTURES } from '../../src/simulators/automox/simulator.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import type { VendorName } from '../../src/vendors/vendor.js';
import { callsToTheEnd } from '../support/fake-list.js';
import { startGraphHarness, type GraphHarness } from '../support/graph-harness.js';

/** What tells two records of one list apart, whatever position they had when read. */
const RECORD = /* GraphQL */ `
  occurredAt action actor
  ... on DeviceFieldChange { field value }
  ... on UserActivity { details device { vendorDeviceId } }
  ... on PolicyDeviceResult { device { vendorDeviceId } }
  ... on CertificateAuthentication { certificate { serialNumber } }
`;
const CONNECTION = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${RECORD} } }`;
const PAGING = 'first: $first, after: $after, last: $last, before: $before';

interface Page {
  records: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface ListCase {
  style: string;
  vendor: VendorName;
  paging: EndpointPaging;
  query: string;
  variables: Record<string, unknown>;
  pick(data: any): any;
}

/** The connection `field` of the root field `root`, whose arguments are `args` (name → GraphQL type and value). */
function listCase(
  style: string,
  vendor: VendorName,
  paging: EndpointPaging,
  [root, field]: [string, string],
  args: Record<string, [type: string, value: unknown]>,
): ListCase {
  const names = Object.keys(args);
  return {
    style,
    vendor,
    paging,
    query: `query($first: Int, $after: String, $last: Int, $before: String, ${names.map((name) => `$${name}: ${args[name]![0]}`).join(', ')}) {
      ${root}(${names.map((name) => `${name}: $${name}`).join(', ')}) { ${field}(${PAGING}) { ${CONNECTION} } } }`,
    variables: Object.fromEntries(names.map((name) => [name, args[name]![1]])),
    pick: (data) => data[root][field],
  };
}

const AX = AUTOMOX_FIXTURES.executionWith137Results;

/** One vendor list of each paging style its contract declares (no vendor list pages by offset with a total). */
const CASES: ListCase[] = [
  listCase('page numbers, no total (Control Center audit trail)', 'CISCO_CONTROL_CENTER', AUDIT_TRAILS_PAGING, ['cellularDevice', 'auditEvents'], {
    iccid: ['String!', CONTROL_CENTER_FIXTURES.iccidWith137Records],
  }),
  listCase('page numbers with a total (NAVER Cloud authentications)', 'NAVER_CLOUD', SUBJECT_CREDENTIALS_PAGING, ['certificateSubject', 'authentications'], {
    subjectId: ['String!', NAVER_CLOUD_FIXTURES.subjectIdWith120Activities],
  }),
  listCase('page numbers with a total, 5000-record pages (Automox device results)', 'AUTOMOX', DEVICE_RESULTS_PAGING, ['policyExecution', 'deviceResults'], {
    policyId: ['UUID!', AX.policyId],
    executionToken: ['UUID!', AX.executionToken],
    organizationId: ['UUID', AX.organizationId],
  }),
  listCase('offset and limit, no total (KOBIL activity log)', 'KOBIL', USER_LOGS_PAGING, ['kobilUser', 'activity'], {
    userName: ['String!', KOBIL_FIXTURES.userWith53Logs],
  }),
];

const FIRST = 10;
/** How many vendor calls a page of `first` records may cost while records arrive. */
const MAX_CALLS_PER_PAGE = 2;

async function page(on: GraphHarness, c: ListCase, args: Record<string, unknown>): Promise<Page> {
  const response = await on.query(c.query, { ...c.variables, first: null, after: null, last: null, before: null, ...args });
  assert.equal(response.errors, undefined, `${c.style}: no errors (${JSON.stringify(response.errors)})`);
  const connection = c.pick(response.data);
  return { ...connection.pageInfo, records: connection.edges.map((edge: { node: unknown }) => JSON.stringify(edge.node)) };
}

/** The whole list as the graph reads it while nothing moves (paging.test.ts checks that against the vendor). */
async function wholeList(on: GraphHarness, c: ListCase): Promise<string[]> {
  const records: string[] = [];
  for (let after: string | null = null; ; ) {
    const next = await page(on, c, { first: 100, after });
    records.push(...next.records);
    if (!next.hasNextPage) return records;
    after = next.endCursor;
  }
}

/**
 * Walks the list one way, counting the vendor calls of every page: forward to its end, backward
 * until the page holding `head` (at 10 new records per call and `last: 10` the head grows as fast
 * as a backward walk nears it).
 */
async function walk(on: GraphHarness, c: ListCase, direction: 'forward' | 'backward', head: string): Promise<Array<Page & { calls: number }>> {
  const pages: Array<Page & { calls: number }> = [];
  for (let cursor: string | null = null; ; ) {
    assert.ok(pages.length < 100, `${c.style}: the ${direction} walk ends`);
    const before = on.calls(c.vendor);
    const next = await page(on, c, direction === 'forward' ? { first: FIRST, after: cursor } : { last: FIRST, before: cursor });
    pages.push({ ...next, calls: on.calls(c.vendor) - before });
    if (direction === 'forward' ? !next.hasNextPage : !next.hasPreviousPage || next.records.includes(head)) return pages;
    cursor = direction === 'forward' ? next.endCursor : next.startCursor;
  }
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

for (const c of CASES) {
  describe(`${c.style}: first/last: ${FIRST} while the vendor inserts at its head`, () => {
    let own: GraphHarness;
    before(async () => {
      own = await startGraphHarness();
    });
    after(async () => {
      await own?.close();
    });

    for (const direction of ['forward', 'backward'] as const) {
      for (const recordsPerCall of [0, 1, 3, 10]) {
        it(`${direction}, ${recordsPerCall} new records per vendor call`, async (t: TestContext) => {
          const original = await wholeList(own, c);
          const simulator = own.running.simulators[c.vendor]!;
          let pages: Awaited<ReturnType<typeof walk>>;
          Object.assign(simulator.knobs, { insertEveryRequests: recordsPerCall > 0 ? 1 : 0, recordsPerInsert: Math.max(1, recordsPerCall) });
          try {
            pages = await walk(own, c, direction, original[0]!);
          } finally {
            Object.assign(simulator.knobs, { insertEveryRequests: 0, recordsPerInsert: 1 });
          }
          const calls = pages.map((p) => p.calls);
          t.diagnostic(`${original.length} records at the start; vendor calls per page: ${calls.join(' ')}`);
          const now = await wholeList(own, c);
          const inserted = new Set(now.slice(0, now.length - original.length));
          assert.equal(inserted.size, now.length - original.length, 'the records inserted meanwhile are distinct');
          if (recordsPerCall > 0) assert.ok(inserted.size >= recordsPerCall * (calls.reduce((sum, count) => sum + count, 0) - 1), 'the vendor inserted between calls');

          const seen = (direction === 'forward' ? pages : [...pages].reverse()).flatMap((p) => p.records);
          assert.deepEqual(duplicates(seen), [], 'no record twice');
          const old = new Set(original);
          assert.deepEqual(
            seen.filter((record) => old.has(record)),
            original,
            'every record of the list as it was at the start exactly once, in order: each cursor found wherever inserts pushed it',
          );
          assert.deepEqual(seen.filter((record) => !old.has(record) && !inserted.has(record)), [], 'nothing but those and records inserted meanwhile');
          pages.forEach((p, index) => {
            const more = direction === 'forward' ? p.hasNextPage : p.hasPreviousPage;
            if (more) assert.equal(p.records.length, FIRST, `page ${index + 1} of ${pages.length} is full`);
          });

          // A backward walk's first page learns the list's length: from the first answer's
          // total, else by reading to the end. Every other page: one call when nothing moves.
          const [firstPage, ...later] = calls;
          const learnLength = direction === 'backward' && !c.paging.reportsTotal;
          if (learnLength) assert.ok(firstPage! <= callsToTheEnd(c.paging, original.length, recordsPerCall), `first page: ${firstPage} calls`);
          else assert.ok(firstPage! <= (direction === 'backward' ? 2 : 1), `first page: ${firstPage} calls`);
          if (recordsPerCall === 0) assert.ok(later.every((count) => count === 1), `one vendor call per page when nothing moves: ${calls.join(' ')}`);
          else assert.ok(Math.max(...later) <= MAX_CALLS_PER_PAGE, `at most ${MAX_CALLS_PER_PAGE} vendor calls per page: ${calls.join(' ')}`);
        });
      }
    }
  });
}
