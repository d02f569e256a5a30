import type { VendorSettings } from '../config.js';
import type { Simulator, StartSimulatorOptions } from '../simulator/simulator-server.js';
import { APPLIVERY_SIMULATOR_CREDENTIALS, startAppliverySimulator } from './applivery/simulator.js';
import { AUTOMOX_FIXTURES, AUTOMOX_SIMULATOR_CREDENTIALS, startAutomoxSimulator } from './automox/simulator.js';
import type { VendorEndpoints } from './clients.js';
import { CONTROL_CENTER_SIMULATOR_CREDENTIALS, startControlCenterSimulator } from './control-center/simulator.js';
import { KOBIL_SIMULATOR_CREDENTIALS, startKobilSimulator } from './kobil/simulator.js';
import { NAVER_CLOUD_SIMULATOR_CREDENTIALS, startNaverCloudSimulator } from './naver-cloud/simulator.js';
import type { VendorName } from './vendor.js';

/** The built-in simulators of the vendors that are not called for real. */
export interface RunningSimulators {
  simulators: Partial<Record<VendorName, Simulator>>;
  /** Every vendor's endpoint: the simulator's, or the configured real one. */
  endpoints: VendorEndpoints;
  /** The simulator's organization when Automox is simulated, for queries that name none. */
  automoxDefaultOrgId: string | undefined;
  close(): Promise<void>;
}

/** Starts a simulator for each vendor the settings leave simulated (all of them by default). */
export async function startSimulators(
  settings: Partial<VendorSettings> = {},
  options: StartSimulatorOptions = {},
): Promise<RunningSimulators> {
  const simulated = (vendor: VendorName) => (settings[vendor]?.mode ?? 'simulated') === 'simulated';
  const start = async (vendor: VendorName, run: () => Promise<Simulator>) => (simulated(vendor) ? run() : undefined);
  const [applivery, controlCenter, kobil, automox, naverCloud] = await Promise.all([
    start('APPLIVERY', () => startAppliverySimulator(options)),
    start('CISCO_CONTROL_CENTER', () => startControlCenterSimulator(options)),
    start('KOBIL', () => startKobilSimulator(options)),
    start('AUTOMOX', () => startAutomoxSimulator(options)),
    start('NAVER_CLOUD', () => startNaverCloudSimulator(options)),
  ]);
  const simulators = {
    APPLIVERY: applivery,
    CISCO_CONTROL_CENTER: controlCenter,
    KOBIL: kobil,
    AUTOMOX: automox,
    NAVER_CLOUD: naverCloud,
  };
  const endpoint = <V extends VendorName>(vendor: V, credentials: VendorEndpoints[V]['credentials']) => {
    const setting = settings[vendor];
    if (setting?.mode === 'real') return { baseUrl: setting.baseUrl, credentials: setting.credentials } as VendorEndpoints[V];
    return { baseUrl: (simulators[vendor] as Simulator).url, credentials } as VendorEndpoints[V];
  };
  return {
    simulators,
    endpoints: {
      APPLIVERY: endpoint('APPLIVERY', APPLIVERY_SIMULATOR_CREDENTIALS),
      CISCO_CONTROL_CENTER: endpoint('CISCO_CONTROL_CENTER', CONTROL_CENTER_SIMULATOR_CREDENTIALS),
      KOBIL: endpoint('KOBIL', KOBIL_SIMULATOR_CREDENTIALS),
      AUTOMOX: endpoint('AUTOMOX', AUTOMOX_SIMULATOR_CREDENTIALS),
      NAVER_CLOUD: endpoint('NAVER_CLOUD', NAVER_CLOUD_SIMULATOR_CREDENTIALS),
    },
    automoxDefaultOrgId: automox ? AUTOMOX_FIXTURES.organizationId : undefined,
    async close() {
      await Promise.all(Object.values(simulators).map((simulator) => simulator?.close()));
    },
  };
}
