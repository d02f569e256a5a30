import { createHash, timingSafeEqual } from 'node:crypto';
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
import { CERTIFICATE_REPORT_PATH, isValidObjectId, isValidOrganizationId, type AppliveryCredentials } from '../../vendors/applivery/contract.js';
import { buildSeed, type AppliverySeed, type CertificateReportWire } from './data.js';

export { APPLIVERY_FIXTURES } from './data.js';

/** The token the simulator accepts unless told otherwise. */
export const APPLIVERY_SIMULATOR_CREDENTIALS: AppliveryCredentials = { apiToken: 'applivery-simulator-token' };

/** Options of the Applivery simulator. */
export type AppliverySimulatorOptions = VendorSimulatorOptions<'APPLIVERY'>;

const DEFAULT_SEED = 0xa991;

/** The documented error bodies; the 500 code is the simulator's choice (the doc lists no 5xx). */
const ERRORS = {
  noAuthToken: { status: 401, code: 4002, message: 'No auth token' },
  invalidToken: { status: 401, code: 4004, message: 'Invalid Token' },
  entityNotFound: { status: 404, code: 3001, message: 'Entity not found' },
  internal: { status: 500, code: 5000, message: 'Internal server error' },
} as const;

/**
 * The Applivery "Get certificate report history item" endpoint over seeded data. Checks run in
 * this order: route and method (else 404 3001), bearer token (401 4002 when absent, 4004 when
 * wrong), id patterns (404 3001: the doc lists no 400), then organization → device → history
 * lookups (404 3001). An organization is found by its ObjectId or its slug; ObjectIds match in
 * either case, as MongoDB casts them, slugs exactly.
 */
export function createAppliverySimulator(options: AppliverySimulatorOptions = {}): SimulatorHandler {
  const data = buildSeed(options.seed ?? DEFAULT_SEED, (options.now ?? (() => new Date()))());
  const expectedToken = digest((options.credentials ?? APPLIVERY_SIMULATOR_CREDENTIALS).apiToken);

  return {
    vendor: 'APPLIVERY',
    handle(request: SimulatorRequest): SimulatorResponse {
      const ids = request.method === 'GET' ? routeIds(request.path) : undefined;
      if (!ids) return errorResponse(ERRORS.entityNotFound);
      const token = bearerToken(request.headers);
      if (!token) return errorResponse(ERRORS.noAuthToken);
      if (!timingSafeEqual(digest(token), expectedToken)) return errorResponse(ERRORS.invalidToken);
      const report = findReport(data, ids);
      return report ? { status: 200, body: { status: true, data: report } } : errorResponse(ERRORS.entityNotFound);
    },
    serverError(message?: string): SimulatorResponse {
      return errorResponse({ ...ERRORS.internal, ...(message === undefined ? {} : { message }) });
    },
    /**
     * Does nothing: a history item is an immutable snapshot of one device report, so no entry is
     * ever added to a served `certificateReport[]` list. A newer report would be a new history
     * item with a new id, which this endpoint cannot list.
     */
    insertAtHead(): void {},
  };
}

/** Starts the Applivery simulator on loopback. */
export function startAppliverySimulator(options: AppliverySimulatorOptions & StartSimulatorOptions = {}): Promise<Simulator> {
  return startSimulator(createAppliverySimulator(options), options);
}

interface RouteIds {
  organizationId: string;
  emmDeviceId: string;
  historyId: string;
}

function routeIds(path: string): RouteIds | undefined {
  const match = CERTIFICATE_REPORT_PATH.exec(path);
  if (!match) return undefined;
  const [organizationId, emmDeviceId, historyId] = match.slice(1).map(decodeSegment);
  if (organizationId === undefined || emmDeviceId === undefined || historyId === undefined) return undefined;
  return { organizationId, emmDeviceId, historyId };
}

function decodeSegment(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function findReport(data: AppliverySeed, ids: RouteIds): CertificateReportWire | undefined {
  if (!isValidOrganizationId(ids.organizationId) || !isValidObjectId(ids.emmDeviceId) || !isValidObjectId(ids.historyId)) {
    return undefined;
  }
  const organization = data.organizations.find(
    (org) => org.slug === ids.organizationId || org.id === ids.organizationId.toLowerCase(),
  );
  const device = data.devices.get(ids.emmDeviceId.toLowerCase());
  if (!organization || !device || device.organizationId !== organization.id) return undefined;
  return device.histories.get(ids.historyId.toLowerCase());
}

function errorResponse(error: { status: number; code: number; message: string }): SimulatorResponse {
  return { status: error.status, body: { status: false, error: { code: error.code, message: error.message } } };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
