import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  VendorAuthError,
  VendorNotFoundError,
  VendorRequestRejectedError,
} from '../../src/vendors/http/errors.js';
import type { Simulator, SimulatorHandler, SimulatorResponse } from '../../src/simulators/server.js';
import {
  ControlCenterClient,
  controlCenterAuditTrailsSchema,
  isValidIccid,
  readControlCenterAuditPage,
  toControlCenterAuditPage,
  type ControlCenterAuditRecord,
} from '../../src/vendors/control-center/client.js';
import { AUDIT_TRAILS_PAGING } from '../../src/vendors/control-center/contract.js';
import {
  CONTROL_CENTER_FIXTURES as FIXTURES,
  CONTROL_CENTER_SIMULATOR_CREDENTIALS as CREDENTIALS,
  createControlCenterSimulator,
  startControlCenterSimulator,
} from '../../src/simulators/control-center/simulator.js';
import { describeFaultKnobs, useSimulatorClient } from '../support/fault-cases.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';
import { loggedCalls } from '../support/call-log.js';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const now = (): Date => NOW;
const DAY_MS = 86_400_000;
/** The doc's `yyyy-MM-ddTHH:mm:ss.SSSZ`, with Java's `Z` as a numeric offset. */
const DOC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;
const DOC_STATUSES = ['Pending', 'Running', 'Executed', 'Error', 'Deleted', 'Cancelled', 'WaitingRetry'];
const RECORD_FIELDS = ['field', 'priorValue', 'value', 'effectiveDate', 'status', 'userName', 'delegatedUser', 'ipAddress'];

interface WireBody {
  iccid: string;
  timestamp: string;
  pageNumber: number;
  lastPage: boolean;
  deviceAuditTrails: Array<Record<string, string>>;
}

function basic(username: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}`;
}

function auditPath(iccid: string, query = '', version = '1'): string {
  return `/rws/api/v${version}/devices/${iccid}/auditTrails${query ? `?${query}` : ''}`;
}

/** Sends one GET to the simulator as-is, without the client. */
async function raw(simulator: Simulator, path: string, authorization: string | null = basic(CREDENTIALS.username, CREDENTIALS.apiKey)) {
  const response = await fetch(simulator.url + path, { headers: authorization === null ? {} : { authorization } });
  return { status: response.status, body: (await response.json()) as unknown };
}

/** Answers one request straight from a handler (no HTTP), for tests of the seeded data itself. */
function handle(handler: SimulatorHandler, iccid: string, query = ''): SimulatorResponse & { body: WireBody } {
  const url = new URL(`http://simulator.invalid${auditPath(iccid, query)}`);
  const answer = handler.handle({
    method: 'GET',
    path: url.pathname,
    query: url.searchParams,
    rawPath: url.pathname + url.search,
    headers: { authorization: basic(CREDENTIALS.username, CREDENTIALS.apiKey) },
  });
  return answer as SimulatorResponse & { body: WireBody };
}

