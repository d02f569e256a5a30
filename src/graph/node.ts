import { VendorNotFoundError } from '../vendors/http/errors.js';
import { isValidObjectId, isValidOrganizationId } from '../vendors/applivery/contract.js';
import { isValidIccid } from '../vendors/control-center/client.js';
import {
  androidDevice,
  APPLIVERY_CERTIFICATE_ID,
  CERTIFICATE_REPORT_ID,
  reportCertificatesSource,
  toAppliveryCertificate,
  toCertificateReport,
} from './sources/applivery.js';
import { deviceResultsSource, POLICY_DEVICE_RESULT_ID, POLICY_EXECUTION_ID, toPolicyDeviceResult } from './sources/automox.js';
import { auditTrailSource, cellularDevice, DEVICE_FIELD_CHANGE_ID, toDeviceFieldChange } from './sources/control-center.js';
import { activitySource, KOBIL_CERTIFICATE_ID, KOBIL_USER_ID, kobilCertificate, toUserActivity, USER_ACTIVITY_ID } from './sources/kobil.js';
import {
  authenticationsSource,
  CERTIFICATE_AUTHENTICATION_ID,
  CERTIFICATE_SUBJECT_ID,
  NAVER_CERTIFICATE_ID,
  toCertificateAuthentication,
  toNaverCertificate,
} from './sources/naver-cloud.js';
import { findListItems, recordWindows, type RecordRef } from './connections/connection.js';
import type { ListSource } from './connections/list-reader.js';
import { holdsPosition } from './connections/page-plan.js';
import type { Loaders } from './loaders/index.js';
import { badUserInput } from './errors.js';
import { DEVICE_ID, fromGlobalId, type IdCodec } from './ids.js';
import type { NodeModel } from './models.js';

/** What a global ID names, as read from the ID alone. */
export type NodeRef =
  /** An object the ID holds whole: no vendor call. */
  | { kind: 'object'; node: NodeModel }
  /** An object one vendor call fetches. */
  | { kind: 'fetch'; fetch: () => Promise<NodeModel> }
  /** A record of a vendor list, re-found by the position and key it had when the ID was issued. */
  | { kind: 'record'; source: ListSource<any>; record: RecordRef; toNode: (item: any, position: number) => NodeModel };

/**
 * Reads a global ID with its type's codec (src/graph/sources/<vendor>.ts), without any vendor
 * call, or throws `BAD_USER_INPUT` for one devicegraph did not issue: every part must have its
 * kind, a vendor identifier must pass the check its argument gets (an ICCID, a KOBIL user name,
 * …), and a number must be one the vendor can hold (a list position within the list's
 * `maxRecords`, days of history within Control Center's window). IDs carry the vendor
 * identifiers (and, for list records, the list, position and key), so nothing but the vendor
 * calls the object needs is made; this runs before execution too, so a forged ID refuses the
 * operation before any call.
 */
export function readNodeId(id: string, loaders: Loaders, argumentName = 'id'): NodeRef {
  const { type, parts } = fromGlobalId(id, argumentName);
  const refuse = () => badUserInput(`\`${argumentName}\` is not a devicegraph ID.`, argumentName);
  const read = <V>(codec: IdCodec<V>): V => {
    const value = codec.read(parts);
    if (value === undefined) throw refuse();
    return value;
  };
  const object = (node: NodeModel): NodeRef => ({ kind: 'object', node });
  const record = <T>(source: ListSource<T>, offset: number, key: string, toNode: (item: T, position: number) => NodeModel): NodeRef => {
    if (!holdsPosition(source.paging, offset)) throw refuse();
    return { kind: 'record', source, record: { offset, key }, toNode };
  };

  switch (type) {
    case 'Device': {
      const device = read(DEVICE_ID);
      if (device.vendor === 'CISCO_CONTROL_CENTER') {
        if (!isValidIccid(device.vendorDeviceId)) throw refuse();
        return object({ __typename: 'Device', ...cellularDevice(device.vendorDeviceId) });
      }
      if (device.vendor === 'APPLIVERY') {
        const { organizationId, vendorDeviceId } = device;
        if (organizationId === null || !isValidOrganizationId(organizationId) || !isValidObjectId(vendorDeviceId)) throw refuse();
        return object({ __typename: 'Device', ...androidDevice(organizationId, vendorDeviceId) });
      }
      return object({ __typename: 'Device', vendor: device.vendor, vendorDeviceId: device.vendorDeviceId, displayName: null, organizationId: null });
    }
    case 'CertificateReport': {
      const ref = read(CERTIFICATE_REPORT_ID);
      return { kind: 'fetch', fetch: async () => ({ __typename: 'CertificateReport', ...toCertificateReport(ref, await loaders.certificateReport.load(ref)) }) };
    }
    case 'Certificate': {
      const kobil = KOBIL_CERTIFICATE_ID.read(parts);
      if (kobil) return object({ __typename: 'Certificate', ...kobilCertificate(kobil.issuer, kobil.serialNumber) });
      const applivery = APPLIVERY_CERTIFICATE_ID.read(parts);
      if (applivery) {
        const ref = { organizationId: applivery.organizationId, emmDeviceId: applivery.emmDeviceId, historyId: applivery.historyId };
        return record(reportCertificatesSource(loaders, ref, null), 0, applivery.key, (certificate) => ({
          __typename: 'Certificate',
          ...toAppliveryCertificate(ref, certificate),
        }));
      }
      const { subjectId, position, key } = read(NAVER_CERTIFICATE_ID);
      return record(authenticationsSource(loaders, subjectId), position, key, (activity, at) => ({
        __typename: 'Certificate',
        ...toNaverCertificate(subjectId, activity, at),
      }));
    }
    case 'KobilUser':
      return object({ __typename: 'KobilUser', ...read(KOBIL_USER_ID) });
    case 'PolicyExecution':
      return object({ __typename: 'PolicyExecution', ...read(POLICY_EXECUTION_ID) });
    case 'CertificateSubject':
      return object({ __typename: 'CertificateSubject', ...read(CERTIFICATE_SUBJECT_ID) });
    case 'DeviceFieldChange': {
      const { iccid, daysOfHistory, position, key } = read(DEVICE_FIELD_CHANGE_ID);
      const source = auditTrailSource(loaders, iccid, daysOfHistory);
      return record(source, position, key, (change, at) => toDeviceFieldChange(change, at, source));
    }
    case 'UserActivity': {
      const { userName, position, key } = read(USER_ACTIVITY_ID);
      const source = activitySource(loaders, userName);
      return record(source, position, key, (item, at) => toUserActivity(item, at, source));
    }
    case 'PolicyDeviceResult': {
      const { organizationId, policyId, executionToken, statuses, deviceName, sort, position, key } = read(POLICY_DEVICE_RESULT_ID);
      const execution = { organizationId, policyId, executionToken };
      const query = { statuses, deviceName, sort };
      return record(deviceResultsSource(loaders, execution, query), position, key, (result, at) => toPolicyDeviceResult(execution, query, result, at));
    }
    case 'CertificateAuthentication': {
      const { subjectId, position, key } = read(CERTIFICATE_AUTHENTICATION_ID);
      const source = authenticationsSource(loaders, subjectId);
      return record(source, position, key, (activity, at) => toCertificateAuthentication(activity, at, source));
    }
  }
}

