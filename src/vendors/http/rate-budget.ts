import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { VendorName } from '../vendor.js';
import { VendorRateLimitedError } from './errors.js';
import type { SharedStore } from './shared-store.js';

/** How a budget of calls per second is kept: at most `perSlot` calls in each fixed slot of `slotMs`. */
export interface SlotPlan {
  slotMs: number;
  perSlot: number;
}

/** The finest slots a budget is cut into, per window. */
const MAX_SLOTS = 100;
/** How far apart a call's grant and its arrival at the vendor may drift (event-loop lag, network) and the budget still hold. */
export const BUDGET_JITTER_MS = 100;

/**
 * Cuts a budget of `callsPerSecond` into fixed slots so that no second of the vendor's, wherever
 * it starts, receives more than the budget, even when calls arrive up to `jitterMs` after they
 * were let through: no window of 1 s + `jitterMs` may hold more grants than the budget. Such a
 * window overlaps at most k + 1 slots of (1000 + jitter)/k ms, so each slot may hold
 * ⌊budget ÷ (k + 1)⌋ calls, k chosen to let the most calls through (10/s → 1 call per 123 ms
 * slot, about 8 calls/s sustained). A budget under 2 cannot be kept that way in fixed slots; it
 * gets one call per slot of 2 s ÷ budget (at most 2 within a second at a slot's edge).
 */
export function slotPlan(callsPerSecond: number, jitterMs = BUDGET_JITTER_MS): SlotPlan {
  if (!(callsPerSecond > 0)) throw new RangeError('a rate budget must be positive');
  const windowMs = 1_000 + jitterMs;
  let best: SlotPlan | undefined;
  for (let slots = 1; slots <= Math.min(MAX_SLOTS, callsPerSecond - 1); slots++) {
    const plan = { slotMs: Math.ceil(windowMs / slots), perSlot: Math.floor(callsPerSecond / (slots + 1)) };
    if (!best || plan.perSlot / plan.slotMs > best.perSlot / best.slotMs) best = plan;
  }
  return best ?? { slotMs: Math.ceil(2_000 / callsPerSecond), perSlot: 1 };
}

export interface RateBudgetOptions {
  vendor: VendorName;
  /** The account the budget is kept for (a hash of its credential identity). */
  account: string;
  /** Calls per second for all replicas together; none = no budget, only cooldowns. */
  callsPerSecond: number | undefined;
  /** How many replicas share the budget: each keeps shared ÷ replicas while Redis is away. */
  replicas: number;
  store: SharedStore;
  /** Told how long a call waited for its budget (and cooldown). */
  onWait?: (ms: number) => void;
}

/** Checks a slot limiter once: 0 when a call may go now, else the wait until the next slot. */
interface Slots {
  plan: SlotPlan;
  limiter: RateLimiterAbstract;
}

/**
 * One vendor account's rate budget and cooldown, shared by every replica through Redis
 * (rate-limiter-flexible counters, one key per slot; the cooldown one key with a TTL), kept
 * in-process while Redis is away. A replica's callers queue for the budget one after the other,
 * so a full slot costs one Redis round trip per replica, not one per waiting call.
 */
