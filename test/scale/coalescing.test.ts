/**
 * Many identical queries at once cost the vendor one call: within a replica (in-process
 * coalescing and cache), and across replicas behind @apollo/gateway through a real Redis.
 * The replicas with Redis are separate devicegraph processes started as `npm start` starts them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDeviceGraph, type DeviceGraph } from '../../src/app.js';
import { vendorEndpoints } from '../../src/endpoints.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { createVendorClients, withScale, type VendorClients } from '../../src/vendors/clients.js';
import { createScale } from '../../src/vendors/http/scale.js';
import { SharedStore } from '../../src/vendors/http/shared-store.js';
import { VENDORS } from '../../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startGateway, startReplicas, vendorEnvironment, type Gateway, type Replica } from '../support/replicas.js';

const AUDIT_PAGE = /* GraphQL */ `
  query AuditPage($iccid: String!) {
    cellularDevice(iccid: $iccid) { auditEvents(first: 20) { pageInfo { endCursor } nodes { id occurredAt action } } }
  }
`;
const VARIABLES = { iccid: CONTROL_CENTER_FIXTURES.iccidWith137Records };
/** Long enough that no answer expires while a burst is served on a busy machine: what is measured is coalescing. */
const TTL_SECONDS = 60;

/** Sends `count` copies of the query at once; every answer must be complete and the same. */
async function identicalAtOnce(count: number, send: () => Promise<GraphQLResponse>): Promise<void> {
  const answers = await Promise.all(Array.from({ length: count }, send));
  for (const answer of answers) assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  const first = JSON.stringify(answers[0]!.data);
  assert.ok(answers.every((answer) => JSON.stringify(answer.data) === first), 'every answer is the same');
}

describe('one replica, no Redis', () => {
  let harness: GraphHarness;
  let uncached: GraphHarness;

  before(async () => {
    // The simulator answers after 20 ms, so the queries overlap while the first call is out.
    harness = await startGraphHarness({ knobs: { latencyMs: 20 }, scale: { listTtlSeconds: TTL_SECONDS } });
    uncached = await startGraphHarness({ knobs: { latencyMs: 20 } });
  });
  after(async () => {
    await harness?.close();
    await uncached?.close();
  });

  it('100 identical concurrent queries make 1 vendor call (100 without the cache)', async (t) => {
    await identicalAtOnce(100, () => harness.query(AUDIT_PAGE, VARIABLES));
    assert.equal(harness.calls('CISCO_CONTROL_CENTER'), 1);
    await identicalAtOnce(100, () => uncached.query(AUDIT_PAGE, VARIABLES));
    t.diagnostic(`vendor calls for 100 identical queries: ${harness.calls('CISCO_CONTROL_CENTER')} coalesced, ${uncached.calls('CISCO_CONTROL_CENTER')} without`);
    assert.equal(uncached.calls('CISCO_CONTROL_CENTER'), 100);
  });

  it('answers with a Cache-Control max-age no longer than the vendor data behind it', async () => {
    const post = (query: string, variables: Record<string, unknown>) =>
      fetch(harness.graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    // An audit trail grows at its head: the vendor's list TTL.
    assert.equal((await post(AUDIT_PAGE, VARIABLES)).headers.get('cache-control'), `max-age=${TTL_SECONDS}, public`);
    // A device handle is made from its ID alone: a day.
    const handle = await post('query($iccid: String!) { cellularDevice(iccid: $iccid) { id vendor } }', VARIABLES);
    assert.equal(handle.headers.get('cache-control'), 'max-age=86400, public');
    // Entities, as a router fetches them, hold to their type's hint; no representation, no hint.
    const { id } = ((await handle.json()) as { data: { cellularDevice: { id: string } } }).data.cellularDevice;
    const entities = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Device { id vendor } } }';
    assert.equal((await post(entities, { representations: [{ __typename: 'Device', id }] })).headers.get('cache-control'), 'max-age=86400, public');
    assert.equal((await post(entities, { representations: [] })).headers.get('cache-control'), null);
    // A response with an error is not cacheable.
    const failed = await post('query($iccid: String!) { cellularDevice(iccid: $iccid) { auditEvents(first: 3) { nodes { id } } } }', { iccid: '89000000000000000000' });
    assert.equal(failed.headers.get('cache-control'), null);
  });
});

