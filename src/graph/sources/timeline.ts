/**
 * Which list each kind of `TimelineSource` merges: the one place the timeline's resolver, the
 * bounds of its cursor (field-arguments.ts) and its call count (operation-limits.ts) read it.
 */
import { CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY } from '../../vendors/control-center/contract.js';
import type { MergeSource } from '../connections/merge.js';
import type { GraphContext } from '../context.js';
import type { AuditEventModel, PolicyExecutionModel } from '../models.js';
import { deviceResultsSource, DEFAULT_DEVICE_RESULTS_SORT, toPolicyDeviceResult } from './automox.js';
import { auditTrailSource, toDeviceFieldChange } from './control-center.js';
import { activitySource, toUserActivity } from './kobil.js';
import { authenticationsSource, toCertificateAuthentication } from './naver-cloud.js';

/** A timeline source with its one field checked. */
export type CheckedTimelineSource =
  | { kind: 'iccid'; iccid: string }
  | { kind: 'kobilUser'; userName: string }
  | { kind: 'certificateSubject'; subjectId: string }
  | { kind: 'policyExecution'; execution: PolicyExecutionModel };

/** One checked timeline source as a newest-first list of audit events. */
export function mergeSource(checked: CheckedTimelineSource, { loaders }: GraphContext): MergeSource<any, AuditEventModel, any> {
  switch (checked.kind) {
    case 'iccid': {
      return {
        source: auditTrailSource(loaders, checked.iccid, CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY),
        occurredAt: (record) => record.effectiveDate,
        toNode: toDeviceFieldChange,
      };
    }
    case 'kobilUser': {
      return { source: activitySource(loaders, checked.userName), occurredAt: (item) => item.logDate, toNode: toUserActivity };
    }
    case 'certificateSubject': {
      return { source: authenticationsSource(loaders, checked.subjectId), occurredAt: (activity) => activity.seenTime, toNode: toCertificateAuthentication };
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
