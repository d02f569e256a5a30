import type { VendorCredentials } from '../config.js';
import type { VendorName } from './vendor.js';
import { AppliveryClient } from './applivery/client.js';
import { AutomoxClient } from './automox/client.js';
import { ControlCenterClient } from './control-center/client.js';
import { KobilClient } from './kobil/client.js';
import { NaverCloudClient } from './naver-cloud/client.js';

/** Where one vendor is reached, with which credentials (real or a simulator's) and timeouts. */
export interface VendorEndpoint<V extends VendorName> {
  baseUrl: string;
  credentials: VendorCredentials[V];
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export type VendorEndpoints = { [V in VendorName]: VendorEndpoint<V> };

/** One client per vendor, each with its own keep-alive pool; shared by every request. */
export interface VendorClients {
  applivery: AppliveryClient;
  controlCenter: ControlCenterClient;
  kobil: KobilClient;
  automox: AutomoxClient;
  naverCloud: NaverCloudClient;
  close(): Promise<void>;
}

export function createVendorClients(endpoints: VendorEndpoints): VendorClients {
  const clients = {
    applivery: new AppliveryClient(endpoints.APPLIVERY),
    controlCenter: new ControlCenterClient(endpoints.CISCO_CONTROL_CENTER),
    kobil: new KobilClient(endpoints.KOBIL),
    automox: new AutomoxClient(endpoints.AUTOMOX),
    naverCloud: new NaverCloudClient(endpoints.NAVER_CLOUD),
  };
  return {
    ...clients,
    async close() {
      await Promise.all(Object.values(clients).map((client) => client.close()));
    },
  };
}
