import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCalls } from '../../src/graph/connections/page-plan.js';
import type { PagingStyle } from '../../src/vendors/paging.js';

const controlCenter: PagingStyle = { kind: 'page', firstPage: 1, maxPageSize: 50 };
const automox: PagingStyle = { kind: 'page', firstPage: 0, maxPageSize: 5000 };
const kobil: PagingStyle = { kind: 'offset', maxLimit: 100 };

/** The fewest calls by exhaustive search over every sequence of (page size, page) choices. */
function exhaustiveMinimumCalls(maxPageSize: number, start: number, end: number): number {
  let frontier = new Set([start]);
  for (let calls = 1; ; calls++) {
    const next = new Set<number>();
    for (const covered of frontier) {
      for (let size = 1; size <= maxPageSize; size++) {
        const reach = (Math.floor(covered / size) + 1) * size;
        if (reach >= end) return calls;
        next.add(reach);
      }
    }
    frontier = next;
  }
}

describe('planCalls', () => {
  it('covers records 45..74 on Control Center with one call of pageSize 38, pageNumber 2', () => {
    assert.deepEqual(planCalls(controlCenter, 45, 75), [{ offset: 38, limit: 38, pageNumber: 2 }]);
  });

  it('uses the first page exactly for a window at the head', () => {
    assert.deepEqual(planCalls(controlCenter, 0, 7), [{ offset: 0, limit: 7, pageNumber: 1 }]);
    assert.deepEqual(planCalls(automox, 0, 20), [{ offset: 0, limit: 20, pageNumber: 0 }]);
  });

  it('needs three calls for records 30..100: no two pages of at most 50 can cover them', () => {
    assert.equal(planCalls(controlCenter, 30, 101).length, 3);
  });

  it('makes the exhaustive-search minimum of calls for every window of a table, with no gaps', () => {
    for (const [start, end] of [
      [0, 1], [0, 50], [0, 51], [1, 51], [7, 14], [45, 75], [49, 51], [99, 200], [130, 137], [136, 137], [0, 101], [17, 117],
    ] as Array<[number, number]>) {
      const calls = planCalls(controlCenter, start, end);
      assert.equal(calls.length, exhaustiveMinimumCalls(50, start, end), `calls for [${start}, ${end})`);
      let covered = start;
      for (const call of calls) {
        assert.ok(call.limit <= 50 && call.offset === (call.pageNumber! - 1) * call.limit, 'a real Control Center page');
        assert.ok(call.offset <= covered, `no gap before ${covered} in [${start}, ${end})`);
        covered = Math.max(covered, call.offset + call.limit);
      }
      assert.ok(covered >= end, `covers [${start}, ${end})`);
    }
  });

  it('splits offset paging only at the vendor limit', () => {
    assert.deepEqual(planCalls(kobil, 12, 19), [{ offset: 12, limit: 7, pageNumber: null }]);
    assert.deepEqual(planCalls(kobil, 0, 150), [
      { offset: 0, limit: 100, pageNumber: null },
      { offset: 100, limit: 50, pageNumber: null },
    ]);
  });

  it('fetches a whole snapshot once', () => {
    assert.equal(planCalls({ kind: 'whole' }, 40, 60).length, 1);
  });

  it('refuses an empty or negative window', () => {
    assert.throws(() => planCalls(kobil, 5, 5), RangeError);
    assert.throws(() => planCalls(kobil, -1, 5), RangeError);
  });
});
