import type { ListPage, ListSource } from '../../src/graph/connections/list-reader.js';
import { largestCall } from '../../src/graph/connections/page-plan.js';
import type { PagingStyle } from '../../src/vendors/paging.js';

/** The four ways our vendors page: page numbers or offsets, with or without a total. */
export const PAGING_STYLES: ReadonlyArray<{ name: string; paging: PagingStyle; reportsTotal: boolean }> = [
  { name: 'page numbers, no total (Control Center)', paging: { kind: 'page', firstPage: 1, maxPageSize: 50 }, reportsTotal: false },
  { name: 'page numbers with a total (NAVER Cloud)', paging: { kind: 'page', firstPage: 0, maxPageSize: 100 }, reportsTotal: true },
  { name: 'offset and limit, no total (KOBIL)', paging: { kind: 'offset', maxLimit: 100 }, reportsTotal: false },
  { name: 'offset and limit with a total', paging: { kind: 'offset', maxLimit: 100 }, reportsTotal: true },
];

/**
 * The fewest calls that read a list of `length` records to its end in its largest pages while
 * `inserts` records arrive at its head before every call but the first (each call reaches that
 * much less far): what `last` without a cursor costs where the vendor reports no total.
 */
export function callsToTheEnd(paging: PagingStyle, length: number, inserts: number): number {
  return Math.max(1, Math.ceil((length - inserts) / (largestCall(paging) - inserts)));
}

/**
 * An in-memory vendor list, newest first, that gains `insertsPerCall` records at its head before
 * every call but the first: what a busy vendor does between two calls. Records are their keys.
 */
export class FakeList implements ListSource<string> {
  readonly id: string;
  readonly paging: PagingStyle;
  readonly reportsTotal: boolean;
  /** Every call made, as `[offset, limit]` in list positions. */
  readonly calls: Array<[number, number]> = [];
  readonly records: string[];
  insertsPerCall: number;
  #inserted = 0;

  constructor(options: { paging: PagingStyle; reportsTotal: boolean; length: number; insertsPerCall?: number; id?: string }) {
    this.id = options.id ?? 'fake-list';
    this.paging = options.paging;
    this.reportsTotal = options.reportsTotal;
    this.insertsPerCall = options.insertsPerCall ?? 0;
    this.records = Array.from({ length: options.length }, (_, index) => `r${options.length - index}`);
  }

  async fetch(offset: number, limit: number): Promise<ListPage<string>> {
    if (this.calls.length > 0) {
      for (let n = 0; n < this.insertsPerCall; n++) this.records.unshift(`new${++this.#inserted}`);
    }
    this.calls.push([offset, limit]);
    const items = this.records.slice(offset, offset + limit);
    return {
      items,
      hasMore: offset + items.length < this.records.length,
      total: this.reportsTotal ? this.records.length : null,
    };
  }

  key(item: string): string {
    return item;
  }
}
