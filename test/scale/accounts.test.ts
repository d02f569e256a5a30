/**
 * Two accounts of one vendor never see each other's cached answers: in one replica's memory, nor
 * through Redis shared by two replicas. The vendor is a KOBIL tenant double on one base URL: a
 * small router in front of two KOBIL simulators (other seeds, other tokens) that sends each
 * request to the simulator whose token it carries, as one vendor host serving two tenants would.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KOBIL_FIXTURES, startKobilSimulator } from '../../src/simulators/kobil/simulator.js';
import type { Simulator } from '../../src/simulators/server.js';
import { KobilClient } from '../../src/vendors/kobil/client.js';
import { VendorAuthError } from '../../src/vendors/http/errors.js';
import { createScale, type Scale } from '../../src/vendors/http/scale.js';
import { SharedStore } from '../../src/vendors/http/shared-store.js';
import { startRedis, type RedisServer } from '../support/redis.js';

const TOKENS = ['tenant-one-access-token', 'tenant-two-access-token'] as const;
const USER = KOBIL_FIXTURES.userWith53Logs;

let tenants: Simulator[];
let router: Server;
let baseUrl: string;
let redis: RedisServer;

before(async () => {
  tenants = await Promise.all(TOKENS.map((accessToken, index) => startKobilSimulator({ seed: 1000 + index, credentials: { accessToken } })));
  router = createServer((req, res) => {
    const tenant = tenants[TOKENS.findIndex((token) => req.headers.authorization === `Bearer ${token}`)] ?? tenants[0]!;
    const target = new URL(tenant.url);
    const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
  redis = await startRedis();
});

after(async () => {
  router?.closeAllConnections();
  await new Promise((resolve) => router?.close(resolve));
  await Promise.all((tenants ?? []).map((tenant) => tenant.close()));
  await redis?.close();
});

function client(scale: Scale, accessToken: string): KobilClient {
  return new KobilClient({ baseUrl, credentials: { accessToken }, scale: { shared: scale, settings: { listTtlSeconds: 60 } } });
}

/** Reads the user's log page as each account, twice, and checks each saw its own tenant's data, cached the second time. */
async function readAsBothAccounts(scales: [Scale, Scale]): Promise<void> {
  for (const tenant of tenants) tenant.clearCalls();
  const [one, two] = [client(scales[0], TOKENS[0]), client(scales[1], TOKENS[1])];
  const truth = await Promise.all(tenants.map((_, index) => new KobilClient({ baseUrl, credentials: { accessToken: TOKENS[index]! } }).getUserLogs(USER, { offset: 0, limit: 20 })));
  const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);
  assert.notDeepEqual(ids(truth[0]!), ids(truth[1]!), 'the two tenants hold different logs');
  for (const tenant of tenants) tenant.clearCalls();
  try {
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(ids(await one.getUserLogs(USER, { offset: 0, limit: 20 })), ids(truth[0]!), `round ${round}: account one reads its own tenant`);
      assert.deepEqual(ids(await two.getUserLogs(USER, { offset: 0, limit: 20 })), ids(truth[1]!), `round ${round}: account two reads its own tenant`);
    }
    assert.deepEqual(
      tenants.map((tenant) => tenant.calls.length),
      [1, 1],
      'each tenant was called once: the second round came from each account’s own cache entry',
    );
    // A token the vendor does not know gets the vendor's refusal, never another account's cached page.
    await assert.rejects(client(scales[0], 'a-token-nobody-issued').getUserLogs(USER, { offset: 0, limit: 20 }), VendorAuthError);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}

describe('two accounts of one vendor', () => {
  it('in one replica (in-process cache) never share cached data', async () => {
    const scale = createScale(new SharedStore());
    await readAsBothAccounts([scale, scale]);
  });

  it('through Redis shared by two replicas never share cached data', async () => {
    const stores = [new SharedStore({ url: redis.url, commandTimeoutMs: 1000 }), new SharedStore({ url: redis.url, commandTimeoutMs: 1000 })];
    try {
      await Promise.all(stores.map((store) => store.connect()));
      assert.deepEqual(stores.map((store) => store.state), ['shared', 'shared']);
      await readAsBothAccounts([createScale(stores[0]!), createScale(stores[1]!)]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
