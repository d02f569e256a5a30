import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  buildSchema,
  parse,
  validateSchema,
  Kind,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
  type TypeNode,
} from 'graphql';
import { buildDeviceGraphSchema } from '../src/graph/schema.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { isFederationDirectiveName, isFederationRootField, isFederationTypeName, routerApiSchema, subgraphClientSchema } from './support/client-schema.js';

/**
 * The public schema against graphql-js's validateSchema and a lint for the conventions of Relay and
 * of GitHub's GraphQL API: descriptions everywhere, connection and edge shapes, paging arguments,
 * no lists of nullable items, Node ids — and the fixed names of the public contract.
 *
 * The lint walks the executable subgraph schema (buildDeviceGraphSchema) and skips only what
 * federation adds (`_service`, `_entities`, `_Any`, `_Entity`, `link__*`, `federation__*`).
 */

const schema = buildDeviceGraphSchema();

/** Lists whose items may be null, on purpose. */
const NULLABLE_ITEM_LISTS = new Map([['Query.nodes', 'Relay: an entry is null when its object is not found']]);
/** Connection fields that may be null, on purpose. */
const NULLABLE_CONNECTIONS = new Map([['Query.timeline', 'a root field: null when every source fails, so that sibling root fields keep their data']]);

function publicTypes(s: GraphQLSchema): GraphQLNamedType[] {
  return Object.values(s.getTypeMap()).filter((type) => !type.name.startsWith('__') && !isFederationTypeName(type.name) && !isSpecifiedScalarType(type));
}

function publicFields(type: GraphQLObjectType | GraphQLInterfaceType): Array<GraphQLField<unknown, unknown>> {
  return Object.values(type.getFields()).filter((field) => !isFederationRootField(type.name, field.name));
}

function fieldTypes(s: GraphQLSchema): Array<{ coordinate: string; type: GraphQLOutputType | GraphQLInputType }> {
  const out: Array<{ coordinate: string; type: GraphQLOutputType | GraphQLInputType }> = [];
  for (const type of publicTypes(s)) {
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of publicFields(type)) {
        out.push({ coordinate: `${type.name}.${field.name}`, type: field.type });
        for (const arg of field.args) out.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, type: arg.type });
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) out.push({ coordinate: `${type.name}.${field.name}`, type: field.type });
    }
  }
  return out;
}

function hasDescription(element: { description?: string | null | undefined }): boolean {
  return typeof element.description === 'string' && element.description.trim().length > 0;
}

function report(problems: string[], what: string): string {
  return `${problems.length} ${what}:\n  ${problems.join('\n  ')}`;
}

function connectionFields(s: GraphQLSchema): Array<{ coordinate: string; field: GraphQLField<unknown, unknown> }> {
  const out: Array<{ coordinate: string; field: GraphQLField<unknown, unknown> }> = [];
  for (const type of publicTypes(s)) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of publicFields(type)) {
      const named = isNonNullType(field.type) ? field.type.ofType : field.type;
      if ('name' in named && named.name.endsWith('Connection')) out.push({ coordinate: `${type.name}.${field.name}`, field });
    }
  }
  return out;
}

describe('graphql-js validateSchema', () => {
  it('accepts the subgraph schema (buildDeviceGraphSchema)', () => {
    const errors = validateSchema(schema);
    assert.equal(errors.length, 0, report(errors.map(String), 'schema errors'));
  });

  it('accepts the subgraph schema without federation machinery', () => {
    const errors = validateSchema(subgraphClientSchema());
    assert.equal(errors.length, 0, report(errors.map(String), 'schema errors'));
  });

  it('accepts the router API schema (devicegraph composed alone)', () => {
    const errors = validateSchema(routerApiSchema());
    assert.equal(errors.length, 0, report(errors.map(String), 'schema errors'));
  });
});

/** One lint rule: what it checks, and the problems it finds in a schema. */
interface LintRule {
  title: string;
  check(s: GraphQLSchema): string[];
}

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const SCREAMING_SNAKE = /^[A-Z][A-Z0-9_]*$/;

