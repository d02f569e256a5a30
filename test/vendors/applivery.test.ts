import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  VendorAuthError,
  VendorNotFoundError,
  VendorRequestRejectedError,
} from '../../src/vendors/http/errors.js';
import type { Simulator } from '../../src/simulators/server.js';
import { AppliveryClient, readAppliveryErrorBody, type AppliveryCertificateReport } from '../../src/vendors/applivery/client.js';
import { isValidObjectId, isValidOrganizationId } from '../../src/vendors/applivery/contract.js';
import { certificateReportResponseSchema, toCertificateReport } from '../../src/vendors/applivery/report.js';
import {
  APPLIVERY_FIXTURES,
  APPLIVERY_SIMULATOR_CREDENTIALS,
  createAppliverySimulator,
  startAppliverySimulator,
} from '../../src/simulators/applivery/simulator.js';
import { describeFaultKnobs, useSimulatorClient } from '../support/fault-cases.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';
import { loggedCalls } from '../support/call-log.js';

const NOW = new Date('2025-03-14T12:00:00.000Z');
const TOKEN = APPLIVERY_SIMULATOR_CREDENTIALS.apiToken;
const F = APPLIVERY_FIXTURES;
const HISTORIES = [F.historyWith0Certificates, F.historyWith3Certificates, F.historyWith45Certificates, F.historyWith137Certificates];
const OBJECT_ID = /^[a-fA-F0-9]{24}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ENTRY_FIELDS = [
  'commonName', 'isIdentity', 'clientIdentity', 'certificateInfo', 'origin', 'originId', 'state',
  'errorCode', 'errorMessage', 'updatedAt', 'challenge', 'keyPairAlias', 'numFailedRetries',
];
const REQUIRED_ENTRY_FIELDS = ['origin', 'originId', 'state', 'updatedAt', 'challenge', 'keyPairAlias'];

type Ids = { organizationId: string; emmDeviceId: string; historyId: string };
type WireEntry = Record<string, unknown>;
type WireReport = {
  id: string;
  reportedAt: string;
  totalReports: number;
  reportsByState: Record<string, number>;
  createdAt: string;
  certificateReport: WireEntry[];
};

function historyPath(ids: Ids): string {
  return `/v1/organizations/${ids.organizationId}/mdm/android/enterprise/devices/${ids.emmDeviceId}/certificate-reports/history/${ids.historyId}`;
}

describe('Applivery id validators', () => {
  it('accepts exactly the documented ObjectId pattern ^[a-fA-F0-9]{24}$', () => {
    assert.ok(isValidObjectId('66a1f3c9e2b4d5a6b7c8d9e1'), 'lower case');
    assert.ok(isValidObjectId('66A1F3C9E2B4D5A6B7C8D9E1'), 'upper case');
    for (const bad of ['', '66a1f3c9e2b4d5a6b7c8d9e', '66a1f3c9e2b4d5a6b7c8d9e1f', '66a1f3c9e2b4d5a6b7c8d9eg', ' 66a1f3c9e2b4d5a6b7c8d9e1']) {
      assert.equal(isValidObjectId(bad), false, bad);
    }
  });

  it('accepts an organization ObjectId or a slug of 3+ [a-zA-Z0-9-]', () => {
    for (const good of ['64b7f0c2a1d4e5f6a7b8c9d0', 'acme-corp', 'ACME', 'a-1', '---']) assert.ok(isValidOrganizationId(good), good);
    for (const bad of ['', 'ab', 'acme_corp', 'acme corp', '../etc', 'acme/corp', 'acmé']) assert.equal(isValidOrganizationId(bad), false, bad);
  });
});

