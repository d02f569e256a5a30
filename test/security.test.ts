/**
 * Security of the GraphQL endpoint: hostile operations refused by depth and cost before any vendor
 * call, CORS for listed origins only, CSRF prevention, bearer API tokens (and what stays open
 * without one), the introspection and GraphiQL switches, and the configuration that sets them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import { MAX_COST, MAX_DEPTH } from '../src/graph/checks/operation-limits.js';
import { CONTROL_CENTER_FIXTURES } from '../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../src/simulators/kobil/simulator.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from './support/graph-harness.js';

const iccid = CONTROL_CENTER_FIXTURES.iccidWith50Records;
const kobilUser = KOBIL_FIXTURES.userWith7Logs;
/** A query that needs one vendor call (KOBIL). */
const KOBIL_QUERY = `{ kobilUser(userName: "${kobilUser}") { userName activity(first: 2) { edges { cursor } } } }`;

function siblingUrl(harness: GraphHarness, path: string): string {
  return harness.graph.url.replace(/\/graphql$/, path);
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json(): GraphQLResponse;
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as GraphQLResponse };
}

function postGraphQL(harness: GraphHarness, query: string, options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {}): Promise<Answer> {
  return send(harness.graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
}

// ---------------------------------------------------------------------------------------------

describe('operation limits: hostile queries refused before any vendor call', () => {
  let harness: GraphHarness;
  let deviceId: string;

  before(async () => {
    harness = await startGraphHarness();
    const response = await harness.query<{ cellularDevice: { id: string } }>(`{ cellularDevice(iccid: "${iccid}") { id } }`);
    assert.ok(response.data?.cellularDevice?.id, `a device id to build queries with: ${JSON.stringify(response)}`);
    deviceId = response.data.cellularDevice.id;
  });

  after(async () => {
    await harness?.close();
  });

  const ids = (count: number) => `[${Array.from({ length: count }, () => JSON.stringify(deviceId)).join(', ')}]`;

  const refused: Array<{
    name: string;
    query: () => string;
    variables?: Record<string, unknown>;
    /** What the message must state: `depth` or `cost`, and the measured value. */
    limit: 'depth' | 'cost';
    measured: number;
  }> = [
    {
      name: 'nested through fragments and inline fragments, one level too deep',
      // cellularDevice 1 › auditEvents 2 › edges 3 › node 4 › device 5 › auditEvents 6 › edges 7 › node 8
      // › device 9 › auditEvents 10 › edges 11 › node 12 › id 13
      query: () => `query Deep { cellularDevice(iccid: "${iccid}") { ...L1 } }
        fragment L1 on Device { auditEvents(first: 1) { edges { node { ... on DeviceFieldChange { device { ...L2 } } } } } }
        fragment L2 on Device { auditEvents(first: 1) { edges { node { device { ... on Device { auditEvents(first: 1) { edges { node { id } } } } } } } } }`,
      limit: 'depth',
      measured: 13,
    },
    { name: 'node → device → auditEvents … 10 levels of inline fragments', query: () => `{ node(id: "PLACEHOLDER") { id } }`, limit: 'depth', measured: 0 },
    {
      name: 'nested connections: timeline first:100 → device.auditEvents first:100',
      query: () => `{ timeline(sources: [{ iccid: "${iccid}" }], first: 100) { edges { node { device { auditEvents(first: 100) { totalCount } } } } } }`,
      limit: 'cost',
      measured: 100 + 100 * 100,
    },
    {
      name: 'the same, with the page sizes in variables',
      query: () => `query ($outer: Int, $inner: Int) { timeline(sources: [{ iccid: "${iccid}" }], first: $outer) { edges { node { device { auditEvents(first: $inner) { totalCount } } } } } }`,
      variables: { outer: 100, inner: 100 },
      limit: 'cost',
      measured: 100 + 100 * 100,
    },
    {
      name: 'last:100 counts like first:100',
      query: () => `{ timeline(sources: [{ iccid: "${iccid}" }], first: 100) { edges { node { device { auditEvents(last: 100) { totalCount } } } } } }`,
      limit: 'cost',
      measured: 100 + 100 * 100,
    },
    {
      name: '101 aliases × first:100',
      query: () => `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: kobilUser(userName: "${kobilUser}") { activity(first: 100) { totalCount } }`).join('\n')} }`,
      limit: 'cost',
      measured: 101 * (1 + 100),
    },
    {
      name: 'nodes(ids: 100 ids) × a nested connection of 100',
      query: () => `{ nodes(ids: ${ids(100)}) { ... on Device { auditEvents(first: 100) { totalCount } } } }`,
      limit: 'cost',
      measured: 100 + 100 * 100,
    },
    {
      name: 'connections nested four deep at the default page size (20⁴ and up)',
      query: () =>
        `{ timeline(sources: [{ iccid: "${iccid}" }]) { nodes { device { auditEvents { nodes { device { auditEvents { nodes { device { auditEvents { totalCount } } } } } } } } } } }`,
      limit: 'cost',
      measured: 20 + 20 ** 2 + 20 ** 3 + 20 ** 4,
    },
    {
      name: 'one record over the limit (10 000 + one root field)',
      query: () => `{
        timeline(sources: [{ iccid: "${iccid}" }], first: 100) { edges { node { device { auditEvents(first: 99) { totalCount } } } } }
        extra: kobilUser(userName: "${kobilUser}") { userName }
      }`,
      limit: 'cost',
      measured: MAX_COST + 1,
    },
  ];
  // The node(…) row: deep from a Node root, built once the device id is known.
  refused[1]!.query = () => {
    let inner = 'id';
    for (let i = 0; i < 10; i++) inner = `... on Device { auditEvents(first: 1) { edges { node { device { ${inner} } } } } }`;
    return `{ node(id: "${deviceId}") { ${inner} } }`;
  };
  // node 1, then 4 levels (auditEvents › edges › node › device) per repetition, then id.
  refused[1]!.measured = 1 + 4 * 10 + 1;

  for (const testCase of refused) {
    it(`${testCase.name} → BAD_USER_INPUT (${testCase.limit} ${testCase.measured})`, async () => {
      harness.clearCalls();
      const answer = await postGraphQL(harness, testCase.query(), testCase.variables ? { variables: testCase.variables } : {});
      const body = answer.json();
      assert.equal(body.data, undefined, `no data: ${answer.text.slice(0, 300)}`);
      assert.equal(body.errors?.length, 1, `one error: ${answer.text.slice(0, 300)}`);
      const [error] = body.errors!;
      assert.equal(error!.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(error));
      const limit = testCase.limit === 'depth' ? MAX_DEPTH : MAX_COST;
      assert.ok(error!.message.includes(String(testCase.measured)), `the message states the ${testCase.limit} ${testCase.measured}: ${error!.message}`);
      assert.ok(error!.message.includes(String(limit)), `the message states the limit ${limit}: ${error!.message}`);
      if (testCase.limit === 'depth') {
        assert.equal(error!.extensions?.depth, testCase.measured, 'extensions.depth');
        assert.equal(error!.extensions?.maxDepth, MAX_DEPTH, 'extensions.maxDepth');
      } else {
        assert.equal(error!.extensions?.cost, testCase.measured, 'extensions.cost');
        assert.equal(error!.extensions?.maxCost, MAX_COST, 'extensions.maxCost');
      }
      assert.equal(answer.status, 200, 'refused as a GraphQL error, not an HTTP failure');
      assert.equal(harness.totalCalls(), 0, 'no vendor call');
    });
  }

  it(`a query exactly at the cost limit (${MAX_COST}) is accepted`, async () => {
    harness.clearCalls();
    const answer = await postGraphQL(
      harness,
      `{ timeline(sources: [{ iccid: "${iccid}" }], first: 100) { edges { node { device { auditEvents(first: 99) { edges { cursor } } } } } } }`,
    );
    const body = answer.json();
    assert.equal(body.errors, undefined, `no errors: ${answer.text.slice(0, 300)}`);
    assert.equal(body.data.timeline.edges.length, 50, 'the 50 records of the device');
    assert.ok(harness.totalCalls() > 0, 'it ran');
  });

  it(`a query exactly at the depth limit (${MAX_DEPTH}) is accepted`, async () => {
    harness.clearCalls();
    // cellularDevice 1 › auditEvents 2 › edges 3 › node 4 › device 5 › auditEvents 6 › edges 7 › node 8
    // › device 9 › auditEvents 10 › edges 11 › cursor 12
    const answer = await postGraphQL(
      harness,
      `{ cellularDevice(iccid: "${iccid}") { auditEvents(first: 1) { edges { node { device { auditEvents(first: 1) { edges { node { device { auditEvents(first: 1) { edges { cursor } } } } } } } } } } } }`,
    );
    const body = answer.json();
    assert.equal(body.errors, undefined, `no errors: ${answer.text.slice(0, 300)}`);
    assert.ok(body.data?.cellularDevice, 'data');
  });

  it('100 aliases × first:99 (cost 10 000) is accepted', async () => {
    harness.clearCalls();
    const answer = await postGraphQL(
      harness,
      `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: kobilUser(userName: "${kobilUser}") { activity(first: 99) { edges { cursor } } }`).join('\n')} }`,
    );
    const body = answer.json();
    assert.equal(body.errors, undefined, `no errors: ${answer.text.slice(0, 300)}`);
    assert.equal(body.data.a99.activity.edges.length, 7, 'the last alias has data');
    assert.equal(harness.calls('KOBIL'), 1, 'the same vendor page is fetched once for all aliases');
  });

  it('deep introspection is refused too (graphql-js MaxIntrospectionDepthRule)', async () => {
    harness.clearCalls();
    const answer = await postGraphQL(harness, '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
    const body = answer.json();
    assert.ok(body.errors && body.errors.length > 0, `refused: ${answer.text.slice(0, 300)}`);
    assert.equal(body.data, undefined, 'no data');
    assert.equal(harness.totalCalls(), 0, 'no vendor call');
  });
});

