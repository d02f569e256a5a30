import type { AppliveryCredentials } from './applivery/contract.js';
import type { AutomoxCredentials } from './automox/contract.js';
import type { ControlCenterCredentials } from './control-center/contract.js';
import type { KobilCredentials } from './kobil/contract.js';
import type { NaverCloudCredentials } from './naver-cloud/contract.js';

/** One vendor of the registry: its label, and what it authenticates with (a type only, from its contract). */
interface VendorEntry<Credentials> {
  /** The vendor's name in logs and error messages. */
  label: string;
  /** Never set: it carries the credential type `VendorCredentials` reads. */
  credentials?: Credentials;
}

const vendor = <Credentials>(label: string): VendorEntry<Credentials> => ({ label });

/** The vendors behind the graph, one entry each, keyed as the GraphQL `Vendor` enum spells them. */
const VENDOR_REGISTRY = {
  APPLIVERY: vendor<AppliveryCredentials>('Applivery'),
  CISCO_CONTROL_CENTER: vendor<ControlCenterCredentials>('Cisco Control Center'),
  KOBIL: vendor<KobilCredentials>('KOBIL'),
  AUTOMOX: vendor<AutomoxCredentials>('Automox'),
  NAVER_CLOUD: vendor<NaverCloudCredentials>('NAVER Cloud'),
};

export type VendorName = keyof typeof VENDOR_REGISTRY;

/** Every vendor, in the registry's order. */
export const VENDORS = Object.keys(VENDOR_REGISTRY) as readonly VendorName[];

/** Human-readable vendor names for logs and error messages. */
export const VENDOR_LABELS = Object.fromEntries(VENDORS.map((name) => [name, VENDOR_REGISTRY[name].label])) as Readonly<Record<VendorName, string>>;

/** What each vendor authenticates with, as its contract declares it. */
export type VendorCredentials = { [V in VendorName]: NonNullable<(typeof VENDOR_REGISTRY)[V]['credentials']> };
