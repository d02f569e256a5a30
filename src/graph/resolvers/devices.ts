import type { Resolvers } from '../../generated/graphql.js';
import { androidDevice, toCertificateReport } from '../sources/applivery.js';
import { auditTrailSource, cellularDevice, toDeviceFieldChange } from '../sources/control-center.js';
import { AUDIT_TRAILS_PAGING } from '../../vendors/control-center/contract.js';
import { readSlice } from '../connections/arguments.js';
import { emptyConnection } from '../connections/connection.js';
import { DEVICE_ID } from '../ids.js';
import { listPage } from './list-page.js';
import type { AuditEventModel, DeviceModel } from '../models.js';
import { memoizeByObject } from '../../memoize.js';
import { withCheckedArguments } from '../checks/field-arguments.js';
import { checkIccid, checkObjectId, checkOrganizationId } from '../checks/values.js';
import { badUserInput } from '../errors.js';
import { isUuid } from '../../vendors/uuid.js';
import { VENDORS } from '../../vendors/vendor.js';
import { loadEntity } from '../context.js';

/** A device's ID, encoded once per device object (the changes of one audit trail share theirs). */
const deviceId = memoizeByObject((device: DeviceModel) => DEVICE_ID.encode(device));

export const deviceResolvers: Resolvers = {
  Query: {
    cellularDevice: withCheckedArguments('Query.cellularDevice', (_root, { iccid }) => cellularDevice(iccid)),
    androidDevice: withCheckedArguments('Query.androidDevice', (_root, { organizationId, emmDeviceId }) => androidDevice(organizationId, emmDeviceId)),
  },
  Device: {
    id: (device) => deviceId(device),
    auditEvents: withCheckedArguments('Device.auditEvents', async (device, { daysOfHistory, paging }, context) => {
      if (device.vendor !== 'CISCO_CONTROL_CENTER') {
        readSlice(paging, `no-audit-trail:${device.vendor}`, [AUDIT_TRAILS_PAGING]);
        return emptyConnection<AuditEventModel>();
      }
      return listPage(context, auditTrailSource(context.loaders, device.vendorDeviceId, daysOfHistory), paging, toDeviceFieldChange);
    }),
    certificateReport: withCheckedArguments('Device.certificateReport', async (device, { historyId }, { loaders }) => {
      if (device.vendor !== 'APPLIVERY' || device.organizationId === null) return null;
      const ref = { organizationId: device.organizationId, emmDeviceId: device.vendorDeviceId, historyId };
      return toCertificateReport(ref, await loaders.certificateReport.load(ref));
    }),
    __resolveReference: async (reference, context) => loadEntity(context, 'id' in reference ? reference.id : idOfVendorKey(reference), 'Device'),
  },
};

/**
 * The global ID of the device a vendor key (`vendor vendorDeviceId organizationId`, the key other
 * subgraphs hold) names: the same device `Device.id` names. A key that can name no device is
 * refused with `BAD_USER_INPUT`, its parts checked as the arguments naming such a device are.
 */
function idOfVendorKey(key: { vendor: unknown; vendorDeviceId: unknown; organizationId?: unknown }): string {
  const refuse = (why: string) => badUserInput(`The Device key names no device: ${why}.`, 'representations');
  const vendor = VENDORS.find((name) => name === key.vendor);
  if (!vendor) throw refuse('`vendor` is not a Vendor');
  if (vendor === 'NAVER_CLOUD') throw refuse('NAVER Cloud records no devices');
  if (typeof key.vendorDeviceId !== 'string' || key.vendorDeviceId === '') throw refuse('`vendorDeviceId` must be a non-empty string');
  const organizationId = key.organizationId ?? null;
  if (vendor === 'APPLIVERY') {
    if (typeof organizationId !== 'string') throw refuse('an Applivery device needs its `organizationId`');
    checkOrganizationId(organizationId);
    checkObjectId(key.vendorDeviceId, 'vendorDeviceId');
  } else if (organizationId !== null) {
    throw refuse('only Applivery devices have an `organizationId`');
  }
  if (vendor === 'CISCO_CONTROL_CENTER') checkIccid(key.vendorDeviceId, 'vendorDeviceId');
  if (vendor === 'AUTOMOX' && !isUuid(key.vendorDeviceId)) throw refuse('an Automox `vendorDeviceId` is the device UUID');
  return DEVICE_ID.encode({ vendor, vendorDeviceId: key.vendorDeviceId, organizationId });
}
