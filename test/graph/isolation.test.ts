/**
 * A failure costs only its own fields (README, "Operating it"): every pair of root fields, asked in
 * one operation while one vendor fails for good (its simulator answers every call with a 500),
 * for every vendor. A root field that needs no call to that vendor has exactly the data it has
 * without the fault; one that does loses only the part that needed the vendor — the root field
 * itself where its answer is that vendor's (a device whose audit trail failed), the entry of
 * `nodes`, the certificate report of an Android device — and `timeline` keeps the merge of its
 * other sources, with an error naming the failed one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';
import { VENDORS, type VendorName } from '../../src/vendors/vendor.js';
import { execution, iccid, kobilUser, report, subject } from '../support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';

let harness: GraphHarness;

/** The timeline's sources, one per vendor that has events, in this order. */
const TIMELINE_VENDORS: VendorName[] = ['CISCO_CONTROL_CENTER', 'KOBIL', 'NAVER_CLOUD', 'AUTOMOX'];
const TIMELINE_SOURCES: Record<string, string> = {
  CISCO_CONTROL_CENTER: `{ iccid: "${iccid}" }`,
  KOBIL: `{ kobilUserName: "${kobilUser}" }`,
  NAVER_CLOUD: `{ certificateSubjectId: "${subject}" }`,
  AUTOMOX: `{ policyExecution: { policyId: "${execution.policyId}", executionToken: "${execution.executionToken}" } }`,
};
const TIMELINE_PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id vendor occurredAt } }';
const timeline = (vendors: VendorName[]) => `timeline(sources: [${vendors.map((vendor) => TIMELINE_SOURCES[vendor]).join(', ')}], first: 12) { ${TIMELINE_PAGE} }`;

/** Record IDs for `node` and `nodes`, read from a healthy graph in `before`. */
const ids = { ccEvent: '', kobilEvent: '', naverCertificate: '', appliveryCertificate: '' };

/** How one root field is asked, which vendors it calls, and what a failure of one of them leaves of it. */
interface RootField {
  vendors: VendorName[];
  selection(): string;
  /** Checks the field's data while `vendor` (one of `vendors`) fails, against its data without the fault. */
  whileFailing(actual: any, healthy: any, vendor: VendorName, errors: Array<NonNullable<GraphQLResponse['errors']>[number]>): void;
}

const nullItself: RootField['whileFailing'] = (actual) => assert.equal(actual, null, 'the field is null');

const ROOTS: Record<string, RootField> = {
  cellularDevice: {
    vendors: ['CISCO_CONTROL_CENTER'],
    selection: () => `cellularDevice(iccid: "${iccid}") { id vendorDeviceId auditEvents(first: 3) { edges { cursor node { id occurredAt } } } }`,
    whileFailing: nullItself,
  },
  androidDevice: {
    vendors: ['APPLIVERY'],
    selection: () =>
      `androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") {
        id vendorDeviceId certificateReport(historyId: "${report.historyId}") { totalReports certificates(first: 3) { edges { cursor node { id commonName } } } }
      }`,
    whileFailing(actual, healthy) {
      assert.deepEqual(actual, { ...healthy, certificateReport: null }, 'the device is there, its certificate report null');
    },
  },
  kobilUser: {
    vendors: ['KOBIL'],
    selection: () => `kobilUser(userName: "${kobilUser}") { id userName activity(first: 3) { edges { cursor node { id } } } }`,
    whileFailing: nullItself,
  },
  policyExecution: {
    vendors: ['AUTOMOX'],
    selection: () =>
      `policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}") { id deviceResults(first: 3) { totalCount edges { cursor node { id } } } }`,
    whileFailing: nullItself,
  },
  certificateSubject: {
    vendors: ['NAVER_CLOUD'],
    selection: () =>
      `certificateSubject(subjectId: "${subject}") { id authentications(first: 3) { totalCount edges { cursor node { id ... on CertificateAuthentication { certificate { x509 { sha256Fingerprint } } } } } } }`,
    whileFailing: nullItself,
  },
  node: {
    vendors: ['CISCO_CONTROL_CENTER'],
    selection: () => `node(id: "${ids.ccEvent}") { id ... on DeviceFieldChange { field value occurredAt } }`,
    whileFailing: nullItself,
  },
  nodes: {
    vendors: ['KOBIL', 'NAVER_CLOUD', 'APPLIVERY'],
    selection: () =>
      `nodes(ids: ["${ids.kobilEvent}", "${ids.naverCertificate}", "${ids.appliveryCertificate}"]) {
        id ... on UserActivity { actionCode } ... on Certificate { vendor commonName serialNumber }
      }`,
    whileFailing(actual, healthy, vendor) {
      const failing = ['KOBIL', 'NAVER_CLOUD', 'APPLIVERY'].indexOf(vendor);
      assert.deepEqual(
        actual,
        healthy.map((entry: unknown, index: number) => (index === failing ? null : entry)),
        `only the ${vendor} entry is null`,
      );
    },
  },
  timeline: {
    vendors: TIMELINE_VENDORS,
    selection: () => timeline(TIMELINE_VENDORS),
    whileFailing(actual, _healthy, vendor, errors) {
      const others = othersTimeline.get(vendor)!;
      assert.deepEqual(
        actual.edges.map((edge: any) => edge.node),
        others.edges.map((edge: any) => edge.node),
        `the events are the timeline of the other sources`,
      );
      assert.deepEqual(actual.pageInfo.hasNextPage, others.pageInfo.hasNextPage, 'hasNextPage speaks of the other sources');
      assert.equal(actual.totalCount, null, 'no total while a source failed');
      assert.deepEqual(
        errors.map((error) => error.extensions?.sourceIndex),
        [TIMELINE_VENDORS.indexOf(vendor)],
        'one error, naming the failed source by its index',
      );
    },
  },
};

