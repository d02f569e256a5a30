/**
 * Counting vendor calls without HTTP: what one connection page and one timeline page cost
 * (`pageCalls`, `mergedPageCalls`, which the cost model counts) checked against the engine reading
 * in-memory lists, the windows records named by
 * IDs are read in (`recordWindows`), and batched record lookups (`findListItems`) making the
 * calls the connection page the records came from made.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Slice } from '../../src/graph/connections/arguments.js';
import { findListItems, pageCalls, recordWindows, resolveListConnection } from '../../src/graph/connections/connection.js';
import type { ListSource } from '../../src/graph/connections/list-reader.js';
import { LIST_END, type MergedCursor } from '../../src/graph/connections/cursor.js';
import { mergedPageCalls, resolveMergedConnection, type MergeSource } from '../../src/graph/connections/merge.js';
import { fewestCalls, MAX_PLANNED_CALLS, planCalls } from '../../src/graph/connections/page-plan.js';
import type { PagingStyle } from '../../src/vendors/paging.js';

const STYLES: Record<string, PagingStyle> = {
  'Control Center (page ≤ 50, 1-based)': { kind: 'page', firstPage: 1, maxPageSize: 50 },
  'NAVER Cloud (page ≤ 100, 0-based)': { kind: 'page', firstPage: 0, maxPageSize: 100 },
  'KOBIL (offset/limit ≤ 100)': { kind: 'offset', maxLimit: 100 },
  'Applivery (whole)': { kind: 'whole' },
};

/** An in-memory newest-first list of `length` records that counts the calls made to it. */
function countingList(paging: PagingStyle, length: number, reportsTotal: boolean) {
  const items = Array.from({ length }, (_, index) => `r${index}`);
  const calls: Array<[offset: number, limit: number]> = [];
  const source: ListSource<string> = {
    id: 'test:list',
    paging,
    reportsTotal,
    async fetch(offset, limit, pageNumber) {
      calls.push([offset, limit]);
      const from = paging.kind === 'page' ? (pageNumber! - paging.firstPage) * limit : paging.kind === 'whole' ? 0 : offset;
      const to = paging.kind === 'whole' ? length : from + limit;
      return { items: items.slice(from, to), hasMore: to < length, total: reportsTotal ? length : null };
    },
    key: (item) => item,
  };
  return { source, calls };
}

const at = (offset: number) => [{ offset, key: `r${offset}`, total: null }];

const SLICES: Array<[string, Slice]> = [
  ['first: 0', { direction: 'forward', count: 0, after: null }],
  ['first: 7', { direction: 'forward', count: 7, after: null }],
  ['first: 100', { direction: 'forward', count: 100, after: null }],
  ['first: 30 after record 44', { direction: 'forward', count: 30, after: at(44) }],
  ['first: 100 after record 44', { direction: 'forward', count: 100, after: at(44) }],
  ['last: 20 before record 120', { direction: 'backward', count: 20, before: at(120) }],
  ['last: 100 before record 99', { direction: 'backward', count: 100, before: at(99) }],
];

describe('pageCalls: what the cost model counts for one connection page', () => {
  for (const [name, paging] of Object.entries(STYLES)) {
    it(`${name}: the calls the engine makes reading a long list, for every kind of page`, async () => {
      for (const [sliceName, slice] of SLICES) {
        for (const reportsTotal of [false, true]) {
          const { source, calls } = countingList(paging, 1_000, reportsTotal);
          await resolveListConnection(source, slice, (item) => item);
          assert.equal(pageCalls(paging, slice), calls.length, `${sliceName} (${reportsTotal ? 'with' : 'without'} totals): ${JSON.stringify(calls)}`);
        }
      }
    });
  }

  it('last: n without a cursor counts one call to learn the length, then the window: exact where the vendor reports totals', async () => {
    const paging = STYLES['NAVER Cloud (page ≤ 100, 0-based)']!;
    const slice: Slice = { direction: 'backward', count: 7, before: null };
    const { source, calls } = countingList(paging, 1_000, true);
    await resolveListConnection(source, slice, (item) => item);
    assert.equal(pageCalls(paging, slice), 2);
    assert.equal(calls.length, 2, 'page 0 of 100 for the total, then the last 7');
  });

  it('last: n on a long list without totals reads it to its end: more than counted, which the run-time cap holds', async () => {
    const paging = STYLES['Control Center (page ≤ 50, 1-based)']!;
    const slice: Slice = { direction: 'backward', count: 1, before: null };
    const { source, calls } = countingList(paging, 137, false);
    await resolveListConnection(source, slice, (item) => item);
    assert.equal(pageCalls(paging, slice), 2, 'counted as one page for the length and one for the window');
    assert.equal(calls.length, 3, 'read as three pages of 50');
  });
});