/**
 * Fetches the objects global IDs name: each one's model, `null` when the vendor no longer has it,
 * or the error that kept it (a bad ID, a failed vendor call). Records of one vendor list are read
 * together, in the calls a connection page over their positions makes, not one call each.
 */
export async function resolveNodes(ids: readonly string[], loaders: Loaders): Promise<Array<NodeModel | null | Error>> {
  const refs = ids.map((id) => {
    try {
      return readNodeId(id, loaders);
    } catch (error) {
      return asError(error);
    }
  });
  const results: Array<NodeModel | null | Error> = refs.map((ref) => (ref instanceof Error ? ref : ref.kind === 'object' ? ref.node : null));
  await Promise.all([
    ...refs.map(async (ref, index) => {
      if (!(ref instanceof Error) && ref.kind === 'fetch') results[index] = await orNull(ref.fetch()).catch(asError);
    }),
    ...[...recordsByList(refs)].map(async ([source, indexes]) => {
      const records = indexes.map((index) => refs[index] as Extract<NodeRef, { kind: 'record' }>);
      try {
        const found = await findListItems(source, records.map((ref) => ref.record));
        found.forEach((hit, at) => (results[indexes[at]!] = hit && records[at]!.toNode(hit.item, hit.position)));
      } catch (error) {
        const failure = error instanceof VendorNotFoundError ? null : asError(error);
        for (const index of indexes) results[index] = failure;
      }
    }),
  ]);
  return results;
}

/**
 * The vendor calls `resolveNodes` makes for these IDs when nothing moved: one per object fetched,
 * and the batched reads of each list's records. IDs that do not read cost nothing (they are refused).
 */
export function nodeCalls(ids: readonly string[], loaders: Loaders): number {
  const refs = [...new Set(ids)].flatMap((id) => {
    try {
      return [readNodeId(id, loaders)];
    } catch {
      return [];
    }
  });
  const fetches = refs.filter((ref) => ref.kind === 'fetch').length;
  let reads = 0;
  for (const [source, indexes] of recordsByList(refs)) {
    const offsets = indexes.map((index) => (refs[index] as Extract<NodeRef, { kind: 'record' }>).record.offset);
    for (const window of recordWindows(source.paging, offsets)) reads += window.calls;
  }
  return fetches + reads;
}

/** The indexes of record refs, by the list they belong to (one source object per list). */
function recordsByList(refs: ReadonlyArray<NodeRef | Error>): Map<ListSource<any>, number[]> {
  const byId = new Map<string, [ListSource<any>, number[]]>();
  refs.forEach((ref, index) => {
    if (ref instanceof Error || ref.kind !== 'record') return;
    const list = byId.get(ref.source.id);
    if (list) list[1].push(index);
    else byId.set(ref.source.id, [ref.source, [index]]);
  });
  return new Map(byId.values());
}

/** The vendor's "not found" as `null`; every other failure stays an error. */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof VendorNotFoundError) return null;
    throw error;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
