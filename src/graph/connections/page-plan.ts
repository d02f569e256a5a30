/**
 * Page planning: which vendor calls cover a window of list positions with the fewest calls
 * (then the fewest records transferred), given how the vendor pages. Pure, no I/O.
 */
import type { PagingStyle } from '../../vendors/paging.js';

/**
 * The engine's ceiling on any list, above every source's own bound: positions stay exact
 * integers far below 2^53, where `position + 1 === position` and a scan would never end.
 */
export const MAX_LIST_RECORDS = 2 ** 31;

/** The most calls one plan makes: a connection page (at most 100 records and one more on each side) takes at most 4 of Control Center's 50-record pages. */
export const MAX_PLANNED_CALLS = 16;

/** One vendor call: the list positions `[offset, offset + limit)` it returns. */
export interface PlannedCall {
  offset: number;
  limit: number;
  /** The vendor's page number, for `page` paging; `null` otherwise. */
  pageNumber: number | null;
}

/** How many records a list paged this way can hold. */
export function maxRecordsOf(style: PagingStyle): number {
  return Math.min(style.maxRecords ?? MAX_LIST_RECORDS, MAX_LIST_RECORDS);
}

/** Whether a list paged this way can have a record at `position`. */
export function holdsPosition(style: PagingStyle, position: unknown): position is number {
  return Number.isSafeInteger(position) && (position as number) >= 0 && (position as number) < maxRecordsOf(style);
}

/**
 * How far past its window a plan may read to absorb records the vendor inserts at its head
 * meanwhile (they push a window later, further into the same answer instead of out of it): at
 * most this many records, so vendors allowing 5,000-record pages are not asked for them all.
 */
export const MAX_REACH = 50;

/**
 * Plans the calls that cover positions `[start, end)` (end exclusive, `end > start >= 0`) in the
 * fewest calls; among those, the plan reading furthest past `end`, up to `reach` more records
 * (calls are paid in latency, records barely), then the one moving the fewest records. A window
 * past the list's `maxRecords`, or one needing more than `MAX_PLANNED_CALLS` calls, is refused:
 * the engine never asks for one, and no input can make it loop over a huge range.
 */
export function planCalls(style: PagingStyle, start: number, end: number, reach = 0): PlannedCall[] {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > maxRecordsOf(style)) {
    throw new RangeError(`planCalls: invalid window [${start}, ${end})`);
  }
  switch (style.kind) {
    case 'whole':
      return [{ offset: 0, limit: Number.MAX_SAFE_INTEGER, pageNumber: null }];
    case 'offset': {
      const count = boundedCallCount(Math.ceil((end - start) / style.maxLimit), start, end);
      return Array.from({ length: count }, (_, index) => {
        const offset = start + index * style.maxLimit;
        const limit = Math.min(style.maxLimit, end + reach - offset);
        return { offset, limit, pageNumber: null };
      });
    }
    case 'page': {
      const size = bestPageSize(style.maxPageSize, start, end, reach);
      const first = Math.floor(start / size);
      const count = boundedCallCount(Math.floor((end - 1) / size) - first + 1, start, end);
      return Array.from({ length: count }, (_, index) => ({
        offset: (first + index) * size,
        limit: size,
        pageNumber: first + index + style.firstPage,
      }));
    }
  }
}

function boundedCallCount(count: number, start: number, end: number): number {
  if (count > MAX_PLANNED_CALLS) throw new RangeError(`planCalls: window [${start}, ${end}) needs ${count} calls, more than ${MAX_PLANNED_CALLS}`);
  return count;
}

/** The most records one call can return. */
export function largestCall(style: PagingStyle): number {
  return style.kind === 'page' ? style.maxPageSize : style.kind === 'offset' ? style.maxLimit : Infinity;
}

/**
 * How many calls `planCalls` makes for `[start, end)`, without building its plan, so counting stays
 * cheap however many windows an operation names. It is `ceil(n / largest)` calls or one more:
 * pages of the largest size settle most windows at once; otherwise smaller sizes are tried, from
 * the largest down, until one needs no more than that.
 */
export function fewestCalls(style: PagingStyle, start: number, end: number): number {
  if (style.kind === 'whole') return 1;
  const fewest = Math.ceil((end - start) / largestCall(style));
  if (style.kind === 'offset') return fewest;
  const pages = (size: number) => Math.floor((end - 1) / size) - Math.floor(start / size) + 1;
  for (let size = style.maxPageSize; size >= Math.ceil((end - start) / fewest); size--) {
    if (pages(size) === fewest) return fewest;
  }
  return fewest + 1;
}

/**
 * The page size that covers `[start, end)` in the fewest pages, then reaching furthest past `end`
 * (up to `reach` records), then with the fewest records. Pages of size `s` are aligned at multiples of `s`, so a window
 * of `n` records can need `ceil(n / s) + 1` pages; trying every size finds the alignment that
 * avoids it. (One size for every call is enough: the tests check it against an exhaustive search
 * that mixes sizes.)
 */
function bestPageSize(maxPageSize: number, start: number, end: number, reach: number): number {
  let best = { size: maxPageSize, pages: Infinity, records: Infinity, reaches: 0 };
  for (let size = 1; size <= maxPageSize; size++) {
    const first = Math.floor(start / size);
    const pages = Math.floor((end - 1) / size) - first + 1;
    const records = pages * size;
    const reaches = Math.min((first + pages) * size, end + reach);
    const better = reaches > best.reaches || (reaches === best.reaches && records < best.records);
    if (pages < best.pages || (pages === best.pages && better)) best = { size, pages, records, reaches };
  }
  return best.size;
}
