import { VendorNotFoundError } from '../vendors/http/errors.js';
import { androidDevice, reportCertificatesSource, toAppliveryCertificate, toCertificateReport } from './sources/applivery.js';
import { deviceResultsSource, toPolicyDeviceResult } from './sources/automox.js';
import { auditTrailSource, cellularDevice, toDeviceFieldChange } from './sources/control-center.js';
import { activitySource, kobilCertificate, toUserActivity } from './sources/kobil.js';
import { authenticationsSource, toCertificateAuthentication, toNaverCertificate } from './sources/naver-cloud.js';
import { VENDORS } from '../vendors/vendor.js';
import { findListItem } from './connections/connection.js';
import type { ListSource } from './connections/list-reader.js';
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
  const { type, parts } = fromGlobalId(id);
  const text = (index: number): string => {
    const part = parts[index];
    if (typeof part !== 'string') throw badUserInput('`id` is not a devicegraph ID.', 'id');
    return part;
  };
  const count = (index: number): number => {
    const part = parts[index];
    if (typeof part !== 'number' || part < 0) throw badUserInput('`id` is not a devicegraph ID.', 'id');
    return part;
  };
  const optionalText = (index: number): string | null => (parts[index] === null ? null : text(index));

  switch (type) {
    case 'Device': {
      const vendor = VENDORS.find((name) => name === parts[0]);
      if (!vendor) throw badUserInput('`id` is not a devicegraph ID.', 'id');
      if (vendor === 'CISCO_CONTROL_CENTER') return { __typename: 'Device', ...cellularDevice(text(1)) };
      if (vendor === 'APPLIVERY') return { __typename: 'Device', ...androidDevice(text(2), text(1)) };
      return { __typename: 'Device', vendor, vendorDeviceId: text(1), displayName: null, organizationId: null };
    }
    case 'CertificateReport': {
      const ref = { organizationId: text(0), emmDeviceId: text(1), historyId: text(2) };
      const report = await orNull(loaders.certificateReport.load(ref));
      return report && { __typename: 'CertificateReport', ...toCertificateReport(ref, report) };
    }
    case 'Certificate': {
      if (parts[0] === 'KOBIL') return { __typename: 'Certificate', ...kobilCertificate(optionalText(1), text(2)) };
      if (parts[0] === 'APPLIVERY') {
        const ref = { organizationId: text(1), emmDeviceId: text(2), historyId: text(3) };
        const found = await listItem(reportCertificatesSource(loaders, ref, null), 0, text(4));
        return found && { __typename: 'Certificate', ...toAppliveryCertificate(ref, found.item) };
      }
      if (parts[0] === 'NAVER_CLOUD') {
        const subjectId = text(1);
        const found = await listItem(authenticationsSource(loaders, subjectId), count(2), text(3));
        return found && { __typename: 'Certificate', ...toNaverCertificate(subjectId, found.item, found.position) };
      }
      throw badUserInput('`id` is not a devicegraph ID.', 'id');
    }
    case 'KobilUser':
      return { __typename: 'KobilUser', userName: text(0) };
    case 'PolicyExecution':
      return { __typename: 'PolicyExecution', policyId: text(0), executionToken: text(1), organizationId: text(2) };
    case 'CertificateSubject':
      return { __typename: 'CertificateSubject', subjectId: text(0) };
    case 'DeviceFieldChange': {
      const [iccid, days] = [text(0), count(1)];
      const found = await listItem(auditTrailSource(loaders, iccid, days), count(2), text(3));
      return found && toDeviceFieldChange(iccid, days, found.item, found.position);
    }
    case 'UserActivity': {
      const userName = text(0);
      const found = await listItem(activitySource(loaders, userName), count(1), text(2));
      return found && toUserActivity(userName, found.item, found.position);
    }
    case 'PolicyDeviceResult': {
      const execution = { organizationId: text(0), policyId: text(1), executionToken: text(2) };
      const statuses = text(3) === '' ? [] : (text(3).split(',') as PolicyResultStatusName[]);
      const query = { statuses, deviceName: optionalText(4), sort: text(5) };
      const found = await listItem(deviceResultsSource(loaders, execution, query), count(6), text(7));
      return found && toPolicyDeviceResult(execution, query, found.item, found.position);
    }
    case 'CertificateAuthentication': {
      const subjectId = text(0);
      const found = await listItem(authenticationsSource(loaders, subjectId), count(1), text(2));
      return found && toCertificateAuthentication(subjectId, found.item, found.position);
    }
  }
}

/** A list record by position and key; `null` when the list or the record is gone. */
function listItem<T>(source: ListSource<T>, offset: number, key: string) {
  return orNull(findListItem(source, offset, key));
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
