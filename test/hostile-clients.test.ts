/**
 * Clients that send what devicegraph never issued, over real HTTP, each answered with a clear client
 * error code instead of INTERNAL_SERVER_ERROR: forged global IDs, `_entities` representations of
 * no entity, mutations and subscriptions, automatic persisted queries with a wrong hash; request
 * bodies abandoned half-sent (one informational log line each, no error); and the configuration
 * values that must refuse to start.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import { createTelemetry } from '../src/telemetry.js';
import { iccid, kobilUser } from './support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from './support/graph-harness.js';

/** A global ID as devicegraph encodes them, with whatever parts an attacker chooses. */
const forgedId = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const UUID = 'c2dea79b-3f4e-4a51-9b0c-c162618da17d';

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer | string, _encoding, callback) {
    logLines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    callback();
  },
});

let harness: GraphHarness;

before(async () => {
  harness = await startGraphHarness({ server: { telemetry: createTelemetry({ logLevel: 'info', destination: logSink }) } });
});

after(async () => {
  await harness?.close();
});

interface Answer {
  status: number;
  text: string;
  body: GraphQLResponse;
}

async function post(body: unknown): Promise<Answer> {
  const response = await fetch(harness.graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as GraphQLResponse };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);

describe('forged global IDs: BAD_USER_INPUT before any vendor call', () => {
  const cases: Array<[string, unknown[], string]> = [
    ['UserActivity of a user name KOBIL could not have', ['UserActivity', '../x y', 0, 'k'], '... on UserActivity { action }'],
    ['KobilUser with a slash, then its activity', ['KobilUser', 'a/b'], '... on KobilUser { activity(first: 1) { totalCount } }'],
    ['DeviceFieldChange of no ICCID', ['DeviceFieldChange', 'abc', 30, 0, 'k'], '... on DeviceFieldChange { field }'],
    ['Device of Control Center with no ICCID, then its audit events', ['Device', 'CISCO_CONTROL_CENTER', 'abc'], '... on Device { auditEvents(first: 1) { totalCount } }'],
    ['Device of Applivery with bad ids', ['Device', 'APPLIVERY', 'abc', 'o'], '... on Device { certificateReport(historyId: "6710a2b3c4d5e6f708192b37") { totalReports } }'],
    ['CertificateReport with bad ids', ['CertificateReport', 'x', 'y', 'z'], '... on CertificateReport { totalReports }'],
    ['CertificateSubject that is no UUID', ['CertificateSubject', '..'], '... on CertificateSubject { authentications(first: 1) { totalCount } }'],
    ['CertificateAuthentication of no subject', ['CertificateAuthentication', 'x/y', 0, 'k'], '... on CertificateAuthentication { failed }'],
    ['PolicyExecution of no UUIDs', ['PolicyExecution', 'x', 'y', 'z'], '... on PolicyExecution { deviceResults(first: 1) { totalCount } }'],
    ['PolicyDeviceResult of no UUIDs', ['PolicyDeviceResult', 'x', UUID, UUID, '', null, 'run_time:desc', 0, 'k'], '... on PolicyDeviceResult { exitCode }'],
  ];
  for (const [name, parts, selection] of cases) {
    it(name, async () => {
      harness.clearCalls();
      const answer = await post({ query: `{ node(id: "${forgedId(...parts)}") { id ${selection} } }` });
      assert.deepEqual(codes(answer), ['BAD_USER_INPUT'], answer.text.slice(0, 300));
      assert.match(answer.body.errors![0]!.message, /is not a devicegraph ID/);
      assert.equal(harness.totalCalls(), 0, 'no vendor call');
    });
  }
});

describe('_entities with representations of no entity', () => {
  it('an unknown __typename, none at all, or a type that is no entity: BAD_USER_INPUT at that index; the good one resolves', async () => {
    const device = await post({ query: `{ cellularDevice(iccid: "${iccid}") { id } }` });
    const deviceId = device.body.data.cellularDevice.id as string;
    const representations = [{ __typename: 'Nope', id: 'x' }, { id: deviceId }, { __typename: 'KobilUser', userName: kobilUser }, { __typename: 'Device', id: deviceId }];
    const answer = await post({
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Device { vendorDeviceId } } }',
      variables: { r: representations },
    });
    assert.deepEqual(answer.body.data?._entities, [null, null, null, { __typename: 'Device', vendorDeviceId: iccid }], answer.text.slice(0, 400));
    assert.deepEqual(codes(answer), ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT'], answer.text.slice(0, 400));
    assert.deepEqual(
      answer.body.errors!.map((error) => error.path),
      [0, 1, 2].map((index) => ['_entities', index]),
    );
  });
});

describe('operations the schema has no root for', () => {
  for (const operation of ['mutation { deleteEverything }', 'subscription { onDevice { id } }']) {
    it(`${operation} → 400 GRAPHQL_VALIDATION_FAILED, saying why`, async () => {
      const answer = await post({ query: operation });
      assert.equal(answer.status, 400, answer.text);
      assert.deepEqual(codes(answer), ['GRAPHQL_VALIDATION_FAILED'], answer.text);
      assert.match(answer.body.errors![0]!.message, /operation is not supported by the schema/);
    });
  }
});

