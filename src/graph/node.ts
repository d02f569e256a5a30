import { VendorNotFoundError } from '../vendors/http/errors.js';
import { androidDevice, reportCertificatesSource, toAppliveryCertificate, toCertificateReport } from './sources/applivery.js';
import { deviceResultsSource, toPolicyDeviceResult } from './sources/automox.js';
import { auditTrailSource, cellularDevice, toDeviceFieldChange } from './sources/control-center.js';
import { activitySource, kobilCertificate, toUserActivity } from './sources/kobil.js';
import { authenticationsSource, toCertificateAuthentication, toNaverCertificate } from './sources/naver-cloud.js';
import { isValidObjectId, isValidOrganizationId } from '../vendors/applivery/contract.js';
import { isValidIccid } from '../vendors/control-center/client.js';
import { CONTROL_CENTER_MAX_DAYS_OF_HISTORY } from '../vendors/control-center/contract.js';
import { isValidKobilUserName } from '../vendors/kobil/client.js';
import { isValidSubjectId } from '../vendors/naver-cloud/contract.js';
import { isUuid } from '../vendors/uuid.js';
import { VENDORS } from '../vendors/vendor.js';
import { findListItem } from './connections/connection.js';
import type { ListSource } from './connections/list-reader.js';
import { holdsPosition } from './connections/page-plan.js';
import type { Loaders } from './loaders/index.js';
import { badUserInput } from './errors.js';
import { fromGlobalId } from './ids.js';
import type { NodeModel, PolicyResultStatusName } from './models.js';

/**
 * Fetches the object a global ID names, or `null` when the vendor no longer has it. IDs carry
 * the vendor identifiers (and, for list records, the list, position and key), so nothing but the
 * vendor calls the object needs is made.
 */
export async function resolveNode(id: string, loaders: Loaders): Promise<NodeModel | null> {
  return readNodeId(id, loaders)();
}

/**
 * Reads and checks a global ID without any vendor call, or throws `BAD_USER_INPUT`: every part
 * must have its type, a vendor identifier must pass the check its argument gets (an ICCID, a KOBIL
 * user name, …), and a number must be one the vendor can hold (a list position within the list's
 * `maxRecords`, days of history within Control Center's window). Returns how to fetch the
 * object; runs before execution too, so a forged ID refuses the operation before any call.
 */
export function readNodeId(id: string, loaders: Loaders, argumentName = 'id'): () => Promise<NodeModel | null> {
  const { type, parts } = fromGlobalId(id, argumentName);
  const refuse = () => badUserInput(`\`${argumentName}\` is not a devicegraph ID.`, argumentName);
  const text = (index: number): string => {
    const part = parts[index];
    if (typeof part !== 'string') throw refuse();
    return part;
  };
  const optionalText = (index: number): string | null => (parts[index] === null ? null : text(index));
  const vendorId = (index: number, isValid: (value: string) => boolean): string => {
    const value = text(index);
    if (!isValid(value)) throw refuse();
    return value;
  };
  const appliveryReport = (from: number) => ({
    organizationId: vendorId(from, isValidOrganizationId),
    emmDeviceId: vendorId(from + 1, isValidObjectId),
    historyId: vendorId(from + 2, isValidObjectId),
  });
  const days = (index: number): number => {
    const part = parts[index];
    if (typeof part !== 'number' || part < 1 || part > CONTROL_CENTER_MAX_DAYS_OF_HISTORY) throw refuse();
    return part;
  };
  /** A record of `source` by its position (within the list's bound) and key, fetched when called. */
  const listItem = <T>(source: ListSource<T>, positionIndex: number, keyIndex: number, toNode: (item: T, position: number) => NodeModel) => {
    const position = parts[positionIndex];
    if (!holdsPosition(source.paging, position)) throw refuse();
    const key = text(keyIndex);
    return async () => {
      const found = await orNull(findListItem(source, position, key));
      return found && toNode(found.item, found.position);
    };
  };
  const object = (node: NodeModel) => async () => node;

  switch (type) {
    case 'Device': {
      const vendor = VENDORS.find((name) => name === parts[0]);
      if (!vendor) throw refuse();
      if (vendor === 'CISCO_CONTROL_CENTER') return object({ __typename: 'Device', ...cellularDevice(vendorId(1, isValidIccid)) });
      if (vendor === 'APPLIVERY') {
        return object({ __typename: 'Device', ...androidDevice(vendorId(2, isValidOrganizationId), vendorId(1, isValidObjectId)) });
      }
      return object({ __typename: 'Device', vendor, vendorDeviceId: text(1), displayName: null, organizationId: null });
    }
    case 'CertificateReport': {
      const ref = appliveryReport(0);
      return async () => {
        const report = await orNull(loaders.certificateReport.load(ref));
        return report && { __typename: 'CertificateReport', ...toCertificateReport(ref, report) };
      };
    }
    case 'Certificate': {
      if (parts[0] === 'KOBIL') return object({ __typename: 'Certificate', ...kobilCertificate(optionalText(1), text(2)) });
      if (parts[0] === 'APPLIVERY') {
        const ref = appliveryReport(1);
        const source = reportCertificatesSource(loaders, ref, null);
        const key = text(4);
        return async () => {
          const found = await orNull(findListItem(source, 0, key));
          return found && { __typename: 'Certificate', ...toAppliveryCertificate(ref, found.item) };
        };
      }
      if (parts[0] === 'NAVER_CLOUD') {
        const subjectId = vendorId(1, isValidSubjectId);
        return listItem(authenticationsSource(loaders, subjectId), 2, 3, (activity, position) => ({
          __typename: 'Certificate',
          ...toNaverCertificate(subjectId, activity, position),
        }));
      }
      throw refuse();
    }
    case 'KobilUser':
      return object({ __typename: 'KobilUser', userName: vendorId(0, isValidKobilUserName) });
    case 'PolicyExecution':
      return object({
        __typename: 'PolicyExecution',
        policyId: vendorId(0, isUuid),
        executionToken: vendorId(1, isUuid),
        organizationId: vendorId(2, isUuid),
      });
    case 'CertificateSubject':
      return object({ __typename: 'CertificateSubject', subjectId: vendorId(0, isValidSubjectId) });
    case 'DeviceFieldChange': {
      const [iccid, daysOfHistory] = [vendorId(0, isValidIccid), days(1)];
      return listItem(auditTrailSource(loaders, iccid, daysOfHistory), 2, 3, (record, position) =>
        toDeviceFieldChange(iccid, daysOfHistory, record, position),
      );
    }
    case 'UserActivity': {
      const userName = vendorId(0, isValidKobilUserName);
      return listItem(activitySource(loaders, userName), 1, 2, (item, position) => toUserActivity(userName, item, position));
    }
    case 'PolicyDeviceResult': {
      const execution = { organizationId: vendorId(0, isUuid), policyId: vendorId(1, isUuid), executionToken: vendorId(2, isUuid) };
      const statuses = text(3) === '' ? [] : (text(3).split(',') as PolicyResultStatusName[]);
      const query = { statuses, deviceName: optionalText(4), sort: text(5) };
      return listItem(deviceResultsSource(loaders, execution, query), 6, 7, (result, position) =>
        toPolicyDeviceResult(execution, query, result, position),
      );
    }
    case 'CertificateAuthentication': {
      const subjectId = vendorId(0, isValidSubjectId);
      return listItem(authenticationsSource(loaders, subjectId), 1, 2, (activity, position) =>
        toCertificateAuthentication(subjectId, activity, position),
      );
    }
  }
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
