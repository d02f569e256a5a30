import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  VendorAuthError,
  VendorBadResponseError,
  VendorNotFoundError,
  VendorRequestRejectedError,
} from '../../src/vendors/http/errors.js';
import type { Simulator } from '../../src/simulators/server.js';
import { KobilClient, isValidKobilUserName, type KobilLogItem } from '../../src/vendors/kobil/client.js';
import { USER_LOGS_PAGING } from '../../src/vendors/kobil/contract.js';
import {
  KOBIL_FIXTURES,
  KOBIL_SIMULATOR_CREDENTIALS,
  createKobilSimulator,
  startKobilSimulator,
} from '../../src/simulators/kobil/simulator.js';
import { describeFaultKnobs, useSimulatorClient } from '../support/fault-cases.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';
import { loggedCalls } from '../support/call-log.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const TOKEN = KOBIL_SIMULATOR_CREDENTIALS.accessToken;
const { userWith0Logs, userWith7Logs, userWith53Logs, userWith200Logs, unknownUser } = KOBIL_FIXTURES;

/** Keys of a log item in the doc's sample, in its order; `details` only on some. */
const SAMPLE_ITEM_KEYS = ['action', 'archived', 'certificateSerialNumber', 'details', 'deviceId', 'id', 'issuerDN', 'logDate', 'status', 'userId'];

