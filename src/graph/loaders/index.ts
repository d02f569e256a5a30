import type { AutomoxDeviceResultsParams } from '../../vendors/automox/client.js';
import type { VendorClients } from '../../vendors/clients.js';
import { vendorLoader } from './vendor-loader.js';

/**
 * One DataLoader per vendor endpoint, created per GraphQL request. `used` hears the cache
 * lifetime of every vendor answer the request used, so the response's own cache hint is never
 * longer than the data behind it.
 */
export function createLoaders(clients: VendorClients, used: (maxAgeSeconds: number) => void = () => {}) {
  const read = <T>(answer: Promise<T>, maxAgeSeconds: number): Promise<T> =>
    answer.then((value) => {
      used(maxAgeSeconds);
      return value;
    });
  return {
    certificateReport: vendorLoader((key: { organizationId: string; emmDeviceId: string; historyId: string }) =>
      read(clients.applivery.getCertificateReport(key.organizationId, key.emmDeviceId, key.historyId), clients.applivery.maxAgeSeconds),
    ),
    auditTrails: vendorLoader((key: { iccid: string; pageNumber: number; pageSize: number; daysOfHistory: number }) =>
      read(
        clients.controlCenter.getAuditTrails(key.iccid, { pageNumber: key.pageNumber, pageSize: key.pageSize, daysOfHistory: key.daysOfHistory }),
        clients.controlCenter.maxAgeSeconds,
      ),
    ),
    userLogs: vendorLoader((key: { userName: string; offset: number; limit: number }) =>
      read(clients.kobil.getUserLogs(key.userName, { offset: key.offset, limit: key.limit }), clients.kobil.maxAgeSeconds),
    ),
    deviceResults: vendorLoader((key: AutomoxDeviceResultsParams) => read(clients.automox.getDeviceResults(key), clients.automox.maxAgeSeconds)),
    subjectCredentials: vendorLoader((key: { subjectId: string; page: number; size: number }) =>
      read(clients.naverCloud.getCredentials(key.subjectId, { page: key.page, size: key.size }), clients.naverCloud.maxAgeSeconds),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
