import type { VendorCredentials } from '../config.js';
import { AppliveryClient } from './applivery/client.js';
import { AutomoxClient } from './automox/client.js';
import { ControlCenterClient } from './control-center/client.js';
import { KobilClient } from './kobil/client.js';
import { NaverCloudClient } from './naver-cloud/client.js';

/** Where each vendor is reached and with which credentials (real or a simulator's). */
export interface VendorEndpoints {
  APPLIVERY: { baseUrl: string; credentials: VendorCredentials['APPLIVERY'] };
  CISCO_CONTROL_CENTER: { baseUrl: string; credentials: VendorCredentials['CISCO_CONTROL_CENTER'] };
  KOBIL: { baseUrl: string; credentials: VendorCredentials['KOBIL'] };
  AUTOMOX: { baseUrl: string; credentials: VendorCredentials['AUTOMOX'] };
  NAVER_CLOUD: { baseUrl: string; credentials: VendorCredentials['NAVER_CLOUD'] };
}

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
