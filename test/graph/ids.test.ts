/**
 * Global-ID codecs: each vendor source declares its IDs' layout once, and encodes and reads with
 * it. The IDs are byte for byte those devicegraph has always issued (the positional layouts
 * below), every codec reads back what it wrote, and parts of the wrong kind are not read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_ID, fromGlobalId, toGlobalId, type IdCodec, type IdPart } from '../../src/graph/ids.js';
import { APPLIVERY_CERTIFICATE_ID, CERTIFICATE_REPORT_ID } from '../../src/graph/sources/applivery.js';
import { POLICY_DEVICE_RESULT_ID, POLICY_EXECUTION_ID } from '../../src/graph/sources/automox.js';
import { DEVICE_FIELD_CHANGE_ID } from '../../src/graph/sources/control-center.js';
import { KOBIL_CERTIFICATE_ID, KOBIL_USER_ID, USER_ACTIVITY_ID } from '../../src/graph/sources/kobil.js';
import { CERTIFICATE_AUTHENTICATION_ID, CERTIFICATE_SUBJECT_ID, NAVER_CERTIFICATE_ID } from '../../src/graph/sources/naver-cloud.js';

interface Case<V> {
  codec: IdCodec<V>;
  value: V;
  /** The parts in the order IDs have always carried them. */
  parts: IdPart[];
}

const ref = { organizationId: '64b7f0c2a1d4e5f6a7b8c9d0', emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e1', historyId: '6710a2b3c4d5e6f708192b37' };
const [ORG, POLICY, TOKEN] = ['3fa85f64-5717-4562-b3fc-2c963f66afa6', '56c0ba07-69f2-4f7c-b0a1-2bb0ed68578e', '10af9475-fd20-4189-bb9c-e1c707ff2670'];
const SUBJECT = 'c2dea79b-3f4e-4a51-9b0c-c162618da17d';
const execution = { organizationId: ORG, policyId: POLICY, executionToken: TOKEN };

const CASES: Array<Case<any>> = [
  { codec: DEVICE_ID, value: { vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: '89011704278930000137', organizationId: null }, parts: ['CISCO_CONTROL_CENTER', '89011704278930000137', null] },
  { codec: DEVICE_ID, value: { vendor: 'APPLIVERY', vendorDeviceId: ref.emmDeviceId, organizationId: ref.organizationId }, parts: ['APPLIVERY', ref.emmDeviceId, ref.organizationId] },
  { codec: CERTIFICATE_REPORT_ID, value: ref, parts: [ref.organizationId, ref.emmDeviceId, ref.historyId] },
  { codec: APPLIVERY_CERTIFICATE_ID, value: { vendor: 'APPLIVERY', ...ref, key: 'cert-1' }, parts: ['APPLIVERY', ref.organizationId, ref.emmDeviceId, ref.historyId, 'cert-1'] },
  { codec: DEVICE_FIELD_CHANGE_ID, value: { iccid: '89011704278930000137', daysOfHistory: 30, position: 44, key: 'k' }, parts: ['89011704278930000137', 30, 44, 'k'] },
  { codec: KOBIL_USER_ID, value: { userName: 'sony' }, parts: ['sony'] },
  { codec: USER_ACTIVITY_ID, value: { userName: 'sony', position: 3, key: 'k' }, parts: ['sony', 3, 'k'] },
  { codec: KOBIL_CERTIFICATE_ID, value: { vendor: 'KOBIL', issuer: null, serialNumber: '0A1B' }, parts: ['KOBIL', null, '0A1B'] },
  { codec: KOBIL_CERTIFICATE_ID, value: { vendor: 'KOBIL', issuer: 'CN=KOBIL CA', serialNumber: '0A1B' }, parts: ['KOBIL', 'CN=KOBIL CA', '0A1B'] },
  { codec: POLICY_EXECUTION_ID, value: { policyId: POLICY, executionToken: TOKEN, organizationId: ORG }, parts: [POLICY, TOKEN, ORG] },
  {
    codec: POLICY_DEVICE_RESULT_ID,
    value: { ...execution, statuses: ['APPLIED', 'FAILED'], deviceName: 'laptop', sort: 'run_time:desc', position: 7, key: 'r' },
    parts: [ORG, POLICY, TOKEN, 'APPLIED,FAILED', 'laptop', 'run_time:desc', 7, 'r'],
  },
  {
    codec: POLICY_DEVICE_RESULT_ID,
    value: { ...execution, statuses: [], deviceName: null, sort: 'run_time:desc', position: 0, key: 'r' },
    parts: [ORG, POLICY, TOKEN, '', null, 'run_time:desc', 0, 'r'],
  },
  { codec: CERTIFICATE_SUBJECT_ID, value: { subjectId: SUBJECT }, parts: [SUBJECT] },
  { codec: CERTIFICATE_AUTHENTICATION_ID, value: { subjectId: SUBJECT, position: 2, key: 'k' }, parts: [SUBJECT, 2, 'k'] },
  { codec: NAVER_CERTIFICATE_ID, value: { vendor: 'NAVER_CLOUD', subjectId: SUBJECT, position: 2, key: 'k' }, parts: ['NAVER_CLOUD', SUBJECT, 2, 'k'] },
];

describe('global-ID codecs', () => {
  it('encode byte for byte the IDs devicegraph has always issued', () => {
    for (const { codec, value, parts } of CASES) assert.equal(codec.encode(value), toGlobalId(codec.type, ...parts), `${codec.type} ${JSON.stringify(parts)}`);
  });

  it('read back what they wrote', () => {
    for (const { codec, value } of CASES) {
      const { type, parts } = fromGlobalId(codec.encode(value));
      assert.equal(type, codec.type);
      assert.deepEqual(codec.read(parts), value, `${codec.type} ${JSON.stringify(value)}`);
    }
  });

  it('do not read parts of the wrong kind or number: a missing part, a text for a position, a negative position, an unknown word', () => {
    const read = <V>(codec: IdCodec<V>, parts: IdPart[]) => codec.read(parts);
    assert.equal(read(DEVICE_FIELD_CHANGE_ID, ['89011704278930000137', 30, 44]), undefined, 'the key is missing');
    assert.equal(read(DEVICE_FIELD_CHANGE_ID, ['89011704278930000137', 30, '44', 'k']), undefined, 'a position as text');
    assert.equal(read(USER_ACTIVITY_ID, ['sony', -1, 'k']), undefined, 'a negative position');
    assert.equal(read(DEVICE_ID, ['NOT_A_VENDOR', 'x', null]), undefined, 'an unknown vendor');
    assert.equal(read(POLICY_DEVICE_RESULT_ID, [ORG, POLICY, TOKEN, 'APPLIED,BOGUS', null, 's', 0, 'r']), undefined, 'an unknown status');
    assert.equal(read(POLICY_EXECUTION_ID, [POLICY, 'not-a-uuid', ORG]), undefined, 'a vendor identifier its argument would refuse');
    assert.equal(read(DEVICE_FIELD_CHANGE_ID, ['12345', 30, 0, 'k']), undefined, 'an ICCID that is none');
    assert.equal(read(DEVICE_FIELD_CHANGE_ID, ['89011704278930000137', 366, 0, 'k']), undefined, 'more days of history than Control Center keeps');
    assert.equal(read(NAVER_CERTIFICATE_ID, ['KOBIL', null, '0A1B']), undefined, 'another vendor’s certificate');
    assert.equal(read(KOBIL_CERTIFICATE_ID, ['KOBIL', 7, '0A1B']), undefined, 'an issuer that is neither text nor null');
  });
});
