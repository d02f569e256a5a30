import { timingSafeEqual } from 'node:crypto';
import { SeededRandom } from '../random.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorHandler,
  type SimulatorRequest,
  type SimulatorResponse,
  type StartSimulatorOptions,
  type VendorSimulatorOptions,
} from '../server.js';
import { distinguishedName, issueCertificate, type NameAttribute, type SimulatedCertificate } from './data.js';
import { NCP_HEADERS, signRequest } from '../../vendors/naver-cloud/signature.js';
import { SUBJECT_CREDENTIALS_PAGING, SUBJECT_CREDENTIALS_PATH, type NaverCloudCredentials } from '../../vendors/naver-cloud/contract.js';

/** The access key pair the simulator accepts unless told otherwise. Not a real NCP key. */
export const NAVER_CLOUD_SIMULATOR_CREDENTIALS: NaverCloudCredentials = {
  accessKey: 'SIMULATORACCESSKEY01',
  secretKey: 'simulator-secret-key-0123456789abcdef',
};

/** The subjects the simulator serves and how many activities each starts with (newest first). */
export const NAVER_CLOUD_FIXTURES = {
  subjectIdWith120Activities: 'c2dea79b-3f4e-4a51-9b0c-c162618da17d',
  subjectIdWith23Activities: '5f0b2c8e-7a13-4d6f-8e21-0a9d4b3c6e52',
  subjectIdWithNoActivity: '9e4a7d10-2b6c-4f38-a5d7-3c81f0e2b946',
  /** Well-formed, but no such subject: answered with 404. */
  unknownSubjectId: 'b7e3c1a2-6d5f-4e09-8c1b-2a4f6e8d0c13',
  /** `size` when the request has none. */
  defaultPageSize: 20,
  /** The largest `size` the simulator accepts (the doc says only "1-N"); above it answers 400. */
  maxPageSize: SUBJECT_CREDENTIALS_PAGING.maxPageSize,
} as const;

/** Options of the NaverCloud simulator. */
export type NaverCloudSimulatorOptions = VendorSimulatorOptions<'NAVER_CLOUD'>;

/** The NCP API Gateway error codes the simulator answers with, by HTTP status. */
const GATEWAY_ERRORS = {
  400: { errorCode: '100', message: 'Bad Request Exception' },
  401: { errorCode: '200', message: 'Authentication Failed' },
  404: { errorCode: '300', message: 'Not Found Exception' },
  500: { errorCode: '900', message: 'Unexpected Error' },
} as const;

/** NCP refuses a request whose timestamp is 5 minutes or more away from the gateway's clock. */
const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
const DEFAULT_SEED = 0x4e4350;
const FAILED_SHARE = 0.15;
const DAY_MS = 86_400_000;
const KST_OFFSET_MS = 9 * 3_600_000;

const ROOT_CA: readonly NameAttribute[] = [
  { shortName: 'C', value: 'KR' },
  { shortName: 'ST', value: 'Gyeonggi-do' },
  { shortName: 'L', value: 'Seongnam-si' },
  { shortName: 'O', value: 'NAVER Cloud Corp.' },
  { shortName: 'OU', value: 'IAM Service' },
  { shortName: 'CN', value: 'QA_Root_CA' },
];

const SEEDED_SUBJECTS = [
  { subjectId: NAVER_CLOUD_FIXTURES.subjectIdWith120Activities, commonName: 'edge-gateway-01.example.com', activities: 120, certificates: 3 },
  { subjectId: NAVER_CLOUD_FIXTURES.subjectIdWith23Activities, commonName: 'build-runner.example.com', activities: 23, certificates: 2 },
  { subjectId: NAVER_CLOUD_FIXTURES.subjectIdWithNoActivity, commonName: 'backup-agent.example.com', activities: 0, certificates: 1 },
] as const;

/** One authentication with a certificate of the subject, as the simulator keeps it. */
interface Activity {
  issuer: string;
  serialNumber: string;
  x509CertificateData: string;
  failed: boolean;
  seenTime: Date;
}

