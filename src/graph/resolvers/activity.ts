import type { Resolvers } from '../../generated/graphql.js';
import { deviceResultsSource, POLICY_EXECUTION_ID, toPolicyDeviceResult } from '../sources/automox.js';
import { activitySource, KOBIL_USER_ID, toUserActivity } from '../sources/kobil.js';
import { listPage } from './list-page.js';
import { withCheckedArguments } from '../checks/field-arguments.js';

export const activityResolvers: Resolvers = {
  Query: {
    kobilUser: withCheckedArguments('Query.kobilUser', (_root, { userName }) => ({ userName })),
    policyExecution: withCheckedArguments('Query.policyExecution', (_root, { execution }) => execution),
  },
  KobilUser: {
    id: (user) => KOBIL_USER_ID.encode(user),
    activity: withCheckedArguments('KobilUser.activity', ({ userName }, { paging }, context) => {
      const source = activitySource(context.loaders, userName);
      return listPage(context, source, paging, toUserActivity);
    }),
  },
  PolicyExecution: {
    id: (execution) => POLICY_EXECUTION_ID.encode(execution),
    deviceResults: withCheckedArguments('PolicyExecution.deviceResults', (execution, { paging, query }, context) => {
      const source = deviceResultsSource(context.loaders, execution, query);
      return listPage(context, source, paging, (result, position) => toPolicyDeviceResult(execution, query, result, position));
    }),
  },
};
