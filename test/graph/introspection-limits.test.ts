/**
 * Introspection counts in the operation limits: its answer size is measured before execution and
 * an operation asking for more than one and a half full introspections is refused, as an attacker
 * would try it over HTTP (1,500 aliases of the full introspection query), while the introspection
 * GraphiQL and schema tools send keeps working.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getIntrospectionQuery, graphqlSync, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { MAX_INTROSPECTIONS, maxIntrospectionBytes, measureIntrospection } from '../../src/graph/checks/introspection-limits.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';
import { kobilUser } from '../support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';

/** What GraphiQL and schema tools send, with every option graphql-js offers. */
const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** `count` aliases of the full introspection query's `__schema` selection, with its fragments once. */
function aliasedIntrospection(count: number): string {
  const start = FULL_INTROSPECTION.indexOf('__schema');
  const fragments = FULL_INTROSPECTION.indexOf('fragment FullType');
  // The query's own closing brace ends the selection; the fragments follow it.
  const schemaSelection = FULL_INTROSPECTION.slice(start, FULL_INTROSPECTION.lastIndexOf('}', fragments));
  return `query { ${Array.from({ length: count }, (_, i) => `a${i}: ${schemaSelection}`).join('\n')} }\n${FULL_INTROSPECTION.slice(fragments)}`;
}

describe('measureIntrospection', () => {
  const schema = buildDeviceGraphSchema();
  const measured = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return measureIntrospection(schema, document, operation, variables);
  };
  const answered = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify(graphqlSync({ schema, source: query, variableValues: variables }).data).length;

  const queries: Array<[string, string, Record<string, unknown>?]> = [
    ['the full introspection query', FULL_INTROSPECTION],
    ['graphql-js’s default introspection query', getIntrospectionQuery()],
    ['one type’s fields', '{ __type(name: "Device") { name fields { name type { name kind ofType { name } } } } }'],
    ['a type named in a variable, deprecated fields included', 'query ($n: String!) { __type(name: $n) { fields(includeDeprecated: true) { name } } }', { n: 'Query' }],
    ['two aliases of every type’s description', '{ a: __schema { types { description } } b: __schema { types { description } } }'],
    ['fragments on introspection types', '{ __schema { queryType { ...T } types { ...T } } } fragment T on __Type { name kind }'],
  ];
  for (const [name, query, variables] of queries) {
    it(`${name}: within 10 % of the bytes the answer has, never under`, () => {
      const estimate = measured(query, variables);
      const actual = answered(query, variables);
      assert.ok(estimate >= actual && estimate <= actual * 1.1, `estimated ${estimate} bytes, answered ${actual}`);
    });
  }

  it('ordinary fields and __typename cost nothing', () => {
    assert.equal(measured(`{ __typename _service { sdl } kobilUser(userName: "${kobilUser}") { userName __typename } }`), 0);
  });

  it(`the budget is ${MAX_INTROSPECTIONS} full introspections: one fits, two do not`, () => {
    const max = maxIntrospectionBytes(schema);
    assert.ok(measured(FULL_INTROSPECTION) <= max, 'one');
    assert.ok(measured(aliasedIntrospection(2)) > max, 'two');
  });

  it('stops measuring once past the limit', () => {
    const document = parse(aliasedIntrospection(50));
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const limit = maxIntrospectionBytes(schema);
    assert.ok(measureIntrospection(schema, document, operation, {}, limit) < 2 * limit);
  });
});

describe('introspection over HTTP', () => {
  let harness: GraphHarness;

  before(async () => {
    harness = await startGraphHarness();
  });

  after(async () => {
    await harness?.close();
  });

  async function post(query: string): Promise<{ status: number; text: string; body: GraphQLResponse; elapsedMs: number }> {
    const started = performance.now();
    const response = await fetch(harness.graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as GraphQLResponse, elapsedMs: performance.now() - started };
  }

  function assertRefused(answer: { text: string; body: GraphQLResponse }): void {
    assert.equal(answer.body.data, undefined, `no data: ${answer.text.slice(0, 300)}`);
    assert.equal(answer.body.errors?.length, 1, answer.text.slice(0, 300));
    assert.equal(answer.body.errors![0]!.extensions?.code, 'BAD_USER_INPUT', answer.text.slice(0, 300));
    assert.match(answer.body.errors![0]!.message, /introspection/, 'the message says why');
    assert.ok(answer.text.length < 2_000, `a short answer: ${answer.text.length} bytes`);
  }

  it('the full introspection query is answered', async () => {
    const answer = await post(FULL_INTROSPECTION);
    assert.equal(answer.body.errors, undefined, answer.text.slice(0, 300));
    assert.ok(answer.body.data.__schema.types.some((type: { name: string }) => type.name === 'Device'));
  });

  it('1,500 aliases of the full introspection query are refused at once, with no large answer and no vendor call', async (t) => {
    harness.clearCalls();
    const query = aliasedIntrospection(1_500);
    const answer = await post(query);
    t.diagnostic(`${(query.length / 1024).toFixed(0)} KiB query refused in ${answer.elapsedMs.toFixed(0)} ms with ${answer.text.length} bytes`);
    assertRefused(answer);
    assert.equal(answer.status, 200, 'refused as a GraphQL error, like the other limits');
    assert.ok(answer.elapsedMs < 20_000, `refused in ${answer.elapsedMs.toFixed(0)} ms`);
    assert.equal(harness.totalCalls(), 0);
  });

  it('two aliases of the full query are refused; so are many aliases of a smaller part', async () => {
    assertRefused(await post(aliasedIntrospection(2)));
    assertRefused(await post(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __schema { types { name description } }`).join(' ')} }`));
  });

  it('the server keeps answering', async () => {
    const answer = await post(`{ kobilUser(userName: "${kobilUser}") { userName } }`);
    assert.equal(answer.body.errors, undefined, answer.text);
  });
});