interface Subject {
  /** Newest first: the certificate each new authentication presents is `certificates[0]`. */
  certificates: SimulatedCertificate[];
  /** Newest first. */
  activities: Activity[];
}

/**
 * The NAVER Cloud Sub Account API `GET /api/v1/subjects/{subjectId}/credentials` over seeded
 * subjects whose activities carry real X.509 certificates. Checks run in this order: route (404),
 * signature v2 auth (401), `page`/`size` (400), subject (404).
 */
class NaverCloudSimulatorHandler implements SimulatorHandler {
  readonly vendor = 'NAVER_CLOUD';
  readonly #now: () => Date;
  readonly #random: SeededRandom;
  readonly #credentials: NaverCloudCredentials;
  readonly #subjects = new Map<string, Subject>();

  constructor(options: NaverCloudSimulatorOptions) {
    this.#now = options.now ?? (() => new Date());
    this.#random = new SeededRandom(options.seed ?? DEFAULT_SEED);
    this.#credentials = options.credentials ?? NAVER_CLOUD_SIMULATOR_CREDENTIALS;
    for (const seeded of SEEDED_SUBJECTS) this.#subjects.set(seeded.subjectId, this.#seedSubject(seeded));
  }

  handle(request: SimulatorRequest): SimulatorResponse {
    const route = SUBJECT_CREDENTIALS_PATH.exec(request.path);
    if (request.method !== 'GET' || !route?.[1]) return gatewayError(404, 'No API is defined for this method and path.');
    const authProblem = this.#authProblem(request);
    if (authProblem) return gatewayError(401, authProblem);
    const paging = readPaging(request.query);
    if (typeof paging === 'string') return gatewayError(400, paging);
    const subject = this.#subjects.get(decodePathSegment(route[1]));
    if (!subject) return gatewayError(404, 'The subject does not exist.');
    const start = paging.page * paging.size;
    return {
      status: 200,
      body: {
        pageNo: paging.page,
        totalElements: subject.activities.length,
        pageSize: paging.size,
        content: subject.activities.slice(start, start + paging.size).map(toWire),
      },
    };
  }

  serverError(message = 'An unexpected error occurred while processing the request.'): SimulatorResponse {
    return gatewayError(500, message);
  }