describe('three replicas behind @apollo/gateway', () => {
  let running: RunningSimulators;
  let redis: RedisServer;
  let local: { graphs: DeviceGraph[]; clients: VendorClients[] };
  let replicas: Replica[];
  let gateways: Gateway[];

  before(async () => {
    running = await startSimulators(VENDORS, { knobs: { latencyMs: 20 } });
    redis = await startRedis();
    // Without Redis: three replicas that share nothing (in this process, each with its own clients and cache).
    local = { graphs: [], clients: [] };
    for (let i = 0; i < 3; i++) {
      const clients = createVendorClients(
        withScale(vendorEndpoints({}, running.endpoints), createScale(new SharedStore()), Object.fromEntries(VENDORS.map((v) => [v, { listTtlSeconds: TTL_SECONDS }]))),
      );
      local.clients.push(clients);
      local.graphs.push(await startDeviceGraph({ clients, automoxDefaultOrgId: running.automoxDefaultOrgId }));
    }
    // With Redis: three devicegraph processes. The Redis command timeout is raised from its 50 ms:
    // on a test machine this busy, event-loop lag alone can exceed 50 ms, and a replica that
    // degrades to in-process for a moment makes its own call (redis-failure.test.ts covers that).
    replicas = await startReplicas(3, {
      ...vendorEnvironment(running),
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      REPLICAS: '3',
      VENDOR_CACHE_TTL_SECONDS: String(TTL_SECONDS),
    });
    gateways = [await startGateway(local.graphs.map((graph) => graph.url)), await startGateway(replicas.map((replica) => replica.url))];
  });
  after(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.close()));
    await Promise.all((replicas ?? []).map((replica) => replica.close()));
    await Promise.all((local?.graphs ?? []).map((graph) => graph.close()));
    await Promise.all((local?.clients ?? []).map((clients) => clients.close()));
    await redis?.close();
    await running?.close();
  });

  const controlCenterCalls = () => running.simulators.CISCO_CONTROL_CENTER!.calls.length;

  it('without Redis: 300 identical concurrent queries make at most 3 vendor calls (one per replica)', async (t) => {
    running.simulators.CISCO_CONTROL_CENTER!.clearCalls();
    await identicalAtOnce(300, () => gateways[0]!.query(AUDIT_PAGE, VARIABLES));
    t.diagnostic(`vendor calls: ${controlCenterCalls()}`);
    assert.ok(controlCenterCalls() >= 1 && controlCenterCalls() <= 3, `${controlCenterCalls()} calls`);
  });

  it('with Redis: 300 identical concurrent queries make 1 vendor call', async (t) => {
    for (const replica of replicas) assert.equal((await replica.healthz()).sharedState, 'shared');
    running.simulators.CISCO_CONTROL_CENTER!.clearCalls();
    await identicalAtOnce(300, () => gateways[1]!.query(AUDIT_PAGE, VARIABLES));
    t.diagnostic(`vendor calls: ${controlCenterCalls()}`);
    assert.equal(controlCenterCalls(), 1);
    const metrics = await Promise.all(replicas.map((replica) => replica.metrics()));
    const coalesced = metrics.map((text) => /devicegraph_vendor_coalesced_total\{vendor="CISCO_CONTROL_CENTER",where="shared"\} (\d+)/.exec(text)?.[1]);
    const hits = metrics.map((text) => /devicegraph_vendor_cache_total\{vendor="CISCO_CONTROL_CENTER",outcome="(?:hit|miss)"\} (\d+)/.exec(text)?.[1]);
    t.diagnostic(`per replica: coalesced across replicas ${coalesced.join('/')}, cache hits or misses ${hits.join('/')}`);
  });

  it('the gateway passes the subgraphs’ cache policy on', async () => {
    const response = await fetch(gateways[1]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: AUDIT_PAGE, variables: VARIABLES }),
    });
    assert.equal(response.headers.get('cache-control'), `max-age=${TTL_SECONDS}, public`);
  });
});
