import type { Resolvers } from '../../generated/graphql.js';
import { androidDevice, toCertificateReport } from '../sources/applivery.js';
import { AUDIT_TRAIL_PAGING, auditTrailSource, cellularDevice, toDeviceFieldChange } from '../sources/control-center.js';
import { readSlice } from '../connections/arguments.js';
import { emptyConnection } from '../connections/connection.js';
import { toGlobalId } from '../ids.js';
import { listPage } from './list-page.js';
import type { AuditEventModel } from '../models.js';
import { withCheckedArguments } from '../checks/field-arguments.js';

export const deviceResolvers: Resolvers = {
  Query: {
    cellularDevice: withCheckedArguments('Query.cellularDevice', (_root, { iccid }) => cellularDevice(iccid)),
    androidDevice: withCheckedArguments('Query.androidDevice', (_root, { organizationId, emmDeviceId }) => androidDevice(organizationId, emmDeviceId)),
  },
  Device: {
    id: (device) => toGlobalId('Device', device.vendor, device.vendorDeviceId, device.organizationId),
    auditEvents: withCheckedArguments('Device.auditEvents', async (device, { daysOfHistory, paging }, context) => {
      if (device.vendor !== 'CISCO_CONTROL_CENTER') {
        readSlice(paging, `no-audit-trail:${device.vendor}`, [AUDIT_TRAIL_PAGING]);
        return emptyConnection<AuditEventModel>();
      }
      const iccid = device.vendorDeviceId;
      const source = auditTrailSource(context.loaders, iccid, daysOfHistory);
      return listPage(context, source, paging, (record, position) => toDeviceFieldChange(iccid, daysOfHistory, record, position));
    }),
    certificateReport: withCheckedArguments('Device.certificateReport', async (device, { historyId }, { loaders }) => {
      if (device.vendor !== 'APPLIVERY' || device.organizationId === null) return null;
      const ref = { organizationId: device.organizationId, emmDeviceId: device.vendorDeviceId, historyId };
      return toCertificateReport(ref, await loaders.certificateReport.load(ref));
    }),
    __resolveReference: async (reference, context) => {
      const node = await context.nodes.load(reference.id);
      return node?.__typename === 'Device' ? node : null;
    },
  },
};
