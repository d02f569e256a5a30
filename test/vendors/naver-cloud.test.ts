import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  VendorAuthError,
  VendorNotFoundError,
  VendorRequestRejectedError,
} from '../../src/vendors/http/errors.js';
import { startSimulator, type Simulator } from '../../src/simulators/server.js';
import { NaverCloudClient, type NaverCredentialActivity } from '../../src/vendors/naver-cloud/client.js';
import { isValidSubjectId, SUBJECT_CREDENTIALS_PAGING } from '../../src/vendors/naver-cloud/contract.js';
import { signRequest } from '../../src/vendors/naver-cloud/signature.js';
import {
  NAVER_CLOUD_FIXTURES as FIXTURES,
  NAVER_CLOUD_SIMULATOR_CREDENTIALS as CREDENTIALS,
  createNaverCloudSimulator,
  startNaverCloudSimulator,
} from '../../src/simulators/naver-cloud/simulator.js';
import { parseX509 } from '../../src/vendors/x509.js';
import { describeFaultKnobs, useSimulatorClient } from '../support/fault-cases.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';
import { loggedCalls } from '../support/call-log.js';

/** The issuer as the doc's sample response writes it. */
const SAMPLE_ISSUER = 'CN=QA_Root_CA, OU=IAM Service, O=NAVER Cloud Corp., L=Seongnam-si, ST=Gyeonggi-do, C=KR';
/** The doc's sample `seenTime`: `2024-12-12T18:09:05.705+09:00`. */
const SAMPLE_SEEN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;
const FIVE_MINUTES = 5 * 60_000;
const FIXED_NOW = new Date('2024-12-12T09:09:05.705Z');

/** The doc's signature v2, written out here rather than taken from the code under test. */
function docSignature(target: string, timestamp: string, accessKey: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(`GET ${target}\n${timestamp}\n${accessKey}`).digest('base64');
}

interface RawOptions {
  timestamp?: number | string;
  accessKey?: string;
  secretKey?: string;
  /** The request target the signature covers, when it should differ from the one sent. */
  signedTarget?: string;
  omitHeader?: string;
}

/** A GET sent by hand with fetch, so the wire format can be checked without the client. */
async function rawGet(simulator: Simulator, target: string, options: RawOptions = {}): Promise<{ status: number; body: any }> {
  const timestamp = String(options.timestamp ?? Date.now());
  const accessKey = options.accessKey ?? CREDENTIALS.accessKey;
  const signed: Record<string, string> = {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': accessKey,
    'x-ncp-apigw-signature-v2': docSignature(options.signedTarget ?? target, timestamp, accessKey, options.secretKey ?? CREDENTIALS.secretKey),
  };
  const headers = Object.fromEntries(Object.entries(signed).filter(([name]) => name !== options.omitHeader));
  const response = await fetch(`${simulator.url}${target}`, { headers });
  return { status: response.status, body: await response.json() };
}

const credentialsPath = (subjectId: string, query = '') => `/api/v1/subjects/${subjectId}/credentials${query}`;

function assertGatewayError(answer: { status: number; body: any }, status: number, errorCode: string, message: string): void {
  assert.equal(answer.status, status);
  assert.equal(answer.body.error.errorCode, errorCode);
  assert.equal(answer.body.error.message, message);
  assert.equal(typeof answer.body.error.details, 'string');
}

/** Asserts `promise` rejects with a `type` error carrying `check`'s expectations and no credential. */
async function assertRejects(promise: Promise<unknown>, type: new (...args: never[]) => Error, check: Record<string, unknown> = {}): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    for (const [field, value] of Object.entries(check)) assert.equal((error as unknown as Record<string, unknown>)[field], value, field);
    for (const secret of [CREDENTIALS.accessKey, CREDENTIALS.secretKey]) assert.ok(!error.message.includes(secret));
    return true;
  });
}

async function allPages(client: NaverCloudClient, subjectId: string, size: number): Promise<NaverCredentialActivity[]> {
  const activities: NaverCredentialActivity[] = [];
  for (let page = 0; ; page += 1) {
    const answer = await client.getCredentials(subjectId, { page, size });
    if (answer.content.length === 0) return activities;
    activities.push(...answer.content);
  }
}

