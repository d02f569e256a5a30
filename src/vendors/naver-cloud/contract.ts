import type { EndpointPaging } from '../paging.js';
import { isUuid } from '../uuid.js';

/**
 * The NAVER Cloud Sub Account "subject credential activity" contract shared by the client and the
 * simulator (NAVER Cloud Platform API reference, Sub Account, "Get subject activity list":
 * https://api.ncloud-docs.com/docs/en/).
 */

/**
 * The most bytes devicegraph reads of one NAVER Cloud answer; a longer one is abandoned. The largest
 * legitimate answer is a page of 100 activities, each with its certificate: 118 KB with the
 * simulator's data (1.2 KB an activity at most). 2 MiB leaves room for 20 KB an activity (long
 * certificate chains, RSA-4096 keys).
 */
export const NAVER_CLOUD_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** What NAVER Cloud authenticates with: an access key and the secret key that signs each request (signature v2). */
export interface NaverCloudCredentials {
  accessKey: string;
  secretKey: string;
}

/**
 * Whether `id` can be a Sub Account subject id. The doc types it only as a string; its sample
 * (`c2dea79b-****-****-****-c162618da17d`) is a UUID, so devicegraph requires one (any version).
 */
export function isValidSubjectId(id: string): boolean {
  return isUuid(id);
}

/** Path of one subject's credential activity list. */
export function subjectCredentialsPath(subjectId: string): string {
  return `/api/v1/subjects/${encodeURIComponent(subjectId)}/credentials`;
}

/** Matches a subject credential activity path and captures the still-encoded subject id. */
export const SUBJECT_CREDENTIALS_PATH = /^\/api\/v1\/subjects\/([^/]+)\/credentials$/;

/**
 * How a subject's credential activity pages: 0-based `page` and `size`, `totalElements` in every
 * answer. The doc says "0-N" and "1-N", no maximum: 100 is the largest `size` devicegraph asks
 * for (the simulator refuses more), and a million is an authentication every minute for two years.
 */
export const SUBJECT_CREDENTIALS_PAGING = { kind: 'page', firstPage: 0, maxPageSize: 100, reportsTotal: true, maxRecords: 1_000_000 } satisfies EndpointPaging;
