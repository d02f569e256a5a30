import type { Resolvers } from '../../generated/graphql.js';
import { deviceResultsSource, DEFAULT_DEVICE_RESULTS_SORT, toPolicyDeviceResult } from '../sources/automox.js';
import { auditTrailSource, toDeviceFieldChange } from '../sources/control-center.js';
import { activitySource, toUserActivity } from '../sources/kobil.js';
import { authenticationsSource, toCertificateAuthentication } from '../sources/naver-cloud.js';
import { readMergedSlice } from '../connections/arguments.js';
import type { MergeSource } from '../connections/merge.js';
import { resolveMergedConnection } from '../connections/merge.js';
import type { GraphContext } from '../context.js';
import { reportPartialError } from '../partial-errors.js';
import { VendorError } from '../../vendors/http/errors.js';
import type { AuditEventModel } from '../models.js';
import { CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY } from '../../vendors/control-center/contract.js';
import { withCheckedArguments, type CheckedTimelineSource } from '../checks/field-arguments.js';

/** One checked timeline source as a newest-first list of audit events. */
export function mergeSource(checked: CheckedTimelineSource, { loaders }: GraphContext): MergeSource<any, AuditEventModel> {
  switch (checked.kind) {
    case 'iccid': {
      const { iccid } = checked;
      return {
        source: auditTrailSource(loaders, iccid, CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY),
        occurredAt: (record) => record.effectiveDate,
        toNode: (record, position) => toDeviceFieldChange(iccid, CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY, record, position),
      };
    }
    case 'kobilUser': {
      const { userName } = checked;
      return {
        source: activitySource(loaders, userName),
        occurredAt: (item) => item.logDate,
        toNode: (item, position) => toUserActivity(userName, item, position),
      };
    }
    case 'certificateSubject': {
      const { subjectId } = checked;
      return {
        source: authenticationsSource(loaders, subjectId),
        occurredAt: (activity) => activity.seenTime,
        toNode: (activity, position) => toCertificateAuthentication(subjectId, activity, position),
      };
    }
    case 'policyExecution': {
      const { execution } = checked;
      const query = { statuses: [], deviceName: null, sort: DEFAULT_DEVICE_RESULTS_SORT };
      return {
        source: deviceResultsSource(loaders, execution, query),
        occurredAt: (result) => result.runTime,
        toNode: (result, position) => toPolicyDeviceResult(execution, query, result, position),
      };
    }
  }
}

export const timelineResolvers: Resolvers = {
  Query: {
    timeline: withCheckedArguments('Query.timeline', async (_root, { sources, paging }, context, info) => {
      const merged = sources.map((checked) => mergeSource(checked, context));
      const connectionId = `timeline:${merged.map((m) => m.source.id).join('|')}`;
      const slice = readMergedSlice(paging, connectionId, merged.map((m) => m.source.paging));
      const page = await resolveMergedConnection(connectionId, merged, slice);
      // A vendor failure costs its source only; anything else (a cursor whose record left its list) fails the field.
      const unexpected = page.failures.find((failure) => !(failure.error instanceof VendorError));
      if (unexpected) throw unexpected.error;
      for (const { index, error } of page.failures) reportPartialError(context, info, error, { sourceIndex: index });
      return page.connection;
    }),
  },
};
