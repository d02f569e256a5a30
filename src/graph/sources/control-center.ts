import type { ListSource } from '../connections/list-reader.js';
import { countPart, countPartWithin, idCodec, textPart, vendorIdPart } from '../ids.js';
import type { DeviceChangeStatusName, DeviceFieldChangeModel, DeviceModel } from '../models.js';
import type { Loaders } from '../loaders/index.js';
import { isValidIccid, type ControlCenterAuditRecord } from '../../vendors/control-center/client.js';
import { AUDIT_TRAILS_PAGING, CONTROL_CENTER_CHANGE_STATUSES, CONTROL_CENTER_MAX_DAYS_OF_HISTORY } from '../../vendors/control-center/contract.js';

/** A cellular device, known by its ICCID. */
export function cellularDevice(iccid: string): DeviceModel {
  return { vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: iccid, displayName: null, organizationId: null };
}

/** `DeviceFieldChange` IDs: the audit trail (device, days of history), and the record's position and key in it. */
export const DEVICE_FIELD_CHANGE_ID = idCodec('DeviceFieldChange', {
  iccid: vendorIdPart(isValidIccid),
  daysOfHistory: countPartWithin(1, CONTROL_CENTER_MAX_DAYS_OF_HISTORY),
  position: countPart,
  key: textPart,
});

/** A device's audit trail over `daysOfHistory` days, as a list the connection engine pages. */
export interface AuditTrailSource extends ListSource<ControlCenterAuditRecord> {
  readonly iccid: string;
  readonly daysOfHistory: number;
  /** The device every change of the trail is of: one object, so its ID is encoded once (see `Device.id`). */
  readonly device: DeviceModel;
}

export function auditTrailSource(loaders: Loaders, iccid: string, daysOfHistory: number): AuditTrailSource {
  return {
    id: `control-center:audit-trail:${iccid}:${daysOfHistory}`,
    iccid,
    daysOfHistory,
    device: cellularDevice(iccid),
    paging: AUDIT_TRAILS_PAGING,
    reportsTotal: AUDIT_TRAILS_PAGING.reportsTotal,
    async fetch(_offset, limit, pageNumber) {
      const page = await loaders.auditTrails.load({ iccid, pageNumber: pageNumber ?? 1, pageSize: limit, daysOfHistory });
      return { items: page.records, hasMore: !page.lastPage, total: null };
    },
    key: (record) => record.key,
  };
}

/** An audit record at `position` of its trail as a `DeviceFieldChange` (a `ToNode`: built once per cached answer). */
export function toDeviceFieldChange(record: ControlCenterAuditRecord, position: number, { iccid, daysOfHistory, device }: AuditTrailSource): DeviceFieldChangeModel {
  return {
    __typename: 'DeviceFieldChange',
    id: DEVICE_FIELD_CHANGE_ID.encode({ iccid, daysOfHistory, position, key: record.key }),
    vendor: 'CISCO_CONTROL_CENTER',
    occurredAt: record.effectiveDate,
    action: `${record.field} changed`,
    actor: record.userName,
    device,
    certificate: null,
    field: record.field,
    priorValue: record.priorValue,
    value: record.value,
    status: record.status,
    changeStatus: changeStatus(record.status),
    delegatedUser: record.delegatedUser,
    ipAddress: record.ipAddress,
  };
}

/**
 * A change status as the schema's enum: each documented status by its name in capitals
 * (`WaitingRetry` → `WAITING_RETRY`), whatever its case; `OTHER` for a status Control Center added since.
 */
export function changeStatus(status: string | null): DeviceChangeStatusName | null {
  if (status === null) return null;
  return CHANGE_STATUS_NAMES.get(plainStatus(status)) ?? 'OTHER';
}

/** A status without case or separators, as two spellings of one status compare. */
function plainStatus(status: string): string {
  return status.replace(/[\s_-]/g, '').toLowerCase();
}

/** The enum name of each documented status, by its plain spelling: worked out once, not per record. */
const CHANGE_STATUS_NAMES = new Map(
  CONTROL_CENTER_CHANGE_STATUSES.map((name) => [plainStatus(name), name.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase() as DeviceChangeStatusName]),
);