/** Each root field's data without any fault, asked alone. */
const healthy = new Map<string, unknown>();
/** The timeline of the sources other than one vendor's, by that vendor. */
const othersTimeline = new Map<VendorName, any>();

async function data(query: string): Promise<any> {
  const response = await harness.query(query);
  assert.equal(response.errors, undefined, `no errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

before(async () => {
  harness = await startGraphHarness({ callPolicy: SINGLE_ATTEMPT.policy });
  const known = await data(`{
    cc: cellularDevice(iccid: "${iccid}") { auditEvents(first: 1) { nodes { id } } }
    kobil: kobilUser(userName: "${kobilUser}") { activity(first: 1) { nodes { id } } }
    naver: certificateSubject(subjectId: "${subject}") { authentications(first: 1) { nodes { ... on CertificateAuthentication { certificate { id } } } } }
    android: androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") {
      certificateReport(historyId: "${report.historyId}") { certificates(first: 1) { nodes { id } } }
    }
  }`);
  ids.ccEvent = known.cc.auditEvents.nodes[0].id;
  ids.kobilEvent = known.kobil.activity.nodes[0].id;
  ids.naverCertificate = known.naver.authentications.nodes[0].certificate.id;
  ids.appliveryCertificate = known.android.certificateReport.certificates.nodes[0].id;
  for (const [name, root] of Object.entries(ROOTS)) healthy.set(name, (await data(`{ field: ${root.selection()} }`)).field);
  for (const vendor of TIMELINE_VENDORS) {
    othersTimeline.set(vendor, (await data(`{ field: ${timeline(TIMELINE_VENDORS.filter((other) => other !== vendor))} }`)).field);
  }
});

after(async () => {
  await harness?.close();
});

const NAMES = Object.keys(ROOTS);
const PAIRS = NAMES.flatMap((a, index) => NAMES.slice(index + 1).map((b) => [a, b] as const));

describe('every pair of root fields while one vendor fails for good', () => {
  it('covers every root field of the schema', () => {
    const roots = Object.keys(buildDeviceGraphSchema().getQueryType()!.getFields()).filter((name) => !name.startsWith('_'));
    assert.deepEqual([...roots].sort(), [...NAMES].sort(), 'one case per root field');
  });

  for (const vendor of VENDORS) {
    it(`${vendor} failing: each of the ${PAIRS.length} pairs keeps what does not need ${vendor}`, async () => {
      const simulator = harness.running.simulators[vendor]!;
      simulator.setFault({ kind: 'server-error' });
      try {
        for (const [a, b] of PAIRS) {
          const response = await harness.query(`{ a: ${ROOTS[a]!.selection()} b: ${ROOTS[b]!.selection()} }`);
          assert.ok(response.data, `${a} + ${b}: the response has data`);
          for (const [alias, name] of [['a', a], ['b', b]] as const) {
            const root = ROOTS[name]!;
            const errors = (response.errors ?? []).filter((error) => error.path?.[0] === alias);
            const label = `${a} + ${b}, ${name} while ${vendor} fails`;
            if (!root.vendors.includes(vendor)) {
              assert.deepEqual(response.data[alias], healthy.get(name), `${label}: the same data as without the fault`);
              assert.deepEqual(errors, [], `${label}: no error`);
              continue;
            }
            assert.ok(errors.length > 0, `${label}: an error on the field`);
            for (const error of errors) {
              assert.equal(error.extensions?.code, 'VENDOR_UNAVAILABLE', `${label}: ${JSON.stringify(error)}`);
              assert.equal(error.extensions?.vendor, vendor, `${label}: extensions.vendor`);
            }
            root.whileFailing(response.data[alias], healthy.get(name), vendor, errors);
          }
          assert.equal(
            (response.errors ?? []).filter((error) => error.path?.[0] !== 'a' && error.path?.[0] !== 'b').length,
            0,
            `${a} + ${b}: every error is on a field`,
          );
        }
      } finally {
        simulator.setFault(null);
      }
    });
  }
});
