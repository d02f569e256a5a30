import type { CircuitBreaker } from './http/call-policy.js';
import type { VendorConnectionOptions } from './http/vendor-http.js';
import type { VendorCredentials, VendorName } from './vendor.js';
import { AppliveryClient } from './applivery/client.js';
import { AutomoxClient } from './automox/client.js';
import { ControlCenterClient } from './control-center/client.js';
import { KobilClient } from './kobil/client.js';
import { NaverCloudClient } from './naver-cloud/client.js';

/** Where one vendor is reached, with which credentials (real or a simulator's), timeouts and call policy. */
export type VendorEndpoint<V extends VendorName> = VendorConnectionOptions & { credentials: VendorCredentials[V] };

export type VendorEndpoints = { [V in VendorName]: VendorEndpoint<V> };

/** One client per vendor, each with its own keep-alive pool; shared by every request. */
export interface VendorClients {
  applivery: AppliveryClient;
  controlCenter: ControlCenterClient;
  kobil: KobilClient;
  automox: AutomoxClient;
  naverCloud: NaverCloudClient;
  /** Each vendor's circuit breaker. */
  breakers(): Record<VendorName, CircuitBreaker>;
  close(): Promise<void>;
}

/** Options every vendor's connection takes alike (timeouts, call policy, observer), beside its own endpoint. */
export type SharedConnectionOptions = Omit<VendorConnectionOptions, 'baseUrl'>;

export function createVendorClients(endpoints: VendorEndpoints, shared: SharedConnectionOptions = {}): VendorClients {
  const clients = {
    applivery: new AppliveryClient({ ...shared, ...endpoints.APPLIVERY }),
    controlCenter: new ControlCenterClient({ ...shared, ...endpoints.CISCO_CONTROL_CENTER }),
    kobil: new KobilClient({ ...shared, ...endpoints.KOBIL }),
    automox: new AutomoxClient({ ...shared, ...endpoints.AUTOMOX }),
    naverCloud: new NaverCloudClient({ ...shared, ...endpoints.NAVER_CLOUD }),
  };
  return {
    ...clients,
    breakers: () => ({
      APPLIVERY: clients.applivery.breaker,
      CISCO_CONTROL_CENTER: clients.controlCenter.breaker,
      KOBIL: clients.kobil.breaker,
      AUTOMOX: clients.automox.breaker,
      NAVER_CLOUD: clients.naverCloud.breaker,
    }),
    async close() {
      await Promise.all(Object.values(clients).map((client) => client.close()));
    },
  };
}
