import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUDGET_JITTER_MS, RateBudget, slotPlan } from '../../src/vendors/http/rate-budget.js';
import { VendorRateLimitedError } from '../../src/vendors/http/errors.js';
import { accountHash } from '../../src/vendors/http/scale.js';
import { SharedStore } from '../../src/vendors/http/shared-store.js';
import { busiestWindow } from '../support/call-log.js';

describe('slotPlan', () => {
  it('keeps every window of a second and the jitter allowance within the budget, wherever it starts', () => {
    for (const budget of [2, 3, 5, 10, 17, 50, 100, 1000]) {
      const { slotMs, perSlot } = slotPlan(budget);
      // A window of 1000 + jitter ms overlaps at most ⌈(1000 + jitter) / slotMs⌉ + 1 slots.
      assert.ok((Math.ceil((1000 + BUDGET_JITTER_MS) / slotMs) + 1) * perSlot <= budget, `${budget}/s: ${perSlot} per ${slotMs} ms`);
      // And lets through a fair part of the budget.
      assert.ok((perSlot * 1000) / slotMs >= budget * 0.4, `${budget}/s: ${perSlot} per ${slotMs} ms lets enough through`);
    }
    assert.deepEqual(slotPlan(10), { slotMs: 123, perSlot: 1 });
    assert.deepEqual(slotPlan(10, 0), { slotMs: 112, perSlot: 1 });
  });

  it('gives a budget under 2 one call per slot of 2 s ÷ budget', () => {
    assert.deepEqual(slotPlan(1), { slotMs: 2000, perSlot: 1 });
    assert.throws(() => slotPlan(0), RangeError);
  });
});

describe('RateBudget in-process (no Redis)', () => {
  const store = new SharedStore();

  it('lets calls through no faster than the budget ÷ replicas, in any window of a second', async () => {
    // 20 calls/s shared by 2 replicas: this replica keeps 10/s on its own.
    const budget = new RateBudget({ vendor: 'KOBIL', account: 'a', callsPerSecond: 20, replicas: 2, store });
    const granted: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => budget.take(undefined).then(() => granted.push(Date.now()))));
    assert.equal(granted.length, 12);
    assert.ok(busiestWindow(granted, 1000) <= 10, `busiest second: ${busiestWindow(granted, 1000)}`);
  });

  it('refuses with VENDOR_RATE_LIMITED at once when no room comes before the deadline', async () => {
    // One call per 2 s slot. The second call is granted as its slot begins, so the next room is a
    // whole slot away: not 50 ms, as after a first call late in its slot or on a lagging machine.
    const budget = new RateBudget({ vendor: 'KOBIL', account: 'b', callsPerSecond: 1, replicas: 1, store });
    await budget.take(undefined);
    await budget.take(undefined);
    const started = Date.now();
    await assert.rejects(budget.take(Date.now() + 50), (error: unknown) => error instanceof VendorRateLimitedError && error.status === undefined);
    assert.ok(Date.now() - started < 1000, 'it did not wait for a slot past the deadline');
  });

  it('holds every call for a cooldown, or refuses at once when the cooldown outlasts the deadline', async () => {
    const waits: number[] = [];
    const budget = new RateBudget({ vendor: 'AUTOMOX', account: 'c', callsPerSecond: undefined, replicas: 1, store, onWait: (ms) => waits.push(ms) });
    // Long enough that a loaded machine's lag neither outlasts it before the refusal nor eats the wait after it.
    await budget.coolDown(2_000);
    await assert.rejects(budget.take(Date.now() + 100), VendorRateLimitedError);
    const started = Date.now();
    await budget.take(Date.now() + 10_000);
    assert.ok(Date.now() - started >= 150, 'the call waited for the cooldown');
    assert.equal(waits.length, 1);
  });
});

describe('accountHash', () => {
  it('tells accounts apart without containing their secrets', () => {
    const a = accountHash('KOBIL', 'https://t1.kobil.example', ['token-one-secret']);
    assert.notEqual(a, accountHash('KOBIL', 'https://t1.kobil.example', ['token-two-secret']));
    assert.notEqual(a, accountHash('KOBIL', 'https://t2.kobil.example', ['token-one-secret']));
    assert.notEqual(a, accountHash('AUTOMOX', 'https://t1.kobil.example', ['token-one-secret']));
    assert.equal(a, accountHash('KOBIL', 'https://t1.kobil.example', ['token-one-secret']));
    assert.match(a, /^[A-Za-z0-9_-]{16}$/);
  });
});