function assertNoSecrets(error: unknown): void {
  const text = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
  assert.ok(!text.includes(CREDENTIALS.apiKey), 'API key leaked into an error');
  assert.ok(!text.includes(CREDENTIALS.username), 'username leaked into an error');
  assert.ok(!text.includes(Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.apiKey}`).toString('base64')), 'auth header leaked');
}

describe('Cisco Control Center simulator and client', () => {
  const vendor = useSimulatorClient(
    () => startControlCenterSimulator({ now }),
    (connection) => new ControlCenterClient({ ...SINGLE_ATTEMPT, ...connection, credentials: CREDENTIALS }),
  );
  let simulator: Simulator;
  let client: ControlCenterClient;
  before(() => void ({ simulator, client } = vendor));

  /** Pages through a device with the client until `lastPage`, returning every page. */
  async function allPages(iccid: string, pageSize: number, daysOfHistory?: number) {
    const pages = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const page = await client.getAuditTrails(iccid, { pageNumber, pageSize, ...(daysOfHistory ? { daysOfHistory } : {}) });
      pages.push(page);
      if (page.lastPage) return pages;
      assert.ok(pageNumber < 100, 'lastPage never came');
    }
  }

  describe('documented response', () => {
    it('answers the documented body, defaulting to pageSize 50, pageNumber 1 and 30 days', async () => {
      const { status, body } = await raw(simulator, auditPath(FIXTURES.iccidWith137Records));
      assert.equal(status, 200);
      const page = body as WireBody;
      assert.deepEqual(Object.keys(page).sort(), ['deviceAuditTrails', 'iccid', 'lastPage', 'pageNumber', 'timestamp']);
      assert.equal(page.iccid, FIXTURES.iccidWith137Records);
      assert.equal(page.timestamp, '2025-06-15T12:00:00.000+0000');
      assert.equal(page.pageNumber, 1);
      assert.equal(page.lastPage, false);
      assert.equal(page.deviceAuditTrails.length, 50);
      for (const record of page.deviceAuditTrails) {
        for (const name of Object.keys(record)) assert.ok(RECORD_FIELDS.includes(name), `unexpected field ${name}`);
        assert.match(record.effectiveDate ?? '', DOC_TIMESTAMP);
        assert.ok(DOC_STATUSES.includes(record.status ?? ''), `undocumented status ${record.status}`);
        assert.ok(record.field && record.value && record.userName && record.ipAddress);
      }
      const spread = (await raw(simulator, auditPath(FIXTURES.iccidSpreadOver400Days))).body as WireBody;
      assert.equal(spread.deviceAuditTrails.length, FIXTURES.recordsWithinDefault30Days.iccidSpreadOver400Days);
    });

    it('normalizes records: Dates, null for absent or empty values, 16-hex keys', async () => {
      const pages = await allPages(FIXTURES.iccidWith137Records, 50);
      assert.ok(pages.every((page) => page.iccid === FIXTURES.iccidWith137Records));
      const records = pages.flatMap((page) => page.records);
      for (const record of records) {
        assert.match(record.key, /^[0-9a-f]{16}$/);
        assert.ok(record.effectiveDate instanceof Date && !Number.isNaN(record.effectiveDate.getTime()));
        for (const value of [record.priorValue, record.delegatedUser]) assert.ok(value === null || value.length > 0);
      }
      assert.ok(records.some((record) => record.priorValue === null));
      assert.ok(records.some((record) => record.delegatedUser === null));
    });

    it('pages newest first, every record exactly once, with an exact lastPage', async () => {
      const pages = await allPages(FIXTURES.iccidWith137Records, AUDIT_TRAILS_PAGING.maxPageSize);
      assert.deepEqual(pages.map((page) => page.records.length), [50, 50, 37]);
      assert.deepEqual(pages.map((page) => page.lastPage), [false, false, true]);
      assert.deepEqual(pages.map((page) => page.pageNumber), [1, 2, 3]);
      const records = pages.flatMap((page) => page.records);
      for (let i = 1; i < records.length; i += 1) {
        assert.ok(records[i - 1]!.effectiveDate > records[i]!.effectiveDate, `record ${i} is not older than the one before`);
      }
      assert.equal(new Set(records.map((record) => record.key)).size, FIXTURES.recordsWithinDefault30Days.iccidWith137Records);
      const smallPages = await allPages(FIXTURES.iccidWith137Records, 7);
      assert.equal(smallPages.length, 20);
      assert.deepEqual(smallPages.flatMap((page) => page.records), records);
    });

    it('sets lastPage exactly at the 50/51 boundary and for an empty trail', async () => {
      const fifty = await client.getAuditTrails(FIXTURES.iccidWith50Records, { pageNumber: 1, pageSize: 50 });
      assert.equal(fifty.records.length, 50);
      assert.equal(fifty.lastPage, true);
      const fiftyOne = await allPages(FIXTURES.iccidWith51Records, 50);
      assert.deepEqual(fiftyOne.map((page) => [page.records.length, page.lastPage]), [[50, false], [1, true]]);
      const empty = await client.getAuditTrails(FIXTURES.iccidWithNoRecords, { pageNumber: 1, pageSize: 50 });
      assert.deepEqual({ ...empty }, { iccid: FIXTURES.iccidWithNoRecords, pageNumber: 1, lastPage: true, records: [] });
    });

    it('answers a page past the end with an empty last page', async () => {
      const page = await client.getAuditTrails(FIXTURES.iccidWith51Records, { pageNumber: 3, pageSize: 50 });
      assert.deepEqual({ ...page }, { iccid: FIXTURES.iccidWith51Records, pageNumber: 3, lastPage: true, records: [] });
      const far = await raw(simulator, auditPath(FIXTURES.iccidWith137Records, 'pageSize=50&pageNumber=1000000'));
      assert.equal(far.status, 200);
      assert.deepEqual((far.body as WireBody).deviceAuditTrails, []);
      assert.equal((far.body as WireBody).lastPage, true);
    });

    it('serves only records within daysOfHistory of now, up to 365 days', async () => {
      for (const [days, expected] of Object.entries(FIXTURES.spreadOver400Days.recordsWithinDays)) {
        const records = (await allPages(FIXTURES.iccidSpreadOver400Days, 50, Number(days))).flatMap((page) => page.records);
        assert.equal(records.length, expected, `daysOfHistory=${days}`);
        for (const record of records) assert.ok(record.effectiveDate.getTime() >= NOW.getTime() - Number(days) * DAY_MS);
      }
      // The spread device really reaches beyond a year: its whole trail is older than any window.
      const total = FIXTURES.spreadOver400Days.totalRecords;
      const spacing = FIXTURES.spreadOver400Days.spacingDays;
      assert.ok((total - 1) * spacing > 365);
      const oneDay = await client.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 1, pageSize: 50, daysOfHistory: 1 });
      const everything = (await allPages(FIXTURES.iccidWith137Records, 50)).flatMap((page) => page.records);
      assert.deepEqual(oneDay.records, everything.filter((record) => record.effectiveDate.getTime() >= NOW.getTime() - DAY_MS));
    });

    it('chains priorValue per field; a first-time change has none (absent or empty)', async () => {
      const handler = createControlCenterSimulator({ now });
      const pages = [1, 2, 3].map((pageNumber) => handle(handler, FIXTURES.iccidWith137Records, `pageNumber=${pageNumber}`));
      const oldestFirst = pages.flatMap((page) => page.body.deviceAuditTrails).reverse();
      const current = new Map<string, string>();
      const firstTimeSpellings = new Set<string>();
      for (const record of oldestFirst) {
        const previous = current.get(record.field!);
        if (previous === undefined) firstTimeSpellings.add('priorValue' in record ? JSON.stringify(record.priorValue) : 'absent');
        else assert.equal(record.priorValue, previous);
        current.set(record.field!, record.value!);
      }
      assert.deepEqual([...firstTimeSpellings].sort(), ['""', 'absent']);
    });

    it('serves the same data for the same seed, other data for another seed', () => {
      const first = handle(createControlCenterSimulator({ now, seed: 7 }), FIXTURES.iccidWith51Records);
      const again = handle(createControlCenterSimulator({ now, seed: 7 }), FIXTURES.iccidWith51Records);
      const other = handle(createControlCenterSimulator({ now, seed: 8 }), FIXTURES.iccidWith51Records);
      assert.deepEqual(again.body, first.body);
      assert.notDeepEqual(other.body.deviceAuditTrails, first.body.deviceAuditTrails);
      assert.equal(other.body.deviceAuditTrails.length, first.body.deviceAuditTrails.length);
    });

    it('gives every seeded record a distinct, stable key', async () => {
      const keys = [];
      for (const iccid of [FIXTURES.iccidWith137Records, FIXTURES.iccidWith50Records, FIXTURES.iccidWith51Records, FIXTURES.iccidSpreadOver400Days]) {
        keys.push(...(await allPages(iccid, 50, 365)).flatMap((page) => page.records.map((record) => record.key)));
      }
      assert.equal(keys.length, 137 + 50 + 51 + FIXTURES.spreadOver400Days.recordsWithinDays[365]);
      assert.equal(new Set(keys).size, keys.length);
      const again = await client.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 1, pageSize: 50, daysOfHistory: 365 });
      assert.deepEqual(again.records.map((record) => record.key), keys.slice(0, 50));
    });
  });

  describe('documented errors', () => {
    const invalid = (errorCode: string, errorMessage: string) => ({ errorCode, errorMessage });
    const cases: Array<[string, string, number, ReturnType<typeof invalid>]> = [
      ['apiVersion 2', auditPath(FIXTURES.iccidWith50Records, '', '2'), 400, invalid('10000024', 'Invalid apiVersion.')],
      ['apiVersion x', auditPath(FIXTURES.iccidWith50Records, '', 'x'), 400, invalid('10000024', 'Invalid apiVersion.')],
      ...['0', '51', '-1', 'ten', '1.5', ''].map((value): [string, string, number, ReturnType<typeof invalid>] => [
        `pageSize "${value}"`, auditPath(FIXTURES.iccidWith50Records, `pageSize=${value}`), 400, invalid('10000006', 'Invalid pageSize.'),
      ]),
      ...['0', '-2', 'two', '1.5', ''].map((value): [string, string, number, ReturnType<typeof invalid>] => [
        `pageNumber "${value}"`, auditPath(FIXTURES.iccidWith50Records, `pageNumber=${value}`), 400, invalid('10000007', 'Invalid pageNumber.'),
      ]),
      ...['366', '0', '-1', 'week', '2.5', ''].map((value): [string, string, number, ReturnType<typeof invalid>] => [
        `daysOfHistory "${value}"`, auditPath(FIXTURES.iccidWith50Records, `daysOfHistory=${value}`), 400,
        invalid('10000049', 'The daysOfHistory must be less than or equal to 365.'),
      ]),
      ['an unknown ICCID', auditPath(FIXTURES.unknownIccid), 404, invalid('20000001', 'Resource not found - Invalid ICCID.')],
      ['a malformed ICCID', auditPath('not-an-iccid'), 404, invalid('20000001', 'Resource not found - Invalid ICCID.')],
    ];
    for (const [name, path, status, body] of cases) {
      it(`answers ${name} with HTTP ${status} and code ${body.errorCode}`, async () => {
        assert.deepEqual(await raw(simulator, path), { status, body });
      });
    }

    it('accepts the documented boundaries', async () => {
      for (const query of ['pageSize=1', 'pageSize=50', 'daysOfHistory=1', 'daysOfHistory=365', 'pageNumber=1']) {
        assert.equal((await raw(simulator, auditPath(FIXTURES.iccidWith50Records, query))).status, 200, query);
      }
    });

    it('refuses missing or wrong credentials with 401 / 10000001, before judging anything else', async () => {
      const refused = { status: 401, body: { errorCode: '10000001', errorMessage: 'Invalid credentials.' } };
      const path = auditPath(FIXTURES.iccidWith50Records);
      assert.deepEqual(await raw(simulator, path, null), refused);
      assert.deepEqual(await raw(simulator, path, basic(CREDENTIALS.username, 'wrong-key')), refused);
      assert.deepEqual(await raw(simulator, path, basic('someone-else', CREDENTIALS.apiKey)), refused);
      assert.deepEqual(await raw(simulator, path, `Bearer ${CREDENTIALS.apiKey}`), refused);
      assert.deepEqual(await raw(simulator, path, 'Basic !!!'), refused);
      assert.deepEqual(await raw(simulator, auditPath(FIXTURES.unknownIccid, 'pageSize=99', '2'), null), refused);
    });

    it('maps each error code to a typed VendorError carrying the vendor code', async () => {
      const expectations: Array<[() => Promise<unknown>, new (...args: never[]) => Error, number, string]> = [
        [() => client.getAuditTrails(FIXTURES.iccidWith50Records, { pageNumber: 1, pageSize: 51 }), VendorRequestRejectedError, 400, '10000006'],
        [() => client.getAuditTrails(FIXTURES.iccidWith50Records, { pageNumber: 0, pageSize: 50 }), VendorRequestRejectedError, 400, '10000007'],
        [() => client.getAuditTrails(FIXTURES.iccidWith50Records, { pageNumber: 1, pageSize: 50, daysOfHistory: 366 }), VendorRequestRejectedError, 400, '10000049'],
        [() => client.getAuditTrails(FIXTURES.unknownIccid, { pageNumber: 1, pageSize: 50 }), VendorNotFoundError, 404, '20000001'],
      ];
      for (const [call, type, status, vendorCode] of expectations) {
        await assert.rejects(call, (error: unknown) => {
          assert.ok(error instanceof type, `${String(error)} is not a ${type.name}`);
          assert.equal((error as VendorRequestRejectedError).status, status);
          assert.equal((error as VendorRequestRejectedError).vendorCode, vendorCode);
          assert.equal((error as VendorRequestRejectedError).vendor, 'CISCO_CONTROL_CENTER');
          assertNoSecrets(error);
          return true;
        });
      }
    });

    it('surfaces refused credentials as VendorAuthError without echoing them', async () => {
      const credentials = { username: 'wrong-user-x1', apiKey: 'wrong-key-y2' };
      const wrong = new ControlCenterClient({ ...SINGLE_ATTEMPT, baseUrl: simulator.url, credentials });
      try {
        await assert.rejects(wrong.getAuditTrails(FIXTURES.iccidWith50Records, { pageNumber: 1, pageSize: 50 }), (error: unknown) => {
          assert.ok(error instanceof VendorAuthError);
          assert.equal(error.status, 401);
          assert.equal(error.vendorCode, '10000001');
          const text = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
          for (const secret of Object.values(credentials)) assert.ok(!text.includes(secret));
          return true;
        });
      } finally {
        await wrong.close();
      }
    });
  });

  describeFaultKnobs('faults', {
    vendor,
    call: (c) => c.getAuditTrails(FIXTURES.iccidWith50Records, { pageNumber: 1, pageSize: 50 }),
    recovered: (page) => assert.equal(page.records.length, 50),
    serverError: {
      vendorCode: '30000001',
      wire: { raw: () => raw(simulator, auditPath(FIXTURES.iccidWith50Records)), body: { errorCode: '30000001', errorMessage: 'Unknown server error.' } },
    },
    assertError: assertNoSecrets,
  });

  describe('call log and new records', () => {
    it('logs every call with the explicit paging the client always sends', async () => {
      simulator.clearCalls();
      await client.getAuditTrails(FIXTURES.iccidWith51Records, { pageNumber: 2, pageSize: 25 });
      await client.getAuditTrails(FIXTURES.iccidWith51Records, { pageNumber: 1, pageSize: 10, daysOfHistory: 7 });
      await assert.rejects(client.getAuditTrails(FIXTURES.unknownIccid, { pageNumber: 1, pageSize: 50 }));
      assert.deepEqual(loggedCalls(simulator), [
        { method: 'GET', path: auditPath(FIXTURES.iccidWith51Records), query: { daysOfHistory: '30', pageSize: '25', pageNumber: '2' }, status: 200 },
        { method: 'GET', path: auditPath(FIXTURES.iccidWith51Records), query: { daysOfHistory: '7', pageSize: '10', pageNumber: '1' }, status: 200 },
        { method: 'GET', path: auditPath(FIXTURES.unknownIccid), query: { daysOfHistory: '30', pageSize: '50', pageNumber: '1' }, status: 404 },
      ]);
    });

    it('insertEveryRequests shifts records one place down per insert', async () => {
      const shifting = await startControlCenterSimulator({ now, knobs: { insertEveryRequests: 1 } });
      const shiftingClient = new ControlCenterClient({ ...SINGLE_ATTEMPT, baseUrl: shifting.url, credentials: CREDENTIALS });
      try {
        const first = await shiftingClient.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 1, pageSize: 10 });
        const second = await shiftingClient.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 2, pageSize: 10 });
        assert.equal(second.records[0]?.key, first.records[9]?.key);
        const head = await shiftingClient.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 1, pageSize: 10 });
        assert.deepEqual(head.records.slice(2).map((r) => r.key), first.records.slice(0, 8).map((r) => r.key));
        assert.ok(head.records[0]!.effectiveDate > head.records[1]!.effectiveDate);
        assert.ok(head.records[1]!.effectiveDate > first.records[0]!.effectiveDate);
        const empty = await shiftingClient.getAuditTrails(FIXTURES.iccidWithNoRecords, { pageNumber: 1, pageSize: 50 });
        assert.equal(empty.records.length, 3);
      } finally {
        await shiftingClient.close();
        await shifting.close();
      }
    });

    it('recordsPerInsert: 3 shifts records three places down per request, newest first', async () => {
      const shifting = await startControlCenterSimulator({ now, knobs: { insertEveryRequests: 1, recordsPerInsert: 3 } });
      const shiftingClient = new ControlCenterClient({ ...SINGLE_ATTEMPT, baseUrl: shifting.url, credentials: CREDENTIALS });
      try {
        const first = await shiftingClient.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 1, pageSize: 10 });
        const head = await shiftingClient.getAuditTrails(FIXTURES.iccidWith137Records, { pageNumber: 1, pageSize: 10 });
        assert.deepEqual(head.records.slice(3).map((r) => r.key), first.records.slice(0, 7).map((r) => r.key));
        const dates = head.records.slice(0, 4).map((r) => r.effectiveDate.getTime());
        assert.deepEqual(dates, [...dates].sort((a, b) => b - a), 'the inserted records are newest first, above the old head');
        assert.equal(new Set(dates).size, 4, 'each inserted record has its own time');
      } finally {
        await shiftingClient.close();
        await shifting.close();
      }
    });

    it('insertAtHead adds one record, newer than all others, at the head of every list', () => {
      const handler = createControlCenterSimulator({ now });
      const iccids = [FIXTURES.iccidWith137Records, FIXTURES.iccidWithNoRecords, FIXTURES.iccidWith50Records, FIXTURES.iccidWith51Records, FIXTURES.iccidSpreadOver400Days];
      const before = iccids.map((iccid) => handle(handler, iccid, 'daysOfHistory=365').body.deviceAuditTrails);
      handler.insertAtHead();
      iccids.forEach((iccid, index) => {
        const trail = handle(handler, iccid, 'daysOfHistory=365').body.deviceAuditTrails;
        const previous = before[index]!;
        assert.equal(trail.length, Math.min(50, previous.length + 1));
        assert.deepEqual(trail.slice(1), previous.slice(0, trail.length - 1));
        const newest = Date.parse(trail[0]!.effectiveDate!.replace('+0000', 'Z'));
        for (const other of before.flat()) assert.ok(newest > Date.parse(other.effectiveDate!.replace('+0000', 'Z')));
      });
    });
  });

  describe('client input and parsing', () => {
    it('isValidIccid accepts 19- and 20-digit ICCIDs starting with 89 only', () => {
      for (const iccid of [FIXTURES.iccidWith137Records, FIXTURES.iccidSpreadOver400Days, FIXTURES.unknownIccid]) assert.ok(isValidIccid(iccid), iccid);
      for (const iccid of ['', '890117042789300001', '890117042789300001370', '99011704278930000137', '8901170427893000013x', ' 89011704278930000137', '89011704278930000137\n']) {
        assert.equal(isValidIccid(iccid), false, JSON.stringify(iccid));
      }
    });

    it('reads timestamps with Z or a numeric offset, with or without milliseconds', () => {
      const body = {
        iccid: '89011704278930000137',
        pageNumber: 1,
        lastPage: true,
        deviceAuditTrails: [
          { field: 'SIM Status', value: 'ACTIVATED', effectiveDate: '2025-06-15T12:00:00.000Z' },
          { field: 'SIM Status', priorValue: 'ACTIVATED', value: 'DEACTIVATED', effectiveDate: '2025-06-15T21:00:00+0900', status: 'Executed' },
          { field: 'Rate Plan', priorValue: null, value: '', effectiveDate: '2025-06-15T12:00:00.5+00:00', delegatedUser: '' },
        ],
      };
      const page = toControlCenterAuditPage(controlCenterAuditTrailsSchema.parse(body));
      assert.deepEqual(page.records.map((r) => r.effectiveDate.toISOString()), ['2025-06-15T12:00:00.000Z', '2025-06-15T12:00:00.000Z', '2025-06-15T12:00:00.500Z']);
      const first: Omit<ControlCenterAuditRecord, 'key'> & { key?: string } = { ...page.records[0]! };
      delete first.key;
      assert.deepEqual(first, {
        field: 'SIM Status', priorValue: null, value: 'ACTIVATED', effectiveDate: new Date('2025-06-15T12:00:00.000Z'),
        status: null, userName: null, delegatedUser: null, ipAddress: null,
      });
      assert.equal(page.records[2]!.value, null);
      assert.equal(controlCenterAuditTrailsSchema.safeParse({ ...body, deviceAuditTrails: [{ field: 'x', effectiveDate: '15/06/2025' }] }).success, false);
      assert.equal(controlCenterAuditTrailsSchema.safeParse({ ...body, lastPage: undefined }).success, false);
    });

    it('keys a change by what identifies it: the same instant in any spelling, whatever its status', () => {
      const record = (effectiveDate: string, status: string) =>
        toControlCenterAuditPage(controlCenterAuditTrailsSchema.parse({
          iccid: '89011704278930000137', pageNumber: 1, lastPage: true,
          deviceAuditTrails: [{ field: 'Rate Plan', priorValue: 'A', value: 'B', effectiveDate, status, userName: 'u' }],
        })).records[0]!.key;
      assert.equal(record('2025-06-15T12:00:00.000+0000', 'Pending'), record('2025-06-15T12:00:00Z', 'Executed'));
      assert.notEqual(record('2025-06-15T12:00:00.000Z', 'Pending'), record('2025-06-15T12:00:00.001Z', 'Pending'));
    });

    it('reads a body by hand to the value the schema gives, and leaves every body the schema refuses to it', () => {
      const record = { field: 'Rate Plan', priorValue: 'A', value: 'B', effectiveDate: '2025-06-15T12:00:00.000+0000', status: 'Executed', userName: 'u', delegatedUser: '', ipAddress: '198.51.100.7' };
      const valid = { iccid: '89011704278930000137', timestamp: '2025-06-15T12:00:00.000+0000', pageNumber: 2, lastPage: false, deviceAuditTrails: [record] };
      const simulated = handle(createControlCenterSimulator({ now }), FIXTURES.iccidWith137Records, 'pageSize=50&pageNumber=1').body;
      const bodies: unknown[] = [
        simulated, valid, { ...valid, timestamp: undefined }, { ...valid, deviceAuditTrails: undefined }, { ...valid, extra: 1 },
        { ...valid, deviceAuditTrails: [{ field: '', effectiveDate: '2025-06-15T12:00:00Z' }, { ...record, priorValue: null, value: '', userName: undefined, other: 3 }] },
        { ...valid, deviceAuditTrails: [{ ...record, effectiveDate: '2025-02-29T12:00:00.000+0000' }, { ...record, effectiveDate: ' 2025-06-15 21:00:00.5+0900' }] },
        null, [], 'page', { ...valid, iccid: '' }, { ...valid, iccid: 7 }, { ...valid, timestamp: null }, { ...valid, timestamp: 'yesterday' },
        { ...valid, pageNumber: 0 }, { ...valid, pageNumber: 1.5 }, { ...valid, pageNumber: 2 ** 53 }, { ...valid, pageNumber: '1' }, { ...valid, lastPage: 'false' },
        { ...valid, deviceAuditTrails: null }, { ...valid, deviceAuditTrails: {} }, { ...valid, deviceAuditTrails: [null] }, { ...valid, deviceAuditTrails: [[]] },
        { ...valid, deviceAuditTrails: [{ ...record, field: undefined }] }, { ...valid, deviceAuditTrails: [{ ...record, effectiveDate: '15/06/2025' }] },
        { ...valid, deviceAuditTrails: [{ ...record, value: 5 }] }, { ...valid, deviceAuditTrails: [{ ...record, ipAddress: false }] },
      ];
      for (const body of bodies) {
        const expected = controlCenterAuditTrailsSchema.transform(toControlCenterAuditPage).safeParse(body);
        const read = readControlCenterAuditPage(body);
        if (!expected.success) assert.equal(read, undefined, JSON.stringify(body));
        else assert.equal(JSON.stringify(read), JSON.stringify(expected.data), JSON.stringify(body));
        if (read) assert.deepEqual(read, expected.data);
      }
    });
  });
});