describe('mergedPageCalls: what the cost model counts for one timeline page', () => {
  const lists = [STYLES['Control Center (page ≤ 50, 1-based)']!, STYLES['KOBIL (offset/limit ≤ 100)']!, STYLES['NAVER Cloud (page ≤ 100, 0-based)']!];
  const place = (offset: number) => ({ offset, key: `r${offset}`, total: 1_000 });
  const slices: Array<[string, Slice<MergedCursor>]> = [
    ['first: 30', { direction: 'forward', count: 30, after: null }],
    ['first: 100 after places 44, 10 and none', { direction: 'forward', count: 100, after: { places: [place(44), place(10), null], edgeSource: 0 } }],
    ['first: 10 after one list ended', { direction: 'forward', count: 10, after: { places: [place(5), LIST_END, place(7)], edgeSource: 2 } }],
    ['last: 20 (from the ends)', { direction: 'backward', count: 20, before: null }],
    ['last: 20 before places 120, 300 and none', { direction: 'backward', count: 20, before: { places: [place(120), place(300), null], edgeSource: 1 } }],
  ];
  for (const [name, slice] of slices) {
    it(`${name}: the calls the merge makes over lists that report their totals`, async () => {
      const counted = lists.map((paging) => countingList(paging, 1_000, true));
      const sources: Array<MergeSource<string, string>> = counted.map(({ source }, index) => ({
        source: { ...source, id: `test:list:${index}` },
        occurredAt: (item) => new Date(Date.UTC(2026, 0, 1) - Number(item.slice(1)) * 60_000 - index),
        toNode: (item) => item,
      }));
      await resolveMergedConnection('test:timeline', sources, slice);
      const made = counted.reduce((sum, { calls }) => sum + calls.length, 0);
      assert.equal(mergedPageCalls(lists, slice), made, JSON.stringify(counted.map(({ calls }) => calls)));
    });
  }
});

describe('fewestCalls', () => {
  it('is the length of the plan, for every paging style and a table of windows', () => {
    for (const paging of [...Object.values(STYLES), { kind: 'page', firstPage: 0, maxPageSize: 5_000 } as const]) {
      for (let start = 0; start < 400; start += 3) {
        for (let end = start + 1; end < start + 260; end += 7) {
          assert.equal(fewestCalls(paging, start, end), planCalls(paging, start, end).length, `${JSON.stringify(paging)} [${start}, ${end})`);
        }
      }
    }
  });
});

describe('recordWindows', () => {
  const controlCenter = STYLES['Control Center (page ≤ 50, 1-based)']!;
  const kobil = STYLES['KOBIL (offset/limit ≤ 100)']!;

  it('100 records of one connection page: one window, the calls that page made', () => {
    const positions = Array.from({ length: 100 }, (_, index) => 99 - index);
    assert.deepEqual(recordWindows(controlCenter, positions), [{ start: 0, end: 100, calls: planCalls(controlCenter, 0, 100).length }]);
    assert.deepEqual(recordWindows(kobil, positions), [{ start: 0, end: 100, calls: 1 }]);
  });

  it('records far apart are read apart, one call each; repeats count once', () => {
    assert.deepEqual(recordWindows(controlCenter, [5_000, 3, 3, 900]), [
      { start: 3, end: 4, calls: 1 },
      { start: 900, end: 901, calls: 1 },
      { start: 5_000, end: 5_001, calls: 1 },
    ]);
  });

  it('a window never needs more calls than one plan may make', () => {
    const everyFifty = Array.from({ length: 100 }, (_, index) => index * 50);
    const windows = recordWindows(controlCenter, everyFifty);
    assert.ok(windows.every((window) => window.calls <= MAX_PLANNED_CALLS && planCalls(controlCenter, window.start, window.end).length === window.calls));
    assert.equal(windows.reduce((sum, window) => sum + window.calls, 0), 100, 'one call a record, as apart');
  });

  it('never costs more calls than reading every record alone, nor than a page over the same span', () => {
    for (const paging of Object.values(STYLES)) {
      for (const positions of [[0, 49, 50, 99], [10, 60, 110, 160], [0, 1, 2, 300, 301], [7, 44, 75, 130, 136]]) {
        const calls = recordWindows(paging, positions).reduce((sum, window) => sum + window.calls, 0);
        assert.ok(calls <= positions.length, `${JSON.stringify(paging)} ${positions}: ${calls} calls`);
        const span = planCalls(paging, Math.min(...positions), Math.max(...positions) + 1).length;
        assert.ok(calls <= span, `${JSON.stringify(paging)} ${positions}: ${calls} calls, the span needs ${span}`);
      }
    }
  });
});

describe('findListItems: records named by IDs, found in batched calls', () => {
  for (const [name, paging] of Object.entries(STYLES)) {
    it(`${name}: 100 records of the first page cost the calls of first: 100, and each is found`, async () => {
      const { source, calls } = countingList(paging, 300, false);
      const records = Array.from({ length: 100 }, (_, index) => ({ offset: index, key: `r${index}` }));
      const found = await findListItems(source, records);
      assert.deepEqual(
        found.map((record) => record?.item),
        records.map((record) => record.key),
      );
      assert.equal(calls.length, pageCalls(paging, { direction: 'forward', count: 100, after: null }), JSON.stringify(calls));
    });
  }

  it('a record no longer in the list is null; one the vendor moved is found where it is now', async () => {
    const { source } = countingList(STYLES['KOBIL (offset/limit ≤ 100)']!, 50, false);
    const found = await findListItems(source, [
      { offset: 3, key: 'r3' },
      { offset: 4, key: 'gone' },
      { offset: 10, key: 'r12' },
    ]);
    assert.deepEqual(found, [{ item: 'r3', position: 3 }, null, { item: 'r12', position: 12 }]);
  });
});
