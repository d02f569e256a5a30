import { hash } from 'node:crypto';
import { z } from 'zod';
import type { CircuitBreaker } from '../http/call-policy.js';
import { VendorHttp, type VendorConnectionOptions, type VendorErrorBody } from '../http/vendor-http.js';
import { isoStringOf, isoTimestamp, parseIsoTimestamp } from '../timestamps.js';
import { emptyTextAsNull } from '../optional-text.js';
import {
  auditTrailsPath,
  CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY,
  CONTROL_CENTER_MAX_RESPONSE_BYTES,
  CONTROL_CENTER_RATE_LIMIT_ERROR_CODE,
  type ControlCenterCredentials,
} from './contract.js';


/** One change to a device field, normalized. */
export interface ControlCenterAuditRecord {
  /** Stable hash of the fields that identify the change (Control Center gives records no id). */
  key: string;
  field: string;
  /** `null` when the change set the field for the first time. */
  priorValue: string | null;
  value: string | null;
  effectiveDate: Date;
  /** One of `CONTROL_CENTER_CHANGE_STATUSES` as documented; passed through unchecked. */
  status: string | null;
  userName: string | null;
  delegatedUser: string | null;
  ipAddress: string | null;
}

/** One page of a device's audit trail, most recent change first. */
export interface ControlCenterAuditPage {
  iccid: string;
  pageNumber: number;
  /** Control Center's own flag: no page after this one holds records. */
  lastPage: boolean;
  records: ControlCenterAuditRecord[];
}

/** Paging of `getAuditTrails`; always sent explicitly. */
export interface ControlCenterAuditParams {
  /** 1-based. */
  pageNumber: number;
  /** 1..`AUDIT_TRAILS_PAGING.maxPageSize`. */
  pageSize: number;
  /** 1..`CONTROL_CENTER_MAX_DAYS_OF_HISTORY`; default `CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY`, sent explicitly too. */
  daysOfHistory?: number;
}

/** Options of `ControlCenterClient`. */
export interface ControlCenterClientOptions extends VendorConnectionOptions {
  credentials: ControlCenterCredentials;
}

/** An ICCID as Control Center devices carry them: 19 or 20 digits starting with the telecom prefix 89. */
export function isValidIccid(iccid: string): boolean {
  return /^89\d{17,18}$/.test(iccid);
}

/** Reads a Control Center error body `{errorCode, errorMessage}`; fields it lacks stay unset. */
function readControlCenterErrorBody(body: unknown): VendorErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const { errorCode, errorMessage } = body as { errorCode?: unknown; errorMessage?: unknown };
  const code = typeof errorCode === 'number' ? String(errorCode) : errorCode;
  return {
    ...(typeof code === 'string' && /^\d+$/.test(code) ? { vendorCode: code } : {}),
    ...(code === CONTROL_CENTER_RATE_LIMIT_ERROR_CODE ? { rateLimited: true } : {}),
    ...(typeof errorMessage === 'string' && errorMessage.length > 0 ? { message: errorMessage } : {}),
  };
}

/** The documented 200 body of `GET /rws/api/v1/devices/{iccid}/auditTrails`. */
export const controlCenterAuditTrailsSchema = z.object({
  iccid: z.string().min(1),
  timestamp: isoTimestamp.optional(),
  pageNumber: z.number().int().positive(),
  lastPage: z.boolean(),
  // An empty page may leave the array out.
  deviceAuditTrails: z
    .array(
      z.object({
        field: z.string(),
        priorValue: emptyTextAsNull,
        value: emptyTextAsNull,
        effectiveDate: isoTimestamp,
        status: emptyTextAsNull,
        userName: emptyTextAsNull,
        delegatedUser: emptyTextAsNull,
        ipAddress: emptyTextAsNull,
      }),
    )
    .default([]),
});

/** A validated audit-trail body (`Date`s, `null` for absent or empty values) with each record's key. */
export function toControlCenterAuditPage(body: z.infer<typeof controlCenterAuditTrailsSchema>): ControlCenterAuditPage {
  return {
    iccid: body.iccid,
    pageNumber: body.pageNumber,
    lastPage: body.lastPage,
    records: body.deviceAuditTrails.map((record) => ({ key: recordKey(body.iccid, record.effectiveDate.toISOString(), record), ...record })),
  };
}

/** What `getAuditTrails` hands out, built in validation so a cached answer is keyed once. */
const auditPageSchema = controlCenterAuditTrailsSchema.transform(toControlCenterAuditPage);

