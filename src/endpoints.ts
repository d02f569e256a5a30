import type { VendorSettings } from './config.js';
import type { SimulatedEndpoints } from './simulators/index.js';
import type { VendorEndpoint, VendorEndpoints } from './vendors/clients.js';
import { VENDORS, type VendorName } from './vendors/vendor.js';

/** Each vendor's endpoint: the configured real vendor where set, else its running simulator. */
export function vendorEndpoints(settings: Partial<VendorSettings>, simulated: SimulatedEndpoints): VendorEndpoints {
  const endpoint = <V extends VendorName>(vendor: V): VendorEndpoint<V> => {
    const setting = settings[vendor];
    if (setting?.mode === 'real') return { baseUrl: setting.baseUrl, credentials: setting.credentials };
    const simulator = simulated[vendor];
    if (!simulator) throw new Error(`${vendor} is neither configured nor simulated`);
    return { baseUrl: simulator.baseUrl, credentials: simulator.credentials };
  };
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, endpoint(vendor)])) as VendorEndpoints;
}
