import type { ListSource } from '../connections/list-reader.js';
import { countPart, idCodec, optionalTextPart, textPart, vendorIdPart, wordListPart } from '../ids.js';
import { isUuid } from '../../vendors/uuid.js';
import { POLICY_RESULT_STATUSES, type PolicyDeviceResultModel, type PolicyExecutionModel, type PolicyResultStatusName } from '../models.js';
import type { Loaders } from '../loaders/index.js';
import { type AutomoxDeviceResult } from '../../vendors/automox/client.js';
import { DEVICE_RESULTS_PAGING } from '../../vendors/automox/contract.js';

/** What narrows and orders an execution's device results. */
export interface DeviceResultsQuery {
  statuses: readonly PolicyResultStatusName[];
  deviceName: string | null;
  /** Automox's `sort`, e.g. `run_time:desc`. */
  sort: string;
}

export const DEFAULT_DEVICE_RESULTS_SORT = 'run_time:desc';

const SORT_FIELDS = { RUN_TIME: 'run_time', DEVICE_NAME: 'device_display_name', RESULT_STATUS: 'result_status' } as const;

/** Automox's `sort` for a GraphQL `PolicyResultOrder`. */
export function automoxSort(order: { field: keyof typeof SORT_FIELDS; direction: 'ASC' | 'DESC' } | null | undefined): string {
  return order ? `${SORT_FIELDS[order.field]}:${order.direction.toLowerCase()}` : DEFAULT_DEVICE_RESULTS_SORT;
}

/** `PolicyExecution` IDs. */
export const POLICY_EXECUTION_ID = idCodec('PolicyExecution', { policyId: vendorIdPart(isUuid), executionToken: vendorIdPart(isUuid), organizationId: vendorIdPart(isUuid) });

/** `PolicyDeviceResult` IDs: the execution, the query, and the result's position and key in the query's list. */
export const POLICY_DEVICE_RESULT_ID = idCodec('PolicyDeviceResult', {
  organizationId: vendorIdPart(isUuid),
  policyId: vendorIdPart(isUuid),
  executionToken: vendorIdPart(isUuid),
  statuses: wordListPart(POLICY_RESULT_STATUSES),
  deviceName: optionalTextPart,
  sort: textPart,
  position: countPart,
  key: textPart,
});

/** An execution's device results, filtered and sorted by Automox, as a list the connection engine pages. */
export function deviceResultsSource(
  loaders: Loaders,
  execution: PolicyExecutionModel,
  query: DeviceResultsQuery,
): ListSource<AutomoxDeviceResult> {
  const statuses = [...query.statuses].sort().map((status) => status.toLowerCase());
  return {
    id: `automox:device-results:${execution.organizationId}:${execution.policyId}:${execution.executionToken}:${statuses.join(',')}:${query.deviceName ?? ''}:${query.sort}`,
    paging: DEVICE_RESULTS_PAGING,
    reportsTotal: DEVICE_RESULTS_PAGING.reportsTotal,
    async fetch(_offset, limit, pageNumber) {
      const page = await loaders.deviceResults.load({
        policyId: execution.policyId,
        executionToken: execution.executionToken,
        organizationId: execution.organizationId,
        page: pageNumber ?? 0,
        limit,
        sort: query.sort,
        ...(statuses.length > 0 ? { resultStatuses: statuses } : {}),
        ...(query.deviceName ? { deviceName: query.deviceName } : {}),
      });
      return { items: page.results, hasMore: (page.currentPage + 1) * limit < page.totalCount, total: page.totalCount };
    },
    key: (result) => result.key,
  };
}

/** The GraphQL status for Automox's word; `success` (the doc's sample) means applied. */
function resultStatus(status: string): PolicyResultStatusName | null {
  const normalized = status.toLowerCase();
  if (normalized === 'success') return 'APPLIED';
  const upper = normalized.toUpperCase();
  return POLICY_RESULT_STATUSES.find((name) => name === upper) ?? null;
}

export function toPolicyDeviceResult(
  execution: PolicyExecutionModel,
  query: DeviceResultsQuery,
  result: AutomoxDeviceResult,
  position: number,
): PolicyDeviceResultModel {
  return {
    __typename: 'PolicyDeviceResult',
    id: POLICY_DEVICE_RESULT_ID.encode({ ...execution, ...query, position, key: result.key }),
    vendor: 'AUTOMOX',
    occurredAt: result.runTime,
    action: result.resultStatus,
    actor: null,
    device: {
      vendor: 'AUTOMOX',
      vendorDeviceId: result.deviceUuid,
      displayName: result.displayName ?? result.customName ?? result.hostname,
      organizationId: null,
    },
    certificate: null,
    resultStatus: resultStatus(result.resultStatus),
    resultReason: result.resultReason,
    patches: result.patches,
    stdout: result.stdout,
    stderr: result.stderr,
    exitCode: result.exitCode,
    policyId: result.policyUuid,
    policyName: result.policyName,
    policyType: result.policyType,
    eventTime: result.eventTime,
    deviceDeletedAt: result.deviceDeletedAt,
  };
}
