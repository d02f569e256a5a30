import type { EndpointPaging } from '../paging.js';

/** Applivery ids are MongoDB ObjectIds: 24 hex digits, either case (the doc's pattern). */
export const OBJECT_ID = /^[a-fA-F0-9]{24}$/;

/** An organization is named by its ObjectId or by its slug (the doc's pattern, verbatim). */
const ORGANIZATION_ID = /^(([a-fA-F0-9]{24})|([a-zA-Z0-9-]{3,}))$/;

/**
 * The most bytes devicegraph reads of one Applivery answer; a longer one is abandoned. The endpoint
 * has no paging: its largest legitimate answer is one device's whole certificate report, 66 KB for
 * the simulator's 137 entries (580 bytes an entry at most). The doc bounds an entry's text fields
 * (errorMessage 1,000 characters, five others 256), so an entry stays under about 8 KB even with
 * every character JSON-escaped; 8 MiB holds a thousand such entries.
 */
export const APPLIVERY_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** True when `id` matches the documented `emmDeviceId` / `historyId` pattern `^[a-fA-F0-9]{24}$`. */
export function isValidObjectId(id: string): boolean {
  return OBJECT_ID.test(id);
}

/** True when `id` matches the documented `organizationId` pattern: a 24-hex ObjectId or a slug of 3+ `[a-zA-Z0-9-]`. */
export function isValidOrganizationId(id: string): boolean {
  return ORGANIZATION_ID.test(id);
}

/** Path of one device's certificate report history item ("Get certificate report history item"). */
export function certificateReportPath(organizationId: string, emmDeviceId: string, historyId: string): string {
  return (
    `/v1/organizations/${encodeURIComponent(organizationId)}` +
    `/mdm/android/enterprise/devices/${encodeURIComponent(emmDeviceId)}` +
    `/certificate-reports/history/${encodeURIComponent(historyId)}`
  );
}

/** Matches a certificate report path and captures its three still-encoded ids. */
export const CERTIFICATE_REPORT_PATH =
  /^\/v1\/organizations\/([^/]+)\/mdm\/android\/enterprise\/devices\/([^/]+)\/certificate-reports\/history\/([^/]+)$/;

/**
 * How a report's certificates page: a history item is one snapshot, whole in one answer. Applivery
 * documents no maximum; an Android device holds tens to hundreds of certificates, so 100,000 is
 * far past any real one.
 */
export const CERTIFICATE_REPORT_PAGING = { kind: 'whole', reportsTotal: true, maxRecords: 100_000 } satisfies EndpointPaging;

/** What Applivery authenticates with: an API token sent as `Authorization: Bearer`. */
export interface AppliveryCredentials {
  apiToken: string;
}
