/**
 * The parts of the Automox policy report contract that the client and the simulator share:
 * the endpoint path, paging limits and the filter vocabulary. Every Automox id is a UUID (`isUuid`).
 */
import type { EndpointPaging } from '../paging.js';

/** `limit` the endpoint applies when none is sent. */
export const AUTOMOX_DEFAULT_LIMIT = 25;

/**
 * The most bytes devicegraph reads of one Automox answer; a longer one is abandoned. The largest
 * legitimate answer is a page of `limit=5000` results: 3.4 MB at the doc's sample size (about 690
 * bytes a result, the simulator's largest too). 16 MiB leaves about 3.3 KB a result, room for a few
 * KB of `stdout`/`stderr` and long patch lists.
 */
export const AUTOMOX_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The values the `result_status` filter accepts (the doc's filter vocabulary). */
export const AUTOMOX_RESULT_STATUSES = ['applied', 'failed', 'pending', 'not_applicable', 'not_included'] as const;

/** One value of the `result_status` filter. */
export type AutomoxResultStatus = (typeof AUTOMOX_RESULT_STATUSES)[number];

/** The fields `sort` accepts, each optionally followed by `:asc` or `:desc`. */
export const AUTOMOX_SORT_FIELDS = ['run_time', 'device_display_name', 'result_status'] as const;

/** One field `sort` accepts. */
export type AutomoxSortField = (typeof AUTOMOX_SORT_FIELDS)[number];

/** Path of the device results of one policy execution. */
export function deviceResultsPath(policyUuid: string, execToken: string): string {
  return `/policy-history/policies/${encodeURIComponent(policyUuid)}/${encodeURIComponent(execToken)}`;
}

/** Matches a device results path (a trailing slash allowed) and captures the still-encoded policy UUID and execution token. */
export const DEVICE_RESULTS_PATH = /^\/policy-history\/policies\/([^/]+)\/([^/]+)\/?$/;

/**
 * How an execution's device results page: 0-based `page`, `limit` at most 5000, `total_count` in
 * every answer; one result per device the policy ran on. Automox documents no cap on devices per
 * organization; a million devices is several times the largest fleets one organization manages.
 */
export const DEVICE_RESULTS_PAGING = { kind: 'page', firstPage: 0, maxPageSize: 5000, reportsTotal: true, maxRecords: 1_000_000 } satisfies EndpointPaging;

/** One device result as the endpoint serves it (the doc's response sample). */
export interface AutomoxWireResult {
  device_id: number;
  device_uuid: string;
  hostname: string;
  custom_name: string;
  display_name: string;
  result_status: string;
  'result-reason': string;
  run_time: string;
  event_time: string | null;
  patches: string[];
  stdout: string;
  stderr: string;
  error_code: number | null;
  device_deleted_at: string | null;
  policy_uuid: string;
  policy_name: string;
  policy_type: string;
}

/** The body of a 200 answer. */
export interface AutomoxWirePage {
  metadata: {
    current_page: number;
    total_pages: number;
    total_count: number;
    limit: number;
    links: { previous: string; next: string };
  };
  data: AutomoxWireResult[];
}

/** The error body every non-2xx answer carries (undocumented by Automox; this is the reading chosen). */
export interface AutomoxWireError {
  errors: string[];
}

/** What Automox authenticates with: an API key sent as `Authorization: Bearer`. */
export interface AutomoxCredentials {
  apiKey: string;
}
