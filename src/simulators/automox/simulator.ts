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
import { DEVICE_RESULTS_PATH, type AutomoxWireError, type AutomoxWirePage, type AutomoxCredentials } from '../../vendors/automox/contract.js';
import { isUuid } from '../../vendors/uuid.js';
import { AutomoxDataset, AUTOMOX_FIXTURES } from './data.js';
import { parseDeviceResultsQuery, selectDeviceResults } from './query.js';

/** The seeded ids and their list lengths (defined beside the data in dataset.ts). */
export { AUTOMOX_FIXTURES };

/** The API key the simulator accepts by default; it belongs to `AUTOMOX_FIXTURES.organizationId` only. */
export const AUTOMOX_SIMULATOR_CREDENTIALS: AutomoxCredentials = { apiKey: 'automox-simulator-api-key' };

/** Options of the Automox simulator. */
export type AutomoxSimulatorOptions = VendorSimulatorOptions<'AUTOMOX'>;

const DEFAULT_SEED = 20_240_327;

/**
 * The Automox policy report endpoint `GET /policy-history/policies/{policy_uuid}/{exec_token}`
 * over seeded data. Checks run in this order: route (404), method (405), bearer key (401),
 * path and query parameters (400), organization access (403), policy and execution (404).
 */
export function createAutomoxSimulator(options: AutomoxSimulatorOptions = {}): SimulatorHandler {
  const dataset = new AutomoxDataset({ seed: options.seed ?? DEFAULT_SEED, now: options.now ?? (() => new Date()) });
  const apiKey = (options.credentials ?? AUTOMOX_SIMULATOR_CREDENTIALS).apiKey;

  const handle = (request: SimulatorRequest): SimulatorResponse => {
    const route = DEVICE_RESULTS_PATH.exec(request.path);
    if (!route) return error(404, 'Not Found');
    if (request.method !== 'GET') return error(405, 'Method Not Allowed');
    if (bearerToken(request.headers) !== apiKey) return error(401, 'Unauthorized: missing or invalid API key');

    const policyUuid = safeDecode(route[1] ?? '');
    const execToken = safeDecode(route[2] ?? '');
    if (!isUuid(policyUuid)) return error(400, 'policy_uuid must be a UUID');
    if (!isUuid(execToken)) return error(400, 'exec_token must be a UUID');
    const parsed = parseDeviceResultsQuery(request.query);
    if (!parsed.ok) return error(400, parsed.message);
    const { query } = parsed;

    if (query.organizationId.toLowerCase() !== AUTOMOX_FIXTURES.organizationId) {
      return error(403, 'Unauthorized Action: the API key does not belong to this organization');
    }
    const results = dataset.findExecution(query.organizationId, policyUuid, execToken);
    if (results === 'no-policy') return error(404, 'Policy not found');
    if (results === 'no-execution') return error(404, 'Policy execution not found');

    const { totalCount, page } = selectDeviceResults(results, query);
    const totalPages = Math.ceil(totalCount / query.limit);
    // Links as the doc's sample spells them: host, then only page and limit; "" when there is none.
    const link = (target: number): string => `${request.headers.host ?? ''}?page=${target}&limit=${query.limit}`;
    const body: AutomoxWirePage = {
      metadata: {
        current_page: query.page,
        total_pages: totalPages,
        total_count: totalCount,
        limit: query.limit,
        links: {
          previous: query.page > 0 ? link(query.page - 1) : '',
          next: query.page + 1 < totalPages ? link(query.page + 1) : '',
        },
      },
      data: page.map((result) => result.wire),
    };
    return { status: 200, body };
  };

  return {
    vendor: 'AUTOMOX',
    handle,
    serverError: (message = 'Service Unavailable') => error(500, message),
    insertAtHead: () => dataset.insertAtHead(),
  };
}

/** Starts an Automox simulator on loopback (an ephemeral port unless `port` is given). */
export function startAutomoxSimulator(options: AutomoxSimulatorOptions & StartSimulatorOptions = {}): Promise<Simulator> {
  return startSimulator(createAutomoxSimulator(options), options);
}

function error(status: number, message: string): SimulatorResponse {
  const body: AutomoxWireError = { errors: [message] };
  return { status, body };
}

/** A path segment decoded, or left as is when its percent-encoding is broken (it then fails the UUID check). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
