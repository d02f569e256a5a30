/**
 * The KOBIL SSMS "User Logs" contract shared by the simulator and the client
 * (KOBIL SSMS REST API reference, "User Logs": `GET /digitanium/v4/user/{userName}/logs`).
 */
import type { EndpointPaging } from '../paging.js';

/**
 * The most bytes devicegraph reads of one User Logs answer; a longer one is abandoned. The largest
 * legitimate answer is 100 entries: 31 KB with the simulator's data, about 330 bytes an entry as in
 * the doc's sample. 1 MiB leaves room for 10 KB an entry.
 */
export const KOBIL_MAX_RESPONSE_BYTES = 1024 * 1024;

/** `subSystem` every User Logs answer carries (the doc's sample says 5). */
export const KOBIL_USER_LOGS_SUBSYSTEM = 5;

/** Path of one user's log on `https://{tenantId}.{hostname}`, the user name URL-encoded. */
export function kobilUserLogsPath(userName: string): string {
  return `/digitanium/v4/user/${encodeURIComponent(userName)}/logs`;
}

/** Matches a User Logs path and captures the still-encoded user name. */
export const KOBIL_USER_LOGS_PATH = /^\/digitanium\/v4\/user\/([^/]+)\/logs$/;

/**
 * How a user's log pages: `offset` and `limit`, `moreResultsAvailable` instead of a total. The doc
 * gives `limit` no range: 100 is the largest devicegraph sends (the simulator refuses more). It
 * documents no maximum `offset` or log length either; a login writes a handful of entries, so a
 * million is decades of heavy daily use by one user.
 */
export const USER_LOGS_PAGING = { kind: 'offset', maxLimit: 100, reportsTotal: false, maxRecords: 1_000_000 } satisfies EndpointPaging;

/** One entry of `data.reportingInfoItems`, keys in the order of the doc's sample. */
export interface KobilLogRecordJson {
  action: string;
  archived: boolean;
  certificateSerialNumber: string;
  /** Left out (not `null`) when an action has no details, as in the sample. */
  details?: string;
  deviceId: string;
  id: number;
  issuerDN: string;
  /** Epoch seconds, as a string. */
  logDate: string;
  status: string;
  userId: string;
}

/** What KOBIL authenticates with: an OAuth access token sent as `Authorization: Bearer`. */
export interface KobilCredentials {
  accessToken: string;
}
