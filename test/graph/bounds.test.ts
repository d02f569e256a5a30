/**
 * The engine's bounds, without HTTP: page plans refuse windows past a list's `maxRecords` or
 * needing too many calls, cursors beyond a list's bound are refused, and the list reader stays
 * within the bound and ends at once whatever positions it is given.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { readSlice } from '../../src/graph/connections/arguments.js';
import { resolveListConnection } from '../../src/graph/connections/connection.js';
import { encodeCursor } from '../../src/graph/connections/cursor.js';
import { ListReader, type ListSource } from '../../src/graph/connections/list-reader.js';
import { holdsPosition, MAX_LIST_RECORDS, MAX_PLANNED_CALLS, MAX_REACH, planCalls, type PlannedCall } from '../../src/graph/connections/page-plan.js';
import type { PagingStyle } from '../../src/vendors/paging.js';

const pages: PagingStyle = { kind: 'page', firstPage: 1, maxPageSize: 50, maxRecords: 1_000 };
const offsets: PagingStyle = { kind: 'offset', maxLimit: 100, maxRecords: 250 };

/** An in-memory newest-first list that logs every call; `claimedTotal`/`endless` make it lie as a broken vendor would. */
function memoryList(length: number, paging: PagingStyle, options: { reportsTotal?: boolean; claimedTotal?: number; endless?: boolean } = {}) {
  const calls: PlannedCall[] = [];
  const source: ListSource<string> = {
    id: 'test:list',
    paging,
    reportsTotal: options.reportsTotal ?? false,
    async fetch(offset, limit, pageNumber) {
      calls.push({ offset, limit, pageNumber });
      const end = options.endless ? offset + limit : Math.min(length, offset + limit);
      const items = Array.from({ length: Math.max(0, end - offset) }, (_, index) => `r${offset + index}`);
      const total = options.reportsTotal ? (options.claimedTotal ?? length) : null;
      return { items, hasMore: options.endless === true || end < length, total };
    },
    key: (item) => item,
  };
  return { source, calls };
}

function isBadUserInput(error: unknown): boolean {
  return error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT';
}

describe('planCalls bounds', () => {
  it('plans up to the list’s maxRecords and refuses a window past it', () => {
    assert.deepEqual(planCalls(pages, 990, 1_000), [{ offset: 990, limit: 10, pageNumber: 100 }]);
    assert.throws(() => planCalls(pages, 995, 1_001), RangeError);
    assert.throws(() => planCalls(offsets, 250, 251), RangeError);
  });

  it('refuses windows near 2^53 at once, with or without a declared bound', () => {
    const started = performance.now();
    for (const style of [pages, offsets, { kind: 'offset', maxLimit: 100 } as PagingStyle, { kind: 'whole' } as PagingStyle]) {
      assert.throws(() => planCalls(style, Number.MAX_SAFE_INTEGER - 5, Number.MAX_SAFE_INTEGER), RangeError);
      assert.throws(() => planCalls(style, MAX_LIST_RECORDS, MAX_LIST_RECORDS + 1), RangeError);
    }
    assert.ok(performance.now() - started < 1_000);
  });

  it(`refuses a window that needs more than ${MAX_PLANNED_CALLS} calls`, () => {
    const unbounded: PagingStyle = { kind: 'offset', maxLimit: 100 };
    assert.equal(planCalls(unbounded, 0, 100 * MAX_PLANNED_CALLS).length, MAX_PLANNED_CALLS);
    assert.throws(() => planCalls(unbounded, 0, 100 * MAX_PLANNED_CALLS + 1), RangeError);
    assert.throws(() => planCalls({ kind: 'page', firstPage: 0, maxPageSize: 50 }, 0, 1_000_000), RangeError);
  });

  it('holdsPosition accepts whole numbers in [0, maxRecords) only', () => {
    for (const position of [0, -0, 1, 999]) assert.equal(holdsPosition(pages, position), true, String(position));
    for (const position of [-1, 1_000, 1.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER, 1e308, '5', null]) {
      assert.equal(holdsPosition(pages, position), false, String(position));
    }
  });
});

