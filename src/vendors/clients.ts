import type { CircuitBreaker } from './http/call-policy.js';
import type { VendorConnectionOptions } from './http/vendor-http.js';
import type { Scale, VendorScaleSettings } from './http/scale.js';
import { VENDORS, type VendorCredentials, type VendorName } from './vendor.js';
import { AppliveryClient } from './applivery/client.js';
import { AutomoxClient } from './automox/client.js';
import { ControlCenterClient } from './control-center/client.js';
import { KobilClient } from './kobil/client.js';
import { NaverCloudClient } from './naver-cloud/client.js';

/** Where one vendor is reached, with which credentials (real or a simulator's), timeouts and call policy. */
export type VendorEndpoint<V extends VendorName> = VendorConnectionOptions & { credentials: VendorCredentials[V] };

export type VendorEndpoints = { [V in VendorName]: VendorEndpoint<V> };

/** What every vendor client offers beside its own calls. */
interface VendorClient {
  readonly breaker: CircuitBreaker;
  close(): Promise<void>;
}

/** Each vendor's client, one entry a vendor: its name in `VendorClients`, and how to build it. */
const CLIENTS = {
  APPLIVERY: { name: 'applivery', create: (endpoint) => new AppliveryClient(endpoint) },
  CISCO_CONTROL_CENTER: { name: 'controlCenter', create: (endpoint) => new ControlCenterClient(endpoint) },
  KOBIL: { name: 'kobil', create: (endpoint) => new KobilClient(endpoint) },
  AUTOMOX: { name: 'automox', create: (endpoint) => new AutomoxClient(endpoint) },
  NAVER_CLOUD: { name: 'naverCloud', create: (endpoint) => new NaverCloudClient(endpoint) },
} as const satisfies { [V in VendorName]: { name: string; create: (endpoint: VendorEndpoint<V>) => VendorClient } };

/** One client per vendor, each with its own keep-alive pool; shared by every request. */
export type VendorClients = { [V in VendorName as (typeof CLIENTS)[V]['name']]: ReturnType<(typeof CLIENTS)[V]['create']> } & {
  /** Each vendor's circuit breaker. */
  breakers(): Record<VendorName, CircuitBreaker>;
  close(): Promise<void>;
};

/** Options every vendor's connection takes alike (timeouts, call policy, observer), beside its own endpoint. */
export type SharedConnectionOptions = Omit<VendorConnectionOptions, 'baseUrl'>;

/** One vendor's scale-out settings: cache lifetime and rate budget, and calls in flight per replica. */
export type VendorLimits = VendorScaleSettings & { maxConcurrent?: number | undefined };

/** The endpoints with each vendor's share of `scale` (cache, coalescing, budget) and its concurrency. */
export function withScale(endpoints: VendorEndpoints, scale: Scale, limits: Partial<Record<VendorName, VendorLimits>>): VendorEndpoints {
  const scaled = <V extends VendorName>(vendor: V): VendorEndpoint<V> => {
    const { maxConcurrent, ...settings } = limits[vendor] ?? { listTtlSeconds: 0 };
    const endpoint = endpoints[vendor];
    return {
      ...endpoint,
      ...(maxConcurrent === undefined ? {} : { policy: { ...endpoint.policy, maxConcurrent } }),
      scale: { shared: scale, settings },
    };
  };
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, scaled(vendor)])) as VendorEndpoints;
}

export function createVendorClients(endpoints: VendorEndpoints, shared: SharedConnectionOptions = {}): VendorClients {
  const built = VENDORS.map((vendor) => {
    const { name, create } = CLIENTS[vendor] as { name: string; create: (endpoint: VendorEndpoint<VendorName>) => VendorClient };
    // Shared options first, the vendor's own over them; call policies merge field by field.
    const endpoint = endpoints[vendor];
    return { vendor, name, client: create({ ...shared, ...endpoint, policy: { ...shared.policy, ...endpoint.policy } }) };
  });
  return {
    ...(Object.fromEntries(built.map(({ name, client }) => [name, client])) as Omit<VendorClients, 'breakers' | 'close'>),
    breakers: () => Object.fromEntries(built.map(({ vendor, client }) => [vendor, client.breaker])) as Record<VendorName, CircuitBreaker>,
    async close() {
      await Promise.all(built.map(({ client }) => client.close()));
    },
  };
}
