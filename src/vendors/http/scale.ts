import { hash } from 'node:crypto';
import type { VendorName } from '../vendor.js';
import { RateBudget } from './rate-budget.js';
import { MemoryStore, ResponseCache, type CacheLifetimes, type CacheObserver } from './response-cache.js';
import type { SharedStore } from './shared-store.js';

/** What the cache, the coalescing and the rate budgets tell metrics. */
export interface ScaleObserver extends CacheObserver {
  /** A call waited this long for its vendor's budget or cooldown. */
  budgetWait?(vendor: VendorName, ms: number): void;
  /** The vendor asked to slow down: every replica holds its calls for `ms`. */
  cooldown?(vendor: VendorName, ms: number): void;
}

/** How one vendor is shared among replicas: its cache lifetimes and rate budget. */
export interface VendorScaleSettings {
  /** Seconds a page of a list growing at its head is served from the cache; 0 = not cached. */
  listTtlSeconds: number;
  /** Calls per second all replicas together may make; none = no budget (429 cooldowns still hold). */
  callsPerSecond?: number | undefined;
}

/** What every vendor's HTTP of one replica shares: the store, the memory, the replica count. */
export interface Scale {
  store: SharedStore;
  memory: MemoryStore;
  /** How many replicas share the rate budgets (each keeps budget ÷ replicas while Redis is away). */
  replicas: number;
  /** Seconds an answer may stand in for a failing vendor past its freshness. */
  graceSeconds: number;
  /** Seconds an immutable answer is kept. */
  immutableTtlSeconds: number;
  observer?: ScaleObserver | undefined;
}

/** Seconds an immutable answer (an Applivery history item, a finished Automox execution) is kept by default. */
export const IMMUTABLE_TTL_SECONDS = 86_400;

/** Builds what one replica's vendors share, in-process unless the store is backed by Redis. */
export function createScale(store: SharedStore, options: Partial<Omit<Scale, 'store' | 'memory'>> = {}): Scale {
  return {
    store,
    memory: new MemoryStore(),
    replicas: options.replicas ?? 1,
    graceSeconds: options.graceSeconds ?? 300,
    immutableTtlSeconds: options.immutableTtlSeconds ?? IMMUTABLE_TTL_SECONDS,
    observer: options.observer,
  };
}

/** A vendor account's cache and budget. */
export interface VendorScale {
  cache: ResponseCache;
  budget: RateBudget;
}

/**
 * A short hash naming one vendor account (where it is reached and who it is), so that entries,
 * budgets and cooldowns of two accounts never mix. `identity` is what tells accounts apart: a user
 * name or access key where the vendor has one, else the token itself, which only its hash leaves.
 */
export function accountHash(vendor: VendorName, baseUrl: string, identity: readonly string[]): string {
  return hash('sha256', ['devicegraph account', vendor, baseUrl, ...identity].join('\0'), 'base64url').slice(0, 16);
}

export function vendorScale(scale: Scale, vendor: VendorName, account: string, settings: VendorScaleSettings): VendorScale {
  const lifetimes: CacheLifetimes = {
    listTtlMs: settings.listTtlSeconds * 1000,
    immutableTtlMs: scale.immutableTtlSeconds * 1000,
    graceMs: scale.graceSeconds * 1000,
  };
  return {
    cache: new ResponseCache({ vendor, account, store: scale.store, memory: scale.memory, lifetimes, observer: scale.observer }),
    budget: new RateBudget({
      vendor,
      account,
      callsPerSecond: settings.callsPerSecond,
      replicas: scale.replicas,
      store: scale.store,
      onWait: (ms) => scale.observer?.budgetWait?.(vendor, ms),
    }),
  };
}
