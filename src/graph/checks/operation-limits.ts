import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isUnionType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { DEFAULT_PAGE_SIZE, readMergedSlice, readSlice, type ConnectionArguments } from '../connections/arguments.js';
import { pageCalls } from '../connections/connection.js';
import { mergedPageCalls } from '../connections/merge.js';
import type { PagingStyle } from '../../vendors/paging.js';
import type { GraphContext } from '../context.js';
import { globalIdType } from '../ids.js';
import { nodeCalls } from '../node.js';
import { mergeSource } from '../sources/timeline.js';
import { USER_LOGS_PAGING } from '../../vendors/kobil/contract.js';
import { AUDIT_TRAILS_PAGING } from '../../vendors/control-center/contract.js';
import { SUBJECT_CREDENTIALS_PAGING } from '../../vendors/naver-cloud/contract.js';
import { DEVICE_RESULTS_PAGING } from '../../vendors/automox/contract.js';
import { checkedArguments, type CheckedArguments, type CheckedField } from './field-arguments.js';
import { fragmentsOf, perOperation } from '../per-operation.js';

/** The deepest field nesting an operation may have. */
export const MAX_DEPTH = 12;
/** The most records an operation may ask for (see `measureOperation`). */
export const MAX_COST = 10_000;
/**
 * The most vendor calls one operation may make: refused beforehand when it can make more, and
 * held to at run time (a call and its retries count once).
 */
export const MAX_VENDOR_CALLS = 500;

interface OperationMeasure {
  depth: number;
  /** Records the operation may return. */
  cost: number;
  /**
   * Vendor calls the operation may make; once past `MAX_VENDOR_CALLS` counting stops, so this is
   * then a lower bound (and cheap to reach whatever the operation names).
   */
  vendorCalls: number;
}

/** What counts the vendor calls of one field: its checked arguments, in the request's context. */
type CallCount<P extends CheckedField> = (checked: CheckedArguments<P>, context: GraphContext) => number;

/**
 * The vendor calls one resolution of each field that calls vendors may make, where nothing moves:
 * a connection page's planned calls, each timeline source's, the batched reads of the IDs of
 * `node`/`nodes`. Calls the request's DataLoaders would share are still counted once per field,
 * so aliases of one field add up; a report's certificates are its parent's snapshot, no call.
 */
const VENDOR_CALLS: { [P in CheckedField]?: CallCount<P> } = {
  'Query.node': ({ id }, { loaders }) => nodeCalls([id], loaders),
  'Query.nodes': ({ ids }, { loaders }) => nodeCalls(ids, loaders),
  'Query.timeline': ({ sources, paging }, context) => {
    const lists = sources.map((checked) => mergeSource(checked, context).source.paging);
    return mergedPageCalls(lists, readMergedSlice(paging, null, lists));
  },
  'Device.auditEvents': ({ paging }) => listPageCalls(AUDIT_TRAILS_PAGING, paging),
  'Device.certificateReport': () => 1,
  'CertificateReport.certificates': () => 0,
  'KobilUser.activity': ({ paging }) => listPageCalls(USER_LOGS_PAGING, paging),
  'PolicyExecution.deviceResults': ({ paging }) => listPageCalls(DEVICE_RESULTS_PAGING, paging),
  'CertificateSubject.authentications': ({ paging }) => listPageCalls(SUBJECT_CREDENTIALS_PAGING, paging),
};

/** The calls of one page of a list paged `list`, for a connection's paging arguments. */
function listPageCalls(list: PagingStyle, paging: ConnectionArguments): number {
  return pageCalls(list, readSlice(paging, null, [list]));
}

/** The representations of `_entities` that resolve, as IDs: those whose ID is of their `__typename`. */
function entityIds(representations: unknown): string[] {
  if (!Array.isArray(representations)) return [];
  return representations.flatMap((representation) => {
    const { __typename, id } = (representation ?? {}) as Record<string, unknown>;
    return typeof id === 'string' && typeof __typename === 'string' && globalIdType(id) === __typename ? [id] : [];
  });
}

/** How a field adds to the records an operation may return. */
type RecordsKind = 'connection' | 'nodes' | '_entities' | 'rootField' | 'other';

/** A field of an operation as the measure reads it, resolved against the schema once. */
interface MeasuredField {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  path: CheckedField;
  calls: ((checked: any, context: GraphContext) => number) | undefined;
  records: RecordsKind;
  /** Fields under it that read arguments (the rest depend on the document alone). */
  children: MeasuredField[];
}

/** What of an operation's measure the document alone decides, and the fields whose arguments decide the rest. */
interface OperationShape {
  depth: number;
  /** Root fields that are neither connections nor `nodes`/`_entities`: one record each. */
  rootFields: number;
  fields: MeasuredField[];
}

