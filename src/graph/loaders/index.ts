import type { AutomoxDeviceResultsParams } from '../../vendors/automox/client.js';
import type { VendorClients } from '../../vendors/clients.js';
import { vendorLoader } from './vendor-loader.js';

/** One DataLoader per vendor endpoint, created per GraphQL request. */
export function createLoaders(clients: VendorClients) {
  return {
    certificateReport: vendorLoader((key: { organizationId: string; emmDeviceId: string; historyId: string }) =>
      clients.applivery.getCertificateReport(key.organizationId, key.emmDeviceId, key.historyId),
    ),
    auditTrails: vendorLoader((key: { iccid: string; pageNumber: number; pageSize: number; daysOfHistory: number }) =>
      clients.controlCenter.getAuditTrails(key.iccid, { pageNumber: key.pageNumber, pageSize: key.pageSize, daysOfHistory: key.daysOfHistory }),
    ),
    userLogs: vendorLoader((key: { userName: string; offset: number; limit: number }) =>
      clients.kobil.getUserLogs(key.userName, { offset: key.offset, limit: key.limit }),
    ),
    deviceResults: vendorLoader((key: AutomoxDeviceResultsParams) => clients.automox.getDeviceResults(key)),
    subjectCredentials: vendorLoader((key: { subjectId: string; page: number; size: number }) =>
      clients.naverCloud.getCredentials(key.subjectId, { page: key.page, size: key.size }),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
