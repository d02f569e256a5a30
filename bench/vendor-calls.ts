/** Vendor calls as the simulators' call logs count them. */
import type { RunningSimulators } from '../src/simulators/index.js';
import { VENDORS, type VendorName } from '../src/vendors/vendor.js';

export type VendorCalls = Record<VendorName, number>;

/** Calls each simulator of `running` received since `clearVendorCalls`. */
export function vendorCalls(running: RunningSimulators): VendorCalls {
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, running.simulators[vendor]?.calls.length ?? 0])) as VendorCalls;
}

export function clearVendorCalls(running: RunningSimulators): void {
  for (const simulator of Object.values(running.simulators)) simulator?.clearCalls();
}

export function totalVendorCalls(calls: VendorCalls): number {
  return VENDORS.reduce((sum, vendor) => sum + calls[vendor], 0);
}