/**
 * `auditPageSchema`'s value of a well-formed body, checked by hand: about 60% of zod's time, keys included, on the
 * page every audit query reads. `undefined` for any body it does not accept, which the schema
 * then judges and words the error for (a test holds the two to the same values).
 */
export function readControlCenterAuditPage(body: unknown): ControlCenterAuditPage | undefined {
  if (!isRecord(body)) return undefined;
  const { iccid, timestamp, pageNumber, lastPage, deviceAuditTrails = [] } = body;
  if (typeof iccid !== 'string' || iccid.length === 0) return undefined;
  if (timestamp !== undefined && (typeof timestamp !== 'string' || parseIsoTimestamp(timestamp) === undefined)) return undefined;
  if (!Number.isSafeInteger(pageNumber) || (pageNumber as number) <= 0 || typeof lastPage !== 'boolean') return undefined;
  if (!Array.isArray(deviceAuditTrails)) return undefined;
  const records: ControlCenterAuditRecord[] = [];
  for (const wire of deviceAuditTrails as unknown[]) {
    if (!isRecord(wire) || typeof wire.field !== 'string' || typeof wire.effectiveDate !== 'string') return undefined;
    const effectiveDate = parseIsoTimestamp(wire.effectiveDate);
    const priorValue = emptyAsNull(wire.priorValue);
    const value = emptyAsNull(wire.value);
    const status = emptyAsNull(wire.status);
    const userName = emptyAsNull(wire.userName);
    const delegatedUser = emptyAsNull(wire.delegatedUser);
    const ipAddress = emptyAsNull(wire.ipAddress);
    if (effectiveDate === undefined || [priorValue, value, status, userName, delegatedUser, ipAddress].includes(undefined)) return undefined;
    const record = { field: wire.field, priorValue, value, effectiveDate, status, userName, delegatedUser, ipAddress } as Omit<ControlCenterAuditRecord, 'key'>;
    records.push({ key: recordKey(iccid, isoStringOf(effectiveDate, wire.effectiveDate), record), ...record });
  }
  return { iccid, pageNumber: pageNumber as number, lastPage, records };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `emptyTextAsNull` by hand: text, or `null` for absent, `null` and `""`; `undefined` for anything else. */
function emptyAsNull(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Hash of what identifies a change: device, instant, field, old and new value, and who made it.
 * `status` is left out because a pending change's status moves on while it stays the same change.
 * `effectiveDate` is the record's as `toISOString` writes it.
 */
function recordKey(iccid: string, effectiveDate: string, record: Omit<ControlCenterAuditRecord, 'key'>): string {
  const identity = [iccid, effectiveDate, record.field, record.priorValue, record.value, record.userName];
  return hash('sha256', JSON.stringify(identity), 'hex').slice(0, 16);
}

/** Cisco Control Center (Jasper) REST client: device audit trails over HTTP Basic auth. */
export class ControlCenterClient {
  readonly #http: VendorHttp;
  readonly #authorization: string;

  constructor(options: ControlCenterClientOptions) {
    const { username, apiKey } = options.credentials;
    this.#http = new VendorHttp('CISCO_CONTROL_CENTER', options, {
      maxResponseBytes: CONTROL_CENTER_MAX_RESPONSE_BYTES,
      secrets: Object.values(options.credentials),
      identity: [username],
    });
    this.#authorization = `Basic ${Buffer.from(`${username}:${apiKey}`, 'utf8').toString('base64')}`;
  }

  /**
   * One page of a device's audit trail, most recent first. Page size, page number and the
   * history window are always sent explicitly; the vendor judges their validity.
   */
  async getAuditTrails(iccid: string, params: ControlCenterAuditParams): Promise<ControlCenterAuditPage> {
    const daysOfHistory = params.daysOfHistory ?? CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY;
    return this.#http.get(auditTrailsPath(iccid), {
      route: auditTrailsPath('{iccid}'),
      query: [
        ['daysOfHistory', daysOfHistory],
        ['pageSize', params.pageSize],
        ['pageNumber', params.pageNumber],
      ],
      headers: () => ({ authorization: this.#authorization }),
      readErrorBody: readControlCenterErrorBody,
      schema: auditPageSchema,
      read: readControlCenterAuditPage,
      cache: { kind: 'list', list: JSON.stringify([iccid, daysOfHistory]) },
    });
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