export class RateBudget {
  readonly #options: RateBudgetOptions;
  readonly #shared: Slots | undefined;
  readonly #local: Slots | undefined;
  readonly #cooldownKey: string;
  #localCooldownUntil = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RateBudgetOptions) {
    this.#options = options;
    const prefix = `dg:budget:${options.vendor}:${options.account}`;
    this.#cooldownKey = `dg:cooldown:${options.vendor}:${options.account}`;
    const perSecond = options.callsPerSecond;
    if (perSecond === undefined) return;
    const slots = (plan: SlotPlan, limiter: (points: number, duration: number) => RateLimiterAbstract): Slots => ({
      plan,
      limiter: limiter(plan.perSlot, Math.ceil(plan.slotMs / 1000)),
    });
    this.#local = slots(slotPlan(perSecond / Math.max(1, options.replicas)), (points, duration) => new RateLimiterMemory({ points, duration, keyPrefix: prefix }));
    const redis = options.store.redis;
    if (redis) {
      this.#shared = slots(slotPlan(perSecond), (points, duration) => new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: prefix, rejectIfRedisNotReady: true }));
    }
  }

  /**
   * Waits until the vendor may be called: past any cooldown, and with a unit of budget taken.
   * Throws `VendorRateLimitedError` at once when that cannot happen before `deadline`.
   */
  async take(deadline: number | undefined): Promise<void> {
    const started = Date.now();
    if (this.#local) await this.#turn(deadline);
    else await this.#pastCooldown(deadline);
    const waited = Date.now() - started;
    if (waited > 0) this.#options.onWait?.(waited);
  }

  /** The vendor said to slow down (429, `Retry-After`, its own rate-limit code): no replica calls it for `ms`. */
  async coolDown(ms: number): Promise<void> {
    const until = Date.now() + ms;
    this.#localCooldownUntil = Math.max(this.#localCooldownUntil, until);
    await this.#options.store.run((redis) => redis.set(this.#cooldownKey, String(until), 'PX', Math.max(1, Math.ceil(ms))));
  }

  /** Waits out the vendor's cooldown, if any; refuses at once when it outlasts `deadline`. */
  async #pastCooldown(deadline: number | undefined): Promise<void> {
    for (;;) {
      const shared = await this.#options.store.run((redis) => redis.get(this.#cooldownKey));
      const until = Math.max(this.#localCooldownUntil, Number(shared ?? 0));
      const now = Date.now();
      if (until <= now) return;
      if (deadline !== undefined && until >= deadline) throw this.#limited('it asked devicegraph to slow down');
      await sleep(until - now);
    }
  }

  /** Queues behind this replica's earlier callers, then takes a unit of budget; gives up at `deadline`. */
  async #turn(deadline: number | undefined): Promise<void> {
    let abandoned = false;
    const granted = this.#queue.then(() => this.#acquire(deadline, () => abandoned));
    this.#queue = granted.then(
      () => undefined,
      () => undefined,
    );
    if (deadline === undefined) return granted;
    const timer = new AbortController();
    try {
      await Promise.race([granted, sleep(Math.max(0, deadline - Date.now()), undefined, { signal: timer.signal }).then(() => Promise.reject(this.#noBudget()))]);
    } catch (error) {
      abandoned = true;
      throw error;
    } finally {
      timer.abort();
    }
  }

  async #acquire(deadline: number | undefined, abandoned: () => boolean): Promise<void> {
    for (;;) {
      if (abandoned()) return;
      // Checked before every try: a cooldown may have begun while this call waited for a slot.
      await this.#pastCooldown(deadline);
      const wait = await this.#try();
      if (wait === 0) return;
      if (deadline !== undefined && Date.now() + wait >= deadline) throw this.#noBudget();
      await sleep(wait);
    }
  }

  /** One try at the current slot, shared where Redis is, else local: 0 when granted, else ms to the next slot. */
  async #try(): Promise<number> {
    const store = this.#options.store;
    const slots = store.state === 'shared' && this.#shared ? this.#shared : this.#local!;
    const now = Date.now();
    const slot = Math.floor(now / slots.plan.slotMs);
    try {
      await slots.limiter.consume(String(slot));
      // Granted for a slot that has passed (a slow answer): using it now could crowd the current one.
      const end = (slot + 1) * slots.plan.slotMs;
      return Date.now() < end ? 0 : this.#try();
    } catch (error) {
      if (error instanceof RateLimiterRes) return (slot + 1) * slots.plan.slotMs - now;
      // Redis failed under the limiter: degrade and try the local budget.
      store.failed();
      return this.#try();
    }
  }

  #noBudget(): VendorRateLimitedError {
    return this.#limited('its rate budget had no room before the operation’s deadline');
  }

  #limited(why: string): VendorRateLimitedError {
    return new VendorRateLimitedError(this.#options.vendor, `was not called: ${why}`);
  }
}
