import type { ListSource } from '../connections/list-reader.js';
import { idCodec, oneOfPart, textPart, vendorIdPart } from '../ids.js';
import { CERTIFICATE_REPORT_PAGING, isValidObjectId, isValidOrganizationId } from '../../vendors/applivery/contract.js';
import type { CertificateModel, CertificateReportModel, CertificateStateName, DeviceModel } from '../models.js';
import type { Loaders } from '../loaders/index.js';
import type { AppliveryCertificate, AppliveryCertificateReport } from '../../vendors/applivery/client.js';

/** Identifies one certificate report snapshot. */
export interface ReportRef {
  organizationId: string;
  emmDeviceId: string;
  historyId: string;
}

/** `CertificateReport` IDs: the snapshot's organization, device and history item. */
export const CERTIFICATE_REPORT_ID = idCodec('CertificateReport', {
  organizationId: vendorIdPart(isValidOrganizationId),
  emmDeviceId: vendorIdPart(isValidObjectId),
  historyId: vendorIdPart(isValidObjectId),
});

/** The IDs of certificates of a report: the report, and the certificate's key in it. */
export const APPLIVERY_CERTIFICATE_ID = idCodec('Certificate', {
  vendor: oneOfPart(['APPLIVERY']),
  organizationId: vendorIdPart(isValidOrganizationId),
  emmDeviceId: vendorIdPart(isValidObjectId),
  historyId: vendorIdPart(isValidObjectId),
  key: textPart,
});

/** A managed Android device in an Applivery organization. */
export function androidDevice(organizationId: string, emmDeviceId: string): DeviceModel {
  return { vendor: 'APPLIVERY', vendorDeviceId: emmDeviceId, displayName: null, organizationId };
}

const STATES: Record<string, CertificateStateName> = { installed: 'INSTALLED', fail: 'FAILED', pending: 'PENDING' };
const VENDOR_STATES: Record<CertificateStateName, string> = { INSTALLED: 'installed', FAILED: 'fail', PENDING: 'pending' };

export function toCertificateReport(ref: ReportRef, report: AppliveryCertificateReport): CertificateReportModel {
  const counts = new Map<CertificateStateName, number>([
    ['INSTALLED', 0],
    ['FAILED', 0],
    ['PENDING', 0],
  ]);
  for (const certificate of report.certificates) {
    const state = STATES[certificate.state];
    if (state) counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  return {
    ...ref,
    reportedAt: report.reportedAt,
    createdAt: report.createdAt,
    totalReports: report.totalReports,
    countsByState: [...counts].map(([state, count]) => ({ state, count })),
  };
}

/** A report's certificates (optionally in one state), as a list the connection engine pages in memory. */
export function reportCertificatesSource(
  loaders: Loaders,
  ref: ReportRef,
  state: CertificateStateName | null,
): ListSource<AppliveryCertificate> {
  // Only the three ids: callers may pass a whole report model, whose other fields would make a
  // different DataLoader key and fetch the snapshot `Device.certificateReport` already loaded again.
  const key: ReportRef = { organizationId: ref.organizationId, emmDeviceId: ref.emmDeviceId, historyId: ref.historyId };
  return {
    id: `applivery:certificates:${ref.organizationId}:${ref.emmDeviceId}:${ref.historyId}:${state ?? ''}`,
    paging: CERTIFICATE_REPORT_PAGING,
    reportsTotal: CERTIFICATE_REPORT_PAGING.reportsTotal,
    async fetch() {
      const report = await loaders.certificateReport.load(key);
      const items = state ? report.certificates.filter((certificate) => certificate.state === VENDOR_STATES[state]) : report.certificates;
      return { items, hasMore: false, total: items.length };
    },
    key: (certificate) => certificate.key,
  };
}

export function toAppliveryCertificate(ref: ReportRef, certificate: AppliveryCertificate): CertificateModel {
  return {
    id: APPLIVERY_CERTIFICATE_ID.encode({ ...ref, vendor: 'APPLIVERY', key: certificate.key }),
    vendor: 'APPLIVERY',
    commonName: certificate.commonName,
    issuer: null,
    serialNumber: null,
    state: STATES[certificate.state] ?? null,
    keyPairAlias: certificate.keyPairAlias,
    errorCode: certificate.errorCode,
    errorMessage: certificate.errorMessage,
    updatedAt: certificate.updatedAt,
    certificateData: null,
  };
}
