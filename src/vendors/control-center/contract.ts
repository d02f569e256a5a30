/**
 * Limits and defaults of Control Center's "Get Device Audit History" call, as its reference page
 * states them; the client and the simulator both read them from here.
 */
import type { EndpointPaging } from '../paging.js';

/** The only `apiVersion` Control Center serves ("the current version for all functions is 1"). */
export const CONTROL_CENTER_API_VERSION = 1;

/** Largest `daysOfHistory` Control Center accepts ("no more than 365 days"). */
export const CONTROL_CENTER_MAX_DAYS_OF_HISTORY = 365;

/** The `daysOfHistory` Control Center assumes when a request names none. */
export const CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY = 30;

/**
 * The most bytes devicegraph reads of one Control Center answer; a longer one is abandoned. The
 * largest legitimate answer is a full page of 50 changes: 11 KB with the simulator's data (230 bytes
 * a change at most). 1 MiB leaves room for 20 KB a change.
 */
export const CONTROL_CENTER_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The error code Control Center answers with when an account calls faster than its API rate limit
 * (counted across REST and SOAP calls).
 */
export const CONTROL_CENTER_RATE_LIMIT_ERROR_CODE = '40000029';

/** The change statuses the reference page lists. */
export const CONTROL_CENTER_CHANGE_STATUSES = [
  'Pending',
  'Running',
  'Executed',
  'Error',
  'Deleted',
  'Cancelled',
  'WaitingRetry',
] as const;

/** One of the documented change statuses. */
export type ControlCenterChangeStatus = (typeof CONTROL_CENTER_CHANGE_STATUSES)[number];

/** Path of the audit-trail call for one device. */
export function auditTrailsPath(iccid: string, apiVersion: number | string = CONTROL_CENTER_API_VERSION): string {
  return `/rws/api/v${apiVersion}/devices/${encodeURIComponent(iccid)}/auditTrails`;
}

/** Matches an audit-trail path and captures its API version and still-encoded ICCID. */
export const AUDIT_TRAILS_PATH = /^\/rws\/api\/v([^/]+)\/devices\/([^/]+)\/auditTrails$/;

/**
 * How a device's audit trail pages: 1-based `pageNumber`, `pageSize` at most 50 (also the default
 * page size), `lastPage` instead of a total. The reference caps no record count, only the window:
 * at most 365 days of history. The bound allows one change a minute, day and night, over that
 * whole window: far more than one SIM's settings ever change.
 */
export const AUDIT_TRAILS_PAGING = {
  kind: 'page',
  firstPage: 1,
  maxPageSize: 50,
  reportsTotal: false,
  maxRecords: CONTROL_CENTER_MAX_DAYS_OF_HISTORY * 24 * 60,
} satisfies EndpointPaging;

/** What Control Center authenticates with: HTTP Basic, user name and API key. */
export interface ControlCenterCredentials {
  username: string;
  apiKey: string;
}
