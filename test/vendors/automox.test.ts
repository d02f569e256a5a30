import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  VendorAuthError,
  VendorNotFoundError,
  VendorRequestRejectedError,
} from '../../src/vendors/http/errors.js';
import { startSimulator, type Simulator, type SimulatorHandler } from '../../src/simulators/server.js';
import { AutomoxClient, type AutomoxDeviceResult, type AutomoxDeviceResultsParams } from '../../src/vendors/automox/client.js';
import { AUTOMOX_RESULT_STATUSES, DEVICE_RESULTS_PAGING } from '../../src/vendors/automox/contract.js';
import { isUuid } from '../../src/vendors/uuid.js';
import {
  AUTOMOX_FIXTURES,
  AUTOMOX_SIMULATOR_CREDENTIALS,
  createAutomoxSimulator,
  startAutomoxSimulator,
} from '../../src/simulators/automox/simulator.js';
import { describeFaultKnobs, useSimulatorClient } from '../support/fault-cases.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';
import { loggedCalls } from '../support/call-log.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const API_KEY = AUTOMOX_SIMULATOR_CREDENTIALS.apiKey;
const { executionWith0Results: EXEC_0, executionWith12Results: EXEC_12, executionWith137Results: EXEC_137, executionWith1300Results: EXEC_1300 } =
  AUTOMOX_FIXTURES;

/** Names one policy execution, as the fixtures do. */
interface Execution {
  policyId: string;
  executionToken: string;
  organizationId: string;
}

/** The documented field names of one device result, in the sample's order. */
const DOCUMENTED_RESULT_FIELDS = [
  'device_id',
  'device_uuid',
  'hostname',
  'custom_name',
  'display_name',
  'result_status',
  'result-reason',
  'run_time',
  'event_time',
  'patches',
  'stdout',
  'stderr',
  'error_code',
  'device_deleted_at',
  'policy_uuid',
  'policy_name',
  'policy_type',
];

interface RawAnswer {
  status: number;
  // Raw JSON answers are inspected field by field.
  body: any;
}

function params(execution: Execution, extra: Partial<AutomoxDeviceResultsParams> = {}): AutomoxDeviceResultsParams {
  return {
    policyId: execution.policyId,
    executionToken: execution.executionToken,
    organizationId: execution.organizationId,
    page: 0,
    limit: DEVICE_RESULTS_PAGING.maxPageSize,
    sort: 'run_time:desc',
    ...extra,
  };
}

function resultsPath(execution: Execution, query: string): string {
  return `/policy-history/policies/${execution.policyId}/${execution.executionToken}?${query}`;
}

