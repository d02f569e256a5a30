/**
 * The cost model as a pure unit, without HTTP: the vendor calls an operation may make, counted
 * before it runs — connection pages as planned, timeline sources × their pages, the batched reads
 * of the IDs of `node`, `nodes` and `_entities`, aliases each — beside the records it may return.
 * The clients behind the context are never called (their vendor is an unused loopback port).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { MAX_VENDOR_CALLS, measureOperation } from '../../src/graph/checks/operation-limits.js';
import { encodeCursor } from '../../src/graph/connections/cursor.js';
import { createGraphContext } from '../../src/graph/context.js';
import { DEVICE_ID } from '../../src/graph/ids.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';
import { APPLIVERY_CERTIFICATE_ID, CERTIFICATE_REPORT_ID } from '../../src/graph/sources/applivery.js';
import { POLICY_DEVICE_RESULT_ID } from '../../src/graph/sources/automox.js';
import { DEVICE_FIELD_CHANGE_ID } from '../../src/graph/sources/control-center.js';
import { USER_ACTIVITY_ID } from '../../src/graph/sources/kobil.js';
import { NAVER_CERTIFICATE_ID } from '../../src/graph/sources/naver-cloud.js';
import { unusedVendorClients } from '../support/unused-clients.js';

const clients = unusedVendorClients();
const ORG = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const context = createGraphContext(clients, ORG);
const schema = buildDeviceGraphSchema();

after(async () => {
  await clients.close();
});

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  assert.equal(coerced.errors, undefined, 'variables coerce');
  return measureOperation(schema, operation, fragments, coerced.coerced!, context);
}

const ICCID = '89011704278930000137';
const KOBIL_USER = 'sony';
const SUBJECT = 'c2dea79b-3f4e-4a51-9b0c-c162618da17d';
const POLICY = '56c0ba07-69f2-4f7c-b0a1-2bb0ed68578e';
const TOKEN = '10af9475-fd20-4189-bb9c-e1c707ff2670';
const iccids = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `8901170427893${String(from + index).padStart(7, '0')}`);
const auditEvents = (args: string) => `{ cellularDevice(iccid: "${ICCID}") { auditEvents${args ? `(${args})` : ''} { totalCount } } }`;
const changeId = (position: number, iccid = ICCID) => DEVICE_FIELD_CHANGE_ID.encode({ iccid, daysOfHistory: 30, position, key: `k${position}` });
const cursorAt = (offset: number) => encodeCursor('any', [{ offset, key: `k${offset}`, total: null }]);

describe('vendor calls: connection pages as the engine plans them', () => {
  const cases: Array<[string, string, number]> = [
    ['first: 7 (one page of 7)', 'first: 7', 1],
    ['first: 100 (two pages of 50)', 'first: 100', 2],
    ['first: 0 (one look-ahead call)', 'first: 0', 1],
    ['the default page (20)', '', 1],
    ['first: 30 after record 44 (one page of 38 covers [44, 75))', `first: 30, after: "${cursorAt(44)}"`, 1],
    ['first: 100 after record 44 (three pages cover [44, 145))', `first: 100, after: "${cursorAt(44)}"`, 3],
    ['last: 20 before record 120', `last: 20, before: "${cursorAt(120)}"`, 1],
    ['last: 1 (one call for the length, one for the window)', 'last: 1', 2],
  ];
  for (const [name, args, calls] of cases) {
    it(`Control Center auditEvents(${name}) → ${calls}`, () => {
      assert.equal(measure(auditEvents(args)).vendorCalls, calls);
    });
  }

  it('each vendor list by its own paging: KOBIL 100 in one call, Automox 100 in one, NAVER 100 in one', () => {
    assert.equal(measure(`{ kobilUser(userName: "${KOBIL_USER}") { activity(first: 100) { totalCount } } }`).vendorCalls, 1);
    assert.equal(measure(`{ policyExecution(policyId: "${POLICY}", executionToken: "${TOKEN}") { deviceResults(first: 100) { totalCount } } }`).vendorCalls, 1);
    assert.equal(measure(`{ certificateSubject(subjectId: "${SUBJECT}") { authentications(first: 100) { totalCount } } }`).vendorCalls, 1);
  });

  it('root fields that only name an object cost no call; a certificate report costs one, and its certificates none more', () => {
    assert.equal(measure(`{ cellularDevice(iccid: "${ICCID}") { id } kobilUser(userName: "${KOBIL_USER}") { id } }`).vendorCalls, 0);
    const report = `androidDevice(organizationId: "64b7f0c2a1d4e5f6a7b8c9d0", emmDeviceId: "66a1f3c9e2b4d5a6b7c8d9e1") { certificateReport(historyId: "6710a2b3c4d5e6f708192b37") { certificates(first: 100) { totalCount } } }`;
    assert.equal(measure(`{ ${report} }`).vendorCalls, 1);
  });

  it('aliases count one by one, even of the same page (the DataLoader shares calls, the model does not count on it)', () => {
    const aliases = Array.from({ length: 3 }, (_, index) => `a${index}: kobilUser(userName: "${KOBIL_USER}") { activity(first: 10) { totalCount } }`);
    assert.equal(measure(`{ ${aliases.join(' ')} }`).vendorCalls, 3);
  });

  it('a connection nested in a connection counts once per record of the outer page', () => {
    const { vendorCalls, cost } = measure(
      `{ timeline(sources: [{ iccid: "${ICCID}" }], first: 100) { nodes { device { auditEvents(first: 99) { totalCount } } } } }`,
    );
    assert.equal(cost, 100 + 100 * 99);
    assert.equal(vendorCalls, 2 + 100 * 2, 'the timeline’s two pages, then two pages for each of 100 devices');
  });

  it('fragments and variables are followed', () => {
    const query = `query ($n: Int) { cellularDevice(iccid: "${ICCID}") { ...Trail } } fragment Trail on Device { auditEvents(first: $n) { totalCount } }`;
    assert.equal(measure(query, { n: 100 }).vendorCalls, 2);
  });
});

describe('vendor calls: timeline sources × their pages', () => {
  it('four sources of four vendors, first: 10: one call each', () => {
    const sources = `[{ iccid: "${ICCID}" }, { kobilUserName: "${KOBIL_USER}" }, { certificateSubjectId: "${SUBJECT}" }, { policyExecution: { policyId: "${POLICY}", executionToken: "${TOKEN}" } }]`;
    assert.equal(measure(`{ timeline(sources: ${sources}, first: 10) { totalCount } }`).vendorCalls, 4);
  });

  it('ten Control Center sources, first: 100: two pages each', () => {
    const sources = iccids(10).map((iccid) => ({ iccid }));
    assert.equal(measure('query ($s: [TimelineSource!]!) { timeline(sources: $s, first: 100) { totalCount } }', { s: sources }).vendorCalls, 20);
  });

  it('each source from its own cursor position', () => {
    const after = encodeCursor('any', [{ offset: 44, key: 'k', total: null }, null]);
    const query = `{ timeline(sources: [{ iccid: "${ICCID}" }, { kobilUserName: "${KOBIL_USER}" }], first: 100, after: "${after}") { totalCount } }`;
    assert.equal(measure(query).vendorCalls, 3 + 1, 'Control Center [44, 145) in three pages, KOBIL [0, 100) in one');
  });

  it('backward: last: 20 reads each source from its end (one call for the length, one for the window)', () => {
    const query = `{ timeline(sources: [{ iccid: "${ICCID}" }, { kobilUserName: "${KOBIL_USER}" }], last: 20) { totalCount } }`;
    assert.equal(measure(query).vendorCalls, 2 + 2);
  });

  it('the fan-out attack: 1,000 aliases × 10 ICCIDs is over the budget, though it asks for only 1,000 records', () => {
    const aliases = Array.from({ length: 1_000 }, (_, alias) => {
      const sources = iccids(10, alias * 10).map((iccid) => `{ iccid: "${iccid}" }`);
      return `t${alias}: timeline(sources: [${sources.join(', ')}], first: 1) { nodes { id } }`;
    });
    const { cost, vendorCalls } = measure(`{ ${aliases.join('\n')} }`);
    assert.equal(cost, 1_000, 'within the record limit');
    assert.ok(vendorCalls > MAX_VENDOR_CALLS, `over the vendor-call budget: ${vendorCalls}`);
    assert.ok(vendorCalls <= MAX_VENDOR_CALLS + 10, `counting stopped soon after the budget: ${vendorCalls}`);
  });
});

describe('vendor calls: IDs of node, nodes and _entities, read in batches', () => {
  const nodes = (ids: string[]) => measure('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }).vendorCalls;

  it('100 records of one Control Center list at positions 0..99: the two calls of first: 100', () => {
    assert.equal(nodes(Array.from({ length: 100 }, (_, position) => changeId(position))), 2);
  });

  it('records of different lists are read apart; far-apart records of one list too', () => {
    assert.equal(nodes([changeId(0), changeId(1), changeId(0, iccids(1)[0])]), 2, 'two lists, one call each');
    assert.equal(nodes([changeId(0), changeId(5_000)]), 2, 'one list, far apart');
    const activities = Array.from({ length: 53 }, (_, position) => USER_ACTIVITY_ID.encode({ userName: KOBIL_USER, position, key: `k${position}` }));
    assert.equal(nodes(activities), 1, 'KOBIL: one call of 53');
  });

  it('repeated IDs count once; objects held whole by their ID cost nothing; a report costs one', () => {
    assert.equal(nodes([changeId(3), changeId(3), changeId(3)]), 1);
    const device = DEVICE_ID.encode({ vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: ICCID, organizationId: null });
    const report = CERTIFICATE_REPORT_ID.encode({ organizationId: '64b7f0c2a1d4e5f6a7b8c9d0', emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e1', historyId: '6710a2b3c4d5e6f708192b37' });
    assert.equal(nodes([device, report]), 1);
  });

  it('`node` aliases each count; a forged Automox record ID counts one call', () => {
    const result = POLICY_DEVICE_RESULT_ID.encode({
      organizationId: ORG,
      policyId: POLICY,
      executionToken: TOKEN,
      statuses: [],
      deviceName: null,
      sort: 'run_time:desc',
      position: 7,
      key: 'k',
    });
    assert.equal(measure(`{ a: node(id: "${result}") { id } b: node(id: "${result}") { id } }`).vendorCalls, 2);
  });

  it('_entities: certificates of one report or one NAVER list in one call each; a Device costs nothing; an ID of another type is not resolved', () => {
    const ref = { organizationId: '64b7f0c2a1d4e5f6a7b8c9d0', emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e1', historyId: '6710a2b3c4d5e6f708192b37' };
    const representations = [
      ...Array.from({ length: 137 }, (_, index) => ({ __typename: 'Certificate', id: APPLIVERY_CERTIFICATE_ID.encode({ vendor: 'APPLIVERY', ...ref, key: `c${index}` }) })),
      ...Array.from({ length: 100 }, (_, position) => ({
        __typename: 'Certificate',
        id: NAVER_CERTIFICATE_ID.encode({ vendor: 'NAVER_CLOUD', subjectId: SUBJECT, position, key: `k${position}` }),
      })),
      { __typename: 'Device', id: DEVICE_ID.encode({ vendor: 'KOBIL', vendorDeviceId: 'd1', organizationId: null }) },
      // A Device's key holding a Control Center record's ID: resolves to null, with no call.
      ...Array.from({ length: 600 }, (_, position) => ({ __typename: 'Device', id: changeId(position * 1_000) })),
    ];
    const { vendorCalls, cost } = measure('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: representations });
    assert.equal(vendorCalls, 2);
    assert.equal(cost, representations.length, 'one record per representation');
  });
});
