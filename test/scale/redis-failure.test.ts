/**
 * Redis stopped (SIGSTOP), then killed, then started again, while two devicegraph processes
 * behind @apollo/gateway serve a steady load: no GraphQL request fails, every replica reports
 * `degraded` (in `/healthz` and in its metrics) and returns to shared mode once Redis is back.
 * The replicas keep the default 50 ms Redis command timeout.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../../src/simulators/kobil/simulator.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { VENDORS } from '../../src/vendors/vendor.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startGateway, startReplicas, vendorEnvironment, type Gateway, type Replica } from '../support/replicas.js';

let running: RunningSimulators;
let redis: RedisServer;
let replicas: Replica[];
let gateway: Gateway;

before(async () => {
  running = await startSimulators(VENDORS, { knobs: { latencyMs: 5 } });
  redis = await startRedis();
  replicas = await startReplicas(2, {
    ...vendorEnvironment(running),
    REDIS_URL: redis.url,
    REPLICAS: '2',
    VENDOR_CACHE_TTL_SECONDS: '1',
    // A budget far above the load, so the limiter's Redis path runs too.
    VENDOR_RATE_LIMITS: 'CISCO_CONTROL_CENTER=1000,KOBIL=1000',
  });
  gateway = await startGateway(replicas.map((replica) => replica.url));
});

after(async () => {
  redis?.resume();
  await gateway?.close();
  await Promise.all((replicas ?? []).map((replica) => replica.close()));
  await redis?.close();
  await running?.close();
});

const QUERIES = [
  { query: 'query($iccid: String!) { cellularDevice(iccid: $iccid) { auditEvents(first: 10) { nodes { id } } } }', variables: { iccid: CONTROL_CENTER_FIXTURES.iccidWith137Records } },
  { query: 'query($iccid: String!) { cellularDevice(iccid: $iccid) { auditEvents(first: 3) { nodes { id } } } }', variables: { iccid: CONTROL_CENTER_FIXTURES.iccidWith50Records } },
  { query: 'query($u: String!) { kobilUser(userName: $u) { activity(first: 5) { nodes { id } } } }', variables: { u: KOBIL_FIXTURES.userWith53Logs } },
];

/** Polls every replica's `/healthz` until all report `sharedState`; how long that took. */
async function allReport(sharedState: string, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const states = await Promise.all(replicas.map(async (replica) => (await replica.healthz()).sharedState));
    if (states.every((state) => state === sharedState)) return Date.now() - started;
    assert.ok(Date.now() - started < withinMs, `every replica reports ${sharedState} within ${withinMs} ms (now: ${states.join(', ')})`);
    await sleep(100);
  }
}

it('Redis stopped, killed and restarted under load: no request fails, degraded is reported, shared mode comes back', async (t) => {
  await allReport('shared', 5_000);
  const errors: unknown[] = [];
  let answered = 0;
  let stop = false;
  const worker = async (id: number) => {
    for (let n = id; !stop; n += 4) {
      const { query, variables } = QUERIES[n % QUERIES.length]!;
      const answer = await gateway.query(query, variables);
      if (answer.errors) errors.push(...answer.errors);
      else answered++;
    }
  };
  const load = Promise.all([0, 1, 2, 3].map(worker));
  try {
    await sleep(1_000);
    redis.pause();
    const noticed = await allReport('degraded', 10_000);
    const degraded = await Promise.all(replicas.map((replica) => replica.healthz()));
    assert.ok(degraded.every((health) => health.status === 'degraded'), '/healthz status is degraded');
    await sleep(1_000);
    await redis.kill();
    await sleep(1_000);
    await redis.start();
    const recovered = await allReport('shared', 10_000);
    await sleep(1_000);
    t.diagnostic(`degraded noticed after ${noticed} ms of SIGSTOP; shared again ${recovered} ms after the restart; ${answered} requests answered`);
  } finally {
    stop = true;
    await load;
  }
  assert.deepEqual(errors, [], 'no GraphQL request failed');
  assert.ok(answered > 20, `the load ran (${answered} requests)`);
  // The gauge says shared too (polled: on a machine this busy a 50 ms command timeout can flap for a moment).
  await allReport('shared', 10_000);
  for (const replica of replicas) {
    const metrics = await replica.metrics();
    assert.match(metrics, /^devicegraph_shared_state [12]$/m, 'the metric says where shared state lives');
    const failures = Number(/^devicegraph_redis_failures_total (\d+)$/m.exec(metrics)?.[1] ?? 0);
    assert.ok(failures > 0, `the metric counted Redis failures (${failures})`);
  }
});