describe('Automox policy report client and simulator', () => {
  const vendor = useSimulatorClient(
    () => startAutomoxSimulator({ now: () => NOW }),
    (connection) => new AutomoxClient({ ...SINGLE_ATTEMPT, ...connection, credentials: AUTOMOX_SIMULATOR_CREDENTIALS }),
  );
  let simulator: Simulator;
  let client: AutomoxClient;
  before(() => void ({ simulator, client } = vendor));

  /** GETs over real HTTP without the client, to pin the wire contract itself. */
  async function raw(pathAndQuery: string, authorization: string | null = `Bearer ${API_KEY}`): Promise<RawAnswer> {
    const response = await fetch(simulator.url + pathAndQuery, { headers: authorization === null ? {} : { authorization } });
    return { status: response.status, body: await response.json() };
  }

  async function all(execution: Execution, extra: Partial<AutomoxDeviceResultsParams> = {}): Promise<AutomoxDeviceResult[]> {
    return (await client.getDeviceResults(params(execution, extra))).results;
  }

  async function rejects<E extends Error>(call: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
    let caught: unknown;
    await call.catch((error: unknown) => (caught = error));
    assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
    assert.ok(!caught.message.includes(API_KEY), 'the API key must never reach an error message');
    return caught;
  }

  describe('paging', () => {
    it('pages through 137 results across page boundaries, each exactly once, newest first', async () => {
      const pages = [];
      for (let page = 0; page <= 3; page += 1) pages.push(await client.getDeviceResults(params(EXEC_137, { page, limit: 50 })));
      assert.deepEqual(
        pages.map((p) => [p.currentPage, p.totalPages, p.totalCount, p.limit, p.results.length]),
        [
          [0, 3, 137, 50, 50],
          [1, 3, 137, 50, 50],
          [2, 3, 137, 50, 37],
          [3, 3, 137, 50, 0],
        ],
      );
      const paged = pages.flatMap((p) => p.results);
      assert.equal(new Set(paged.map((r) => r.key)).size, 137);
      for (let i = 1; i < paged.length; i += 1) assert.ok(paged[i - 1]!.runTime > paged[i]!.runTime, 'run times are distinct and descending');
      assert.deepEqual(
        paged.map((r) => r.key),
        (await all(EXEC_137)).map((r) => r.key),
      );
    });

    it('serves all 1300 results of the largest execution in one page at the maximum limit', async () => {
      const page = await client.getDeviceResults(params(EXEC_1300));
      assert.equal(page.totalCount, AUTOMOX_FIXTURES.executionWith1300Results.resultCount);
      assert.equal(page.totalPages, 1);
      assert.equal(page.results.length, 1300);
      assert.equal(new Set(page.results.map((r) => r.key)).size, 1300);
    });

    it('defaults to page 0, 25 results and newest run first when paging and sort are left out', async () => {
      const answer = await raw(resultsPath(EXEC_1300, `org=${EXEC_1300.organizationId}`));
      assert.equal(answer.status, 200);
      assert.deepEqual(
        [answer.body.metadata.current_page, answer.body.metadata.limit, answer.body.metadata.total_count, answer.body.metadata.total_pages],
        [0, 25, 1300, 52],
      );
      const newest = await client.getDeviceResults(params(EXEC_1300, { limit: 25 }));
      assert.deepEqual(
        answer.body.data.map((r: { device_uuid: string }) => r.device_uuid),
        newest.results.map((r) => r.key),
      );
    });

    it('links the previous and next pages as the sample does, empty where there is none', async () => {
      const org = `org=${EXEC_12.organizationId}`;
      const first = await raw(resultsPath(EXEC_12, `${org}&page=0&limit=5`));
      const middle = await raw(resultsPath(EXEC_12, `${org}&page=1&limit=5`));
      const last = await raw(resultsPath(EXEC_12, `${org}&page=2&limit=5`));
      const host = new URL(simulator.url).host;
      assert.deepEqual(first.body.metadata.links, { previous: '', next: `${host}?page=1&limit=5` });
      assert.deepEqual(middle.body.metadata.links, { previous: `${host}?page=0&limit=5`, next: `${host}?page=2&limit=5` });
      assert.deepEqual(last.body.metadata.links, { previous: `${host}?page=1&limit=5`, next: '' });
    });

    it('answers an execution without results with an empty page', async () => {
      const page = await client.getDeviceResults(params(EXEC_0, { limit: 25 }));
      assert.deepEqual(page, { currentPage: 0, totalPages: 0, totalCount: 0, limit: 25, results: [] });
    });

    it('accepts the limit bounds 1 and 5000 and UUIDs in upper case', async () => {
      const upper = { ...EXEC_12, policyId: EXEC_12.policyId.toUpperCase(), organizationId: EXEC_12.organizationId.toUpperCase() };
      const page = await client.getDeviceResults(params(upper, { limit: 1 }));
      assert.deepEqual([page.totalCount, page.totalPages, page.results.length], [12, 12, 1]);
    });
  });

  describe('records', () => {
    it('serves exactly the documented fields, timestamps as in the sample', async () => {
      const answer = await raw(resultsPath(EXEC_137, `org=${EXEC_137.organizationId}&limit=137`));
      assert.deepEqual(Object.keys(answer.body).sort(), ['data', 'metadata']);
      assert.deepEqual(Object.keys(answer.body.metadata).sort(), ['current_page', 'limit', 'links', 'total_count', 'total_pages']);
      const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
      for (const record of answer.body.data) {
        assert.deepEqual(Object.keys(record), DOCUMENTED_RESULT_FIELDS);
        assert.match(record.run_time, stamp);
        assert.ok(AUTOMOX_RESULT_STATUSES.includes(record.result_status), 'the simulator speaks the filter vocabulary');
        assert.equal(record.policy_uuid, EXEC_137.policyId);
        assert.ok(Date.parse(record.run_time) < NOW.getTime(), 'seeded runs lie before now()');
      }
      const statuses = new Set(answer.body.data.map((r: { result_status: string }) => r.result_status));
      assert.equal(statuses.size, AUTOMOX_RESULT_STATUSES.length, 'statuses are mixed');
    });

    it('normalizes every field: camelCase, Dates, empty text as null, error_code as exitCode, key = device UUID', async () => {
      const answer = await raw(resultsPath(EXEC_137, `org=${EXEC_137.organizationId}&limit=137&sort=run_time:desc`));
      const results = await all(EXEC_137);
      const orNull = (text: string) => (text === '' ? null : text);
      const dateOrNull = (text: string | null) => (text === null ? null : new Date(text));
      assert.deepEqual(
        results,
        answer.body.data.map((r: Record<string, any>) => ({
          key: r.device_uuid,
          deviceId: r.device_id,
          deviceUuid: r.device_uuid,
          hostname: orNull(r.hostname),
          customName: orNull(r.custom_name),
          displayName: orNull(r.display_name),
          resultStatus: r.result_status,
          resultReason: orNull(r['result-reason']),
          runTime: new Date(r.run_time),
          eventTime: dateOrNull(r.event_time),
          patches: r.patches,
          stdout: orNull(r.stdout),
          stderr: orNull(r.stderr),
          exitCode: r.error_code,
          deviceDeletedAt: dateOrNull(r.device_deleted_at),
          policyUuid: r.policy_uuid,
          policyName: r.policy_name,
          policyType: r.policy_type,
        })),
      );
      assert.ok(results.some((r) => r.customName === null) && results.some((r) => r.customName !== null));
      assert.ok(results.some((r) => r.deviceDeletedAt !== null), 'some devices were deleted since');
      assert.ok(results.filter((r) => r.resultStatus === 'pending').every((r) => r.eventTime === null && r.exitCode === null));
      assert.ok(results.filter((r) => r.resultStatus === 'failed').every((r) => r.exitCode !== 0 && r.stderr !== null));
    });

    it('serves the same data for the same seed and clock, other data for another seed', async () => {
      const twin = await startAutomoxSimulator({ now: () => NOW });
      const other = await startAutomoxSimulator({ now: () => NOW, seed: 7 });
      const twinClient = new AutomoxClient({ ...SINGLE_ATTEMPT, baseUrl: twin.url, credentials: AUTOMOX_SIMULATOR_CREDENTIALS });
      const otherClient = new AutomoxClient({ ...SINGLE_ATTEMPT, baseUrl: other.url, credentials: AUTOMOX_SIMULATOR_CREDENTIALS });
      try {
        const mine = await all(EXEC_137);
        assert.deepEqual(await twinClient.getDeviceResults(params(EXEC_137)).then((p) => p.results), mine);
        const theirs = (await otherClient.getDeviceResults(params(EXEC_137))).results;
        assert.equal(theirs.length, 137);
        assert.notDeepEqual(theirs, mine);
      } finally {
        await Promise.all([twinClient.close(), otherClient.close()]);
        await Promise.all([twin.close(), other.close()]);
      }
    });
  });

  describe('sort', () => {
    it('sorts by run_time ascending or descending; a bare field sorts ascending', async () => {
      const descending = await all(EXEC_137, { sort: 'run_time:desc' });
      const ascending = await all(EXEC_137, { sort: 'run_time:asc' });
      assert.deepEqual(ascending, [...descending].reverse());
      assert.deepEqual(await all(EXEC_137, { sort: 'run_time' }), ascending);
    });

    it('sorts by display name case-insensitively, ties newest run first', async () => {
      for (const direction of ['asc', 'desc'] as const) {
        const results = await all(EXEC_1300, { sort: `device_display_name:${direction}` });
        for (let i = 1; i < results.length; i += 1) {
          const [a, b] = [results[i - 1]!, results[i]!];
          const [nameA, nameB] = [a.displayName!.toLowerCase(), b.displayName!.toLowerCase()];
          if (nameA === nameB) assert.ok(a.runTime > b.runTime);
          else assert.equal(nameA < nameB, direction === 'asc', `${nameA} before ${nameB}`);
        }
      }
    });

    it('sorts by result status, ties newest run first', async () => {
      const results = await all(EXEC_137, { sort: 'result_status:desc' });
      for (let i = 1; i < results.length; i += 1) {
        const [a, b] = [results[i - 1]!, results[i]!];
        if (a.resultStatus === b.resultStatus) assert.ok(a.runTime > b.runTime);
        else assert.ok(a.resultStatus > b.resultStatus);
      }
    });
  });

  describe('filters', () => {
    it('filters by one status or several, totals counted after filtering, sent as result_status:in[]', async () => {
      const everything = await all(EXEC_1300);
      const failed = everything.filter((r) => r.resultStatus === 'failed');
      simulator.clearCalls();
      const page = await client.getDeviceResults(params(EXEC_1300, { resultStatuses: ['failed'], limit: 10 }));
      assert.deepEqual(simulator.calls[0]?.query['result_status:in[]'], 'failed');
      assert.deepEqual([page.totalCount, page.totalPages], [failed.length, Math.ceil(failed.length / 10)]);
      assert.deepEqual(
        page.results.map((r) => r.key),
        failed.slice(0, 10).map((r) => r.key),
      );

      const appliedOrPending = await all(EXEC_1300, { resultStatuses: ['applied', 'pending'] });
      assert.deepEqual(
        appliedOrPending.map((r) => r.key),
        everything.filter((r) => r.resultStatus === 'applied' || r.resultStatus === 'pending').map((r) => r.key),
      );
    });

    it('pages through a filtered list exactly once', async () => {
      const expected = (await all(EXEC_1300, { resultStatuses: ['not_included'] })).map((r) => r.key);
      const paged: string[] = [];
      for (let page = 0; paged.length < expected.length; page += 1) {
        const answer = await client.getDeviceResults(params(EXEC_1300, { resultStatuses: ['not_included'], page, limit: 40 }));
        assert.ok(answer.results.length > 0);
        paged.push(...answer.results.map((r) => r.key));
      }
      assert.deepEqual(paged, expected);
    });

    it('reads result_status=, result_status:equals= and result_status:in[]= alike; several conditions must all hold', async () => {
      const org = `org=${EXEC_137.organizationId}&limit=5000`;
      const totals = await Promise.all(
        ['result_status=applied', 'result_status:equals=applied', 'result_status:in[]=applied', 'result_status%3Ain%5B%5D=applied'].map(
          async (filter) => (await raw(resultsPath(EXEC_137, `${org}&${filter}`))).body.metadata.total_count,
        ),
      );
      const applied = (await all(EXEC_137)).filter((r) => r.resultStatus === 'applied').length;
      assert.deepEqual(totals, [applied, applied, applied, applied]);
      const contradiction = await raw(resultsPath(EXEC_137, `${org}&result_status=applied&result_status:in[]=failed`));
      assert.equal(contradiction.body.metadata.total_count, 0);
    });

    it('device_name:like matches a case-insensitive substring of hostname or custom name, sent by the client', async () => {
      const everything = await all(EXEC_1300);
      const matching = (needle: string) =>
        everything.filter((r) => [r.hostname, r.customName].some((name) => name?.toLowerCase().includes(needle.toLowerCase())));
      // Mac hostnames say "MacBook"; only custom names say "Laptop".
      for (const needle of ['MacBook', 'LAPTOP']) {
        const expected = matching(needle);
        assert.ok(expected.length > 0 && expected.length < everything.length);
        simulator.clearCalls();
        const found = await all(EXEC_1300, { deviceName: needle });
        assert.equal(simulator.calls[0]?.query['device_name:like'], needle);
        assert.deepEqual(
          found.map((r) => r.key),
          expected.map((r) => r.key),
        );
      }
      assert.ok(matching('MacBook').some((r) => r.customName === null), 'hostnames match');
      assert.ok(matching('LAPTOP').every((r) => !r.hostname!.toLowerCase().includes('laptop')), 'custom names match');
    });

    it('device_name= matches a hostname or custom name exactly and case-sensitively', async () => {
      const everything = await all(EXEC_1300);
      const windows = everything.find((r) => r.hostname!.startsWith('WIN-'))!;
      const named = everything.find((r) => r.customName !== null)!;
      const query = (name: string) => raw(resultsPath(EXEC_1300, `org=${EXEC_1300.organizationId}&limit=5000&device_name=${encodeURIComponent(name)}`));
      assert.deepEqual(
        (await query(windows.hostname!)).body.data.map((r: { device_uuid: string }) => r.device_uuid),
        [windows.key],
      );
      assert.equal((await query(windows.hostname!.toLowerCase())).body.metadata.total_count, 0);
      assert.equal((await query(windows.hostname!.slice(0, 8))).body.metadata.total_count, 0);
      const sameName = everything.filter((r) => r.customName === named.customName || r.hostname === named.customName);
      assert.equal((await query(named.customName!)).body.metadata.total_count, sameName.length);
    });

    it('combines status and name filters', async () => {
      const everything = await all(EXEC_1300);
      const expected = everything.filter((r) => r.resultStatus === 'failed' && [r.hostname, r.customName].some((n) => n?.includes('ubuntu')));
      const found = await all(EXEC_1300, { resultStatuses: ['failed'], deviceName: 'ubuntu' });
      assert.deepEqual(
        found.map((r) => r.key),
        expected.map((r) => r.key),
      );
    });
  });

  describe('errors', () => {
    it('answers 400 with { errors: [message] } for every malformed parameter', async () => {
      const org = `org=${EXEC_12.organizationId}`;
      const good = resultsPath(EXEC_12, org);
      const cases: [string, RegExp][] = [
        [resultsPath(EXEC_12, ''), /org is required/],
        [resultsPath(EXEC_12, 'org='), /org is required/],
        [resultsPath(EXEC_12, 'org=not-a-uuid'), /org must be a UUID/],
        [`/policy-history/policies/not-a-uuid/${EXEC_12.executionToken}?${org}`, /policy_uuid must be a UUID/],
        [`/policy-history/policies/${EXEC_12.policyId}/12345?${org}`, /exec_token must be a UUID/],
        [`${good}&sort=name`, /sort must be/],
        [`${good}&sort=run_time:up`, /sort must be/],
        [`${good}&sort=RUN_TIME`, /sort must be/],
        [`${good}&page=-1`, /page must be/],
        [`${good}&page=1.5`, /page must be/],
        [`${good}&page=`, /page must be/],
        [`${good}&limit=0`, /limit must be an integer from 1 to 5000/],
        [`${good}&limit=5001`, /limit must be an integer from 1 to 5000/],
        [`${good}&limit=ten`, /limit must be/],
        [`${good}&result_status=success`, /result_status must be one of/],
        [`${good}&result_status:in[]=applied&result_status:in[]=bogus`, /result_status must be one of/],
        [`${good}&result_status:like=applied`, /operators equals and in/],
        [`${good}&device_name:equals=x`, /operator like/],
        [`${good}&device_name=`, /device_name must not be empty/],
      ];
      for (const [path, message] of cases) {
        const answer = await raw(path);
        assert.equal(answer.status, 400, path);
        assert.equal(answer.body.errors.length, 1, path);
        assert.match(answer.body.errors[0], message, path);
      }
    });

    it('surfaces a 400 as VendorRequestRejectedError with the vendor message', async () => {
      const error = await rejects(client.getDeviceResults(params(EXEC_12, { limit: DEVICE_RESULTS_PAGING.maxPageSize + 1 })), VendorRequestRejectedError);
      assert.equal(error.status, 400);
      assert.match(error.vendorMessage ?? '', /limit must be an integer from 1 to 5000/);
      await rejects(client.getDeviceResults(params(EXEC_12, { sort: 'name' })), VendorRequestRejectedError);
      await rejects(client.getDeviceResults(params(EXEC_12, { resultStatuses: ['success'] })), VendorRequestRejectedError);
    });

    it('answers 401 without a bearer key or with a wrong one', async () => {
      const path = resultsPath(EXEC_12, `org=${EXEC_12.organizationId}`);
      for (const authorization of [null, 'Bearer wrong-key', `Basic ${API_KEY}`, API_KEY]) {
        const answer = await raw(path, authorization);
        assert.equal(answer.status, 401);
        assert.deepEqual(Object.keys(answer.body), ['errors']);
      }
      const stranger = new AutomoxClient({ ...SINGLE_ATTEMPT, baseUrl: simulator.url, credentials: { apiKey: 'not-the-key' } });
      try {
        const error = await rejects(stranger.getDeviceResults(params(EXEC_12)), VendorAuthError);
        assert.equal(error.status, 401);
        assert.ok(!error.message.includes('not-the-key'));
      } finally {
        await stranger.close();
      }
    });

    it('answers 403 when a valid key asks for an organization it does not belong to', async () => {
      const foreign = AUTOMOX_FIXTURES.otherOrganizationExecution;
      const error = await rejects(client.getDeviceResults(params(foreign)), VendorAuthError);
      assert.equal(error.status, 403);
      const unknownOrg = await raw(resultsPath(EXEC_12, `org=${AUTOMOX_FIXTURES.unknownId}`));
      assert.equal(unknownOrg.status, 403);
      assert.equal(unknownOrg.body.errors.length, 1);
    });

    it('answers 404 for a policy or execution the organization does not have', async () => {
      const { unknownId, otherOrganizationExecution } = AUTOMOX_FIXTURES;
      const cases: AutomoxDeviceResultsParams[] = [
        params(EXEC_12, { policyId: unknownId }),
        params(EXEC_12, { executionToken: unknownId }),
        params(EXEC_12, { executionToken: EXEC_137.executionToken }),
        params(otherOrganizationExecution, { organizationId: AUTOMOX_FIXTURES.organizationId }),
      ];
      for (const request of cases) {
        const error = await rejects(client.getDeviceResults(request), VendorNotFoundError);
        assert.equal(error.status, 404);
      }
      const answer = await raw(resultsPath(EXEC_12, `org=${EXEC_12.organizationId}`).replace(EXEC_12.executionToken, unknownId));
      assert.deepEqual(answer, { status: 404, body: { errors: ['Policy execution not found'] } });
      assert.equal((await raw('/policy-history/policies')).status, 404);
    });

    it('checks the key first, then parameters, then organization access, then existence', async () => {
      const foreignOrg = `org=${AUTOMOX_FIXTURES.otherOrganizationId}`;
      assert.equal((await raw(resultsPath(EXEC_12, 'org=bad'), 'Bearer wrong')).status, 401);
      assert.equal((await raw(resultsPath(EXEC_12, `${foreignOrg}&limit=0`))).status, 400);
      assert.equal((await raw(resultsPath(EXEC_12, foreignOrg).replace(EXEC_12.policyId, AUTOMOX_FIXTURES.unknownId))).status, 403);
    });
  });

  describeFaultKnobs('faults', {
    vendor,
    call: (c) => c.getDeviceResults(params(EXEC_12)),
    recovered: (page) => assert.equal(page.totalCount, 12),
    serverError: { wire: { raw: () => raw(resultsPath(EXEC_12, `org=${EXEC_12.organizationId}`)), body: { errors: ['Service Unavailable'] } } },
    retryAfterSeconds: 2,
    assertError: (error) => assert.ok(!error.message.includes(API_KEY), 'the API key must never reach an error message'),
  });

  describe('call log', () => {
    it('logs the documented path and every paging parameter, always sent explicitly', async () => {
      simulator.clearCalls();
      await client.getDeviceResults(params(EXEC_137, { page: 2, limit: 50, sort: 'result_status:asc' }));
      await rejects(client.getDeviceResults(params(EXEC_12, { limit: 0 })), VendorRequestRejectedError);
      assert.deepEqual(loggedCalls(simulator), [
        {
          method: 'GET',
          path: `/policy-history/policies/${EXEC_137.policyId}/${EXEC_137.executionToken}`,
          query: { org: EXEC_137.organizationId, sort: 'result_status:asc', page: '2', limit: '50' },
          status: 200,
        },
        {
          method: 'GET',
          path: `/policy-history/policies/${EXEC_12.policyId}/${EXEC_12.executionToken}`,
          query: { org: EXEC_12.organizationId, sort: 'run_time:desc', page: '0', limit: '0' },
          status: 400,
        },
      ]);
    });
  });

  describe('new records at the head', () => {
    let handler: SimulatorHandler;
    let inserting: Simulator;
    let insertingClient: AutomoxClient;

    before(async () => {
      handler = createAutomoxSimulator({ now: () => NOW });
      inserting = await startSimulator(handler);
      insertingClient = new AutomoxClient({ ...SINGLE_ATTEMPT, baseUrl: inserting.url, credentials: AUTOMOX_SIMULATOR_CREDENTIALS });
    });

    after(async () => {
      await insertingClient.close();
      await inserting.close();
    });

    it('insertAtHead adds one newest result to every execution, the empty one included', async () => {
      const executions = [EXEC_0, EXEC_12, EXEC_137, EXEC_1300];
      const before = await Promise.all(executions.map((e) => insertingClient.getDeviceResults(params(e, { limit: 1 }))));
      handler.insertAtHead();
      handler.insertAtHead();
      const afterInsert = await Promise.all(executions.map((e) => insertingClient.getDeviceResults(params(e, { limit: 1 }))));
      executions.forEach((execution, i) => {
        assert.equal(afterInsert[i]!.totalCount, before[i]!.totalCount + 2);
        const newest = afterInsert[i]!.results[0]!;
        assert.equal(newest.runTime.getTime(), NOW.getTime() + 1000, 'the second insert is newer than the first, even on a stopped clock');
        assert.equal(newest.policyUuid, execution.policyId);
      });
    });

    it('insertEveryRequests shifts the next page by the records inserted meanwhile', async () => {
      inserting.knobs.insertEveryRequests = 1;
      try {
        const first = await insertingClient.getDeviceResults(params(EXEC_12, { limit: 5 }));
        const second = await insertingClient.getDeviceResults(params(EXEC_12, { page: 1, limit: 5 }));
        assert.equal(second.totalCount, first.totalCount + 1);
        assert.equal(second.results[0]!.key, first.results[4]!.key, 'the last record of page 0 moved to the head of page 1');
      } finally {
        inserting.knobs.insertEveryRequests = 0;
      }
    });
  });

  describe('exports', () => {
    it('isUuid accepts canonical UUIDs in any case and nothing else', () => {
      for (const id of [EXEC_12.policyId, EXEC_12.executionToken.toUpperCase(), AUTOMOX_FIXTURES.unknownId]) assert.ok(isUuid(id), id);
      for (const id of ['', 'abc', EXEC_12.policyId.replaceAll('-', ''), `{${EXEC_12.policyId}}`, `${EXEC_12.policyId}\n`, `${EXEC_12.policyId}/x`]) {
        assert.ok(!isUuid(id), JSON.stringify(id));
      }
    });

    it('names the documented limit and status vocabulary', () => {
      assert.equal(DEVICE_RESULTS_PAGING.maxPageSize, 5000);
      assert.deepEqual(AUTOMOX_RESULT_STATUSES, ['applied', 'failed', 'pending', 'not_applicable', 'not_included']);
    });
  });
});
