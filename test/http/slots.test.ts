/**
 * Vendor HTTP's admission control as pure units: the slots requests wait for (first come, first
 * served, each wait ending at its deadline), the per-operation count of vendor calls and the
 * operation's deadline signal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInOperationScope, takeVendorCall, currentOperationScope, deadlineSignal } from '../../src/vendors/http/operation-scope.js';
import { Slots, type ReleaseSlot } from '../../src/vendors/http/slots.js';

describe('Slots', () => {
  it('grants up to its size at once, then serves waiters first come, first served', async () => {
    const slots = new Slots(2);
    const first = await slots.take();
    const second = await slots.take();
    assert.ok(first && second, 'two slots at once');
    assert.equal(slots.taken, 2);
    const order: string[] = [];
    const third = slots.take().then((release) => (order.push('third'), release));
    const fourth = slots.take().then((release) => (order.push('fourth'), release));
    await Promise.resolve();
    assert.equal(slots.waiting, 2, 'two wait');
    second();
    const thirdRelease = await third;
    assert.deepEqual(order, ['third'], 'the first waiter got the freed slot');
    first();
    const fourthRelease = await fourth;
    assert.deepEqual(order, ['third', 'fourth']);
    assert.equal(slots.taken, 2, 'a freed slot passes straight to the next waiter');
    thirdRelease!();
    fourthRelease!();
    assert.equal(slots.taken, 0, 'all given back');
  });

  it('a release given twice frees one slot only', async () => {
    const slots = new Slots(1);
    const release = (await slots.take())!;
    const waiter = slots.take();
    release();
    release();
    const next = (await waiter)!;
    assert.equal(slots.taken, 1, 'the waiter holds the one slot');
    next();
    assert.equal(slots.taken, 0);
  });

  it('a wait ends with null at its deadline, leaves the queue, and later waiters still get slots', async () => {
    const slots = new Slots(1);
    const held = (await slots.take())!;
    const late = await slots.take(Date.now() + 20);
    assert.equal(late, null, 'no slot before the deadline');
    assert.equal(slots.waiting, 0, 'the timed-out waiter left the queue');
    assert.equal(await slots.take(Date.now() - 1), null, 'a deadline already past does not wait');
    const next = slots.take(Date.now() + 10_000);
    held();
    const release: ReleaseSlot | null = await next;
    assert.ok(release, 'the next waiter got the slot');
    release();
  });

  it('refuses a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) assert.throws(() => new Slots(size), RangeError, `size ${size}`);
  });
});

describe('takeVendorCall: the per-operation cap on vendor calls', () => {
  it('counts calls per operation and refuses the one past the cap', () => {
    const scope = { requestId: 'a', deadline: Date.now() + 1_000, maxVendorCalls: 3 };
    const other = { requestId: 'b', deadline: Date.now() + 1_000, maxVendorCalls: 3 };
    assert.deepEqual([1, 2, 3].map(() => takeVendorCall(scope)), [true, true, true], 'three allowed');
    assert.equal(takeVendorCall(scope), false, 'the fourth is refused');
    assert.equal(takeVendorCall(scope), false, 'and every later one');
    assert.equal(takeVendorCall(other), true, 'another operation counts on its own');
  });

  it('without a cap every call is allowed', () => {
    const scope = { requestId: 'c', deadline: Date.now() + 1_000 };
    for (let i = 0; i < 1_000; i++) assert.equal(takeVendorCall(scope), true);
  });

  it('the scope is the one the operation runs in', () => {
    const scope = { requestId: 'd', deadline: Date.now() + 1_000, maxVendorCalls: 1 };
    runInOperationScope(scope, () => assert.equal(currentOperationScope(), scope));
    assert.equal(currentOperationScope(), undefined, 'outside it, none');
  });
});

describe('deadlineSignal: one timer per operation', () => {
  it('is the same signal for every call of an operation, and aborts at its deadline', async () => {
    const scope = { requestId: 'e', deadline: Date.now() + 30 };
    const signal = deadlineSignal(scope);
    assert.equal(deadlineSignal(scope), signal, 'one per operation');
    assert.notEqual(deadlineSignal({ requestId: 'f', deadline: scope.deadline }), signal, 'another operation has its own');
    assert.equal(signal.aborted, false);
    // The signal's timer does not keep the process alive; this one does, until the signal aborts.
    const alive = setTimeout(() => assert.fail('the signal never aborted'), 5_000);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    clearTimeout(alive);
    assert.ok(Date.now() >= scope.deadline - 1, 'not before the deadline');
    assert.equal((signal.reason as Error).name, 'TimeoutError');
  });
});
