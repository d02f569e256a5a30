import { startDeviceGraph, type DeviceGraph, type DeviceGraphOptions } from '../../src/app.js';
import type { CallPolicy } from '../../src/vendors/http/call-policy.js';
import type { VendorCallObserver } from '../../src/vendors/http/vendor-http.js';
import type { SimulatorKnobs } from '../../src/simulators/server.js';
import { createVendorClients, withScale, type VendorClients, type VendorLimits } from '../../src/vendors/clients.js';
import { createScale, type Scale } from '../../src/vendors/http/scale.js';
import { SharedStore } from '../../src/vendors/http/shared-store.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { VENDORS, type VendorCredentials, type VendorName } from '../../src/vendors/vendor.js';
import { vendorEndpoints } from '../../src/endpoints.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** devicegraph over all five simulators, on loopback, for one test file. */
export interface GraphHarness {
  graph: DeviceGraph;
  running: RunningSimulators;
  /** The clients the graph uses (with the cache when `scale` is set). */
  clients: VendorClients;
  /** Clients of the same simulators without any cache: the vendors' lists as they are now. */
  direct: VendorClients;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Vendor calls each simulator received since the last `clearCalls()`. */
  calls(vendor: VendorName): number;
  totalCalls(): number;
  clearCalls(): void;
  close(): Promise<void>;
}

export interface GraphHarnessOptions {
  knobs?: Partial<SimulatorKnobs>;
  clientTimeoutsMs?: number;
  /** The vendor call policy of every client (retries, breaker); production defaults otherwise. */
  callPolicy?: Partial<CallPolicy>;
  /** Told about every vendor call attempt. */
  observer?: VendorCallObserver;
  /** Credentials sent to a simulator instead of the ones it accepts (a misconfigured vendor). */
  credentials?: { [V in VendorName]?: VendorCredentials[V] };
  /** Options of the devicegraph server itself (CORS, API tokens, switches, telemetry, deadline). */
  server?: Omit<DeviceGraphOptions, 'clients' | 'automoxDefaultOrgId'>;
  /**
   * Vendor cache, coalescing and rate budgets as `npm start` sets them up: `listTtlSeconds` for
   * every vendor unless `vendors` says otherwise, in-process unless `store` is backed by Redis.
   * Off (every GET calls the vendor) when absent.
   */
  scale?: { store?: SharedStore; listTtlSeconds?: number; vendors?: Partial<Record<VendorName, VendorLimits>>; options?: Parameters<typeof createScale>[1] };
}

export async function startGraphHarness(options: GraphHarnessOptions = {}): Promise<GraphHarness> {
  const running = await startSimulators(VENDORS, options.knobs ? { knobs: options.knobs } : {});
  const timeouts = options.clientTimeoutsMs ? { headersTimeoutMs: options.clientTimeoutsMs, bodyTimeoutMs: options.clientTimeoutsMs } : {};
  const extra = {
    ...timeouts,
    ...(options.callPolicy ? { policy: options.callPolicy } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  };
  const endpoints = vendorEndpoints({}, running.endpoints);
  for (const [vendor, credentials] of Object.entries(options.credentials ?? {})) Object.assign(endpoints[vendor as VendorName], { credentials });
  const scale = options.scale ? harnessScale(options.scale) : undefined;
  const clients = createVendorClients(scale ? withScale(endpoints, scale.shared, scale.limits) : endpoints, extra);
  const direct = createVendorClients(endpoints, extra);
  const graph = await startDeviceGraph({
    ...(scale ? { sharedState: () => scale.shared.store.state } : {}),
    ...options.server,
    clients,
    automoxDefaultOrgId: running.automoxDefaultOrgId,
  });
  const simulator = (vendor: VendorName) => running.simulators[vendor]!;
  return {
    graph,
    running,
    clients,
    direct,
    async query(query, variables) {
      const response = await fetch(graph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    calls: (vendor) => simulator(vendor).calls.length,
    totalCalls: () => Object.values(running.simulators).reduce((sum, s) => sum + (s?.calls.length ?? 0), 0),
    clearCalls() {
      for (const s of Object.values(running.simulators)) s?.clearCalls();
    },
    async close() {
      await graph.close();
      await clients.close();
      await direct.close();
      await running.close();
    },
  };
}

function harnessScale(options: NonNullable<GraphHarnessOptions['scale']>): { shared: Scale; limits: Partial<Record<VendorName, VendorLimits>> } {
  const shared = createScale(options.store ?? new SharedStore(), options.options);
  const limits = Object.fromEntries(VENDORS.map((vendor) => [vendor, { listTtlSeconds: options.listTtlSeconds ?? 5, ...options.vendors?.[vendor] }]));
  return { shared, limits };
}
