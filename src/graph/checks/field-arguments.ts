import {
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { Resolvers, TimelineSource } from '../../generated/graphql.js';
import { readMergedSlice, readSlice, type ConnectionArguments } from '../connections/arguments.js';
import type { GraphContext } from '../context.js';
import type { PagingStyle } from '../../vendors/paging.js';
import { badUserInput } from '../errors.js';
import { readNodeId } from '../node.js';
import { mergeSource, type CheckedTimelineSource } from '../sources/timeline.js';
import { automoxSort, type DeviceResultsQuery } from '../sources/automox.js';
import { CERTIFICATE_REPORT_PAGING } from '../../vendors/applivery/contract.js';
import { DEVICE_RESULTS_PAGING } from '../../vendors/automox/contract.js';
import { AUDIT_TRAILS_PAGING } from '../../vendors/control-center/contract.js';
import { USER_LOGS_PAGING } from '../../vendors/kobil/contract.js';
import { SUBJECT_CREDENTIALS_PAGING } from '../../vendors/naver-cloud/contract.js';
import {
  checkAutomoxOrganization,
  checkDaysOfHistory,
  checkDeviceNameFilter,
  checkIccid,
  checkKobilUserName,
  checkObjectId,
  checkOrganizationId,
  checkSubjectId,
} from './values.js';
import { perOperation } from '../per-operation.js';

/** The most IDs one `nodes` call accepts. */
export const MAX_NODES = 100;
/** The most sources one timeline merges. */
export const MAX_TIMELINE_SOURCES = 10;

/** `Type.field` of every field the generated resolver types know. */
type FieldPath = { [T in keyof Resolvers & string]: `${T}.${keyof NonNullable<Resolvers[T]> & string}` }[keyof Resolvers & string];

/** The resolver function type codegen generated for the field at `P`. */
type ResolverOf<P extends string> = P extends `${infer T}.${infer F}`
  ? T extends keyof Resolvers
    ? F extends keyof NonNullable<Resolvers[T]>
      ? Extract<NonNullable<NonNullable<Resolvers[T]>[F]>, (...args: any[]) => unknown>
      : never
    : never
  : never;

/**
 * The Relay paging arguments, checked: counts, directions, cursors that decode and lie within
 * the bound of the list the field pages. Whether a cursor belongs to the list it is used on is
 * known only under the field's parent (`listPage`).
 */
function checkPaging({ first, after, last, before }: ConnectionArguments, list: PagingStyle): ConnectionArguments {
  readSlice({ first, after, last, before }, null, [list]);
  return { first, after, last, before };
}

/** Checks one `TimelineSource` (`@oneOf`, vendor id patterns), or throws `BAD_USER_INPUT`. */
function checkTimelineSource(input: TimelineSource, index: number, defaultOrgId: string | undefined): CheckedTimelineSource {
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
      organizationId: checkAutomoxOrganization(ref.organizationId, defaultOrgId, `${where}.policyExecution.organizationId`),
    },
  };
}

/**
 * The one table of argument checks: for every field whose arguments lead to a vendor call, keyed
 * `Type.field`, the check that turns its arguments into the values its resolver uses, or throws
 * `BAD_USER_INPUT`. The pre-execution plugin runs every entry over a whole operation before any
 * vendor is called; each resolver is built with `withCheckedArguments`, so it reads its arguments
 * through the same entry and never on its own.
 */
