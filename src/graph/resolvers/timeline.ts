import type { Resolvers, TimelineSource } from '../../generated/graphql.js';
import { deviceResultsSource, DEFAULT_DEVICE_RESULTS_SORT, toPolicyDeviceResult } from '../../vendors/automox/graph.js';
import { auditTrailSource, toDeviceFieldChange } from '../../vendors/control-center/graph.js';
import { activitySource, toUserActivity } from '../../vendors/kobil/graph.js';
import { authenticationsSource, toCertificateAuthentication } from '../../vendors/naver-cloud/graph.js';
import { DEFAULT_PAGE_SIZE, readSlice } from '../connections/arguments.js';
import type { MergeSource } from '../connections/merge.js';
import { resolveMergedConnection } from '../connections/merge.js';
import type { GraphContext } from '../context.js';
import { badUserInput } from '../errors.js';
import type { AuditEventModel } from '../models.js';
import { checkIccid, checkKobilUserName, checkSubjectId, DEFAULT_DAYS_OF_HISTORY } from '../validate.js';
import { automoxOrganization } from './activity.js';

/** The most sources one timeline merges. */
export const MAX_TIMELINE_SOURCES = 10;

/** One timeline source as a newest-first list of audit events. */
function mergeSource(input: TimelineSource, index: number, context: GraphContext): MergeSource<any, AuditEventModel> {
  const set = Object.entries(input).filter(([, value]) => value != null);
  if (set.length !== 1) throw badUserInput(`\`sources[${index}]\` must set exactly one field; it set ${set.length}.`, 'sources');
  const { loaders } = context;
  const where = `sources[${index}]`;
  if (input.iccid != null) {
    const iccid = checkIccid(input.iccid, `${where}.iccid`);
    return {
      source: auditTrailSource(loaders, iccid, DEFAULT_DAYS_OF_HISTORY),
      occurredAt: (record) => record.effectiveDate,
      toNode: (record, position) => toDeviceFieldChange(iccid, DEFAULT_DAYS_OF_HISTORY, record, position),
    };
  }
  if (input.kobilUserName != null) {
    const userName = checkKobilUserName(input.kobilUserName, `${where}.kobilUserName`);
    return {
      source: activitySource(loaders, userName),
      occurredAt: (item) => item.logDate,
      toNode: (item, position) => toUserActivity(userName, item, position),
    };
  }
  if (input.certificateSubjectId != null) {
    const subjectId = checkSubjectId(input.certificateSubjectId, `${where}.certificateSubjectId`);
    return {
      source: authenticationsSource(loaders, subjectId),
      occurredAt: (activity) => activity.seenTime,
      toNode: (activity, position) => toCertificateAuthentication(subjectId, activity, position),
    };
  }
  const ref = input.policyExecution!;
  const execution = {
    policyId: ref.policyId,
    executionToken: ref.executionToken,
    organizationId: automoxOrganization(ref.organizationId, context.automoxDefaultOrgId, `${where}.policyExecution.organizationId`),
  };
  const query = { statuses: [], deviceName: null, sort: DEFAULT_DEVICE_RESULTS_SORT };
  return {
    source: deviceResultsSource(loaders, execution, query),
    occurredAt: (result) => result.runTime,
    toNode: (result, position) => toPolicyDeviceResult(execution, query, result, position),
  };
}

export const timelineResolvers: Resolvers = {
  Query: {
    timeline: async (_root, { sources, first, after }, context) => {
      if (sources.length < 1 || sources.length > MAX_TIMELINE_SOURCES) {
        throw badUserInput(`\`sources\` must list 1 to ${MAX_TIMELINE_SOURCES} sources; it listed ${sources.length}.`, 'sources');
      }
      const merged = sources.map((input, index) => mergeSource(input, index, context));
      const connectionId = `timeline:${merged.map((m) => m.source.id).join('|')}`;
      const slice = readSlice({ first: first ?? DEFAULT_PAGE_SIZE, after }, connectionId, merged.length);
      if (slice.direction !== 'forward') throw new Error('timeline pages forward only');
      return resolveMergedConnection(connectionId, merged, slice.count, slice.after);
    },
  },
};
