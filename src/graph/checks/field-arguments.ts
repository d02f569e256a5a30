import {
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { QueryNodesArgs, QueryTimelineArgs } from '../../generated/graphql.js';
import { readSlice, type ConnectionArguments } from '../connections/arguments.js';
import type { GraphContext } from '../context.js';
import { fromGlobalId } from '../ids.js';
import { automoxOrganization } from '../resolvers/activity.js';
import { MAX_NODES } from '../resolvers/index.js';
import { checkTimelineArguments } from '../resolvers/timeline.js';
import { badUserInput } from '../errors.js';
import {
  checkDaysOfHistory,
  checkIccid,
  checkKobilUserName,
  checkObjectId,
  checkOrganizationId,
  checkSubjectId,
} from './values.js';

type Args = Record<string, any>;
type ArgumentCheck = (args: Args, context: GraphContext) => void;

const slice: ArgumentCheck = (args) => void readSlice(args as ConnectionArguments, null);

/**
 * The argument checks of every field that leads to a vendor call, keyed `Type.field`. The same
 * checks run again in the resolvers (which need their results); running them here first means one
 * bad argument anywhere in an operation refuses the whole operation before any vendor is called.
 */
const ARGUMENT_CHECKS: Record<string, ArgumentCheck> = {
  'Query.node': (args) => void fromGlobalId(args.id),
  'Query.nodes': (args) => {
    const { ids } = args as QueryNodesArgs;
    if (ids.length > MAX_NODES) throw badUserInput(`\`ids\` may list at most ${MAX_NODES} IDs; it listed ${ids.length}.`, 'ids');
    ids.forEach((id, index) => fromGlobalId(id, `ids[${index}]`));
  },
  'Query.cellularDevice': (args) => void checkIccid(args.iccid),
  'Query.androidDevice': (args) => {
    checkOrganizationId(args.organizationId);
    checkObjectId(args.emmDeviceId, 'emmDeviceId');
  },
  'Query.kobilUser': (args) => void checkKobilUserName(args.userName),
  'Query.certificateSubject': (args) => void checkSubjectId(args.subjectId),
  'Query.policyExecution': (args, context) => void automoxOrganization(args.organizationId, context.automoxDefaultOrgId, 'organizationId'),
  'Query.timeline': (args, context) => {
    const timeline = args as QueryTimelineArgs;
    const sources = checkTimelineArguments(timeline, context.automoxDefaultOrgId);
    readSlice({ first: timeline.first, after: timeline.after }, null, sources.length);
  },
  'Device.auditEvents': (args, context) => {
    checkDaysOfHistory(args.daysOfHistory);
    slice(args, context);
  },
  'Device.certificateReport': (args) => void checkObjectId(args.historyId, 'historyId'),
  'CertificateReport.certificates': slice,
  'KobilUser.activity': slice,
  'PolicyExecution.deviceResults': slice,
  'CertificateSubject.authentications': slice,
};

/** Runs `ARGUMENT_CHECKS` over every field of the operation, fragments included. */
export function checkOperationArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  context: GraphContext,
): void {
  const typeInfo = new TypeInfo(schema);
  const used = new Set([operation, ...document.definitions.filter((d) => d.kind === 'FragmentDefinition')]);
  for (const definition of used) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          // Every checked field is on an object type: interface fields lead to no vendor call.
          if (!parent || !field || !isObjectType(parent)) return;
          const check = ARGUMENT_CHECKS[`${parent.name}.${field.name}`];
          if (check) check(getArgumentValues(field, node, variables), context);
        },
      }),
    );
  }
}