const LINT_RULES: LintRule[] = [
  {
    title: 'describes every type, field, argument, enum value, input field and directive',
    check(s) {
      const missing: string[] = [];
      for (const type of publicTypes(s)) {
        if (!hasDescription(type)) missing.push(`${type.name}: no description`);
        if (isObjectType(type) || isInterfaceType(type)) {
          for (const field of publicFields(type)) {
            if (!hasDescription(field)) missing.push(`${type.name}.${field.name}: no description`);
            for (const arg of field.args) if (!hasDescription(arg)) missing.push(`${type.name}.${field.name}(${arg.name}:): no description`);
          }
        } else if (isInputObjectType(type)) {
          for (const field of Object.values(type.getFields())) if (!hasDescription(field)) missing.push(`${type.name}.${field.name}: no description`);
        } else if (isEnumType(type)) {
          for (const value of type.getValues()) if (!hasDescription(value)) missing.push(`${type.name}.${value.name}: no description`);
        }
      }
      for (const directive of s.getDirectives()) {
        if (isSpecifiedDirective(directive) || isFederationDirectiveName(directive.name)) continue;
        if (!hasDescription(directive)) missing.push(`@${directive.name}: no description`);
        for (const arg of directive.args) if (!hasDescription(arg)) missing.push(`@${directive.name}(${arg.name}:): no description`);
      }
      return missing;
    },
  },
  {
    title: 'names things the GraphQL way: PascalCase types, camelCase fields and arguments, SCREAMING_SNAKE enum values',
    check(s) {
      const wrong: string[] = [];
      for (const type of publicTypes(s)) {
        if (!PASCAL.test(type.name)) wrong.push(`type ${type.name}: not PascalCase`);
        if (isObjectType(type) || isInterfaceType(type)) {
          for (const field of publicFields(type)) {
            if (!CAMEL.test(field.name)) wrong.push(`${type.name}.${field.name}: not camelCase`);
            for (const arg of field.args) if (!CAMEL.test(arg.name)) wrong.push(`${type.name}.${field.name}(${arg.name}:): not camelCase`);
          }
        } else if (isInputObjectType(type)) {
          for (const field of Object.values(type.getFields())) if (!CAMEL.test(field.name)) wrong.push(`${type.name}.${field.name}: not camelCase`);
        } else if (isEnumType(type)) {
          for (const value of type.getValues()) if (!SCREAMING_SNAKE.test(value.name)) wrong.push(`${type.name}.${value.name}: not SCREAMING_SNAKE_CASE`);
        }
      }
      return wrong;
    },
  },
  {
    title: 'shapes every *Connection as { edges: [XEdge!]!, nodes: [X!]!, pageInfo: PageInfo!, totalCount: Int }',
    check(s) {
      const problems: string[] = [];
      for (const type of publicTypes(s).filter((t) => t.name.endsWith('Connection'))) {
        if (!isObjectType(type)) {
          problems.push(`${type.name} is not an object type`);
          continue;
        }
        const x = type.name.slice(0, -'Connection'.length);
        const expected: Record<string, string> = { edges: `[${x}Edge!]!`, nodes: `[${x}!]!`, pageInfo: 'PageInfo!', totalCount: 'Int' };
        const fields = type.getFields();
        for (const [name, typeString] of Object.entries(expected)) {
          const field = fields[name];
          if (!field) problems.push(`${type.name}.${name} is missing (expected ${typeString})`);
          else if (String(field.type) !== typeString) problems.push(`${type.name}.${name}: ${String(field.type)}, expected ${typeString}`);
        }
      }
      return problems;
    },
  },
  {
    title: 'shapes every *Edge as { cursor: String!, node: X! }',
    check(s) {
      const problems: string[] = [];
      for (const type of publicTypes(s).filter((t) => t.name.endsWith('Edge'))) {
        if (!isObjectType(type)) {
          problems.push(`${type.name} is not an object type`);
          continue;
        }
        const x = type.name.slice(0, -'Edge'.length);
        const fields = type.getFields();
        if (String(fields.cursor?.type) !== 'String!') problems.push(`${type.name}.cursor: ${String(fields.cursor?.type)}, expected String!`);
        if (String(fields.node?.type) !== `${x}!`) problems.push(`${type.name}.node: ${String(fields.node?.type)}, expected ${x}!`);
      }
      return problems;
    },
  },
  {
    title: 'shapes PageInfo as the Relay spec does',
    check(s) {
      const pageInfo = s.getType('PageInfo');
      if (!isObjectType(pageInfo)) return ['PageInfo is missing or not an object type'];
      const expected: Record<string, string> = { hasNextPage: 'Boolean!', hasPreviousPage: 'Boolean!', startCursor: 'String', endCursor: 'String' };
      const fields = pageInfo.getFields();
      return Object.entries(expected)
        .filter(([name, typeString]) => String(fields[name]?.type) !== typeString)
        .map(([name, typeString]) => `PageInfo.${name}: ${String(fields[name]?.type)}, expected ${typeString}`);
    },
  },
  {
    title: 'gives every field returning a connection first/after/last/before and a non-null connection, except the documented ones (Query.timeline)',
    check(s) {
      const problems: string[] = [];
      for (const { coordinate, field } of connectionFields(s)) {
        if (!isNonNullType(field.type) && !NULLABLE_CONNECTIONS.has(coordinate)) problems.push(`${coordinate}: ${String(field.type)} should be non-null`);
        const args = new Map(field.args.map((arg: GraphQLArgument) => [arg.name, String(arg.type)]));
        for (const [name, typeString] of Object.entries({ first: 'Int', after: 'String', last: 'Int', before: 'String' })) {
          if (args.get(name) !== typeString) problems.push(`${coordinate}(${name}:): ${args.get(name) ?? 'missing'}, expected ${typeString}`);
        }
      }
      return problems;
    },
  },
  {
    title: 'has no list of nullable items, except the documented ones (Query.nodes)',
    check(s) {
      const problems: string[] = [];
      for (const { coordinate, type } of fieldTypes(s)) {
        let current: GraphQLType = type;
        while (isNonNullType(current) || isListType(current)) {
          if (isListType(current) && !isNonNullType(current.ofType) && !NULLABLE_ITEM_LISTS.has(coordinate)) problems.push(`${coordinate}: ${String(type)} has nullable items`);
          current = current.ofType;
        }
      }
      return problems;
    },
  },
  {
    title: 'gives Node, and every type implementing it, id: ID!, and every object type with an id Node',
    check(s) {
      const problems: string[] = [];
      const node = s.getType('Node');
      if (!isInterfaceType(node)) return ['Node is missing or not an interface'];
      if (String(node.getFields().id?.type) !== 'ID!') problems.push(`Node.id: ${String(node.getFields().id?.type)}, expected ID!`);
      for (const type of publicTypes(s)) {
        if (!isObjectType(type) && !isInterfaceType(type)) continue;
        const id = type.getFields().id;
        const implementsNode = type.getInterfaces().some((i) => i.name === 'Node');
        if (implementsNode && String(id?.type) !== 'ID!') problems.push(`${type.name}.id: ${String(id?.type)}, expected ID!`);
        // An object with a global id can be re-fetched (Relay's @refetchable) only through Node.
        if (isObjectType(type) && id && String(id.type) === 'ID!' && !implementsNode) problems.push(`${type.name} has id: ID! but does not implement Node`);
      }
      return problems;
    },
  },
];

