import { VENDORS, type VendorCredentials, type VendorName } from '../vendors/vendor.js';
import { APPLIVERY_SIMULATOR_CREDENTIALS, startAppliverySimulator } from './applivery/simulator.js';
import { AUTOMOX_FIXTURES, AUTOMOX_SIMULATOR_CREDENTIALS, startAutomoxSimulator } from './automox/simulator.js';
import { CONTROL_CENTER_SIMULATOR_CREDENTIALS, startControlCenterSimulator } from './control-center/simulator.js';
import { KOBIL_SIMULATOR_CREDENTIALS, startKobilSimulator } from './kobil/simulator.js';
import { NAVER_CLOUD_SIMULATOR_CREDENTIALS, startNaverCloudSimulator } from './naver-cloud/simulator.js';
import type { Simulator, StartSimulatorOptions } from './server.js';

/** Where a simulator listens and the credentials it accepts. */
export interface SimulatedEndpoint<V extends VendorName> {
  baseUrl: string;
  credentials: VendorCredentials[V];
}

export type SimulatedEndpoints = { [V in VendorName]?: SimulatedEndpoint<V> };

/** The built-in simulators that were started. */
export interface RunningSimulators {
  simulators: Partial<Record<VendorName, Simulator>>;
  endpoints: SimulatedEndpoints;
  /** The simulator's organization when Automox is simulated, for queries that name none. */
  automoxDefaultOrgId: string | undefined;
  close(): Promise<void>;
}

/** How to start each vendor's simulator, and the credentials it accepts. */
const SIMULATORS: { [V in VendorName]: { start: (options: StartSimulatorOptions) => Promise<Simulator>; credentials: VendorCredentials[V] } } = {
  APPLIVERY: { start: startAppliverySimulator, credentials: APPLIVERY_SIMULATOR_CREDENTIALS },
  CISCO_CONTROL_CENTER: { start: startControlCenterSimulator, credentials: CONTROL_CENTER_SIMULATOR_CREDENTIALS },
  KOBIL: { start: startKobilSimulator, credentials: KOBIL_SIMULATOR_CREDENTIALS },
  AUTOMOX: { start: startAutomoxSimulator, credentials: AUTOMOX_SIMULATOR_CREDENTIALS },
  NAVER_CLOUD: { start: startNaverCloudSimulator, credentials: NAVER_CLOUD_SIMULATOR_CREDENTIALS },
};

/** Starts the simulators of the given vendors (all five by default). */
export async function startSimulators(
  vendors: readonly VendorName[] = VENDORS,
  options: StartSimulatorOptions = {},
): Promise<RunningSimulators> {
  const started = await Promise.all(vendors.map(async (vendor) => [vendor, await SIMULATORS[vendor].start(options)] as const));
  const simulators: Partial<Record<VendorName, Simulator>> = Object.fromEntries(started);
  const endpoints: Record<string, SimulatedEndpoint<VendorName>> = {};
  for (const [vendor, simulator] of started) endpoints[vendor] = { baseUrl: simulator.url, credentials: SIMULATORS[vendor].credentials };
  return {
    simulators,
    endpoints: endpoints as SimulatedEndpoints,
    automoxDefaultOrgId: simulators.AUTOMOX ? AUTOMOX_FIXTURES.organizationId : undefined,
    async close() {
      await Promise.all(started.map(([, simulator]) => simulator.close()));
    },
  };
}