// ---------------------------------------------------------------------------------------------

const APP_ORIGIN = 'https://app.example.com';
const EVIL_ORIGIN = 'https://evil.example.net';

describe('CORS (listed origins only) and CSRF prevention', () => {
  let harness: GraphHarness;

  before(async () => {
    harness = await startGraphHarness({ server: { corsOrigins: [APP_ORIGIN] } });
  });

  after(async () => {
    await harness?.close();
  });

  it('a POST from a listed origin gets access-control-allow-origin echoing it', async () => {
    const answer = await postGraphQL(harness, '{ __typename }', { headers: { origin: APP_ORIGIN } });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers.get('access-control-allow-origin'), APP_ORIGIN, 'the origin is echoed, not *');
    assert.match(answer.headers.get('vary') ?? '', /origin/i, 'Vary: Origin, so caches keep answers per origin');
    assert.deepEqual(answer.json().data, { __typename: 'Query' }, 'data');
  });

  it("a listed origin's preflight gets 204 with the allowed methods and headers", async () => {
    const answer = await send(harness.graph.url, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    assert.equal(answer.status, 204, answer.text);
    assert.equal(answer.headers.get('access-control-allow-origin'), APP_ORIGIN, 'allow-origin');
    const methods = (answer.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim().toUpperCase());
    for (const method of ['GET', 'POST']) assert.ok(methods.includes(method), `allow-methods has ${method}: ${methods.join(', ')}`);
    const headers = (answer.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
    for (const header of ['content-type', 'authorization', 'apollo-require-preflight']) assert.ok(headers.includes(header), `allow-headers has ${header}: ${headers.join(', ')}`);
    assert.equal(answer.text, '', 'no body');
  });

  it('an unlisted origin gets no allow-origin header', async () => {
    harness.clearCalls();
    const answer = await postGraphQL(harness, '{ __typename }', { headers: { origin: EVIL_ORIGIN } });
    assert.equal(answer.headers.get('access-control-allow-origin'), null, 'no allow-origin: the browser refuses to hand the response over');
    assert.equal(answer.headers.get('access-control-allow-credentials'), null, 'no allow-credentials');
  });

  it("an unlisted origin's preflight is refused with 403", async () => {
    const answer = await send(harness.graph.url, {
      method: 'OPTIONS',
      headers: { origin: EVIL_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.headers.get('access-control-allow-origin'), null, 'no allow-origin');
    assert.equal(answer.headers.get('access-control-allow-methods'), null, 'no allow-methods');
  });

  it('a preflight without any Origin is refused; a same-origin request without Origin gets no CORS headers', async () => {
    const preflight = await send(harness.graph.url, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 403, preflight.text);
    const plain = await postGraphQL(harness, '{ __typename }');
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.headers.get('access-control-allow-origin'), null, 'no allow-origin');
  });

  it('a listed origin is matched exactly (no prefix, suffix or scheme tricks)', async () => {
    for (const origin of ['https://app.example.com.evil.net', 'http://app.example.com', 'https://app.example.com:8443', 'https://evilapp.example.com', 'null']) {
      const answer = await postGraphQL(harness, '{ __typename }', { headers: { origin } });
      assert.equal(answer.headers.get('access-control-allow-origin'), null, `${origin} is not allowed`);
    }
  });

  it('CSRF prevention: a GET without content-type or apollo-require-preflight is refused with 400, and works with the header', async () => {
    harness.clearCalls();
    const url = `${harness.graph.url}?query=${encodeURIComponent('{ __typename }')}`;
    const refused = await send(url);
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /CSRF|preflight/i, 'the answer says why');
    assert.ok(!refused.text.includes('"__typename"'), 'no data');

    const allowed = await send(url, { headers: { 'apollo-require-preflight': 'true' } });
    assert.equal(allowed.status, 200, allowed.text);
    assert.deepEqual(JSON.parse(allowed.text).data, { __typename: 'Query' }, 'data');
  });

  it('CSRF prevention: a simple (no-preflight) text/plain POST of a vendor query is refused and calls no vendor', async () => {
    harness.clearCalls();
    const answer = await send(harness.graph.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: EVIL_ORIGIN },
      body: JSON.stringify({ query: KOBIL_QUERY }),
    });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(harness.totalCalls(), 0, 'no vendor call');
  });

  it('x-request-id: a sane one is echoed, anything else is replaced by a fresh id', async () => {
    const echoed = await postGraphQL(harness, '{ __typename }', { headers: { 'x-request-id': 'trace-abc.123_X' } });
    assert.equal(echoed.headers.get('x-request-id'), 'trace-abc.123_X', 'echoed');
    for (const given of ['has spaces in it', 'x'.repeat(65), 'semi;colon', '<script>']) {
      const answer = await postGraphQL(harness, '{ __typename }', { headers: { 'x-request-id': given } });
      const id = answer.headers.get('x-request-id') ?? '';
      assert.notEqual(id, given, `${JSON.stringify(given)} is not echoed`);
      assert.match(id, /^[0-9a-f-]{36}$/, 'a fresh UUID instead');
    }
  });
});

