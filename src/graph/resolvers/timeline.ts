import type { QueryTimelineArgs, Resolvers, TimelineSource } from '../../generated/graphql.js';
import { deviceResultsSource, DEFAULT_DEVICE_RESULTS_SORT, toPolicyDeviceResult } from '../sources/automox.js';
import { auditTrailSource, toDeviceFieldChange } from '../sources/control-center.js';
import { activitySource, toUserActivity } from '../sources/kobil.js';
import { authenticationsSource, toCertificateAuthentication } from '../sources/naver-cloud.js';
import { DEFAULT_PAGE_SIZE, readSlice } from '../connections/arguments.js';
import type { MergeSource } from '../connections/merge.js';
import { resolveMergedConnection } from '../connections/merge.js';
import type { GraphContext } from '../context.js';
import { badUserInput } from '../errors.js';
import type { AuditEventModel, PolicyExecutionModel } from '../models.js';
import { checkIccid, checkKobilUserName, checkSubjectId, DEFAULT_DAYS_OF_HISTORY } from '../checks/values.js';
import { automoxOrganization } from './activity.js';

/** The most sources one timeline merges. */
export const MAX_TIMELINE_SOURCES = 10;

/** A timeline source with its one field checked. */
type CheckedSource =
  | { kind: 'iccid'; iccid: string }
  | { kind: 'kobilUser'; userName: string }
  | { kind: 'certificateSubject'; subjectId: string }
  | { kind: 'policyExecution'; execution: PolicyExecutionModel };

/** Checks one `TimelineSource` (`@oneOf`, vendor id patterns), or throws `BAD_USER_INPUT`. */
export function checkTimelineSource(input: TimelineSource, index: number, defaultOrgId: string | undefined): CheckedSource {
  const set = Object.entries(input).filter(([, value]) => value != null);
  if (set.length !== 1) throw badUserInput(`\`sources[${index}]\` must set exactly one field; it set ${set.length}.`, 'sources');
  const where = `sources[${index}]`;
  if (input.iccid != null) return { kind: 'iccid', iccid: checkIccid(input.iccid, `${where}.iccid`) };
  if (input.kobilUserName != null) return { kind: 'kobilUser', userName: checkKobilUserName(input.kobilUserName, `${where}.kobilUserName`) };
  if (input.certificateSubjectId != null) {
    return { kind: 'certificateSubject', subjectId: checkSubjectId(input.certificateSubjectId, `${where}.certificateSubjectId`) };
  }
  const ref = input.policyExecution!;
  return {
    kind: 'policyExecution',
    execution: {
      policyId: ref.policyId,
      executionToken: ref.executionToken,
      organizationId: automoxOrganization(ref.organizationId, defaultOrgId, `${where}.policyExecution.organizationId`),
    },
  };
}

/** Checks the timeline's sources: how many, and each one (its paging is `readSlice`'s). */
export function checkTimelineArguments(args: QueryTimelineArgs, defaultOrgId: string | undefined) {
  const { sources } = args;
  if (sources.length < 1 || sources.length > MAX_TIMELINE_SOURCES) {
    throw badUserInput(`\`sources\` must list 1 to ${MAX_TIMELINE_SOURCES} sources; it listed ${sources.length}.`, 'sources');
  }
  return sources.map((input, index) => checkTimelineSource(input, index, defaultOrgId));
}

/** One checked timeline source as a newest-first list of audit events. */
function mergeSource(checked: CheckedSource, { loaders }: GraphContext): MergeSource<any, AuditEventModel> {
  switch (checked.kind) {
    case 'iccid': {
      const { iccid } = checked;
      return {
        source: auditTrailSource(loaders, iccid, DEFAULT_DAYS_OF_HISTORY),
        occurredAt: (record) => record.effectiveDate,
        toNode: (record, position) => toDeviceFieldChange(iccid, DEFAULT_DAYS_OF_HISTORY, record, position),
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
    timeline: async (_root, args, context) => {
      const merged = checkTimelineArguments(args, context.automoxDefaultOrgId).map((checked) => mergeSource(checked, context));
      const connectionId = `timeline:${merged.map((m) => m.source.id).join('|')}`;
      const slice = readSlice({ first: args.first ?? DEFAULT_PAGE_SIZE, after: args.after }, connectionId, merged.length);
      if (slice.direction !== 'forward') throw new Error('timeline pages forward only');
      return resolveMergedConnection(connectionId, merged, slice.count, slice.after);
    },
  },
};
