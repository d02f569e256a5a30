import {
  AUTOMOX_DEFAULT_LIMIT,
  AUTOMOX_RESULT_STATUSES,
  AUTOMOX_SORT_FIELDS,
  DEVICE_RESULTS_PAGING,
  type AutomoxSortField,
} from '../../vendors/automox/contract.js';
import { isUuid } from '../../vendors/uuid.js';
import type { StoredResult } from './data.js';

/**
 * The simulator's reading of the device results query string: validation (each failure is one
 * 400 message), then filtering, sorting and paging over one execution's results.
 */

/** A validated device results request: its organization, order, filters and page. */
export interface DeviceResultsRequest {
  organizationId: string;
  sort: { field: AutomoxSortField; direction: 'asc' | 'desc' };
  /** Every condition must hold: a result's status must be in each set. */
  statusConditions: ReadonlySet<string>[];
  /** Every condition must hold, on the hostname or the custom name. */
  nameConditions: { operator: 'equals' | 'like'; value: string }[];
  page: number;
  limit: number;
}

/** A request that passed validation, or the message of the 400 it earns. */
export type ParsedDeviceResultsRequest = { ok: true; query: DeviceResultsRequest } | { ok: false; message: string };

/** Order when no `sort` is sent: newest run first. */
const DEFAULT_SORT = { field: 'run_time', direction: 'desc' } as const;
const SORT = new RegExp(`^(${AUTOMOX_SORT_FIELDS.join('|')})(?::(asc|desc))?$`);
const STATUSES: ReadonlySet<string> = new Set(AUTOMOX_RESULT_STATUSES);
const INT32_MAX = 2_147_483_647;

/** Validates the query string of a device results request. */
export function parseDeviceResultsQuery(params: URLSearchParams): ParsedDeviceResultsRequest {
  const fail = (message: string): ParsedDeviceResultsRequest => ({ ok: false, message });

  const org = params.get('org');
  if (org === null || org === '') return fail('org is required');
  if (!isUuid(org)) return fail('org must be a UUID');

  let sort: DeviceResultsRequest['sort'] = DEFAULT_SORT;
  const sortText = params.get('sort');
  if (sortText !== null) {
    const match = SORT.exec(sortText);
    if (!match) return fail(`sort must be one of ${AUTOMOX_SORT_FIELDS.join(', ')}, optionally followed by :asc or :desc`);
    // A bare field sorts ascending, as SQL's ORDER BY does.
    sort = { field: match[1] as AutomoxSortField, direction: match[2] === 'desc' ? 'desc' : 'asc' };
  }

  const page = readInteger(params.get('page'), 0);
  if (page === undefined || page < 0 || page > INT32_MAX) return fail('page must be an integer of 0 or more');
  const limit = readInteger(params.get('limit'), AUTOMOX_DEFAULT_LIMIT);
  if (limit === undefined || limit < 1 || limit > DEVICE_RESULTS_PAGING.maxPageSize) return fail(`limit must be an integer from 1 to ${DEVICE_RESULTS_PAGING.maxPageSize}`);

  const statusConditions: Set<string>[] = [];
  let inCondition: Set<string> | undefined;
  const nameConditions: DeviceResultsRequest['nameConditions'] = [];
  for (const [name, value] of params) {
    const [field, operator] = splitOperator(name);
    if (field === 'result_status') {
      if (!STATUSES.has(value)) return fail(`result_status must be one of ${AUTOMOX_RESULT_STATUSES.join(', ')}`);
      if (operator === undefined || operator === 'equals') {
        statusConditions.push(new Set([value]));
      } else if (operator === 'in[]') {
        if (!inCondition) statusConditions.push((inCondition = new Set()));
        inCondition.add(value);
      } else {
        return fail('result_status supports the operators equals and in');
      }
    } else if (field === 'device_name') {
      if (value === '') return fail('device_name must not be empty');
      if (operator === undefined) nameConditions.push({ operator: 'equals', value });
      else if (operator === 'like') nameConditions.push({ operator: 'like', value });
      else return fail('device_name supports the operator like');
    }
  }

  return { ok: true, query: { organizationId: org, sort, statusConditions, nameConditions, page, limit } };
}

/** The filtered and sorted results of one page, with the count after filtering. */
export function selectDeviceResults(results: readonly StoredResult[], query: DeviceResultsRequest): { totalCount: number; page: StoredResult[] } {
  const matching = results.filter((result) => matchesStatus(result, query) && matchesName(result, query));
  matching.sort(comparator(query.sort));
  const start = query.page * query.limit;
  return { totalCount: matching.length, page: matching.slice(start, start + query.limit) };
}

/** `result_status:in[]` → [`result_status`, `in[]`]; `device_name` → [`device_name`, undefined]. */
function splitOperator(name: string): [string, string | undefined] {
  const colon = name.indexOf(':');
  return colon < 0 ? [name, undefined] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** A decimal integer; `fallback` when the parameter is absent, `undefined` when it is not an integer. */
function readInteger(text: string | null, fallback: number): number | undefined {
  if (text === null) return fallback;
  return /^-?\d{1,10}$/.test(text) ? Number(text) : undefined;
}

function matchesStatus(result: StoredResult, query: DeviceResultsRequest): boolean {
  return query.statusConditions.every((statuses) => statuses.has(result.wire.result_status));
}

/** `device_name=` is an exact, case-sensitive match; `device_name:like=` a case-insensitive substring. */
function matchesName(result: StoredResult, query: DeviceResultsRequest): boolean {
  const names = [result.wire.hostname, result.wire.custom_name].filter((name) => name !== '');
  return query.nameConditions.every(({ operator, value }) => {
    if (operator === 'equals') return names.includes(value);
    const needle = value.toLowerCase();
    return names.some((name) => name.toLowerCase().includes(needle));
  });
}

/** Orders by the sort field, then by run time newest first, then by device UUID, so paging is stable. */
function comparator(sort: DeviceResultsRequest['sort']): (a: StoredResult, b: StoredResult) => number {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const byField = (a: StoredResult, b: StoredResult): number => {
    if (sort.field === 'run_time') return a.runTimeMs - b.runTimeMs;
    if (sort.field === 'result_status') return compareText(a.wire.result_status, b.wire.result_status);
    return compareText(a.wire.display_name.toLowerCase(), b.wire.display_name.toLowerCase());
  };
  return (a, b) => sign * byField(a, b) || b.runTimeMs - a.runTimeMs || compareText(a.wire.device_uuid, b.wire.device_uuid);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