// ---------------------------------------------------------------------------------------------

const TOKEN = 'a-long-test-token-0001';
const SECOND_TOKEN = 'a-long-test-token-0002';

describe('API tokens', () => {
  let harness: GraphHarness;

  before(async () => {
    harness = await startGraphHarness({ server: { apiTokens: [TOKEN, SECOND_TOKEN], corsOrigins: [APP_ORIGIN] } });
  });

  after(async () => {
    await harness?.close();
  });

  function assertUnauthenticated(answer: Answer, label: string): void {
    assert.equal(answer.status, 401, `${label}: 401, got ${answer.status} ${answer.text.slice(0, 200)}`);
    const body = answer.json();
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `${label}: ${answer.text}`);
    assert.equal(body.data, undefined, `${label}: no data`);
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/, `${label}: WWW-Authenticate: Bearer`);
    for (const token of [TOKEN, SECOND_TOKEN]) assert.ok(!answer.text.includes(token), `${label}: the answer does not echo a token`);
  }

  const rejected: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['a wrong token of the same length', { authorization: `Bearer ${TOKEN.slice(0, -1)}9` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token with a suffix', { authorization: `Bearer ${TOKEN}0` }],
    ['the token in another case', { authorization: `Bearer ${TOKEN.toUpperCase()}` }],
    ['the token without the Bearer scheme', { authorization: TOKEN }],
    ['the token as Basic credentials', { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
  ];

  for (const [name, headers] of rejected) {
    it(`${name} → 401 UNAUTHENTICATED, no vendor call`, async () => {
      harness.clearCalls();
      const answer = await postGraphQL(harness, KOBIL_QUERY, { headers });
      assertUnauthenticated(answer, name);
      assert.equal(harness.totalCalls(), 0, `${name}: no vendor call`);
    });
  }

  it('a GET operation without a token → 401 too', async () => {
    harness.clearCalls();
    const answer = await send(`${harness.graph.url}?query=${encodeURIComponent(KOBIL_QUERY)}`, { headers: { 'apollo-require-preflight': 'true' } });
    assertUnauthenticated(answer, 'GET');
    assert.equal(harness.totalCalls(), 0, 'no vendor call');
  });

  it('either configured token works', async () => {
    for (const token of [TOKEN, SECOND_TOKEN]) {
      harness.clearCalls();
      const answer = await postGraphQL(harness, KOBIL_QUERY, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(answer.status, 200, answer.text);
      const body = answer.json();
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.equal(body.data.kobilUser.userName, kobilUser, 'data');
      assert.equal(harness.calls('KOBIL'), 1, 'the vendor was called');
    }
    const lowercase = await postGraphQL(harness, '{ __typename }', { headers: { authorization: `bearer ${TOKEN}` } });
    assert.equal(lowercase.status, 200, 'the scheme name is case-insensitive');
  });

  it('a browser: the preflight needs no token (browsers never send one), and a 401 is readable by a listed origin', async () => {
    const preflight = await send(harness.graph.url, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 204, preflight.text);
    const denied = await postGraphQL(harness, '{ __typename }', { headers: { origin: APP_ORIGIN } });
    assertUnauthenticated(denied, 'listed origin without a token');
    assert.equal(denied.headers.get('access-control-allow-origin'), APP_ORIGIN, 'the 401 carries allow-origin');
  });

  it("/healthz stays open without a token and lists each vendor's circuit", async () => {
    const answer = await send(siblingUrl(harness, '/healthz'));
    assert.equal(answer.status, 200, answer.text);
    const body = JSON.parse(answer.text) as { status: string; vendors: Record<string, { circuit: string }> };
    assert.equal(body.status, 'ok', 'status ok');
    assert.deepEqual(Object.keys(body.vendors).sort(), [...VENDORS].sort(), 'every vendor');
    for (const vendor of VENDORS) assert.equal(body.vendors[vendor]!.circuit, 'closed', `${vendor} closed`);
  });

  it('/metrics needs the token', async () => {
    const denied = await send(siblingUrl(harness, '/metrics'));
    assertUnauthenticated(denied, '/metrics');
    const wrong = await send(siblingUrl(harness, '/metrics'), { headers: { authorization: 'Bearer not-the-right-token-x' } });
    assertUnauthenticated(wrong, '/metrics, wrong token');
    const allowed = await send(siblingUrl(harness, '/metrics'), { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(allowed.status, 200, allowed.text.slice(0, 200));
    assert.match(allowed.text, /devicegraph_vendor_circuit_state/, 'the metrics');
  });

  it('an unknown path is 404 without revealing anything', async () => {
    const answer = await send(siblingUrl(harness, '/admin'));
    assert.equal(answer.status, 404, answer.text);
  });
});

// ---------------------------------------------------------------------------------------------

describe('introspection and GraphiQL switches', () => {
  let off: GraphHarness;
  let on: GraphHarness;

  before(async () => {
    [off, on] = await Promise.all([startGraphHarness({ server: { introspection: false, graphiql: false } }), startGraphHarness()]);
  });

  after(async () => {
    await Promise.all([off?.close(), on?.close()]);
  });

  it('introspection: false refuses __schema and __type', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Device") { fields { name } } }']) {
      const answer = await postGraphQL(off, query);
      const body = answer.json();
      assert.ok(body.errors && body.errors.length > 0, `${query} refused: ${answer.text.slice(0, 300)}`);
      assert.match(body.errors[0]!.message, /introspection/i, 'the message says why');
      assert.ok(!answer.text.includes('"types"'), 'no types list');
      assert.equal(body.data, undefined, 'no data');
    }
  });

  it('introspection: false still answers __typename and ordinary queries', async () => {
    const answer = await postGraphQL(off, `{ __typename kobilUser(userName: "${kobilUser}") { userName } }`);
    const body = answer.json();
    assert.equal(body.errors, undefined, answer.text);
    assert.equal(body.data.__typename, 'Query', '__typename');
  });

  it('introspection is on by default', async () => {
    const body = (await postGraphQL(on, '{ __schema { types { name } } }')).json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.ok(body.data.__schema.types.some((t: { name: string }) => t.name === 'Device'), 'the schema');
  });

  it('graphiql: false: GET /graphql with Accept text/html does not serve GraphiQL', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const answer = await send(off.graph.url, { headers: { accept } });
    assert.doesNotMatch(answer.headers.get('content-type') ?? '', /text\/html/, `not an HTML page: ${answer.status} ${answer.headers.get('content-type')}`);
    assert.ok(!/graphiql/i.test(answer.text), `no GraphiQL in the answer: ${answer.text.slice(0, 200)}`);
    for (const asset of ['/graphiql/app.js', '/graphiql/app.css']) {
      const file = await send(siblingUrl(off, asset));
      assert.equal(file.status, 404, `${asset} is not served`);
    }
  });

  it('GraphiQL is served by default (the control for the test above)', async () => {
    const answer = await send(on.graph.url, { headers: { accept: 'text/html' } });
    // 200 with the page when dist/graphiql is built (npm test builds it), else 503 naming the build step.
    assert.ok(
      (answer.status === 200 && /text\/html/.test(answer.headers.get('content-type') ?? '')) || (answer.status === 503 && /GraphiQL is not built/.test(answer.text)),
      `the GraphiQL handler answered: ${answer.status} ${answer.text.slice(0, 200)}`,
    );
    assert.match(answer.text, /GraphiQL/, 'GraphiQL');
  });
});

// ---------------------------------------------------------------------------------------------

describe('configuration of the security switches', () => {
  it('defaults: no CORS origins, no tokens (open), introspection and GraphiQL on, log level info', () => {
    const config = loadConfig({});
    assert.deepEqual(config.corsOrigins, []);
    assert.deepEqual(config.apiTokens, []);
    assert.equal(config.introspection, true);
    assert.equal(config.graphiql, true);
    assert.equal(config.logLevel, 'info');
  });

  it('CORS_ORIGINS: a comma-separated list, trimmed, empty entries dropped', () => {
    const config = loadConfig({ CORS_ORIGINS: ' https://app.example.com , http://localhost:3000,,https://b.example.org:8443 ' });
    assert.deepEqual(config.corsOrigins, ['https://app.example.com', 'http://localhost:3000', 'https://b.example.org:8443']);
  });

  it('CORS_ORIGINS: an entry that is not an origin is a problem', () => {
    for (const bad of ['https://app.example.com/', 'https://app.example.com/path', 'app.example.com', 'ftp://files.example.com', '*']) {
      assert.throws(
        () => loadConfig({ CORS_ORIGINS: `https://ok.example.com,${bad}` }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `${bad}: a ConfigError`);
          assert.equal(error.problems.length, 1, `${bad}: one problem`);
          assert.match(error.problems[0]!, /^CORS_ORIGINS /, `${bad}: names the variable`);
          return true;
        },
        `${bad} is refused`,
      );
    }
  });

  it('GRAPHQL_API_TOKENS: a comma-separated list', () => {
    const config = loadConfig({ GRAPHQL_API_TOKENS: `${TOKEN}, ${SECOND_TOKEN}` });
    assert.deepEqual(config.apiTokens, [TOKEN, SECOND_TOKEN]);
  });

  it('GRAPHQL_API_TOKENS: a token shorter than 16 characters is refused, and no token is echoed', () => {
    const short = 'short-secret-15';
    assert.equal(short.length, 15);
    assert.throws(
      () => loadConfig({ GRAPHQL_API_TOKENS: `${TOKEN},${short}`, GRAPHQL_INTROSPECTION: 'maybe' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, 'a ConfigError');
        assert.equal(error.problems.length, 2, `both problems at once: ${error.problems.join(' | ')}`);
        assert.match(error.problems[0]!, /GRAPHQL_API_TOKENS .*16 characters/, 'says what is wrong');
        for (const secret of [short, TOKEN]) {
          assert.ok(!error.message.includes(secret), 'the message does not echo a token');
          assert.ok(!error.problems.some((problem) => problem.includes(secret)), 'no problem echoes a token');
          assert.ok(!String(error.stack).includes(secret), 'nor does the stack');
        }
        return true;
      },
    );
    assert.deepEqual(loadConfig({ GRAPHQL_API_TOKENS: 'x'.repeat(16) }).apiTokens, ['x'.repeat(16)], '16 characters is enough');
  });

  for (const [name, key] of [
    ['GRAPHQL_INTROSPECTION', 'introspection'],
    ['GRAPHIQL', 'graphiql'],
  ] as const) {
    it(`${name}: true/false/1/0 in any case; anything else is a problem`, () => {
      for (const [value, expected] of [
        ['false', false],
        ['FALSE', false],
        ['0', false],
        ['true', true],
        ['True', true],
        ['1', true],
        [' false ', false],
        ['', true],
      ] as const) {
        assert.equal(loadConfig({ [name]: value })[key], expected, `${name}=${JSON.stringify(value)}`);
      }
      for (const bad of ['yes', 'off', '2']) {
        assert.throws(() => loadConfig({ [name]: bad }), (error: unknown) => error instanceof ConfigError && error.problems[0] === `${name} must be true or false.`, `${name}=${bad}`);
      }
    });
  }

  it('LOG_LEVEL: one of the pino levels', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) assert.equal(loadConfig({ LOG_LEVEL: level }).logLevel, level);
    for (const bad of ['verbose', 'INFO-ish', '10']) {
      assert.throws(() => loadConfig({ LOG_LEVEL: bad }), (error: unknown) => error instanceof ConfigError && /^LOG_LEVEL must be one of/.test(error.problems[0]!), `LOG_LEVEL=${bad}`);
    }
  });
});