describe('NAVER Cloud Sub Account client and simulator', () => {
  const vendor = useSimulatorClient(
    () => startNaverCloudSimulator(),
    (connection) => new NaverCloudClient({ ...SINGLE_ATTEMPT, ...connection, credentials: CREDENTIALS }),
  );
  let simulator: Simulator;
  let client: NaverCloudClient;
  before(() => void ({ simulator, client } = vendor));

  describe('paging', () => {
    it('pages through 120 activities across page boundaries, each exactly once, newest first', async () => {
      const sizes: number[] = [];
      const activities: NaverCredentialActivity[] = [];
      for (let page = 0; page < 4; page += 1) {
        const answer = await client.getCredentials(FIXTURES.subjectIdWith120Activities, { page, size: 50 });
        assert.equal(answer.pageNo, page);
        assert.equal(answer.pageSize, 50);
        assert.equal(answer.totalElements, 120);
        sizes.push(answer.content.length);
        activities.push(...answer.content);
      }
      assert.deepEqual(sizes, [50, 50, 20, 0]);
      assert.equal(new Set(activities.map((a) => a.key)).size, 120);
      for (let i = 1; i < activities.length; i += 1) {
        assert.ok((activities[i - 1] as NaverCredentialActivity).seenTime > (activities[i] as NaverCredentialActivity).seenTime);
      }
      const byHundreds = await allPages(client, FIXTURES.subjectIdWith120Activities, SUBJECT_CREDENTIALS_PAGING.maxPageSize);
      assert.deepEqual(
        byHundreds.map((a) => a.key),
        activities.map((a) => a.key),
      );
    });

    it('serves the seeded list lengths: 23, and an empty list', async () => {
      assert.equal((await allPages(client, FIXTURES.subjectIdWith23Activities, 7)).length, 23);
      const empty = await client.getCredentials(FIXTURES.subjectIdWithNoActivity, { page: 0, size: 20 });
      assert.deepEqual(empty, { pageNo: 0, pageSize: 20, totalElements: 0, content: [] });
    });

    it('answers a page past the end with no content and the whole count', async () => {
      const answer = await client.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 5, size: 20 });
      assert.deepEqual({ ...answer, content: answer.content.length }, { pageNo: 5, pageSize: 20, totalElements: 23, content: 0 });
    });

    it('applies the documented defaults page 0 and size 20 when the request has neither', async () => {
      const answer = await rawGet(simulator, credentialsPath(FIXTURES.subjectIdWith23Activities));
      assert.equal(answer.status, 200);
      assert.equal(answer.body.pageNo, 0);
      assert.equal(answer.body.pageSize, 20);
      assert.equal(answer.body.content.length, 20);
    });

    it('accepts size up to 100', async () => {
      assert.equal(SUBJECT_CREDENTIALS_PAGING.maxPageSize, 100);
      assert.equal(FIXTURES.maxPageSize, SUBJECT_CREDENTIALS_PAGING.maxPageSize);
      const answer = await client.getCredentials(FIXTURES.subjectIdWith120Activities, { page: 1, size: 100 });
      assert.equal(answer.content.length, 20);
    });
  });

  describe('records', () => {
    it('normalizes activities: typed fields, Date seenTime, stable 16-hex keys', async () => {
      const first = await client.getCredentials(FIXTURES.subjectIdWith120Activities, { page: 0, size: 100 });
      for (const activity of first.content) {
        assert.match(activity.key, /^[0-9a-f]{16}$/);
        assert.equal(activity.issuer, SAMPLE_ISSUER);
        assert.equal(typeof activity.serialNumber, 'string');
        assert.equal(typeof activity.x509CertificateData, 'string');
        assert.equal(typeof activity.failed, 'boolean');
        assert.ok(activity.seenTime instanceof Date && !Number.isNaN(activity.seenTime.getTime()));
      }
      const failed = first.content.filter((a) => a.failed).length;
      assert.ok(failed > 0 && failed < first.content.length, 'some authentications failed, most did not');
      const again = await client.getCredentials(FIXTURES.subjectIdWith120Activities, { page: 0, size: 100 });
      assert.deepEqual(again, first);
    });

    it('sends seenTime as ISO 8601 at +09:00 with milliseconds, like the doc sample', async () => {
      const raw = await rawGet(simulator, credentialsPath(FIXTURES.subjectIdWith23Activities, '?page=0&size=23'));
      const page = await client.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 23 });
      assert.deepEqual(Object.keys(raw.body).sort(), ['content', 'pageNo', 'pageSize', 'totalElements']);
      raw.body.content.forEach((activity: Record<string, unknown>, index: number) => {
        assert.deepEqual(Object.keys(activity).sort(), ['failed', 'issuer', 'seenTime', 'serialNumber', 'x509CertificateData']);
        assert.match(activity['seenTime'] as string, SAMPLE_SEEN_TIME);
        assert.equal(page.content[index]?.seenTime.getTime(), Date.parse(activity['seenTime'] as string));
      });
    });

    it('carries real X.509 certificates of one subject, as PEM for some and base64 DER for others', async () => {
      const activities = await allPages(client, FIXTURES.subjectIdWith120Activities, 100);
      const formats = new Set<string>();
      const subjects = new Set<string>();
      const certificates = new Set<string>();
      let masked = 0;
      for (const activity of activities) {
        const data = activity.x509CertificateData as string;
        formats.add(data.startsWith('-----BEGIN CERTIFICATE-----') ? 'pem' : 'der');
        const details = parseX509(data);
        assert.ok(details, 'parses');
        assert.equal(details.issuer, activity.issuer);
        assert.ok(details.notBefore <= activity.seenTime && activity.seenTime <= details.notAfter, 'valid when seen');
        subjects.add(details.subject);
        certificates.add(details.sha256Fingerprint);
        const decimal = BigInt(`0x${details.serialNumber}`).toString(10);
        const serial = activity.serialNumber as string;
        if (serial.includes('*')) {
          masked += 1;
          assert.match(serial, /^\*+\d{18}\*+$/);
          assert.equal(serial.length, decimal.length);
          for (let i = 0; i < serial.length; i += 1) if (serial[i] !== '*') assert.equal(serial[i], decimal[i]);
        } else {
          assert.equal(serial, decimal);
        }
      }
      assert.deepEqual([...formats].sort(), ['der', 'pem']);
      assert.deepEqual([...subjects], ['CN=edge-gateway-01.example.com, OU=Devices, O=Example Corp., C=KR']);
      assert.ok(certificates.size > 1, 'renewed certificates of the same subject');
      assert.ok(masked > 0 && masked < activities.length, 'some serial numbers masked');
    });

    it('serves the same data for the same seed and clock, other data for another seed', async () => {
      const now = () => FIXED_NOW;
      const simulators = await Promise.all([
        startNaverCloudSimulator({ now, seed: 7 }),
        startNaverCloudSimulator({ now, seed: 7 }),
        startNaverCloudSimulator({ now, seed: 8 }),
      ]);
      try {
        const target = credentialsPath(FIXTURES.subjectIdWith23Activities, '?page=0&size=23');
        const [a, b, c] = await Promise.all(simulators.map((s) => rawGet(s, target, { timestamp: FIXED_NOW.getTime() })));
        assert.equal(a?.status, 200);
        assert.deepEqual(a, b);
        assert.notDeepEqual(a, c);
        assert.ok(Date.parse(a?.body.content[0].seenTime) <= FIXED_NOW.getTime(), 'seeded times are before now()');
      } finally {
        await Promise.all(simulators.map((s) => s.close()));
      }
    });
  });

  describe('errors', () => {
    it('refuses page and size outside the documented ranges with 400, code 100', async () => {
      const subject = FIXTURES.subjectIdWith23Activities;
      for (const query of ['?page=0&size=0', '?page=0&size=101', '?size=abc', '?size=', '?page=-1', '?page=1.5', '?page=x&size=20']) {
        const answer = await rawGet(simulator, credentialsPath(subject, query));
        assertGatewayError(answer, 400, '100', 'Bad Request Exception');
      }
      await assertRejects(client.getCredentials(subject, { page: 0, size: 101 }), VendorRequestRejectedError, { status: 400, vendorCode: '100' });
      await assertRejects(client.getCredentials(subject, { page: -1, size: 20 }), VendorRequestRejectedError, { status: 400, vendorCode: '100' });
    });

    it('answers an unknown subject or path with 404, code 300', async () => {
      await assertRejects(client.getCredentials(FIXTURES.unknownSubjectId, { page: 0, size: 20 }), VendorNotFoundError, {
        status: 404,
        vendorCode: '300',
      });
      assertGatewayError(await rawGet(simulator, credentialsPath(FIXTURES.unknownSubjectId)), 404, '300', 'Not Found Exception');
      assertGatewayError(await rawGet(simulator, credentialsPath('not-a-uuid')), 404, '300', 'Not Found Exception');
      assertGatewayError(await rawGet(simulator, '/api/v1/subjects'), 404, '300', 'Not Found Exception');
    });

    it('checks auth first, then parameters, then the subject', async () => {
      const unknown = FIXTURES.unknownSubjectId;
      assert.equal((await rawGet(simulator, credentialsPath(unknown, '?size=0'), { secretKey: 'wrong' })).status, 401);
      assert.equal((await rawGet(simulator, credentialsPath(unknown, '?size=0'))).status, 400);
    });
  });

  describe('auth (NCP API Gateway signature v2)', () => {
    const target = credentialsPath(FIXTURES.subjectIdWith23Activities, '?page=0&size=20');

    it('signs "GET {path?query}\\n{timestamp}\\n{accessKey}" with HMAC-SHA256 in base64', () => {
      const input = { method: 'GET', pathWithQuery: target, timestamp: '1733994545705', ...CREDENTIALS };
      assert.equal(signRequest(input), docSignature(target, input.timestamp, CREDENTIALS.accessKey, CREDENTIALS.secretKey));
      assert.notEqual(signRequest(input), signRequest({ ...input, pathWithQuery: credentialsPath(FIXTURES.subjectIdWith23Activities) }));
    });

    it('accepts a request signed as the doc says', async () => {
      assert.equal((await rawGet(simulator, target)).status, 200);
    });

    it('refuses missing headers, an unknown access key and a bad signature with 401, code 200', async () => {
      const refused: RawOptions[] = [
        { omitHeader: 'x-ncp-apigw-timestamp' },
        { omitHeader: 'x-ncp-iam-access-key' },
        { omitHeader: 'x-ncp-apigw-signature-v2' },
        { accessKey: 'UNKNOWNACCESSKEY0000' },
        { secretKey: 'not-the-secret' },
        { signedTarget: credentialsPath(FIXTURES.subjectIdWith23Activities) },
        { signedTarget: credentialsPath(FIXTURES.subjectIdWith23Activities, '?size=20&page=0') },
        { timestamp: 'yesterday' },
      ];
      for (const options of refused) {
        assertGatewayError(await rawGet(simulator, target, options), 401, '200', 'Authentication Failed');
      }
    });

    it('refuses a timestamp 5 minutes or more from the simulator clock', async () => {
      const clocked = await startNaverCloudSimulator({ now: () => FIXED_NOW });
      try {
        const now = FIXED_NOW.getTime();
        const status = async (timestamp: number) => (await rawGet(clocked, target, { timestamp })).status;
        assert.deepEqual(
          await Promise.all([now, now - FIVE_MINUTES + 1, now + FIVE_MINUTES - 1].map(status)),
          [200, 200, 200],
        );
        assert.deepEqual(await Promise.all([now - FIVE_MINUTES, now + FIVE_MINUTES, Date.now()].map(status)), [401, 401, 401]);
        const wallClockClient = new NaverCloudClient({ ...SINGLE_ATTEMPT, baseUrl: clocked.url, credentials: CREDENTIALS });
        await assertRejects(wallClockClient.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 20 }), VendorAuthError, {
          status: 401,
          vendorCode: '200',
        });
        await wallClockClient.close();
      } finally {
        await clocked.close();
      }
    });

    it('surfaces refused credentials as VendorAuthError without revealing them', async () => {
      for (const credentials of [
        { ...CREDENTIALS, secretKey: 'wrong-secret-key' },
        { ...CREDENTIALS, accessKey: 'WRONGACCESSKEY000000' },
      ]) {
        const wrong = new NaverCloudClient({ ...SINGLE_ATTEMPT, baseUrl: simulator.url, credentials });
        await assert.rejects(wrong.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 20 }), (error: unknown) => {
          assert.ok(error instanceof VendorAuthError);
          assert.equal(error.vendorCode, '200');
          for (const secret of Object.values(credentials)) assert.ok(!error.message.includes(secret));
          return true;
        });
        await wrong.close();
      }
    });
  });

  describeFaultKnobs('faults', {
    vendor,
    call: (c) => c.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 20 }),
    recovered: (page) => assert.equal(page.content.length, 20),
    serverError: {
      vendorCode: '900',
      wire: {
        raw: () => rawGet(simulator, credentialsPath(FIXTURES.subjectIdWith23Activities, '?page=0&size=20')),
        body: { error: { errorCode: '900', message: 'Unexpected Error', details: 'An unexpected error occurred while processing the request.' } },
      },
    },
    retryAfterSeconds: 2,
    assertError: (error) => {
      for (const secret of [CREDENTIALS.accessKey, CREDENTIALS.secretKey]) assert.ok(!error.message.includes(secret), 'a credential leaked into an error message');
    },
  });

  describe('call log', () => {
    it('records method, path, query and status of every call', async () => {
      simulator.clearCalls();
      await client.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 1, size: 5 });
      await assertRejects(client.getCredentials(FIXTURES.unknownSubjectId, { page: 0, size: 20 }), VendorNotFoundError);
      assert.deepEqual(loggedCalls(simulator), [
        { method: 'GET', path: credentialsPath(FIXTURES.subjectIdWith23Activities), query: { page: '1', size: '5' }, status: 200 },
        { method: 'GET', path: credentialsPath(FIXTURES.unknownSubjectId), query: { page: '0', size: '20' }, status: 404 },
      ]);
    });
  });

  describe('new activities at the head', () => {
    it('insertEveryRequests shifts the list by one record per insertion', async () => {
      const shifting = await startNaverCloudSimulator({ knobs: { insertEveryRequests: 1 } });
      const shiftingClient = new NaverCloudClient({ ...SINGLE_ATTEMPT, baseUrl: shifting.url, credentials: CREDENTIALS });
      try {
        const first = await shiftingClient.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 10 });
        const second = await shiftingClient.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 1, size: 10 });
        assert.equal(first.totalElements, 23);
        assert.equal(second.totalElements, 24);
        assert.equal(second.content[0]?.key, first.content[9]?.key);
        shifting.knobs.insertEveryRequests = 0;
        const settled = await shiftingClient.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 1 });
        const again = await shiftingClient.getCredentials(FIXTURES.subjectIdWith23Activities, { page: 0, size: 1 });
        assert.equal(settled.totalElements, 25);
        assert.deepEqual(again, settled);
      } finally {
        await shiftingClient.close();
        await shifting.close();
      }
    });

    it('insertAtHead adds an activity newer than all others to every subject', async () => {
      const handler = createNaverCloudSimulator({ now: () => FIXED_NOW });
      const inserting = await startSimulator(handler);
      const timestamp = FIXED_NOW.getTime();
      const head = async (subjectId: string) => (await rawGet(inserting, credentialsPath(subjectId, '?page=0&size=1'), { timestamp })).body;
      try {
        const before = await head(FIXTURES.subjectIdWith120Activities);
        handler.insertAtHead();
        handler.insertAtHead();
        const after = await head(FIXTURES.subjectIdWith120Activities);
        assert.equal(after.totalElements, 122);
        assert.equal((await head(FIXTURES.subjectIdWith23Activities)).totalElements, 25);
        const empty = await head(FIXTURES.subjectIdWithNoActivity);
        assert.equal(empty.totalElements, 2);
        // With the clock standing still, each insertion is 1 ms newer than the one before.
        assert.equal(Date.parse(after.content[0].seenTime), timestamp + 1);
        assert.ok(Date.parse(before.content[0].seenTime) < timestamp);
        assert.match(after.content[0].seenTime, SAMPLE_SEEN_TIME);
        assert.equal(parseX509(empty.content[0].x509CertificateData)?.subject, 'CN=backup-agent.example.com, OU=Devices, O=Example Corp., C=KR');
      } finally {
        await inserting.close();
      }
    });
  });

  describe('isValidSubjectId', () => {
    it('accepts UUIDs of any version and case', () => {
      for (const id of [...Object.values(FIXTURES).filter((v) => typeof v === 'string'), 'C2DEA79B-0000-1000-8000-C162618DA17D']) {
        assert.equal(isValidSubjectId(id as string), true, id as string);
      }
    });

    it('refuses anything else', () => {
      for (const id of ['', 'subject-1', 'c2dea79b-****-****-****-c162618da17d', '{c2dea79b-3f4e-4a51-9b0c-c162618da17d}', 'c2dea79b3f4e4a519b0cc162618da17d', '../credentials']) {
        assert.equal(isValidSubjectId(id), false, id);
      }
    });
  });
});