/** Raw GET against the simulator, bypassing the client, to pin the wire contract. */
async function rawGet(
  simulator: Simulator,
  path: string,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
  method = 'GET',
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(simulator.url + path, { method, headers });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const logsPath = (userName: string, query: string) => `/digitanium/v4/user/${encodeURIComponent(userName)}/logs?${query}`;

/** Pages through a whole user's log with the client. */
async function readAll(client: KobilClient, userName: string, limit: number): Promise<{ items: KobilLogItem[]; pages: number }> {
  const items: KobilLogItem[] = [];
  let pages = 0;
  for (let offset = 0; ; offset += limit) {
    const page = await client.getUserLogs(userName, { offset, limit });
    pages += 1;
    items.push(...page.items);
    if (!page.moreResultsAvailable) return { items, pages };
  }
}

function assertNewestFirst(items: ReadonlyArray<{ id: number | string; logDate: string | Date }>): void {
  for (let i = 1; i < items.length; i += 1) {
    const [newer, older] = [items[i - 1]!, items[i]!];
    assert.ok(Number(newer.id) > Number(older.id), `ids descend at ${i}`);
    assert.ok(Number(newer.logDate) > Number(older.logDate), `logDate strictly decreases at ${i}`);
  }
}

describe('KOBIL simulator, on the wire', () => {
  let simulator: Simulator;
  before(async () => {
    simulator = await startKobilSimulator({ now: () => NOW });
  });
  after(() => simulator.close());

  it('answers with the envelope of the doc sample and echoes the filter', async () => {
    const { status, body } = await rawGet(simulator, logsPath(userWith53Logs, 'limit=10&offset=12'));
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['data', 'message', 'status', 'subSystem']);
    assert.equal(body.message, 'Logs fetched successfully');
    assert.equal(body.status, 'OK');
    assert.equal(body.subSystem, 5);
    assert.deepEqual(Object.keys(body.data), ['moreResultsAvailable', 'reportingFilterUsed', 'reportingInfoItems']);
    assert.deepEqual(body.data.reportingFilterUsed, { deviceId: 'null', limit: 10, offset: 12, userId: userWith53Logs });
    assert.equal(body.data.moreResultsAvailable, true);
    assert.equal(body.data.reportingInfoItems.length, 10);
  });

  it('serves items with exactly the sample fields: numeric id, logDate as epoch-seconds text, details on some', async () => {
    const { body } = await rawGet(simulator, logsPath(userWith200Logs, 'limit=100&offset=0'));
    const items: any[] = body.data.reportingInfoItems;
    for (const item of items) {
      assert.deepEqual(Object.keys(item), SAMPLE_ITEM_KEYS.filter((key) => key !== 'details' || 'details' in item));
      assert.equal(typeof item.id, 'number');
      assert.match(item.logDate, /^\d{10}$/);
      assert.ok(Number(item.logDate) <= NOW.getTime() / 1000);
      assert.ok(['35', '13', '22'].includes(item.action));
      assert.equal(typeof item.archived, 'boolean');
      assert.match(item.issuerDN, /^CN=asm internal ca [0-9a-f-]{36},UID=\w{10},O=KOBIL SYSTEMS,C=DE$/);
      assert.equal(item.userId, userWith200Logs);
    }
    assert.ok(items.some((item) => 'details' in item) && items.some((item) => !('details' in item)));
    assert.match(items.find((item) => 'details' in item).details, /^key=KS\.\w+; owner=OWNER_DEVICE$/);
  });

  it('serves every list newest first: ids descending, logDate strictly decreasing', async () => {
    const first = await rawGet(simulator, logsPath(userWith200Logs, 'limit=100&offset=0'));
    const second = await rawGet(simulator, logsPath(userWith200Logs, 'limit=100&offset=100'));
    assertNewestFirst([...first.body.data.reportingInfoItems, ...second.body.data.reportingInfoItems]);
  });

  it('says moreResultsAvailable exactly when rows remain after the page', async () => {
    const cases: Array<[string, number, number, number, boolean]> = [
      // user, offset, limit, items, moreResultsAvailable
      [userWith0Logs, 0, 10, 0, false],
      [userWith7Logs, 0, 6, 6, true],
      [userWith7Logs, 0, 7, 7, false],
      [userWith7Logs, 6, 1, 1, false],
      [userWith53Logs, 50, 3, 3, false],
      [userWith53Logs, 49, 3, 3, true],
      [userWith200Logs, 100, 100, 100, false],
      [userWith200Logs, 500, 100, 0, false],
    ];
    for (const [user, offset, limit, count, more] of cases) {
      const { status, body } = await rawGet(simulator, logsPath(user, `limit=${limit}&offset=${offset}`));
      assert.equal(status, 200);
      assert.equal(body.data.reportingInfoItems.length, count, `${user} ${offset}/${limit}`);
      assert.equal(body.data.moreResultsAvailable, more, `${user} ${offset}/${limit}`);
    }
  });

  it('answers 401 with the doc status and message for a missing, wrong or non-bearer token', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-the-token' },
      { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` },
    ];
    for (const headers of attempts) {
      const { status, body, headers: answered } = await rawGet(simulator, logsPath(userWith7Logs, 'limit=5&offset=0'), headers);
      assert.equal(status, 401);
      assert.deepEqual(body, { status: 'Unauthorized', message: 'HTTP 401 Unauthorized', subSystem: 5 });
      assert.equal(answered.get('www-authenticate'), 'Bearer');
    }
  });

  it('answers 404 USER_NOT_FOUND "User does not exist" for an unknown user', async () => {
    const { status, body } = await rawGet(simulator, logsPath(unknownUser, 'limit=5&offset=0'));
    assert.equal(status, 404);
    assert.deepEqual(body, { status: 'USER_NOT_FOUND', message: 'User does not exist', subSystem: 5 });
  });

  it('refuses limit outside 1..100, offset below 0, non-integers, missing or repeated parameters with 400 BAD_REQUEST', async () => {
    const refused = [
      'limit=0&offset=0',
      'limit=101&offset=0',
      'limit=1.5&offset=0',
      'limit=ten&offset=0',
      'limit=&offset=0',
      'limit=10&offset=-1',
      'limit=10&offset=1e3',
      'offset=0',
      'limit=10',
      'limit=10&limit=20&offset=0',
    ];
    for (const query of refused) {
      const { status, body } = await rawGet(simulator, logsPath(userWith53Logs, query));
      assert.equal(status, 400, query);
      assert.equal(body.status, 'BAD_REQUEST', query);
      assert.equal(body.subSystem, 5);
      assert.match(body.message, /^(limit|offset) /, query);
    }
    const edges = await rawGet(simulator, logsPath(userWith53Logs, `limit=${USER_LOGS_PAGING.maxLimit}&offset=0`));
    assert.equal(edges.status, 200);
  });

  it('checks the parameters before the user, and the token before everything', async () => {
    assert.equal((await rawGet(simulator, logsPath(unknownUser, 'limit=0&offset=0'))).status, 400);
    assert.equal((await rawGet(simulator, logsPath(unknownUser, 'limit=0&offset=0'), {})).status, 401);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const other = await rawGet(simulator, '/digitanium/v4/user/sony/devices?limit=1&offset=0');
    assert.equal(other.status, 404);
    assert.equal(other.body.status, 'NOT_FOUND');
    const post = await rawGet(simulator, logsPath(userWith7Logs, 'limit=1&offset=0'), { authorization: `Bearer ${TOKEN}` }, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
  });

  it('serves the same data for the same seed and clock', () => {
    const request = {
      method: 'GET',
      path: '/digitanium/v4/user/sony/logs',
      query: new URLSearchParams('limit=20&offset=0'),
      rawPath: '/digitanium/v4/user/sony/logs?limit=20&offset=0',
      headers: { authorization: `Bearer ${TOKEN}` },
    };
    const a = createKobilSimulator({ now: () => NOW, seed: 7 }).handle(request);
    const b = createKobilSimulator({ now: () => NOW, seed: 7 }).handle(request);
    const c = createKobilSimulator({ now: () => NOW, seed: 8 }).handle(request);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('answers a server error in the envelope shape', () => {
    assert.deepEqual(createKobilSimulator().serverError(), {
      status: 500,
      body: { status: 'INTERNAL_SERVER_ERROR', message: 'HTTP 500 Internal Server Error', subSystem: 5 },
    });
  });
});

describe('KobilClient against the simulator', () => {
  const vendor = useSimulatorClient(
    () => startKobilSimulator({ now: () => NOW }),
    (connection) => new KobilClient({ ...SINGLE_ATTEMPT, ...connection, credentials: KOBIL_SIMULATOR_CREDENTIALS }),
  );
  let simulator: Simulator;
  let client: KobilClient;
  before(() => void ({ simulator, client } = vendor));

  it('pages a 53-entry log across page boundaries: every entry once, newest first', async () => {
    const { items, pages } = await readAll(client, userWith53Logs, 10);
    assert.equal(pages, 6);
    assert.equal(items.length, KOBIL_FIXTURES.logCounts.sony);
    assert.equal(new Set(items.map((item) => item.key)).size, items.length);
    assertNewestFirst(items);
    assert.deepEqual(
      simulator.calls.map((call) => call.query),
      [0, 10, 20, 30, 40, 50].map((offset) => ({ limit: '10', offset: String(offset) })),
    );
  });

  it('reads every fixture list with exactly its documented length', async () => {
    for (const [user, count] of Object.entries(KOBIL_FIXTURES.logCounts)) {
      const { items } = await readAll(client, user, USER_LOGS_PAGING.maxLimit);
      assert.equal(items.length, count, user);
    }
  });

  it('normalizes items: key is the vendor id, logDate a Date, absent details null', async () => {
    const raw = await rawGet(simulator, logsPath(userWith7Logs, 'limit=7&offset=0'));
    const page = await client.getUserLogs(userWith7Logs, { offset: 0, limit: 7 });
    assert.equal(page.moreResultsAvailable, false);
    assert.equal(page.items.length, 7);
    page.items.forEach((item, i) => {
      const wire = raw.body.data.reportingInfoItems[i];
      assert.deepEqual(item, {
        key: String(wire.id),
        id: String(wire.id),
        action: wire.action,
        archived: wire.archived,
        certificateSerialNumber: wire.certificateSerialNumber,
        details: wire.details ?? null,
        deviceId: wire.deviceId,
        issuerDN: wire.issuerDN,
        logDate: new Date(Number(wire.logDate) * 1000),
        status: wire.status,
        userId: userWith7Logs,
      });
    });
  });

  it('returns an empty last page for a user without logs', async () => {
    assert.deepEqual(await client.getUserLogs(userWith0Logs, { offset: 0, limit: 10 }), { moreResultsAvailable: false, items: [] });
  });

  it('URL-encodes the user name and always sends limit and offset', async () => {
    await client.getUserLogs(userWith200Logs, { offset: 0, limit: 5 });
    assert.deepEqual(loggedCalls(simulator), [
      {
        method: 'GET',
        path: '/digitanium/v4/user/jane.doe%2Bops%40example.com/logs',
        query: { limit: '5', offset: '0' },
        status: 200,
      },
    ]);
  });

  it('refuses an invalid user name before any call', async () => {
    for (const name of ['', '..', 'a/b', 'two words']) {
      await assert.rejects(client.getUserLogs(name, { offset: 0, limit: 5 }), VendorRequestRejectedError);
    }
    assert.equal(simulator.calls.length, 0);
  });

  it('turns 404 USER_NOT_FOUND into VendorNotFoundError', async () => {
    await assert.rejects(client.getUserLogs(unknownUser, { offset: 0, limit: 5 }), (error: unknown) => {
      assert.ok(error instanceof VendorNotFoundError);
      assert.equal(error.status, 404);
      assert.equal(error.vendorCode, 'USER_NOT_FOUND');
      assert.match(error.vendorMessage ?? '', /User does not exist/);
      return true;
    });
  });

  it('turns a refused limit or offset into VendorRequestRejectedError', async () => {
    for (const params of [
      { offset: 0, limit: USER_LOGS_PAGING.maxLimit + 1 },
      { offset: 0, limit: 0 },
      { offset: -1, limit: 5 },
      { offset: 0.5, limit: 5 },
    ]) {
      await assert.rejects(client.getUserLogs(userWith53Logs, params), (error: unknown) => {
        assert.ok(error instanceof VendorRequestRejectedError);
        assert.equal(error.status, 400);
        assert.equal(error.vendorCode, 'BAD_REQUEST');
        return true;
      });
    }
  });

  it('turns a refused token into VendorAuthError without repeating it', async () => {
    const secret = 'wrong-secret-token-value';
    const wrong = new KobilClient({ ...SINGLE_ATTEMPT, baseUrl: simulator.url, credentials: { accessToken: secret } });
    try {
      await assert.rejects(wrong.getUserLogs(userWith7Logs, { offset: 0, limit: 5 }), (error: unknown) => {
        assert.ok(error instanceof VendorAuthError);
        assert.equal(error.status, 401);
        assert.equal(error.vendorCode, 'Unauthorized');
        assert.ok(!error.message.includes(secret) && !error.message.includes(TOKEN));
        assert.ok(!JSON.stringify(error).includes(secret));
        return true;
      });
    } finally {
      await wrong.close();
    }
  });

  describeFaultKnobs('faults', {
    vendor,
    call: (c) => c.getUserLogs(userWith7Logs, { offset: 0, limit: 5 }),
    recovered: (page) => assert.equal(page.items.length, 5),
    serverError: {
      vendorCode: 'INTERNAL_SERVER_ERROR',
      wire: {
        raw: () => rawGet(simulator, logsPath(userWith7Logs, 'limit=5&offset=0')),
        body: { status: 'INTERNAL_SERVER_ERROR', message: 'HTTP 500 Internal Server Error', subSystem: 5 },
      },
    },
  });

  it('shifts offset pages by one when insertEveryRequests adds a newer entry at the head', async () => {
    // Inserted entries stay: this test pages a simulator of its own, not the suite's.
    const inserting = await startKobilSimulator({ now: () => NOW });
    const insertingClient = new KobilClient({ ...SINGLE_ATTEMPT, baseUrl: inserting.url, credentials: KOBIL_SIMULATOR_CREDENTIALS });
    try {
      const before = await insertingClient.getUserLogs(userWith53Logs, { offset: 0, limit: 10 });
      inserting.knobs.insertEveryRequests = 1;
      const first = await insertingClient.getUserLogs(userWith53Logs, { offset: 0, limit: 10 });
      const second = await insertingClient.getUserLogs(userWith53Logs, { offset: 10, limit: 10 });
      assert.deepEqual(first.items, before.items);
      // One entry arrived after the first page, so the second page repeats its last entry.
      assert.equal(second.items[0]?.key, first.items[9]?.key);
      const head = (await insertingClient.getUserLogs(userWith53Logs, { offset: 0, limit: 3 })).items;
      assert.equal(head[2]?.key, first.items[0]?.key);
      assertNewestFirst(head);
      assert.ok(head[0]!.logDate > first.items[0]!.logDate);
    } finally {
      await insertingClient.close();
      await inserting.close();
    }
  });
});

describe('KobilClient against bodies shaped as the doc shows them', () => {
  /** The first two items of the doc's sample response, verbatim. */
  const SAMPLE = {
    data: {
      moreResultsAvailable: true,
      reportingFilterUsed: { deviceId: 'null', limit: 10, offset: 12, userId: 'sony' },
      reportingInfoItems: [
        {
          action: '35',
          archived: false,
          certificateSerialNumber: '2033460265',
          details: 'key=KS.IP; owner=OWNER_DEVICE',
          deviceId: '4184',
          id: 185758,
          issuerDN: 'CN=asm internal ca ec58ecd4-0fc3-4fb8-a062-d6ae4aa01e30,UID=DctH2B9f1l,O=KOBIL SYSTEMS,C=DE',
          logDate: '1600963169',
          status: '0',
          userId: 'sony',
        },
        {
          action: '13',
          archived: false,
          certificateSerialNumber: '2033460265',
          deviceId: '4184',
          id: 185757,
          issuerDN: 'CN=asm internal ca ec58ecd4-0fc3-4fb8-a062-d6ae4aa01e30,UID=DctH2B9f1l,O=KOBIL SYSTEMS,C=DE',
          logDate: '1600963167',
          status: '0',
          userId: 'sony',
        },
      ],
    },
    message: 'Logs fetched successfully',
    status: 'OK',
    subSystem: 5,
  };
  const [sampleNewer, sampleOlder] = SAMPLE.data.reportingInfoItems as [any, any];

  let answer: unknown;
  let server: Server;
  let client: KobilClient;
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new KobilClient({ ...SINGLE_ATTEMPT, baseUrl: `http://127.0.0.1:${port}`, credentials: KOBIL_SIMULATOR_CREDENTIALS });
  });
  after(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads the doc sample', async () => {
    answer = SAMPLE;
    const page = await client.getUserLogs('sony', { offset: 12, limit: 10 });
    assert.equal(page.moreResultsAvailable, true);
    assert.deepEqual(page.items[0], {
      key: '185758',
      id: '185758',
      action: '35',
      archived: false,
      certificateSerialNumber: '2033460265',
      details: 'key=KS.IP; owner=OWNER_DEVICE',
      deviceId: '4184',
      issuerDN: 'CN=asm internal ca ec58ecd4-0fc3-4fb8-a062-d6ae4aa01e30,UID=DctH2B9f1l,O=KOBIL SYSTEMS,C=DE',
      logDate: new Date('2020-09-24T15:59:29Z'),
      status: '0',
      userId: 'sony',
    });
    assert.equal(page.items[1]?.details, null);
  });

  it('reads moreResultsAvailable at the top level, as the field table lists it', async () => {
    answer = { ...SAMPLE, data: { ...SAMPLE.data, moreResultsAvailable: undefined }, moreResultsAvailable: false };
    assert.equal((await client.getUserLogs('sony', { offset: 12, limit: 2 })).moreResultsAvailable, false);
  });

  it('without moreResultsAvailable, reads a full page as "more" and a short one as the end', async () => {
    answer = { ...SAMPLE, data: { ...SAMPLE.data, moreResultsAvailable: undefined } };
    assert.equal((await client.getUserLogs('sony', { offset: 0, limit: 2 })).moreResultsAvailable, true);
    assert.equal((await client.getUserLogs('sony', { offset: 0, limit: 3 })).moreResultsAvailable, false);
  });

  it('reads "null" strings and left-out optional fields as null, a numeric logDate and a string id', async () => {
    const { certificateSerialNumber: _serial, issuerDN: _issuer, ...bare } = sampleOlder;
    answer = { ...SAMPLE, data: { ...SAMPLE.data, reportingInfoItems: [{ ...bare, deviceId: 'null', status: null, logDate: 1600963167, id: 'L-1' }] } };
    const [item] = (await client.getUserLogs('sony', { offset: 0, limit: 10 })).items;
    assert.equal(item?.key, 'L-1');
    assert.equal(item?.deviceId, null);
    assert.equal(item?.status, null);
    assert.equal(item?.certificateSerialNumber, null);
    assert.equal(item?.issuerDN, null);
    assert.deepEqual(item?.logDate, new Date(1600963167 * 1000));
  });

  it('refuses bodies off the documented shape with VendorBadResponseError', async () => {
    for (const body of [
      { ...SAMPLE, data: { ...SAMPLE.data, reportingInfoItems: [{ ...sampleNewer, logDate: 'yesterday' }] } },
      { ...SAMPLE, data: { ...SAMPLE.data, reportingInfoItems: [{ ...sampleNewer, archived: 'no' }] } },
      { ...SAMPLE, data: { ...SAMPLE.data, reportingInfoItems: [{ ...sampleNewer, userId: undefined }] } },
      { message: 'Logs fetched successfully', status: 'OK' },
    ]) {
      answer = body;
      await assert.rejects(client.getUserLogs('sony', { offset: 0, limit: 10 }), VendorBadResponseError);
    }
  });
});

describe('isValidKobilUserName', () => {
  it('accepts 1 to 128 characters without /, \\, whitespace or control characters', () => {
    for (const name of ['sony', 'jane.doe+ops@example.com', 'Müller_42', '%41', 'x'.repeat(128), '...']) {
      assert.equal(isValidKobilUserName(name), true, name);
    }
    for (const name of ['', 'x'.repeat(129), 'a/b', 'a\\b', 'two words', 'tab\there', 'nl\n', 'nul\u0000', '.', '..', '\ud800']) {
      assert.equal(isValidKobilUserName(name), false, JSON.stringify(name));
    }
  });
});
