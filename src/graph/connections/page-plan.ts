/**
 * Page planning: which vendor calls cover a window of list positions with the fewest calls
 * (then the fewest records transferred), given how the vendor pages. Pure, no I/O.
 */

/** How a vendor addresses a slice of a list. */
export type PagingStyle =
  /** Page number and page size; `firstPage` is what the vendor calls the first page (0 or 1). */
  | { kind: 'page'; firstPage: 0 | 1; maxPageSize: number }
  /** Arbitrary offset and limit. */
  | { kind: 'offset'; maxLimit: number }
  /** The whole list arrives in one answer (an immutable snapshot). */
  | { kind: 'whole' };

/** One vendor call: the list positions `[offset, offset + limit)` it returns. */
export interface PlannedCall {
  offset: number;
  limit: number;
  /** The vendor's page number, for `page` paging; `null` otherwise. */
  pageNumber: number | null;
}

/** Plans the calls that cover positions `[start, end)` (end exclusive, `end > start >= 0`). */
export function planCalls(style: PagingStyle, start: number, end: number): PlannedCall[] {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    throw new RangeError(`planCalls: invalid window [${start}, ${end})`);
  }
  switch (style.kind) {
    case 'whole':
      return [{ offset: 0, limit: Number.MAX_SAFE_INTEGER, pageNumber: null }];
    case 'offset': {
      const calls: PlannedCall[] = [];
      for (let offset = start; offset < end; offset += style.maxLimit) {
        calls.push({ offset, limit: Math.min(style.maxLimit, end - offset), pageNumber: null });
      }
      return calls;
    }
    case 'page': {
      const size = bestPageSize(style.maxPageSize, start, end);
      const calls: PlannedCall[] = [];
      for (let index = Math.floor(start / size); index <= Math.floor((end - 1) / size); index++) {
        calls.push({ offset: index * size, limit: size, pageNumber: index + style.firstPage });
      }
      return calls;
    }
  }
}

/**
 * The page size that covers `[start, end)` in the fewest pages, then with the fewest records.
 * Pages of size `s` are aligned at multiples of `s`, so a window of `n` records can need
 * `ceil(n / s) + 1` pages; trying every size finds the alignment that avoids it. (One size for
 * every call is enough: the tests check it against an exhaustive search that mixes sizes.)
 */
function bestPageSize(maxPageSize: number, start: number, end: number): number {
  let best = { size: maxPageSize, pages: Infinity, records: Infinity };
  for (let size = 1; size <= maxPageSize; size++) {
    const pages = Math.floor((end - 1) / size) - Math.floor(start / size) + 1;
    const records = pages * size;
    if (pages < best.pages || (pages === best.pages && records < best.records)) best = { size, pages, records };
  }
  return best.size;
}