describe('readSlice refuses cursors beyond their lists’ bounds', () => {
  const cursor = (offset: number, total: number | null = null) => encodeCursor('test:list', [{ offset, key: 'r0', total }]);

  it('a position or total past maxRecords is BAD_USER_INPUT; the last position and a full total are accepted', () => {
    assert.deepEqual(readSlice({ first: 5, after: cursor(999, 1_000) }, 'test:list', [pages]).direction, 'forward');
    for (const after of [cursor(1_000), cursor(Number.MAX_SAFE_INTEGER), cursor(3, 1_001), cursor(3, Number.MAX_SAFE_INTEGER)]) {
      assert.throws(() => readSlice({ first: 5, after }, 'test:list', [pages]), isBadUserInput);
      assert.throws(() => readSlice({ first: 5, after }, null, [pages]), isBadUserInput, 'before execution too');
    }
    assert.throws(() => readSlice({ last: 5, before: cursor(1_000) }, 'test:list', [pages]), isBadUserInput);
  });

  it('each position of a merged cursor is held to its own list’s bound', () => {
    const merged = (first: number, second: number) =>
      encodeCursor('test:merged', [
        { offset: first, key: 'a', total: null },
        { offset: second, key: 'b', total: null },
      ]);
    assert.doesNotThrow(() => readSlice({ first: 5, after: merged(999, 249) }, 'test:merged', [pages, offsets]));
    assert.throws(() => readSlice({ first: 5, after: merged(999, 250) }, 'test:merged', [pages, offsets]), isBadUserInput);
    assert.throws(() => readSlice({ first: 5, after: merged(1_000, 0) }, 'test:merged', [pages, offsets]), isBadUserInput);
  });
});

describe('ListReader within its bound', () => {
  it('locating a position past the bound (or at 2^53) answers null at once, with no call', async () => {
    const { source, calls } = memoryList(137, pages);
    const reader = new ListReader(source);
    const started = performance.now();
    for (const offset of [1_000, Number.MAX_SAFE_INTEGER, -1, 0.5]) {
      assert.equal(await reader.locate({ offset, key: 'r3', total: null }, { before: 0, after: 5 }), null);
    }
    assert.ok(performance.now() - started < 1_000);
    assert.equal(calls.length, 0);
  });

  it('a forged total cannot move the search past the bound', async () => {
    const { source, calls } = memoryList(137, pages, { reportsTotal: true });
    const reader = new ListReader(source);
    assert.equal(await reader.locate({ offset: 3, key: 'missing', total: 0 }, { before: 0, after: 5 }), null);
    for (const call of calls) assert.ok(call.offset < 1_000, `no call past the bound: ${JSON.stringify(call)}`);
  });

  it('searching for a record near the end of the bound makes a few calls and stops', async () => {
    const { source, calls } = memoryList(137, offsets);
    const reader = new ListReader(source);
    assert.equal(await reader.locate({ offset: 249, key: 'r3', total: null }, { before: 0, after: 100 }), null);
    assert.ok(calls.length <= 10, `${calls.length} calls`);
    for (const call of calls) assert.ok(call.offset + call.limit <= 250, `no call past the bound: ${JSON.stringify(call)}`);
  });

  it('a vendor claiming a total past the bound is read as the bound: the last page is the bound’s', async () => {
    const { source, calls } = memoryList(Number.MAX_SAFE_INTEGER, pages, { reportsTotal: true, claimedTotal: Number.MAX_SAFE_INTEGER });
    const page = await resolveListConnection(source, { direction: 'backward', count: 5, before: null }, (item) => item);
    assert.deepEqual(page.nodes, ['r995', 'r996', 'r997', 'r998', 'r999']);
    assert.equal(page.totalCount, 1_000);
    assert.ok(calls.length <= 3, `${calls.length} calls`);
  });

  it('a list that never ends (no total, always "more") is read up to the bound and no further', async () => {
    const { source, calls } = memoryList(0, offsets, { endless: true });
    const reader = new ListReader(source);
    assert.equal(await reader.ensureLength(), 250);
    assert.deepEqual(
      calls.map((call) => [call.offset, call.limit]),
      [
        [0, 100],
        [100, 100],
        [200, 50],
      ],
    );
    assert.equal(reader.exists(249), true);
    assert.equal(reader.exists(250), false);
  });

  it('fetches only what a window is missing, however far apart the fetched records are', async () => {
    const { source, calls } = memoryList(1_000, pages);
    const reader = new ListReader(source);
    await reader.ensure(0, 10);
    await reader.ensure(990, 1_000);
    calls.length = 0;
    await reader.ensure(5, 20);
    // Calls after the first read past their window (records inserted meanwhile land inside it).
    assert.deepEqual(calls, planCalls(pages, 10, 20, MAX_REACH));
    calls.length = 0;
    await reader.ensure(0, 10);
    await reader.ensure(995, 5_000);
    assert.equal(calls.length, 0, 'nothing missing: no call');
  });
});
