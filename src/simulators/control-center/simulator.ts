import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
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
import { DeviceAuditHistory, type SimulatedChange } from './data.js';
import {
  AUDIT_TRAILS_PAGING,
  AUDIT_TRAILS_PATH,
  CONTROL_CENTER_API_VERSION,
  CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY,
  CONTROL_CENTER_MAX_DAYS_OF_HISTORY,
  CONTROL_CENTER_RATE_LIMIT_ERROR_CODE,
  type ControlCenterCredentials,
} from '../../vendors/control-center/contract.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Credentials the Control Center simulator accepts unless it is started with others. */
export const CONTROL_CENTER_SIMULATOR_CREDENTIALS: ControlCenterCredentials = {
  username: 'devicegraph-simulator',
  apiKey: 'cc-sim-3f9a1c7e-5b2d-4e8f-a6c0-91d7e2b4f8a3',
};

/**
 * The devices the simulator seeds and how many audit records each serves. The 137-, 0-, 50- and
 * 51-record devices keep every record within the default 30 days (all younger than 29 days at
 * start); the spread device has one record every 4 days, starting 1–2 hours before start.
 */
export const CONTROL_CENTER_FIXTURES = {
  iccidWith137Records: '89011704278930000137',
  iccidWithNoRecords: '89011704278930000000',
  iccidWith50Records: '89011704278930000050',
  iccidWith51Records: '89011704278930000051',
  /** 19 digits, unlike the others, so both ICCID lengths are served. */
  iccidSpreadOver400Days: '8901170427893000400',
  /** Well formed, but no seeded device has it: answers 404 / 20000001. */
  unknownIccid: '89011704278930009999',
  /** Records each device serves with the default `daysOfHistory` (30), before any insert. */
  recordsWithinDefault30Days: {
    iccidWith137Records: 137,
    iccidWithNoRecords: 0,
    iccidWith50Records: 50,
    iccidWith51Records: 51,
    iccidSpreadOver400Days: 8,
  },
  /** The spread device: all its records, and how many fall within a given `daysOfHistory`. */
  spreadOver400Days: {
    totalRecords: 100,
    spacingDays: 4,
    recordsWithinDays: { 1: 1, 30: 8, 90: 23, 365: 92 },
  },
} as const;

/** Options of the ControlCenter simulator. */
export type ControlCenterSimulatorOptions = VendorSimulatorOptions<'CISCO_CONTROL_CENTER'>;

/** The documented error codes, with their HTTP status and message. */
const ERRORS = {
  invalidCredentials: [401, '10000001', 'Invalid credentials.'],
  invalidPageSize: [400, '10000006', 'Invalid pageSize.'],
  invalidPageNumber: [400, '10000007', 'Invalid pageNumber.'],
  invalidApiVersion: [400, '10000024', 'Invalid apiVersion.'],
  invalidDaysOfHistory: [400, '10000049', 'The daysOfHistory must be less than or equal to 365.'],
  invalidIccid: [404, '20000001', 'Resource not found - Invalid ICCID.'],
  unknownServerError: [500, '30000001', 'Unknown server error.'],
  rateLimitExceeded: [429, CONTROL_CENTER_RATE_LIMIT_ERROR_CODE, 'Rate limit exceeded.'],
} as const satisfies Record<string, readonly [number, string, string]>;

/** Creates the Control Center request handler over freshly seeded devices. */
export function createControlCenterSimulator(options: ControlCenterSimulatorOptions = {}): SimulatorHandler {
  return new ControlCenterSimulatorHandler(options);
}

/** Starts a Control Center simulator on loopback (an ephemeral port unless `port` is given). */
export function startControlCenterSimulator(
  options: ControlCenterSimulatorOptions & StartSimulatorOptions = {},
): Promise<Simulator> {
  return startSimulator(createControlCenterSimulator(options), options);
}

class ControlCenterSimulatorHandler implements SimulatorHandler {
  readonly vendor = 'CISCO_CONTROL_CENTER';
  readonly #now: () => Date;
  readonly #expectedAuthorization: Buffer;
  readonly #devices = new Map<string, DeviceAuditHistory>();

  constructor(options: ControlCenterSimulatorOptions) {
    this.#now = options.now ?? (() => new Date());
    const { username, apiKey } = options.credentials ?? CONTROL_CENTER_SIMULATOR_CREDENTIALS;
    this.#expectedAuthorization = digest(`${username}:${apiKey}`);
    const seed = options.seed ?? 0xcc2024;
    const anchor = this.#now();
    const layout = new SeededRandom(seed);
    const fixtures = CONTROL_CENTER_FIXTURES;
    const seeded: Array<[string, number[]]> = [
      [fixtures.iccidWith137Records, recentAges(137, layout)],
      [fixtures.iccidWithNoRecords, []],
      [fixtures.iccidWith50Records, recentAges(50, layout)],
      [fixtures.iccidWith51Records, recentAges(51, layout)],
      [fixtures.iccidSpreadOver400Days, spreadAges(fixtures.spreadOver400Days.totalRecords, fixtures.spreadOver400Days.spacingDays, layout)],
    ];
    seeded.forEach(([iccid, ages], index) => {
      this.#devices.set(iccid, new DeviceAuditHistory(iccid, seed + (index + 1) * 7919, anchor, ages));
    });
  }

