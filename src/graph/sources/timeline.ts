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