const FIELD_ARGUMENTS = {
  'Query.node': ({ id }, { loaders }) => {
    readNodeId(id, loaders);
    return { id };
  },
  'Query.nodes': ({ ids }, { loaders }) => {
    if (ids.length > MAX_NODES) throw badUserInput(`\`ids\` may list at most ${MAX_NODES} IDs; it listed ${ids.length}.`, 'ids');
    ids.forEach((id, index) => readNodeId(id, loaders, `ids[${index}]`));
    return { ids };
  },
  'Query.cellularDevice': ({ iccid }) => ({ iccid: checkIccid(iccid) }),
  'Query.androidDevice': ({ organizationId, emmDeviceId }) => ({
    organizationId: checkOrganizationId(organizationId),
    emmDeviceId: checkObjectId(emmDeviceId, 'emmDeviceId'),
  }),
  'Query.kobilUser': ({ userName }) => ({ userName: checkKobilUserName(userName) }),
  'Query.certificateSubject': ({ subjectId }) => ({ subjectId: checkSubjectId(subjectId) }),
  'Query.policyExecution': ({ policyId, executionToken, organizationId }, { automoxDefaultOrgId }) => ({
    execution: { policyId, executionToken, organizationId: checkAutomoxOrganization(organizationId, automoxDefaultOrgId, 'organizationId') },
  }),
  'Query.timeline': ({ sources, first, after, last, before }, context) => {
    if (sources.length < 1 || sources.length > MAX_TIMELINE_SOURCES) {
      throw badUserInput(`\`sources\` must list 1 to ${MAX_TIMELINE_SOURCES} sources; it listed ${sources.length}.`, 'sources');
    }
    const checked = sources.map((input, index) => checkTimelineSource(input, index, context.automoxDefaultOrgId));
    // The lists the timeline's resolver merges, for the bounds of its cursor.
    readMergedSlice({ first, after, last, before }, null, checked.map((source) => mergeSource(source, context).source.paging));
    return { sources: checked, paging: { first, after, last, before } };
  },
  'Device.auditEvents': (args) => ({ daysOfHistory: checkDaysOfHistory(args.daysOfHistory), paging: checkPaging(args, AUDIT_TRAILS_PAGING) }),
  'Device.certificateReport': ({ historyId }) => ({ historyId: checkObjectId(historyId, 'historyId') }),
  'CertificateReport.certificates': (args) => ({ paging: checkPaging(args, CERTIFICATE_REPORT_PAGING), state: args.state ?? null }),
  'KobilUser.activity': (args) => ({ paging: checkPaging(args, USER_LOGS_PAGING) }),
  'PolicyExecution.deviceResults': (args) => {
    const paging = checkPaging(args, DEVICE_RESULTS_PAGING);
    const query: DeviceResultsQuery = {
      statuses: [...(args.status ?? [])].sort(),
      deviceName: checkDeviceNameFilter(args.deviceName),
      sort: automoxSort(args.orderBy),
    };
    return { paging, query };
  },
  'CertificateSubject.authentications': (args) => ({ paging: checkPaging(args, SUBJECT_CREDENTIALS_PAGING) }),
} satisfies { [P in FieldPath]?: (args: Parameters<ResolverOf<P>>[1], context: GraphContext) => unknown };

/** The `Type.field` paths the table checks. */
export type CheckedField = keyof typeof FIELD_ARGUMENTS;

/** What the check of the field at `P` hands its resolver. */
export type CheckedArguments<P extends CheckedField> = ReturnType<(typeof FIELD_ARGUMENTS)[P]>;

/** The arguments of the field at `path`, checked into what its resolver receives, or `BAD_USER_INPUT`. */
export function checkedArguments<P extends CheckedField>(path: P, args: unknown, context: GraphContext): CheckedArguments<P> {
  return (FIELD_ARGUMENTS[path] as (args: unknown, context: GraphContext) => CheckedArguments<P>)(args, context);
}

/** Resolvers built by `withCheckedArguments`. */
const READS_CHECKED_ARGUMENTS = new WeakSet<object>();

/**
 * The resolver of the field at `path`, given its arguments only as that field's entry of the
 * table returns them: a resolver cannot check (or forget to check) anything the plugin does not.
 */
export function withCheckedArguments<P extends CheckedField>(
  path: P,
  resolve: (
    parent: Parameters<ResolverOf<P>>[0],
    checked: CheckedArguments<P>,
    context: GraphContext,
    info: GraphQLResolveInfo,
  ) => ReturnType<ResolverOf<P>>,
): ResolverOf<P> {
  const resolver = (parent: Parameters<ResolverOf<P>>[0], args: unknown, context: GraphContext, info: GraphQLResolveInfo) =>
    resolve(parent, checkedArguments(path, args, context), context, info);
  READS_CHECKED_ARGUMENTS.add(resolver);
  return resolver as unknown as ResolverOf<P>;
}

/** The `Type.field` paths of the table. */
export const CHECKED_FIELDS: readonly string[] = Object.keys(FIELD_ARGUMENTS);

/** Whether `resolver` was built by `withCheckedArguments`. */
export function readsCheckedArguments(resolver: unknown): boolean {
  return typeof resolver === 'function' && READS_CHECKED_ARGUMENTS.has(resolver);
}

/** A field of an operation that the table checks, resolved against the schema once. */
interface CheckedFieldNode {
  path: CheckedField;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/** The fields of an operation and of every fragment of its document that the table checks, in document order. */
const checkedFieldsOf = perOperation((schema: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode): CheckedFieldNode[] => {
  const found: CheckedFieldNode[] = [];
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
          const path = `${parent.name}.${field.name}`;
          if (Object.hasOwn(FIELD_ARGUMENTS, path)) found.push({ path: path as CheckedField, field, node });
        },
      }),
    );
  }
  return found;
});

/** Runs the table's checks over every field of the operation, fragments included. */
export function checkOperationArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  context: GraphContext,
): void {
  for (const { path, field, node } of checkedFieldsOf(schema, operation, document)) {
    checkedArguments(path, getArgumentValues(field, node, variables), context);
  }
}
