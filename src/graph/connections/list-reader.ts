import type { CursorPosition } from './cursor.js';
import { planCalls, type PagingStyle } from './page-plan.js';

/** What one vendor call returned for positions `[offset, offset + items.length)`. */
export interface ListPage<T> {
  items: T[];
  /** Whether the vendor says records exist after this page. */
  hasMore: boolean;
  /** The list's length, where the vendor reports it. */
  total: number | null;
}

/** One vendor list (newest first) as the connection engine sees it. */
export interface ListSource<T> {
  /** Identity of the list including its filters; cursors are bound to it. */
  readonly id: string;
  readonly paging: PagingStyle;
  /** Whether answers carry the list's total length. */
  readonly reportsTotal: boolean;
  /** Fetches one planned call; calls go through the request's DataLoader, so repeats are free. */
  fetch(offset: number, limit: number, pageNumber: number | null): Promise<ListPage<T>>;
  /** The record's stable identity. */
  key(item: T): string;
}

/** How many extra calls may be spent looking for a cursor's record that moved. */
const MAX_SEARCH_CALLS = 4;

/**
 * Reads positions of one vendor list on demand, remembering what it fetched, where the list
 * ends and its total, for the duration of one connection resolution.
 */
export class ListReader<T> {
  readonly source: ListSource<T>;
  readonly #items = new Map<number, T>();
  /** The list has at least this many records. */
  #minLength = 0;
  /** The list's exact length, once known. */
  #length: number | null = null;
  #total: number | null = null;

  constructor(source: ListSource<T>) {
    this.source = source;
  }

  /** The vendor-reported total, once a call has returned one. */
  get total(): number | null {
    return this.#total;
  }

  /** The record at a position, if fetched. */
  at(position: number): T | undefined {
    return this.#items.get(position);
  }

  /** Whether a record exists at a position: `true`, `false`, or `undefined` when not known yet. */
  exists(position: number): boolean | undefined {
    if (this.#items.has(position) || position < this.#minLength) return true;
    if (this.#length !== null) return position < this.#length;
    return undefined;
  }

  /** Fetches whatever of `[start, end)` is not known yet, in the fewest calls, all at once. */
  async ensure(start: number, end: number): Promise<void> {
    const limit = this.#length === null ? end : Math.min(end, this.#length);
    let first = -1;
    let last = -1;
    for (let position = start; position < limit; position++) {
      if (this.#items.has(position)) continue;
      if (first < 0) first = position;
      last = position;
    }
    if (first < 0) return;
    const pages = await Promise.all(
      planCalls(this.source.paging, first, last + 1).map(async (call) => ({
        offset: call.offset,
        page: await this.source.fetch(call.offset, call.limit, call.pageNumber),
      })),
    );
    for (const { offset, page } of pages) this.#record(offset, page);
  }

  /** Learns the list's length: from the total where the vendor reports one, else by reading to the end. */
  async ensureLength(): Promise<number> {
    const paging = this.source.paging;
    const step = paging.kind === 'page' ? paging.maxPageSize : paging.kind === 'offset' ? paging.maxLimit : 1;
    while (this.#length === null) {
      const from = this.#minLength;
      await this.ensure(from, from + step);
      if (this.#length === null && this.#minLength <= from) throw new Error(`list ${this.source.id} did not advance`);
    }
    return this.#length;
  }

  /**
   * Finds the record a cursor points at, now. Records the vendor inserted at the head since the
   * cursor was issued move it to a later position: the total (where reported) says by how much,
   * else the reader searches forward. `window` is how many records around it the caller will
   * need, fetched in the same calls. `null` when the record is no longer in the list.
   */
  async locate(position: CursorPosition, window: { before: number; after: number }): Promise<number | null> {
    const { key } = position;
    await this.ensure(Math.max(0, position.offset - window.before), position.offset + window.after + 1);
    if (this.#keyAt(position.offset) === key) return position.offset;
    if (position.total !== null && this.#total !== null && this.#total !== position.total) {
      const moved = position.offset + this.#total - position.total;
      if (moved >= 0) {
        await this.ensure(Math.max(0, moved - window.before), moved + window.after + 1);
        if (this.#keyAt(moved) === key) return moved;
      }
    }
    for (let call = 0; ; call++) {
      for (const [at, item] of this.#items) if (this.source.key(item) === key) return at;
      const from = Math.max(...this.#items.keys(), position.offset) + 1;
      if (call === MAX_SEARCH_CALLS || this.exists(from) === false) break;
      await this.ensure(from, from + window.after + 1);
    }
    return null;
  }

  #keyAt(position: number): string | undefined {
    const item = this.#items.get(position);
    return item === undefined ? undefined : this.source.key(item);
  }

  #record(offset: number, page: ListPage<T>): void {
    page.items.forEach((item, index) => this.#items.set(offset + index, item));
    const reached = offset + page.items.length;
    if (page.total !== null) {
      this.#total = page.total;
      this.#length = page.total;
    } else if (!page.hasMore) {
      this.#length = reached;
    }
    this.#minLength = Math.max(this.#minLength, reached + (page.hasMore && page.items.length > 0 ? 1 : 0));
  }
}
