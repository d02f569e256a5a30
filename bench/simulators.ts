/**
 * The vendors of the side-by-side comparison (`bench/peers.ts`) in a process of their own, so that
 * each server process's CPU time is its own work: `BENCH_SIMULATOR_SETS` independent sets of the
 * five built-in simulators, each with the same seeds (the same data), one set per server so
 * neither server warms the other's vendor. One latency knob sets every simulator of every set.
 */
import { vendorEndpoints } from '../src/endpoints.js';
import { startSimulators } from '../src/simulators/index.js';
import type { VendorEndpoints } from '../src/vendors/clients.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { serveRunner } from './child.js';
import { clearVendorCalls, vendorCalls, type VendorCalls } from './vendor-calls.js';

export type SimulatorsRequest =
  /** Every simulator of every set answers after `latencyMs` from now on. */
  | { type: 'latency'; latencyMs: number }
  /** Vendor calls each set received since the last `clearCalls`. */
  | { type: 'calls' }
  | { type: 'clearCalls' }
  | { type: 'close' };

export interface SimulatorsReply {
  calls?: VendorCalls[];
}

/** Where each set's simulators listen and the credentials they accept. */
export interface SimulatorSet {
  endpoints: VendorEndpoints;
  automoxDefaultOrgId: string;
}

const count = Number(process.env.BENCH_SIMULATOR_SETS ?? 2);
const sets = await Promise.all(Array.from({ length: count }, () => startSimulators(VENDORS, { knobs: { latencyMs: 0 } })));

serveRunner<SimulatorsRequest, SimulatorsReply>(
  sets.map((set) => ({ endpoints: vendorEndpoints({}, set.endpoints), automoxDefaultOrgId: set.automoxDefaultOrgId! })) satisfies SimulatorSet[],
  (request) => {
    switch (request.type) {
      case 'latency':
        for (const set of sets) for (const simulator of Object.values(set.simulators)) simulator!.knobs.latencyMs = request.latencyMs;
        return {};
      case 'calls':
        return { calls: sets.map(vendorCalls) };
      case 'clearCalls':
        sets.forEach(clearVendorCalls);
        return {};
      case 'close':
        return {};
    }
  },
  async () => {
    await Promise.all(sets.map((set) => set.close()));
  },
);
