import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoizeByObject } from '../src/memoize.js';
import { toDeviceFieldChange } from '../src/graph/sources/control-center.js';
import type { ControlCenterAuditRecord } from '../src/vendors/control-center/client.js';

/** A function that counts its calls and returns a fresh object each time. */
function counted() {
  const calls: unknown[][] = [];
  const fn = (record: { key: string }, label: string, position: number) => {
    calls.push([record, label, position]);
    return { text: `${record.key}:${label}:${position}` };
  };
  return { fn, calls };
}

describe('memoizeByObject', () => {
  it('computes once per object and argument list, and hands every caller the same frozen result', () => {
    const { fn, calls } = counted();
    const memoized = memoizeByObject(fn);
    const record = { key: 'a' };
    const first = memoized(record, 'x', 1);
    assert.equal(memoized(record, 'x', 1), first);
    assert.equal(calls.length, 1);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(first, { text: 'a:x:1' });
  });

  it('computes again for other arguments or another object, even an equal one', () => {
    const { fn, calls } = counted();
    const memoized = memoizeByObject(fn);
    const record = { key: 'a' };
    assert.deepEqual(memoized(record, 'x', 2), { text: 'a:x:2' });
    assert.deepEqual(memoized(record, 'y', 1), { text: 'a:y:1' });
    assert.deepEqual(memoized({ key: 'a' }, 'x', 2), { text: 'a:x:2' });
    assert.equal(calls.length, 3);
  });

  it('keeps at most `variants` argument lists per object, forgetting the oldest first', () => {
    const { fn, calls } = counted();
    const memoized = memoizeByObject(fn, 2);
    const record = { key: 'a' };
    const one = memoized(record, 'x', 1);
    memoized(record, 'x', 2);
    memoized(record, 'x', 3);
    assert.equal(calls.length, 3);
    const again = memoized(record, 'x', 1);
    assert.equal(calls.length, 4);
    assert.notEqual(again, one);
    memoized(record, 'x', 3);
    assert.equal(calls.length, 4);
  });

  it('remembers nothing for a value that is not an object', () => {
    let calls = 0;
    const memoized = memoizeByObject((value: string | null, suffix: string) => `${calls++}:${value}${suffix}`);
    assert.equal(memoized('a', '!'), '0:a!');
    assert.equal(memoized('a', '!'), '1:a!');
    assert.equal(memoized(null, '!'), '2:null!');
  });
});

describe('nodes of cached vendor records', () => {
  const record: ControlCenterAuditRecord = Object.freeze({
    key: '0123456789abcdef',
    field: 'status',
    priorValue: 'ACTIVATED',
    value: 'DEACTIVATED',
    effectiveDate: new Date('2026-01-02T03:04:05Z'),
    status: 'Executed',
    userName: 'ops',
    delegatedUser: null,
    ipAddress: null,
  });

  it('are the same object for the same record and place, and a new one where the place differs', () => {
    const node = toDeviceFieldChange('89011704278930000137', 30, record, 4);
    assert.equal(toDeviceFieldChange('89011704278930000137', 30, record, 4), node);
    assert.ok(Object.isFrozen(node));
    const elsewhere = toDeviceFieldChange('89011704278930000137', 30, record, 5);
    assert.notEqual(elsewhere, node);
    assert.notEqual(elsewhere.id, node.id);
    assert.notEqual(toDeviceFieldChange('89011704278930000137', 7, record, 4).id, node.id);
  });
});