describe('Applivery simulator and client', () => {
  const vendor = useSimulatorClient(
    () => startAppliverySimulator({ now: () => NOW }),
    (connection) => new AppliveryClient({ ...SINGLE_ATTEMPT, ...connection, credentials: APPLIVERY_SIMULATOR_CREDENTIALS }),
  );
  let simulator: Simulator;
  let client: AppliveryClient;
  before(() => void ({ simulator, client } = vendor));

  const raw = async (path: string, init: { token?: string | null; authorization?: string; method?: string } = {}) => {
    const authorization = init.authorization ?? (init.token === null ? undefined : `Bearer ${init.token ?? TOKEN}`);
    const response = await fetch(simulator.url + path, {
      method: init.method ?? 'GET',
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const rawReport = async (ids: Ids): Promise<WireReport> => {
    const { status, body } = await raw(historyPath(ids));
    assert.equal(status, 200);
    return body.data as WireReport;
  };
  const fetchReport = (ids: Ids): Promise<AppliveryCertificateReport> =>
    client.getCertificateReport(ids.organizationId, ids.emmDeviceId, ids.historyId);

  describe('the documented 200 body (simulator)', () => {
    it('serves each seeded snapshot with the fixture list length and only documented fields', async () => {
      for (const fixture of HISTORIES) {
        const { status, body } = await raw(historyPath(fixture));
        assert.equal(status, 200);
        assert.deepEqual(Object.keys(body), ['status', 'data']);
        assert.equal(body.status, true);
        const data = body.data as WireReport;
        assert.deepEqual(Object.keys(data).sort(), ['certificateReport', 'createdAt', 'id', 'reportedAt', 'reportsByState', 'totalReports']);
        assert.equal(data.id, fixture.historyId);
        assert.match(data.id, OBJECT_ID);
        assert.equal(data.certificateReport.length, fixture.certificateCount);
        assert.equal(data.totalReports, fixture.certificateCount);
        assert.match(data.reportedAt, ISO_UTC);
        assert.match(data.createdAt, ISO_UTC);
        assert.ok(Date.parse(data.reportedAt) < NOW.getTime(), 'reportedAt is relative to now()');
        assert.ok(Date.parse(data.createdAt) >= Date.parse(data.reportedAt), 'stored after it was received');
      }
    });

    it('counts reportsByState per state present, and {} for the empty snapshot', async () => {
      assert.deepEqual((await rawReport(F.historyWith0Certificates)).reportsByState, {});
      for (const fixture of [F.historyWith3Certificates, F.historyWith45Certificates, F.historyWith137Certificates]) {
        const data = await rawReport(fixture);
        const counted: Record<string, number> = {};
        for (const entry of data.certificateReport) counted[entry.state as string] = (counted[entry.state as string] ?? 0) + 1;
        assert.deepEqual(data.reportsByState, counted);
        assert.deepEqual(Object.keys(data.reportsByState).sort(), ['fail', 'installed', 'pending'], 'every state present');
      }
      assert.deepEqual((await rawReport(F.historyWith3Certificates)).reportsByState, { installed: 1, fail: 1, pending: 1 });
    });

    it('keeps every entry within the documented types, enums and limits', async () => {
      for (const fixture of HISTORIES) {
        const data = await rawReport(fixture);
        for (const entry of data.certificateReport) {
          for (const field of Object.keys(entry)) assert.ok(ENTRY_FIELDS.includes(field), `undocumented field ${field}`);
          for (const field of REQUIRED_ENTRY_FIELDS) assert.ok(field in entry, `missing ${field}`);
          assert.ok(['mdmAsset', 'certificateProvider'].includes(entry.origin as string), `origin ${String(entry.origin)}`);
          assert.ok(['installed', 'fail', 'pending'].includes(entry.state as string), `state ${String(entry.state)}`);
          assert.equal(typeof entry.challenge, 'string');
          assert.ok((entry.challenge as string).length <= 256, 'challenge ≤ 256 characters');
          assert.equal(typeof entry.keyPairAlias, 'string');
          assert.ok((entry.keyPairAlias as string).length <= 256, 'keyPairAlias ≤ 256 characters');
          assert.match(entry.updatedAt as string, ISO_UTC);
          assert.ok(Date.parse(entry.updatedAt as string) <= Date.parse(data.reportedAt), 'updated before the report');
          if ('commonName' in entry) assert.ok(typeof entry.commonName === 'string' && entry.commonName.length <= 256, 'commonName');
          if ('errorCode' in entry) assert.ok(typeof entry.errorCode === 'string' && entry.errorCode.length <= 256, 'errorCode');
          if ('errorMessage' in entry) assert.ok(typeof entry.errorMessage === 'string' && entry.errorMessage.length <= 1000, 'errorMessage');
          if ('numFailedRetries' in entry) assert.ok(Number.isInteger(entry.numFailedRetries) && (entry.numFailedRetries as number) >= 0, 'numFailedRetries');
          if ('clientIdentity' in entry) assert.match(entry.clientIdentity as string, /^\*+$/, 'client identities are masked');
          if (entry.state === 'fail') assert.ok(entry.errorCode && entry.errorMessage, 'failed entries say why');
        }
      }
    });

    it('serves the same data for the same seed and clock, and different data for another seed', () => {
      const request = { method: 'GET', path: historyPath(F.historyWith45Certificates), query: new URLSearchParams(), rawPath: historyPath(F.historyWith45Certificates), headers: { authorization: `Bearer ${TOKEN}` } };
      const body = (seed: number) => createAppliverySimulator({ seed, now: () => NOW }).handle(request).body;
      assert.deepEqual(body(7), body(7));
      assert.notDeepEqual(body(7), body(8));
    });
  });

  describe('getCertificateReport', () => {
    it('returns every entry of each snapshot exactly once, in snapshot order, keyed by index', async () => {
      for (const fixture of HISTORIES) {
        const report = await fetchReport(fixture);
        const wire = await rawReport(fixture);
        assert.equal(report.id, fixture.historyId);
        assert.equal(report.totalReports, fixture.certificateCount);
        assert.deepEqual(report.reportsByState, wire.reportsByState);
        assert.deepEqual(report.certificates.map((c) => c.keyPairAlias), wire.certificateReport.map((e) => e.keyPairAlias));
        assert.deepEqual(report.certificates.map((c) => c.key), wire.certificateReport.map((_, index) => String(index)));
      }
    });

    it('normalizes timestamps to Dates and absent optional fields to null', async () => {
      const report = await fetchReport(F.historyWith137Certificates);
      const wire = await rawReport(F.historyWith137Certificates);
      assert.deepEqual(Object.keys(report).sort(), ['certificates', 'createdAt', 'id', 'reportedAt', 'reportsByState', 'totalReports']);
      assert.equal(report.reportedAt.toISOString(), wire.reportedAt);
      assert.equal(report.createdAt.toISOString(), wire.createdAt);
      report.certificates.forEach((certificate, index) => {
        const entry = wire.certificateReport[index] as WireEntry;
        assert.deepEqual(certificate, {
          key: String(index),
          commonName: entry.commonName ?? null,
          isIdentity: entry.isIdentity ?? null,
          hasClientIdentity: 'clientIdentity' in entry,
          origin: entry.origin,
          originId: entry.originId,
          state: entry.state,
          errorCode: entry.errorCode ?? null,
          errorMessage: entry.errorMessage ?? null,
          updatedAt: new Date(entry.updatedAt as string),
          keyPairAlias: entry.keyPairAlias,
          numFailedRetries: entry.numFailedRetries ?? null,
        });
      });
      assert.ok(report.certificates.some((c) => c.commonName === null && c.isIdentity === null), 'some optional fields are absent');
      assert.ok(report.certificates.some((c) => c.hasClientIdentity) && report.certificates.some((c) => !c.hasClientIdentity), 'both kinds of entry');
    });

    it('never returns the challenge, the masked client identity or the certificate info', async () => {
      for (const fixture of HISTORIES) {
        const wire = await rawReport(fixture);
        const report = await fetchReport(fixture);
        const secrets = wire.certificateReport.map((entry) => entry.challenge as string);
        assert.ok(secrets.every((secret) => secret.length > 0), 'every entry has a challenge');
        const text = JSON.stringify(report);
        for (const secret of secrets) assert.ok(!text.includes(secret), 'a challenge leaked');
        for (const masked of ['CN=', '********']) assert.ok(!text.includes(masked), masked);
        for (const certificate of report.certificates) {
          for (const field of ['challenge', 'clientIdentity', 'certificateInfo']) assert.ok(!(field in certificate), field);
        }
      }
    });

    it('finds an organization by its ObjectId or its slug, and ObjectIds in either case', async () => {
      const fixture = F.historyWith137Certificates;
      const byId = await fetchReport(fixture);
      assert.deepEqual(await fetchReport({ ...fixture, organizationId: F.organizations.northwind.slug }), byId);
      const upper = { organizationId: fixture.organizationId.toUpperCase(), emmDeviceId: fixture.emmDeviceId.toUpperCase(), historyId: fixture.historyId.toUpperCase() };
      assert.deepEqual(await fetchReport(upper), byId);
      const acme = F.historyWith45Certificates;
      assert.deepEqual(await fetchReport({ ...acme, organizationId: F.organizations.acme.id }), await fetchReport(acme));
      await assert.rejects(fetchReport({ ...acme, organizationId: 'ACME-CORP' }), VendorNotFoundError, 'slugs match exactly');
    });

    it('sends no query parameters (the endpoint has none) and the call log records each call', async () => {
      simulator.clearCalls();
      await fetchReport(F.historyWith3Certificates);
      await assert.rejects(fetchReport({ ...F.historyWith3Certificates, historyId: F.unknownObjectId }));
      assert.deepEqual(loggedCalls(simulator), [
        { method: 'GET', path: historyPath(F.historyWith3Certificates), query: {}, status: 200 },
        { method: 'GET', path: historyPath({ ...F.historyWith3Certificates, historyId: F.unknownObjectId }), query: {}, status: 404 },
      ]);
    });

    it('serves the same immutable snapshot while insertEveryRequests fires (insertAtHead adds nothing)', async () => {
      simulator.knobs.insertEveryRequests = 1;
      try {
        const first = await fetchReport(F.historyWith137Certificates);
        const second = await fetchReport(F.historyWith137Certificates);
        const third = await fetchReport(F.historyWith137Certificates);
        assert.deepEqual(second, first);
        assert.deepEqual(third, first);
        assert.equal(first.certificates.length, 137);
      } finally {
        simulator.knobs.insertEveryRequests = 0;
      }
    });
  });

  describe('auth (401)', () => {
    it('answers 4002 "No auth token" without a bearer token', async () => {
      const expected = { status: false, error: { code: 4002, message: 'No auth token' } };
      for (const init of [{ token: null }, { authorization: 'Basic YWRtaW46cGFzcw==' }, { authorization: 'Bearer ' }]) {
        assert.deepEqual(await raw(historyPath(F.historyWith3Certificates), init), { status: 401, body: expected });
      }
    });

    it('answers 4004 "Invalid Token" for a wrong token, before looking anything up', async () => {
      const expected = { status: 401, body: { status: false, error: { code: 4004, message: 'Invalid Token' } } };
      assert.deepEqual(await raw(historyPath(F.historyWith3Certificates), { token: 'wrong-token' }), expected);
      assert.deepEqual(await raw(historyPath({ ...F.historyWith3Certificates, historyId: F.unknownObjectId }), { token: 'wrong-token' }), expected);
    });

    it('surfaces a refused token as VendorAuthError with the vendor code and never the token', async () => {
      const secret = 'tok-very-secret-value';
      const wrong = new AppliveryClient({ ...SINGLE_ATTEMPT, baseUrl: simulator.url, credentials: { apiToken: secret } });
      try {
        await assert.rejects(fetchReportWith(wrong, F.historyWith3Certificates), (error: unknown) => {
          assert.ok(error instanceof VendorAuthError, String(error));
          assert.equal(error.status, 401);
          assert.equal(error.vendorCode, '4004');
          assert.match(error.vendorMessage ?? '', /Invalid Token/);
          assert.ok(!error.message.includes(secret) && !(error.stack ?? '').includes(secret), 'the token leaked');
          return true;
        });
      } finally {
        await wrong.close();
      }
    });

    it('accepts the credentials the simulator was started with', async () => {
      const custom = await startAppliverySimulator({ credentials: { apiToken: 'other-token' } });
      const other = new AppliveryClient({ ...SINGLE_ATTEMPT, baseUrl: custom.url, credentials: { apiToken: 'other-token' } });
      try {
        assert.equal((await fetchReportWith(other, F.historyWith3Certificates)).certificates.length, 3);
        const stale = new AppliveryClient({ ...SINGLE_ATTEMPT, baseUrl: custom.url, credentials: APPLIVERY_SIMULATOR_CREDENTIALS });
        await assert.rejects(fetchReportWith(stale, F.historyWith3Certificates), VendorAuthError);
        await stale.close();
      } finally {
        await other.close();
        await custom.close();
      }
    });
  });

  describe('not found (404 code 3001)', () => {
    const notFound = { status: 404, body: { status: false, error: { code: 3001, message: 'Entity not found' } } };
    const h3 = F.historyWith3Certificates;
    const unknown: Array<[string, Ids]> = [
      ['unknown organization slug', { ...h3, organizationId: 'globex' }],
      ['unknown organization ObjectId', { ...h3, organizationId: F.unknownObjectId }],
      ['unknown device', { ...h3, emmDeviceId: F.unknownObjectId }],
      ['device of another organization', { ...F.historyWith45Certificates, organizationId: F.organizations.northwind.id }],
      ['history of another device', { ...h3, historyId: F.historyWith137Certificates.historyId }],
      ['unknown history', { ...h3, historyId: F.unknownObjectId }],
      ['device without history', { ...F.deviceWithoutHistory, historyId: F.historyWith45Certificates.historyId }],
    ];

    for (const [what, ids] of unknown) {
      it(`answers 3001 for an ${what}`, async () => {
        assert.deepEqual(await raw(historyPath(ids)), notFound);
        await assert.rejects(fetchReport(ids), (error: unknown) => {
          assert.ok(error instanceof VendorNotFoundError, String(error));
          assert.equal(error.status, 404);
          assert.equal(error.vendorCode, '3001');
          return true;
        });
      });
    }

    it('answers 3001 for ids failing their pattern (the doc lists no 400), and the client never sends them', async () => {
      const badIds: Ids[] = [
        { ...h3, organizationId: 'ab' },
        { ...h3, organizationId: 'acme_corp' },
        { ...h3, emmDeviceId: 'not-an-object-id' },
        { ...h3, historyId: h3.historyId.slice(1) },
        { ...h3, historyId: `${h3.historyId}0` },
      ];
      for (const ids of badIds) assert.deepEqual(await raw(historyPath(ids)), notFound);
      simulator.clearCalls();
      for (const ids of [...badIds, { ...h3, organizationId: '../../v1' }]) await assert.rejects(fetchReport(ids), VendorRequestRejectedError);
      assert.equal(simulator.calls.length, 0);
    });

    it('answers 3001 for other methods and unknown paths', async () => {
      assert.deepEqual(await raw(historyPath(h3), { method: 'POST' }), notFound);
      assert.deepEqual(await raw(`${historyPath(h3)}/extra`), notFound);
      assert.deepEqual(await raw('/v1/organizations'), notFound);
    });
  });

  describeFaultKnobs('faults', {
    vendor,
    call: (c) => fetchReportWith(c, F.historyWith3Certificates),
    recovered: (report) => assert.equal(report.certificates.length, 3),
    serverError: {
      vendorCode: '5000',
      wire: { raw: () => raw(historyPath(F.historyWith3Certificates)), body: { status: false, error: { code: 5000, message: 'Internal server error' } } },
    },
  });
});

describe('Applivery response parsing', () => {
  const entry = (overrides: Record<string, unknown> = {}) => ({
    origin: 'certificateProvider',
    originId: '65c0ffee00a1b2c3d4e5f6aa',
    state: 'installed',
    updatedAt: '2025-03-14T10:00:00Z',
    challenge: 'scep-chl-secret',
    keyPairAlias: 'wifi-eap-tls-001',
    ...overrides,
  });
  const body = (entries: unknown[], overrides: Record<string, unknown> = {}) => ({
    status: true,
    data: {
      id: '6710a2b3c4d5e6f708192a03',
      reportedAt: '2025-03-14T12:00:00+02:00',
      totalReports: entries.length,
      reportsByState: { installed: entries.length },
      createdAt: '2025-03-14T10:00:05.123456+0000',
      certificateReport: entries,
      ...overrides,
    },
  });
  const parse = (value: unknown) => {
    const result = certificateReportResponseSchema.safeParse(value);
    return result.success ? toCertificateReport(result.data.data) : undefined;
  };

  it('tolerates numeric offsets, missing milliseconds, nulls, a missing challenge and loosely typed fields', () => {
    const report = parse(body([
      entry({ commonName: null, errorCode: null, numFailedRetries: null, isIdentity: 'yes', originId: 42, challenge: undefined, state: 'revoked' }),
      entry({ originId: null, clientIdentity: '', certificateInfo: { any: 'thing' } }),
    ]));
    assert.ok(report, 'the body parses');
    assert.equal(report.reportedAt.toISOString(), '2025-03-14T10:00:00.000Z');
    assert.equal(report.createdAt.toISOString(), '2025-03-14T10:00:05.123Z');
    const [first, second] = report.certificates;
    assert.deepEqual(first, {
      key: '0', commonName: null, isIdentity: null, hasClientIdentity: false, origin: 'certificateProvider', originId: '42',
      state: 'revoked', errorCode: null, errorMessage: null, updatedAt: new Date('2025-03-14T10:00:00Z'),
      keyPairAlias: 'wifi-eap-tls-001', numFailedRetries: null,
    });
    assert.equal(second?.originId, null);
    assert.equal(second?.hasClientIdentity, false, 'an empty mask means no identity');
    assert.ok(!JSON.stringify(report).includes('scep-chl-secret'), 'the challenge leaked');
  });

  it('refuses bodies that break the documented shape', () => {
    const broken = [
      { status: false, data: body([]).data },
      body([], { id: 'not-an-object-id' }),
      body([], { reportedAt: 'yesterday' }),
      body([], { totalReports: -1 }),
      body([], { reportsByState: { installed: 'many' } }),
      body([entry({ keyPairAlias: undefined })]),
      body([entry({ updatedAt: '14/03/2025' })]),
      body([entry({ numFailedRetries: 1.5 })]),
      { status: true },
    ];
    for (const value of broken) assert.equal(parse(value), undefined, JSON.stringify(value));
  });

  it('reads the error envelope tolerantly', () => {
    assert.deepEqual(readAppliveryErrorBody({ status: false, error: { code: 3001, message: 'Entity not found' } }), { vendorCode: '3001', message: 'Entity not found' });
    assert.deepEqual(readAppliveryErrorBody({ error: { code: 'E1' } }), { vendorCode: 'E1' });
    for (const junk of [undefined, 'Bad Gateway', [], { error: 'Too Many Requests' }, { error: { code: null } }]) assert.deepEqual(readAppliveryErrorBody(junk), {});
  });
});

function fetchReportWith(client: AppliveryClient, ids: Ids): Promise<AppliveryCertificateReport> {
  return client.getCertificateReport(ids.organizationId, ids.emmDeviceId, ids.historyId);
}