  handle(request: SimulatorRequest): SimulatorResponse {
    const route = AUDIT_TRAILS_PATH.exec(request.path);
    if (!route) return { status: 404, body: { errorMessage: 'Resource not found.' } };
    if (request.method !== 'GET') return { status: 405, body: { errorMessage: 'Method not allowed.' }, headers: { allow: 'GET' } };
    // Credentials are checked before anything else, so an unauthenticated caller learns nothing.
    if (!this.#authorized(request.headers)) return errorResponse('invalidCredentials');
    if (route[1] !== String(CONTROL_CENTER_API_VERSION)) return errorResponse('invalidApiVersion');

    const pageSize = wholeNumberParam(request.query, 'pageSize', AUDIT_TRAILS_PAGING.maxPageSize);
    if (pageSize === undefined || pageSize < 1 || pageSize > AUDIT_TRAILS_PAGING.maxPageSize) return errorResponse('invalidPageSize');
    const pageNumber = wholeNumberParam(request.query, 'pageNumber', 1);
    if (pageNumber === undefined || pageNumber < 1) return errorResponse('invalidPageNumber');
    // The page documents only the upper limit; 0, negative and non-integer values are refused with the same code.
    const days = wholeNumberParam(request.query, 'daysOfHistory', CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY);
    if (days === undefined || days < 1 || days > CONTROL_CENTER_MAX_DAYS_OF_HISTORY) return errorResponse('invalidDaysOfHistory');

    const device = this.#devices.get(decodePathSegment(route[2] ?? ''));
    if (!device) return errorResponse('invalidIccid');

    const now = this.#now();
    const cutoff = now.getTime() - days * DAY_MS;
    const inWindow = device.changes.filter((change) => change.effectiveDate.getTime() >= cutoff);
    const start = (pageNumber - 1) * pageSize;
    return {
      status: 200,
      body: {
        iccid: device.iccid,
        timestamp: formatTimestamp(now),
        pageNumber,
        lastPage: start + pageSize >= inWindow.length,
        deviceAuditTrails: inWindow.slice(start, start + pageSize).map(toWireRecord),
      },
    };
  }

  serverError(message?: string): SimulatorResponse {
    return errorResponse('unknownServerError', message);
  }

  rateLimited(): SimulatorResponse {
    return errorResponse('rateLimitExceeded');
  }

  insertAtHead(): void {
    const newestSoFar = Math.max(...[...this.#devices.values()].map((device) => device.newest?.getTime() ?? -Infinity));
    const effectiveDate = new Date(Math.max(this.#now().getTime(), newestSoFar + 1));
    for (const device of this.#devices.values()) device.record(effectiveDate);
  }

  #authorized(headers: IncomingHttpHeaders): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
    if (!match?.[1]) return false;
    return timingSafeEqual(digest(Buffer.from(match[1], 'base64').toString('utf8')), this.#expectedAuthorization);
  }
}

/** Ages of `count` records spread over the last 29 days (newest ≥ 5 minutes old), strictly increasing. */
function recentAges(count: number, random: SeededRandom): number[] {
  const step = (29 * DAY_MS - 5 * MINUTE_MS) / count;
  return Array.from({ length: count }, (_, i) => Math.round(5 * MINUTE_MS + (i + random.next() * 0.9) * step));
}

/** One record every `spacingDays`, the newest 1–2 hours old, so day-window counts never depend on the seed. */
function spreadAges(count: number, spacingDays: number, random: SeededRandom): number[] {
  return Array.from({ length: count }, (_, i) => i * spacingDays * DAY_MS + HOUR_MS + Math.floor(random.next() * 59 * MINUTE_MS));
}

/** A record as Control Center sends it; a first-time change has no `priorValue`, or an empty one. */
function toWireRecord(change: SimulatedChange): Record<string, string> {
  return {
    field: change.field,
    ...(change.priorValue === undefined ? {} : { priorValue: change.priorValue }),
    value: change.value,
    effectiveDate: formatTimestamp(change.effectiveDate),
    status: change.status,
    userName: change.userName,
    delegatedUser: change.delegatedUser,
    ipAddress: change.ipAddress,
  };
}

/** Control Center's `yyyy-MM-ddTHH:mm:ss.SSSZ`, where Java's `Z` is a numeric offset: `+0000`. */
function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '+0000');
}

function errorResponse(name: keyof typeof ERRORS, message?: string): SimulatorResponse {
  const [status, errorCode, errorMessage] = ERRORS[name];
  return { status, body: { errorCode, errorMessage: message ?? errorMessage } };
}

/**
 * Reads an optional whole-number query parameter: `fallback` when absent, `undefined` when it is
 * present but not a whole number (an empty value included).
 */
function wholeNumberParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Fixed-length digest, so comparing credentials takes the same time whatever was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
