import { z } from 'zod';
import type { CircuitBreaker } from '../http/call-policy.js';
import { VendorRequestRejectedError } from '../http/errors.js';
import { VendorHttp, type VendorConnectionOptions, type VendorErrorBody } from '../http/vendor-http.js';
import { parseEpochSeconds, parseIsoTimestamp } from '../timestamps.js';
import { KOBIL_MAX_RESPONSE_BYTES, kobilUserLogsPath, type KobilCredentials } from './contract.js';

/** One entry of a KOBIL user's activity log, normalized. */
export interface KobilLogItem {
  /** The vendor's own log id; stable across insertions at the head. */
  key: string;
  id: string;
  /** KOBIL's numeric action code as a string, e.g. `"35"`. */
  action: string;
  archived: boolean;
  certificateSerialNumber: string | null;
  details: string | null;
  deviceId: string | null;
  issuerDN: string | null;
  logDate: Date;
  status: string | null;
  userId: string;
}

/** One page of a user's log, newest first as the vendor serves it. */
export interface KobilLogPage {
  moreResultsAvailable: boolean;
  items: KobilLogItem[];
}

/** Options of `KobilClient`. */
export interface KobilClientOptions extends VendorConnectionOptions {
  credentials: KobilCredentials;
}

/**
 * Tells whether `name` is a user name devicegraph will put in a KOBIL path: 1 to 128 characters,
 * none of them `/`, `\`, whitespace, control characters or lone surrogates, and not `.` or `..`
 * (which URL normalization could turn into another path). The doc gives no pattern of its own.
 */
export function isValidKobilUserName(name: string): boolean {
  if (name === '.' || name === '..') return false;
  return /^[^\s\p{Cc}\p{Cs}/\\]{1,128}$/u.test(name);
}

/**
 * Text fields the vendor may leave out or write as the string `"null"` (the sample does so for
 * `reportingFilterUsed.deviceId`); numbers are tolerated and kept as their decimal text.
 */
const nullWordTextAsNull = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined || value === 'null' ? null : String(value)));

const requiredText = z.union([z.string().min(1), z.number()]).transform(String);

/** `logDate` is epoch seconds as a string in the doc; a number or ISO-8601 text is tolerated. */
const logDate = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const date = parseEpochSeconds(value) ?? (typeof value === 'string' ? parseIsoTimestamp(value) : undefined);
  if (date === undefined) {
    ctx.addIssue('logDate is not epoch seconds');
    return z.NEVER;
  }
  return date;
});

const logItemSchema = z.object({
  action: requiredText,
  archived: z.boolean(),
  certificateSerialNumber: nullWordTextAsNull,
  details: nullWordTextAsNull,
  deviceId: nullWordTextAsNull,
  id: z.union([z.number().int().nonnegative(), z.string().min(1)]).transform(String),
  issuerDN: nullWordTextAsNull,
  logDate,
  status: nullWordTextAsNull,
  userId: z.string().min(1),
});

/**
 * The sample nests `moreResultsAvailable` under `data`; the doc's field table lists it at the top
 * level, so either is read (`data`'s wins). The vendor leaves out null fields (see `details`), so an
 * absent item list is read as empty.
 */
const logPageSchema = z.object({
  data: z.object({
    moreResultsAvailable: z.boolean().optional(),
    reportingInfoItems: z.array(logItemSchema).nullish(),
  }),
  moreResultsAvailable: z.boolean().optional(),
});

/** A client for KOBIL SSMS's User Logs endpoint. */
export class KobilClient {
  readonly #http: VendorHttp;
  readonly #authorization: string;

  constructor(options: KobilClientOptions) {
    this.#http = new VendorHttp('KOBIL', options, {
      maxResponseBytes: KOBIL_MAX_RESPONSE_BYTES,
      secrets: Object.values(options.credentials),
      identity: [options.credentials.accessToken],
    });
    this.#authorization = `Bearer ${options.credentials.accessToken}`;
  }

  /**
   * Fetches `limit` log entries of `userName` starting at row `offset`, newest first. Throws
   * `VendorRequestRejectedError` before any call when `userName` fails `isValidKobilUserName` (it
   * goes into the path); `limit`/`offset` are sent as given and the vendor judges them (400 →
   * `VendorRequestRejectedError`). 404 `USER_NOT_FOUND` → `VendorNotFoundError`, 401 →
   * `VendorAuthError`.
   *
   * When the vendor states no `moreResultsAvailable`, the doc's "defaults to true" is read as
   * "true unless the page came back short": a short page cannot have more after it.
   */
  async getUserLogs(userName: string, params: { offset: number; limit: number }): Promise<KobilLogPage> {
    if (!isValidKobilUserName(userName)) throw new VendorRequestRejectedError('KOBIL', 'userName is not a valid user name');
    const page = await this.#http.get(kobilUserLogsPath(userName), {
      route: kobilUserLogsPath('{userName}'),
      query: [
        ['limit', params.limit],
        ['offset', params.offset],
      ],
      headers: () => ({ authorization: this.#authorization, 'content-type': 'application/json' }),
      readErrorBody,
      schema: logPageSchema,
      cache: { kind: 'list', list: userName },
    });
    const items = (page.data.reportingInfoItems ?? []).map((item) => ({ key: item.id, ...item }));
    const stated = page.data.moreResultsAvailable ?? page.moreResultsAvailable;
    return { moreResultsAvailable: stated ?? items.length >= params.limit, items };
  }

  /** Seconds this client's answers are reused from its cache (pages of a list growing at its head); 0 without a cache. */
  get maxAgeSeconds(): number {
    return this.#http.maxAgeSeconds('list');
  }

  /** The vendor's circuit breaker: its state for health checks, and a reset for operators and tests. */
  get breaker(): CircuitBreaker {
    return this.#http.breaker;
  }

  /** Closes the connection pool; in-flight calls fail. */
  async close(): Promise<void> {
    await this.#http.close();
  }
}

/** KOBIL error bodies mirror the success envelope: `{ status: "USER_NOT_FOUND", message, subSystem }`. */
function readErrorBody(body: unknown): VendorErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const { status, message } = body as { status?: unknown; message?: unknown };
  return {
    ...(typeof status === 'string' && status.length > 0 ? { vendorCode: status } : {}),
    ...(typeof message === 'string' && message.length > 0 ? { message } : {}),
  };
}