describe('automatic persisted queries', () => {
  const query = `{ kobilUser(userName: "${kobilUser}") { userName } }`;
  const sha256Hash = createHash('sha256').update(query).digest('hex');

  it('a hash that is not the query’s → 400 PERSISTED_QUERY_HASH_MISMATCH, and nothing runs', async () => {
    harness.clearCalls();
    const answer = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(codes(answer), ['PERSISTED_QUERY_HASH_MISMATCH'], answer.text);
    assert.equal(harness.totalCalls(), 0);
  });

  it('an unsupported version → 400 PERSISTED_QUERY_NOT_SUPPORTED', async () => {
    const answer = await post({ query, extensions: { persistedQuery: { version: 2, sha256Hash } } });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(codes(answer), ['PERSISTED_QUERY_NOT_SUPPORTED'], answer.text);
  });

  it('the right hash registers the query, and the hash alone runs it (the control)', async () => {
    const registered = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    assert.equal(registered.body.errors, undefined, registered.text);
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash } } });
    assert.deepEqual(byHash.body.data, { kobilUser: { userName: kobilUser } }, byHash.text);
  });
});

describe('a request body over 1 MB', () => {
  /** POSTs `body` through `agent`; the answer, and whether it came on a connection used before. */
  function postThrough(agent: Agent, body: string): Promise<{ status: number; text: string; reused: boolean }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(harness.graph.url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text, reused: request.reusedSocket }));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  it('is answered 413, and its connection answers the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooLarge = await postThrough(agent, JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(2_000_000) }));
      assert.deepEqual([tooLarge.status, tooLarge.text], [413, 'Request body too large\n']);
      const next = await postThrough(agent, JSON.stringify({ query: '{ __typename }' }));
      assert.deepEqual([next.status, JSON.parse(next.text)], [200, { data: { __typename: 'Query' } }]);
      assert.ok(next.reused, 'the same connection');
    } finally {
      agent.destroy();
    }
  });
});

describe('request bodies abandoned half-sent', () => {
  const ABORTS = 200;

  /** Sends the headers and part of a body that announces more, then closes the connection. */
  function abandonRequest(url: URL): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":"{ __typ`, () => {
          // Long enough for the server to be reading the body when the connection goes.
          setTimeout(() => socket.destroy(), 20);
        });
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
  }

  it(`${ABORTS} of them: one info line each saying why, no error line, and the server keeps answering`, async () => {
    logLines.length = 0;
    const url = new URL(harness.graph.url);
    await Promise.all(Array.from({ length: ABORTS }, () => abandonRequest(url)));
    const records = () => logLines.map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string });
    const until = Date.now() + 10_000;
    while (records().filter((record) => record.msg === 'request aborted').length < ABORTS && Date.now() < until) await sleep(20);
    const aborted = records().filter((record) => record.msg === 'request aborted');
    assert.equal(aborted.length, ABORTS, 'one line per abandoned request');
    for (const record of aborted) {
      assert.equal(record.level, 30, 'info');
      assert.match(record.reason ?? '', /closed the connection before sending its whole request body/);
    }
    assert.deepEqual(records().filter((record) => record.level >= 40), [], 'no warning or error line');
    const answer = await post({ query: '{ __typename }' });
    assert.deepEqual(answer.body.data, { __typename: 'Query' });
  });
});

describe('configuration that must refuse to start', () => {
  const problems = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.problems;
    }
  };

  for (const value of [' , ', ',', '  ', ' ,, , ']) {
    it(`GRAPHQL_API_TOKENS=${JSON.stringify(value)}: refused, not authentication silently off`, () => {
      assert.deepEqual(problems({ GRAPHQL_API_TOKENS: value }), ['GRAPHQL_API_TOKENS is set but lists no token; unset it (or leave it empty) to serve without tokens.']);
    });
  }

  it('GRAPHQL_API_TOKENS unset or empty: open, as documented', () => {
    assert.deepEqual(loadConfig({}).apiTokens, []);
    assert.deepEqual(loadConfig({ GRAPHQL_API_TOKENS: '' }).apiTokens, []);
  });

  for (const value of ['0x10', '1e3', '0b1', '0o17', '1.5', '-1', '65536', '+80', '80 80', 'Infinity', '１０']) {
    it(`PORT=${JSON.stringify(value)}: refused (decimal whole numbers 0–65535 only)`, () => {
      assert.deepEqual(problems({ PORT: value }), ['PORT must be a whole number from 0 to 65535.']);
    });
  }

  for (const [value, port] of [['0', 0], ['80', 80], [' 4000 ', 4000], ['65535', 65535], ['08080', 8080]] as const) {
    it(`PORT=${JSON.stringify(value)}: port ${port}`, () => assert.equal(loadConfig({ PORT: value }).port, port));
  }
});
