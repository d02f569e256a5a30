import type { Resolvers } from '../../generated/graphql.js';
import { automoxSort, deviceResultsSource, toPolicyDeviceResult } from '../sources/automox.js';
import { activitySource, toUserActivity } from '../sources/kobil.js';
import { badUserInput } from '../errors.js';
import { toGlobalId } from '../ids.js';
import { listPage } from './list-page.js';
import { checkKobilUserName } from '../checks/values.js';

/** The Automox organization a query means: the one it names, else the configured default. */
export function automoxOrganization(organizationId: string | null | undefined, defaultOrgId: string | undefined, argumentName: string): string {
  const organization = organizationId ?? defaultOrgId;
  if (!organization) {
    throw badUserInput(`\`${argumentName}\` is required: no default Automox organization is configured (AUTOMOX_ORG_UUID).`, argumentName);
  }
  return organization;
}

export const activityResolvers: Resolvers = {
  Query: {
    kobilUser: (_root, { userName }) => ({ userName: checkKobilUserName(userName) }),
    policyExecution: (_root, { policyId, executionToken, organizationId }, { automoxDefaultOrgId }) => ({
      policyId,
      executionToken,
      organizationId: automoxOrganization(organizationId, automoxDefaultOrgId, 'organizationId'),
    }),
  },
  KobilUser: {
    id: (user) => toGlobalId('KobilUser', user.userName),
    activity: async ({ userName }, args, context) => {
      const source = activitySource(context.loaders, userName);
      return listPage(context, source, args, (item, position) => toUserActivity(userName, item, position));
    },
  },
  PolicyExecution: {
    id: (execution) => toGlobalId('PolicyExecution', execution.policyId, execution.executionToken, execution.organizationId),
    deviceResults: async (execution, args, context) => {
      if (args.deviceName != null && args.deviceName.length > 200) {
        throw badUserInput('`deviceName` must be at most 200 characters.', 'deviceName');
      }
      const query = { statuses: [...(args.status ?? [])].sort(), deviceName: args.deviceName || null, sort: automoxSort(args.orderBy) };
      const source = deviceResultsSource(context.loaders, execution, query);
      return listPage(context, source, args, (result, position) =>
        toPolicyDeviceResult(execution, query, result, position),
      );
    },
  },
};