describe('schema lint: Relay and GitHub-style conventions', () => {
  for (const rule of LINT_RULES) {
    it(rule.title, () => {
      const problems = rule.check(schema);
      assert.deepEqual(problems, [], report(problems, 'problems'));
    });
  }

  it('knows every connection field (a new one needs a look at this lint)', () => {
    assert.deepEqual(
      connectionFields(schema).map((f) => f.coordinate).sort(),
      ['CertificateReport.certificates', 'CertificateSubject.authentications', 'Device.auditEvents', 'KobilUser.activity', 'PolicyExecution.deviceResults', 'Query.timeline'],
      'the connection fields',
    );
  });

  it('has Query.node and Query.nodes with their Relay signatures, and the documented nullable-item exception', () => {
    const query = schema.getQueryType();
    assert.ok(query, 'the schema has a Query type');
    const signature = (name: string) => {
      const field = query.getFields()[name];
      return field ? `${name}(${field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')}): ${String(field.type)}` : `${name} missing`;
    };
    assert.equal(signature('node'), 'node(id: ID!): Node', 'Query.node');
    assert.equal(signature('nodes'), 'nodes(ids: [ID!]!): [Node]!', 'Query.nodes');
    assert.deepEqual([...NULLABLE_ITEM_LISTS.keys()], ['Query.nodes'], 'the documented exceptions');
    assert.deepEqual([...NULLABLE_CONNECTIONS.keys()], ['Query.timeline'], 'the documented nullable connection');
    assert.equal(String(query.getFields().timeline?.type), 'AuditEventConnection', 'Query.timeline is nullable');
  });

  it('has only the custom scalars of the contract (DateTime, UUID)', () => {
    const scalars = publicTypes(schema).filter(isScalarType).map((type) => type.name).sort();
    assert.deepEqual(scalars, ['DateTime', 'UUID'], 'the custom scalars');
  });

  it('lints the router API schema the same way', () => {
    const api = routerApiSchema();
    const problems = LINT_RULES.flatMap((rule) => rule.check(api));
    assert.deepEqual(problems, [], report(problems, 'problems in the router API schema'));
  });

  it('catches each kind of problem in a schema that breaks every rule', () => {
    const bad = buildSchema(/* GraphQL */ `
      type Query {
        "d" node("d" id: ID!): Node
        "d" nodes("d" ids: [ID!]!): [Node]!
        "d" things("d" first: Int, "d" after: String): ThingConnection
        "d" tags: [String]!
        "d" timeline("d" first: Int, "d" after: String, "d" last: Int): ThingConnection!
      }
      "d" interface Node { "d" id: ID }
      "d" type Thing implements Node { "d" id: ID  "d" Name: String }
      "d" type Widget { "d" id: ID! }
      "d" type ThingConnection { "d" edges: [ThingEdge] "d" nodes: [Thing!]! "d" pageInfo: PageInfo! }
      "d" type ThingEdge { "d" cursor: String "d" node: Thing }
      "d" type PageInfo { "d" hasNextPage: Boolean! "d" endCursor: String }
      "d" enum color { "d" red }
    `);
    const expectations: Record<string, RegExp[]> = {
      'describes every': [/^Query: no description$/],
      'names things': [/^Thing\.Name: not camelCase$/, /^type color: not PascalCase$/, /^color\.red: not SCREAMING_SNAKE_CASE$/],
      'shapes every *Connection': [/^ThingConnection\.edges: \[ThingEdge\], expected \[ThingEdge!\]!$/, /^ThingConnection\.totalCount is missing/],
      'shapes every *Edge': [/^ThingEdge\.cursor: String, expected String!$/, /^ThingEdge\.node: Thing, expected Thing!$/],
      'shapes PageInfo': [/^PageInfo\.hasPreviousPage: undefined/, /^PageInfo\.startCursor: undefined/],
      'gives every field returning a connection': [/^Query\.things: ThingConnection should be non-null$/, /^Query\.things\(last:\): missing/, /^Query\.timeline\(before:\): missing/],
      'has no list of nullable items': [/^Query\.tags: \[String\]! has nullable items$/, /^ThingConnection\.edges: \[ThingEdge\] has nullable items$/],
      'gives Node': [/^Node\.id: ID, expected ID!$/, /^Thing\.id: ID, expected ID!$/, /^Widget has id: ID! but does not implement Node$/],
    };
    for (const rule of LINT_RULES) {
      const key = Object.keys(expectations).find((prefix) => rule.title.startsWith(prefix));
      assert.ok(key, `the self-test covers the rule "${rule.title}"`);
      const problems = rule.check(bad);
      for (const expected of expectations[key]!) {
        assert.ok(problems.some((p) => expected.test(p)), `rule "${rule.title}" did not report ${expected}; it reported:\n  ${problems.join('\n  ')}`);
      }
      assert.ok(!problems.some((p) => p.startsWith('Query.nodes')), `rule "${rule.title}" flags the documented exception Query.nodes`);
    }
  });
});

