import type { Resolvers } from '../../generated/graphql.js';
import { deviceResultsSource, toPolicyDeviceResult } from '../sources/automox.js';
import { activitySource, toUserActivity } from '../sources/kobil.js';
import { toGlobalId } from '../ids.js';
import { listPage } from './list-page.js';
import { withCheckedArguments } from '../checks/field-arguments.js';

export const activityResolvers: Resolvers = {
  Query: {
    kobilUser: withCheckedArguments('Query.kobilUser', (_root, { userName }) => ({ userName })),
    policyExecution: withCheckedArguments('Query.policyExecution', (_root, { execution }) => execution),
  },
  KobilUser: {
    id: (user) => toGlobalId('KobilUser', user.userName),
    activity: withCheckedArguments('KobilUser.activity', ({ userName }, { paging }, context) => {
      const source = activitySource(context.loaders, userName);
      return listPage(context, source, paging, (item, position) => toUserActivity(userName, item, position));
    }),
  },
  PolicyExecution: {
    id: (execution) => toGlobalId('PolicyExecution', execution.policyId, execution.executionToken, execution.organizationId),
    deviceResults: withCheckedArguments('PolicyExecution.deviceResults', (execution, { paging, query }, context) => {
      const source = deviceResultsSource(context.loaders, execution, query);
      return listPage(context, source, paging, (result, position) => toPolicyDeviceResult(execution, query, result, position));
    }),
  },
};