  insertAtHead(): void {
    const now = this.#now().getTime();
    for (const subject of this.#subjects.values()) {
      const newest = subject.activities[0]?.seenTime.getTime() ?? -Infinity;
      const certificate = subject.certificates[0] as SimulatedCertificate;
      subject.activities.unshift(this.#activity(certificate, new Date(Math.max(now, newest + 1))));
    }
  }

  /** Why the request's NCP signature v2 headers do not authenticate it, or `undefined` when they do. */
  #authProblem(request: SimulatorRequest): string | undefined {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    };
    const timestamp = header(NCP_HEADERS.timestamp);
    const accessKey = header(NCP_HEADERS.accessKey);
    const signature = header(NCP_HEADERS.signature);
    if (timestamp === undefined) return `The ${NCP_HEADERS.timestamp} header is required.`;
    if (accessKey === undefined) return `The ${NCP_HEADERS.accessKey} header is required.`;
    if (signature === undefined) return `The ${NCP_HEADERS.signature} header is required.`;
    if (!/^\d{1,15}$/.test(timestamp)) return 'The timestamp must be epoch milliseconds.';
    if (Math.abs(this.#now().getTime() - Number(timestamp)) >= TIMESTAMP_TOLERANCE_MS) {
      return 'The timestamp is 5 minutes or more away from the server time.';
    }
    if (accessKey !== this.#credentials.accessKey) return 'The access key is not valid.';
    const expected = signRequest({ method: request.method, pathWithQuery: request.rawPath, timestamp, ...this.#credentials });
    return sameText(signature, expected) ? undefined : 'The signature does not match.';
  }

  #seedSubject(seeded: (typeof SEEDED_SUBJECTS)[number]): Subject {
    const now = this.#now().getTime();
    const subjectName: NameAttribute[] = [
      { shortName: 'C', value: 'KR' },
      { shortName: 'O', value: 'Example Corp.' },
      { shortName: 'OU', value: 'Devices' },
      { shortName: 'CN', value: seeded.commonName },
    ];
    // Renewals: each certificate starts some 20 days before the next one.
    const certificates = Array.from({ length: seeded.certificates }, (_, index) => {
      const notBefore = new Date(now - (index * 20 + this.#random.int(5, 15)) * DAY_MS);
      return issueCertificate({
        subject: subjectName,
        issuer: ROOT_CA,
        serialHex: this.#random.int(1, 7).toString(16) + this.#random.hex(39),
        notBefore,
        notAfter: new Date(notBefore.getTime() + 365 * DAY_MS),
      });
    });
    const activities: Activity[] = [];
    let seenTime = now - this.#random.int(60_000, 3_600_000);
    for (let index = 0; index < seeded.activities; index += 1) {
      const certificate = certificates.find((c) => c.notBefore.getTime() <= seenTime) ?? (certificates.at(-1) as SimulatedCertificate);
      activities.push(this.#activity(certificate, new Date(seenTime)));
      seenTime -= this.#random.int(5 * 60_000, 12 * 3_600_000);
    }
    return { certificates, activities };
  }

  /** One authentication with `certificate`: PEM or base64 DER, serial masked or plain, as the seed falls. */
  #activity(certificate: SimulatedCertificate, seenTime: Date): Activity {
    const failed = this.#random.next() < FAILED_SHARE;
    const asPem = this.#random.next() < 0.5;
    const masked = this.#random.next() < 0.3;
    return {
      issuer: distinguishedName(ROOT_CA),
      serialNumber: masked ? maskSerial(certificate.serialNumber) : certificate.serialNumber,
      x509CertificateData: asPem ? certificate.pem : certificate.base64Der,
      failed,
      seenTime,
    };
  }
}

/** `page` (0-N, default 0) and `size` (1-100, default 20), or why they are refused. */
function readPaging(query: URLSearchParams): { page: number; size: number } | string {
  const page = readInteger(query, 'page', 0);
  if (page === undefined) return 'page must be an integer of 0 or more.';
  const size = readInteger(query, 'size', NAVER_CLOUD_FIXTURES.defaultPageSize);
  if (size === undefined || size < 1 || size > NAVER_CLOUD_FIXTURES.maxPageSize) {
    return `size must be an integer from 1 to ${NAVER_CLOUD_FIXTURES.maxPageSize}.`;
  }
  return { page, size };
}

/** The parameter's value, `fallback` when absent, `undefined` when it is not a plain non-negative integer. */
function readInteger(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Keeps the middle 18 digits, as the doc's sample `***************099216805457609290***************` does. */
function maskSerial(decimal: string): string {
  const keep = 18;
  const start = Math.max(0, Math.floor((decimal.length - keep) / 2));
  const end = Math.min(decimal.length, start + keep);
  return '*'.repeat(start) + decimal.slice(start, end) + '*'.repeat(decimal.length - end);
}

/** ISO 8601 in Korea Standard Time with milliseconds, like the doc's `2024-12-12T18:09:05.705+09:00`. */
function formatKst(date: Date): string {
  return new Date(date.getTime() + KST_OFFSET_MS).toISOString().replace('Z', '+09:00');
}

function toWire(activity: Activity): Record<string, unknown> {
  return { ...activity, seenTime: formatKst(activity.seenTime) };
}

function gatewayError(status: keyof typeof GATEWAY_ERRORS, details: string): SimulatorResponse {
  return { status, body: { error: { ...GATEWAY_ERRORS[status], details } } };
}

/** A NAVER Cloud Sub Account simulator; seeding issues its certificates, so it takes some tens of milliseconds. */
export function createNaverCloudSimulator(options: NaverCloudSimulatorOptions = {}): SimulatorHandler {
  return new NaverCloudSimulatorHandler(options);
}

/** Starts a NAVER Cloud Sub Account simulator on loopback. */
export function startNaverCloudSimulator(options: NaverCloudSimulatorOptions & StartSimulatorOptions = {}): Promise<Simulator> {
  return startSimulator(createNaverCloudSimulator(options), options);
}