/**
 * The public contract v1, written out as SDL where it names types in full. Every field,
 * argument (with its type), enum value and input field here must exist with this type; the schema
 * may add more.
 */
const CONTRACT = /* GraphQL */ `
  scalar DateTime
  scalar UUID
  enum Vendor { APPLIVERY CISCO_CONTROL_CENTER KOBIL AUTOMOX NAVER_CLOUD }
  interface Node { id: ID! }
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type Device implements Node {
    id: ID! vendor: Vendor! vendorDeviceId: String! displayName: String
    auditEvents(first: Int, after: String, last: Int, before: String, daysOfHistory: Int): AuditEventConnection!
    certificateReport(historyId: ID!): CertificateReport
  }
  type Certificate implements Node {
    id: ID! vendor: Vendor! commonName: String issuer: String serialNumber: String
    state: CertificateState keyPairAlias: String errorCode: String errorMessage: String updatedAt: DateTime
    x509: X509Info
  }
  enum CertificateState { INSTALLED FAILED PENDING }
  type CertificateReport implements Node {
    id: ID! reportedAt: DateTime! createdAt: DateTime! totalReports: Int!
    countsByState: [CertificateStateCount!]!
    certificates(first: Int, after: String, last: Int, before: String, state: CertificateState): CertificateConnection!
  }
  interface AuditEvent implements Node { id: ID! vendor: Vendor! occurredAt: DateTime! action: String! actor: String device: Device certificate: Certificate }
  type AuditEventConnection { edges: [AuditEventEdge!]! nodes: [AuditEvent!]! pageInfo: PageInfo! totalCount: Int }
  type AuditEventEdge { cursor: String! node: AuditEvent! }
  type CertificateConnection { edges: [CertificateEdge!]! nodes: [Certificate!]! pageInfo: PageInfo! totalCount: Int }
  type CertificateEdge { cursor: String! node: Certificate! }
  type KobilUser implements Node { id: ID! userName: String! activity(first: Int, after: String, last: Int, before: String): AuditEventConnection! }
  type PolicyExecution implements Node {
    id: ID! policyId: UUID! executionToken: UUID!
    deviceResults(first: Int, after: String, last: Int, before: String, status: [PolicyResultStatus!], deviceName: String, orderBy: PolicyResultOrder): AuditEventConnection!
  }
  type CertificateSubject implements Node { id: ID! subjectId: String! authentications(first: Int, after: String, last: Int, before: String): AuditEventConnection! }
  type Query {
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    cellularDevice(iccid: String!): Device
    androidDevice(organizationId: String!, emmDeviceId: String!): Device
    kobilUser(userName: String!): KobilUser
    policyExecution(policyId: UUID!, executionToken: UUID!, organizationId: UUID): PolicyExecution
    certificateSubject(subjectId: String!): CertificateSubject
    timeline(sources: [TimelineSource!]!, first: Int, after: String, last: Int, before: String): AuditEventConnection
  }
  input TimelineSource { iccid: String kobilUserName: String certificateSubjectId: String policyExecution: PolicyExecutionRef }
  input PolicyExecutionRef { policyId: UUID! executionToken: UUID! organizationId: UUID }
`;

