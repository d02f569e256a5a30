import { z } from 'zod';
import type { CircuitBreaker } from '../http/call-policy.js';
import { VendorHttp, type VendorConnectionOptions, type VendorErrorBody } from '../http/vendor-http.js';
import { isoTimestamp, readIsoTimestamp } from '../timestamps.js';
import { emptyTextAsNull } from '../optional-text.js';
import { AUTOMOX_MAX_RESPONSE_BYTES, deviceResultsPath, type AutomoxCredentials } from './contract.js';


/** One device's result of a policy execution, normalized. */
export interface AutomoxDeviceResult {
  /** The device UUID: unique within one execution's results. */
  key: string;
  deviceId: number;
  deviceUuid: string;
  hostname: string | null;
  customName: string | null;
  displayName: string | null;
  /** As the vendor spelled it (the doc's sample says `success`, its filter says `applied`, …); passed through. */
  resultStatus: string;
  resultReason: string | null;
  runTime: Date;
  eventTime: Date | null;
  patches: string[];
  stdout: string | null;
  stderr: string | null;
  /** The vendor's `error_code`: the exit code of the policy run on the device. */
  exitCode: number | null;
  deviceDeletedAt: Date | null;
  policyUuid: string;
  policyName: string | null;
  policyType: string | null;
}

/** One page of device results, with totals counted after the filters. */
export interface AutomoxResultPage {
  /** 0-based. */
  currentPage: number;
  totalPages: number;
  totalCount: number;
  limit: number;
  results: AutomoxDeviceResult[];
}

/** What `getDeviceResults` asks for; paging and sort are always explicit. */
export interface AutomoxDeviceResultsParams {
  policyId: string;
  executionToken: string;
  organizationId: string;
  /** 0-based page number. */
  page: number;
  /** 1 to `DEVICE_RESULTS_PAGING.maxPageSize`. */
  limit: number;
  /** e.g. `run_time:desc`; sent as given. */
  sort: string;
  /** Results in any of these statuses (`AUTOMOX_RESULT_STATUSES`); all results when absent or empty. */
  resultStatuses?: readonly string[];
  /** Case-insensitive substring of the hostname or custom name (`device_name:like`); no filter when absent or empty. */
  deviceName?: string;
}

/** How to reach Automox. */
export interface AutomoxClientOptions extends VendorConnectionOptions {
  credentials: AutomoxCredentials;
}

/** A timestamp that may be absent, `null` or `""` (all read as none). */
const optionalTimestamp = z
  .string()
  .nullish()
  .transform((text, ctx) => (text ? readIsoTimestamp(text, ctx) : null));

const deviceResultSchema = z.object({
  device_id: z.number().int(),
  device_uuid: z.string().min(1),
  hostname: emptyTextAsNull,
  custom_name: emptyTextAsNull,
  display_name: emptyTextAsNull,
  result_status: z.string(),
  'result-reason': emptyTextAsNull,
  run_time: isoTimestamp,
  event_time: optionalTimestamp,
  patches: z.array(z.string()).nullish(),
  stdout: emptyTextAsNull,
  stderr: emptyTextAsNull,
  error_code: z.number().int().nullish(),
  device_deleted_at: optionalTimestamp,
  policy_uuid: z.string().min(1),
  policy_name: emptyTextAsNull,
  policy_type: emptyTextAsNull,
});

const count = z.number().int().nonnegative();
const resultPageSchema = z.object({
  metadata: z.object({ current_page: count, total_pages: count, total_count: count, limit: count }),
  data: z.array(deviceResultSchema),
});

/** Client of the Automox policy report API (device results of one policy execution). */
export class AutomoxClient {
  readonly #http: VendorHttp;
  readonly #apiKey: string;

  constructor(options: AutomoxClientOptions) {
    this.#apiKey = options.credentials.apiKey;
    this.#http = new VendorHttp('AUTOMOX', options, {
      maxResponseBytes: AUTOMOX_MAX_RESPONSE_BYTES,
      secrets: Object.values(options.credentials),
      identity: [options.credentials.apiKey],
    });
  }

  /**
   * One page of the device results of a policy execution. Statuses go out as repeated
   * `result_status:in[]`, the name as `device_name:like`. Throws a `VendorError` on any failure.
   */
  async getDeviceResults(params: AutomoxDeviceResultsParams): Promise<AutomoxResultPage> {
    const statuses = params.resultStatuses ?? [];
    const body = await this.#http.get(deviceResultsPath(params.policyId, params.executionToken), {
      route: deviceResultsPath('{policyUuid}', '{execToken}'),
      query: [
        ['org', params.organizationId],
        ['sort', params.sort],
        ['page', params.page],
        ['limit', params.limit],
        ...statuses.map((status) => ['result_status:in[]', status] as const),
        ['device_name:like', params.deviceName ? params.deviceName : undefined],
      ],
      headers: () => ({ authorization: `Bearer ${this.#apiKey}` }),
      readErrorBody: readAutomoxError,
      schema: resultPageSchema,
      cache: {
        kind: 'list',
        list: JSON.stringify([params.organizationId, params.policyId, params.executionToken, params.sort, statuses, params.deviceName ?? '']),
        settled: (page) => statuses.length === 0 && !params.deviceName && isWholeFinishedExecution(page),
      },
    });
    return {
      currentPage: body.metadata.current_page,
      totalPages: body.metadata.total_pages,
      totalCount: body.metadata.total_count,
      limit: body.metadata.limit,
      results: body.data.map(toDeviceResult),
    };
  }

  /** Seconds this client's answers are reused from its cache (pages of a list growing at its head); 0 without a cache. */
  get maxAgeSeconds(): number {
    return this.#http.maxAgeSeconds('list');
  }

  /** The vendor's circuit breaker: its state for health checks, and a reset for operators and tests. */
  get breaker(): CircuitBreaker {
    return this.#http.breaker;
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.#http.close();
  }
}

/**
 * Whether an unfiltered page shows a finished execution: all of its results on this one page and
 * none of them pending. A finished execution's results no longer change, so it may be cached long.
 */
function isWholeFinishedExecution(page: z.infer<typeof resultPageSchema>): boolean {
  return page.data.length >= page.metadata.total_count && page.data.every((result) => result.result_status !== 'pending');
}

function toDeviceResult(raw: z.infer<typeof deviceResultSchema>): AutomoxDeviceResult {
  return {
    key: raw.device_uuid,
    deviceId: raw.device_id,
    deviceUuid: raw.device_uuid,
    hostname: raw.hostname,
    customName: raw.custom_name,
    displayName: raw.display_name,
    resultStatus: raw.result_status,
    resultReason: raw['result-reason'],
    runTime: raw.run_time,
    eventTime: raw.event_time,
    patches: raw.patches ?? [],
    stdout: raw.stdout,
    stderr: raw.stderr,
    exitCode: raw.error_code ?? null,
    deviceDeletedAt: raw.device_deleted_at,
    policyUuid: raw.policy_uuid,
    policyName: raw.policy_name,
    policyType: raw.policy_type,
  };
}

/** Automox documents no error body; the simulator's `{ errors: ["…"] }` message is read when present, else nothing. */
function readAutomoxError(body: unknown): VendorErrorBody {
  const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  return typeof first === 'string' && first !== '' ? { message: first } : {};
}