const operationShape = perOperation(
  (schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): OperationShape => {
    const shape: OperationShape = { depth: 0, rootFields: 0, fields: [] };
    const root = schema.getRootType(operation.operation);
    if (!root) return shape;
    const counts: Partial<Record<string, MeasuredField['calls']>> = VENDOR_CALLS;
    const collect = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, level: number, into: MeasuredField[]) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          if (type && isCompositeType(type)) collect(selection.selectionSet, type, level, into);
          continue;
        }
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          const type = fragment && schema.getType(fragment.typeCondition.name.value);
          if (fragment && type && isCompositeType(type)) collect(fragment.selectionSet, type, level, into);
          continue;
        }
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field = isUnionType(parent) ? undefined : parent.getFields()[name];
        if (!field) continue;
        shape.depth = Math.max(shape.depth, level);
        const type = getNamedType(field.type);
        const path = `${parent.name}.${name}` as CheckedField;
        const records: RecordsKind = type.name.endsWith('Connection')
          ? 'connection'
          : parent !== root
            ? 'other'
            : name === 'nodes' || name === '_entities'
              ? name
              : 'rootField';
        if (records === 'rootField') shape.rootFields++;
        const measured: MeasuredField = { field, node: selection, path, calls: counts[path], records, children: [] };
        if (selection.selectionSet && isCompositeType(type)) collect(selection.selectionSet, type, level + 1, measured.children);
        if (measured.calls || (records !== 'other' && records !== 'rootField') || measured.children.length > 0) into.push(measured);
      }
    };
    collect(operation.selectionSet, root, 1, shape.fields);
    return shape;
  },
);

/**
 * Measures an operation before it runs. Records, the way GitHub's node limit does: every
 * connection field costs the records it may return (`first` or `last`, default 20) times the
 * records of every connection it is nested in; `nodes(ids:)` and `_entities` cost one per object
 * and multiply what is under them; every other root field costs 1. Vendor calls: each field's
 * count (`VENDOR_CALLS`) times the objects it is resolved for. Aliases are counted one by one, so
 * repeating a field under many aliases adds up. Introspection fields are not counted.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  context: GraphContext,
): OperationMeasure {
  const { depth, rootFields, fields } = operationShape(schema, operation, fragments);
  let cost = rootFields;
  let vendorCalls = 0;
  const walk = (measured: readonly MeasuredField[], multiplier: number) => {
    for (const { field, node, path, calls, records, children } of measured) {
      const args = calls || records !== 'other' ? getArgumentValues(field, node, variables) : {};
      if (calls && vendorCalls <= MAX_VENDOR_CALLS) vendorCalls += multiplier * calls(checkedArguments(path, args, context), context);
      let childMultiplier = multiplier;
      if (records === 'connection') {
        const size = (args.first as number | null | undefined) ?? (args.last as number | null | undefined) ?? DEFAULT_PAGE_SIZE;
        cost += multiplier * size;
        childMultiplier = multiplier * Math.max(size, 1);
      } else if (records === 'nodes' || records === '_entities') {
        const objects = records === 'nodes' ? (args.ids as string[]).length : (args.representations as unknown[]).length;
        cost += objects;
        childMultiplier = multiplier * Math.max(objects, 1);
        if (records === '_entities' && vendorCalls <= MAX_VENDOR_CALLS) vendorCalls += nodeCalls(entityIds(args.representations), context.loaders);
      }
      walk(children, childMultiplier);
    }
  };
  walk(fields, 1);
  return { depth, cost, vendorCalls };
}

/**
 * Throws `BAD_USER_INPUT` for an operation deeper than `MAX_DEPTH`, costlier than `MAX_COST`, or
 * that may make more than `MAX_VENDOR_CALLS` vendor calls; runs after the argument checks.
 */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  context: GraphContext,
): void {
  const { depth, cost, vendorCalls } = measureOperation(schema, operation, fragmentsOf(document), variables, context);
  const refuse = (message: string, extensions: Record<string, number>) =>
    new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
  if (depth > MAX_DEPTH) {
    throw refuse(`The operation is ${depth} fields deep; the limit is ${MAX_DEPTH}.`, { depth, maxDepth: MAX_DEPTH });
  }
  if (cost > MAX_COST) {
    throw refuse(
      `The operation may return up to ${cost} records; the limit is ${MAX_COST}. Ask for smaller pages (first/last) or fewer nested connections.`,
      { cost, maxCost: MAX_COST },
    );
  }
  if (vendorCalls > MAX_VENDOR_CALLS) {
    throw refuse(
      `The operation may make ${vendorCalls} or more vendor calls; the limit is ${MAX_VENDOR_CALLS}. Ask for fewer aliases, timeline sources or IDs, or smaller pages.`,
      { vendorCalls, maxVendorCalls: MAX_VENDOR_CALLS },
    );
  }
}
