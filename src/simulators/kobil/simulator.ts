import {
  bearerToken,
  startSimulator,
  type Simulator,
  type SimulatorHandler,
  type SimulatorRequest,
  type SimulatorResponse,
  type StartSimulatorOptions,
  type VendorSimulatorOptions,
} from '../server.js';
import { KOBIL_USER_LOGS_PATH, KOBIL_USER_LOGS_SUBSYSTEM, USER_LOGS_PAGING, type KobilCredentials } from '../../vendors/kobil/contract.js';
import { KobilLogStore } from './data.js';

/** The access token the KOBIL simulator accepts unless told otherwise. */
export const KOBIL_SIMULATOR_CREDENTIALS: KobilCredentials = { accessToken: 'kobil-simulator-access-token' };

/** The seeded users and how many log entries each has (before any `insertAtHead()`). */
export const KOBIL_FIXTURES = {
  userWith0Logs: 'empty.user',
  userWith7Logs: 'max.mustermann',
  userWith53Logs: 'sony',
  /** Needs URL-encoding in the path (`+` and `@`). */
  userWith200Logs: 'jane.doe+ops@example.com',
  /** A well-formed user name the simulator does not know: answers 404 `USER_NOT_FOUND`. */
  unknownUser: 'no.such.user',
  logCounts: {
    'empty.user': 0,
    'max.mustermann': 7,
    sony: 53,
    'jane.doe+ops@example.com': 200,
  },
} as const;

/** Options of the Kobil simulator. */
export type KobilSimulatorOptions = VendorSimulatorOptions<'KOBIL'>;

const DEFAULT_SEED = 0x4b0b11;

/**
 * A KOBIL SSMS simulator serving `GET /digitanium/v4/user/{userName}/logs?limit&offset` for any
 * Host (the real base URL is `https://{tenantId}.{hostname}`). Checks, in this order: bearer token
 * (401), path and method, `limit` (integer 1..`USER_LOGS_PAGING.maxLimit`) and `offset` (integer ≥ 0), both
 * required (400 `BAD_REQUEST`), then the user (404 `USER_NOT_FOUND`). Logs are newest first;
 * `data.moreResultsAvailable` is exactly `offset + limit < total`.
 */
export function createKobilSimulator(options: KobilSimulatorOptions = {}): SimulatorHandler {
  const accessToken = (options.credentials ?? KOBIL_SIMULATOR_CREDENTIALS).accessToken;
  const store = new KobilLogStore({
    seed: options.seed ?? DEFAULT_SEED,
    now: options.now ?? (() => new Date()),
    logCounts: KOBIL_FIXTURES.logCounts,
  });

  return {
    vendor: 'KOBIL',
    handle(request: SimulatorRequest): SimulatorResponse {
      if (bearerToken(request.headers) !== accessToken) {
        return { ...envelope(401, 'Unauthorized', 'HTTP 401 Unauthorized'), headers: { 'www-authenticate': 'Bearer' } };
      }
      const match = KOBIL_USER_LOGS_PATH.exec(request.path);
      if (!match?.[1]) return envelope(404, 'NOT_FOUND', 'HTTP 404 Not Found');
      if (request.method !== 'GET') {
        return { ...envelope(405, 'METHOD_NOT_ALLOWED', 'HTTP 405 Method Not Allowed'), headers: { allow: 'GET' } };
      }
      const limit = readInteger(request.query, 'limit', 1, USER_LOGS_PAGING.maxLimit);
      if (typeof limit === 'string') return envelope(400, 'BAD_REQUEST', limit);
      const offset = readInteger(request.query, 'offset', 0, Number.MAX_SAFE_INTEGER);
      if (typeof offset === 'string') return envelope(400, 'BAD_REQUEST', offset);
      const userName = decodeSegment(match[1]);
      const logs = userName === undefined ? undefined : store.logsOf(userName);
      if (userName === undefined || logs === undefined) return envelope(404, 'USER_NOT_FOUND', 'User does not exist');
      return {
        status: 200,
        body: {
          data: {
            moreResultsAvailable: offset + limit < logs.length,
            // The sample writes the unused device filter as the string "null".
            reportingFilterUsed: { deviceId: 'null', limit, offset, userId: userName },
            reportingInfoItems: logs.slice(offset, offset + limit),
          },
          message: 'Logs fetched successfully',
          status: 'OK',
          subSystem: KOBIL_USER_LOGS_SUBSYSTEM,
        },
      };
    },
    serverError(message = 'HTTP 500 Internal Server Error'): SimulatorResponse {
      return envelope(500, 'INTERNAL_SERVER_ERROR', message);
    },
    insertAtHead(): void {
      store.insertAtHead();
    },
  };
}

/** Starts a KOBIL simulator on loopback (port 0 picks a free one). */
export function startKobilSimulator(options: KobilSimulatorOptions & StartSimulatorOptions = {}): Promise<Simulator> {
  return startSimulator(createKobilSimulator(options), options);
}

/** An error answer in the shape of the success envelope, as the doc's status table implies. */
function envelope(status: number, vendorStatus: string, message: string): SimulatorResponse {
  return { status, body: { status: vendorStatus, message, subSystem: KOBIL_USER_LOGS_SUBSYSTEM } };
}

/** A required, given-once, plain decimal integer in [min, max], or the message refusing it. */
function readInteger(query: URLSearchParams, name: string, min: number, max: number): number | string {
  const values = query.getAll(name);
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer of ${min} or more` : `an integer from ${min} to ${max}`;
  if (values.length === 0) return `${name} is required`;
  if (values.length > 1) return `${name} must be given once`;
  const text = values[0] ?? '';
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : `${name} must be ${range}`;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
