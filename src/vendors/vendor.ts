import type { AppliveryCredentials } from './applivery/contract.js';
import type { AutomoxCredentials } from './automox/contract.js';
import type { ControlCenterCredentials } from './control-center/contract.js';
import type { KobilCredentials } from './kobil/contract.js';
import type { NaverCloudCredentials } from './naver-cloud/contract.js';

/** The five vendors behind the graph, spelled as the GraphQL `Vendor` enum spells them. */
export const VENDORS = ['APPLIVERY', 'CISCO_CONTROL_CENTER', 'KOBIL', 'AUTOMOX', 'NAVER_CLOUD'] as const;

export type VendorName = (typeof VENDORS)[number];

/** Human-readable vendor names for logs and error messages. */
export const VENDOR_LABELS: Record<VendorName, string> = {
  APPLIVERY: 'Applivery',
  CISCO_CONTROL_CENTER: 'Cisco Control Center',
  KOBIL: 'KOBIL',
  AUTOMOX: 'Automox',
  NAVER_CLOUD: 'NAVER Cloud',
};

/** What each vendor authenticates with, as its contract declares it. */
export interface VendorCredentials {
  APPLIVERY: AppliveryCredentials;
  CISCO_CONTROL_CENTER: ControlCenterCredentials;
  KOBIL: KobilCredentials;
  AUTOMOX: AutomoxCredentials;
  NAVER_CLOUD: NaverCloudCredentials;
}