/** The public contract names these types' own fields without types (the event types also implement AuditEvent & Node). */
const CONTRACT_NAMED_FIELDS: Record<string, string[]> = {
  X509Info: ['subject', 'issuer', 'notBefore', 'notAfter', 'sha256Fingerprint'],
  DeviceFieldChange: ['field', 'priorValue', 'value', 'status', 'delegatedUser', 'ipAddress'],
  UserActivity: ['actionCode', 'details', 'detailEntries', 'archived', 'status'],
  PolicyDeviceResult: ['resultStatus', 'resultReason', 'patches', 'stdout', 'stderr', 'exitCode', 'policyName', 'policyType'],
  CertificateAuthentication: ['failed'],
};

describe('the fixed names of the public contract', () => {
  it('has every contract type, field (with its arguments and type), enum value, input field and interface', () => {
    const problems: string[] = [];
    for (const definition of parse(CONTRACT).definitions) {
      if (!('name' in definition) || !definition.name) continue;
      const name = definition.name.value;
      const type = schema.getType(name);
      const kinds: Partial<Record<Kind, (t: GraphQLNamedType) => boolean>> = {
        [Kind.SCALAR_TYPE_DEFINITION]: isScalarType,
        [Kind.ENUM_TYPE_DEFINITION]: isEnumType,
        [Kind.INTERFACE_TYPE_DEFINITION]: isInterfaceType,
        [Kind.OBJECT_TYPE_DEFINITION]: isObjectType,
        [Kind.INPUT_OBJECT_TYPE_DEFINITION]: isInputObjectType,
      };
      if (!type || !kinds[definition.kind]?.(type)) {
        problems.push(`${name}: missing or not a ${definition.kind}`);
        continue;
      }
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION && isEnumType(type)) {
        for (const value of definition.values ?? []) if (!type.getValue(value.name.value)) problems.push(`${name}.${value.name.value} missing`);
      }
      if ((definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) && (isObjectType(type) || isInterfaceType(type))) {
        const interfaces = type.getInterfaces().map((i) => i.name);
        for (const i of definition.interfaces ?? []) if (!interfaces.includes(i.name.value)) problems.push(`${name} does not implement ${i.name.value}`);
        for (const fieldNode of definition.fields ?? []) {
          const field = type.getFields()[fieldNode.name.value];
          const coordinate = `${name}.${fieldNode.name.value}`;
          if (!field) {
            problems.push(`${coordinate} missing`);
            continue;
          }
          const expectedType = printTypeNode(fieldNode.type);
          if (String(field.type) !== expectedType) problems.push(`${coordinate}: ${String(field.type)}, contract says ${expectedType}`);
          for (const argNode of fieldNode.arguments ?? []) {
            const arg = field.args.find((a) => a.name === argNode.name.value);
            const expectedArg = printTypeNode(argNode.type);
            if (!arg) problems.push(`${coordinate}(${argNode.name.value}:) missing`);
            else if (String(arg.type) !== expectedArg) problems.push(`${coordinate}(${arg.name}:): ${String(arg.type)}, contract says ${expectedArg}`);
          }
        }
      }
      if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && isInputObjectType(type)) {
        for (const fieldNode of definition.fields ?? []) {
          const field: GraphQLInputField | undefined = type.getFields()[fieldNode.name.value];
          const expectedType = printTypeNode(fieldNode.type);
          if (!field) problems.push(`${name}.${fieldNode.name.value} missing`);
          else if (String(field.type) !== expectedType) problems.push(`${name}.${field.name}: ${String(field.type)}, contract says ${expectedType}`);
        }
      }
    }
    for (const [name, fields] of Object.entries(CONTRACT_NAMED_FIELDS)) {
      const type = schema.getType(name);
      if (!isObjectType(type)) {
        problems.push(`${name}: missing or not an object type`);
        continue;
      }
      const interfaces = type.getInterfaces().map((i) => i.name).sort();
      if (name !== 'X509Info' && interfaces.join(' & ') !== 'AuditEvent & Node') problems.push(`${name} implements ${interfaces.join(' & ')}, contract says AuditEvent & Node`);
      for (const field of fields) if (!type.getFields()[field]) problems.push(`${name}.${field} missing`);
    }
    assert.deepEqual(problems, [], report(problems, 'contract names missing or changed'));
  });

  it('spells every vendor of the registry (src/vendors/vendor.ts) in the Vendor enum, in its order', () => {
    const vendor = schema.getType('Vendor');
    assert.ok(isEnumType(vendor), 'Vendor is an enum');
    assert.deepEqual(vendor.getValues().map((value) => value.name), [...VENDORS]);
  });

  it('keeps TimelineSource a @oneOf input and Device/Certificate federation entities', () => {
    const source = schema.getType('TimelineSource');
    assert.ok(isInputObjectType(source) && source.isOneOf, 'TimelineSource is @oneOf');
    const entity = schema.getType('_Entity');
    const members = entity && 'getTypes' in entity ? (entity.getTypes() as GraphQLObjectType[]).map((t) => t.name).sort() : [];
    assert.deepEqual(members, ['Certificate', 'Device'], 'the @key entities (_Entity)');
  });
});

function printTypeNode(node: TypeNode): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printTypeNode(node.type)}!`;
  if (node.kind === Kind.LIST_TYPE) return `[${printTypeNode(node.type)}]`;
  return node.name.value;
}
