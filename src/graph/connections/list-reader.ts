import type { CursorPosition } from './cursor.js';
import type { AnswerSlots } from '../../memoize.js';
import { holdsPosition, MAX_REACH, maxRecordsOf, planCalls, type PlannedCall } from './page-plan.js';
import { answerShift, locateStep, type CursorSearch, type ReadSoFar } from './realign.js';
import type { PagingStyle } from '../../vendors/paging.js';

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
  /** Identity of the list including its filters; cursors are bound to it, and nodes kept by it (see `derived`). */
  readonly id: string;
  readonly paging: PagingStyle;
  /** Whether answers carry the list's total length. */
  readonly reportsTotal: boolean;
  /** Fetches one planned call; calls go through the request's DataLoader, so repeats are free. */
  fetch(offset: number, limit: number, pageNumber: number | null): Promise<ListPage<T>>;
  /** The record's stable identity. */
  key(item: T): string;
}

/** One vendor answer as a reader placed it: its records, the first at `offset` in the reader's positions. */
interface PlacedAnswer<T> {
  readonly items: readonly T[];
  readonly offset: number;
  /** The slots `derived` last used for it, and what they were looked up for: a page looks them up once per answer, not per record. */
  derived?: { memo: AnswerSlots<unknown>; kind: unknown; shift: number; total: number | null; slots: unknown[] };
}

/** How many extra calls `ensure` may spend re-reading records that moved while it read them. */
const MAX_REALIGN_CALLS = 4;

/**
 * Reads positions of one vendor list on demand, remembering what it fetched, where the list
 * ends and its total, for the duration of one connection resolution.
 *
 * Positions are those of the list as the reader's first call saw it. The vendor may insert
 * records at the head between two calls of one resolution; each later answer is moved back into
 * that first view (`realign.ts` says by how much), so records read in different calls never
 * overlap or leave a gap unseen.
 *
 * Nothing at or past the source's `maxRecords` is read or kept: the list, as read, ends there.
 * Scans walk fetched records or compute ranges, never positions one by one, so their cost
 * follows what was fetched whatever positions a cursor names.
 */
export class ListReader<T> {
  readonly source: ListSource<T>;
  /** Positions at or past this are not read: `maxRecords` of the source's paging. */
  readonly #bound: number;
  readonly #items = new Map<number, T>();
  /** The answers read, in the order read: a record is the latest answer's that holds its position. */
  readonly #answers: Array<PlacedAnswer<T>> = [];
  /** Where each fetched record is, by key. */
  readonly #positions = new Map<string, number>();
  /** Whether a call has answered yet: the first answer fixes the positions. */
  #framed = false;
  /** How many records the vendor has inserted at the head since the first answer, as last seen. */
  #shift = 0;
  /** The list has at least this many records. */
  #minLength = 0;
  /** The list's exact length, once known. */
  #length: number | null = null;
  #total: number | null = null;

  constructor(source: ListSource<T>) {
    this.source = source;
    this.#bound = maxRecordsOf(source.paging);
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
    if (position >= this.#bound) return false;
    if (this.#items.has(position) || position < this.#minLength) return true;
    if (this.#length !== null) return position < this.#length;
    return undefined;
  }

  /**
   * Fetches whatever of `[start, end)` is not known yet, in the fewest calls: all at once where
   * the vendor reports a total (it says how far each answer moved); else one after the other, so
   * each answer is at least as new as the one before and repeats the records that moved into it.
   * When records moved while the window was read, what moved out of it is read again, in a few
   * more calls at most; what is still missing then is left unknown (pages stop short of it).
   *
   * The first call of a resolution moves the fewest records, unless `reach` (a cursor's record,
   * which inserts only push later); every later call reads as far past its window as the
   * vendor's page limits allow in the same number of calls, so records inserted meanwhile push
   * the window further into that answer instead of out of it.
   */
  async ensure(start: number, end: number, reach = false): Promise<void> {
    let allowed: number | null = null;
    let made = 0;
    for (;;) {
      const missing = this.#missing(start, end);
      if (!missing) return;
      // In the vendor's positions now: records it inserted since may push the window past the bound.
      const vendorEnd = Math.min(missing.last + 1 + this.#shift, this.#bound);
      if (missing.first + this.#shift >= vendorEnd) return;
      // Reach past the window up to the bound, past the list's known end too: records inserted
      // since the last answer push the end (and a window at it) further than the vendor said.
      const slack = reach || this.#framed ? Math.max(0, Math.min(MAX_REACH, this.#bound - vendorEnd)) : 0;
      const calls = planCalls(this.source.paging, missing.first + this.#shift, vendorEnd, slack);
      allowed ??= calls.length + MAX_REALIGN_CALLS;
      if (made >= allowed) return;
      const batch = calls.slice(0, allowed - made);
      made += batch.length;
      const fetch = (call: PlannedCall) => this.source.fetch(call.offset, call.limit, call.pageNumber);
      if (this.source.reportsTotal) {
        const pages = await Promise.all(batch.map(fetch));
        pages.forEach((page, index) => this.#record(batch[index]!.offset, page));
        continue;
      }
      for (const [index, call] of batch.entries()) {
        const shift = this.#shift;
        this.#record(call.offset, await fetch(call));
        // Records moved: plan the rest of the window again from where they are now.
        if (this.#shift !== shift) {
          made -= batch.length - index - 1;
          break;
        }
      }
    }
  }

  /**
   * The first and last positions of `[start, end)` not fetched yet (within the list), or `null`.
   * Each end is found by stepping over fetched records only, so at most `#items.size` steps.
   */
  #missing(start: number, end: number): { first: number; last: number } | null {
    const limit = Math.min(end, this.#length ?? end, this.#bound);
    let first = Math.max(0, start);
    while (first < limit && this.#items.has(first)) first++;
    if (first >= limit) return null;
    let last = limit - 1;
    while (this.#items.has(last)) last--;
    return { first, last };
  }

  /** Learns the list's length: from the total where the vendor reports one, else by reading to the end. */
  async ensureLength(): Promise<number> {
    const paging = this.source.paging;
    const step = paging.kind === 'page' ? paging.maxPageSize : paging.kind === 'offset' ? paging.maxLimit : 1;
    // Each round reads on past what is fetched or throws, and the list as read ends at the bound.
    while (this.#length === null) {
      // Read on from the first position not fetched yet (not from `#minLength`, which counts one
      // record past a page that says more follow): vendor pages stay aligned, no record is skipped.
      const from = this.#fetchedPrefix();
      await this.ensure(from, from + step);
      if (this.#length === null && this.#fetchedPrefix() <= from) throw new Error(`list ${this.source.id} did not advance`);
    }
    return this.#length;
  }

  /** How many positions from the head are fetched without a gap (at most `#items.size` steps). */
  #fetchedPrefix(): number {
    let position = 0;
    while (this.#items.has(position)) position++;
    return position;
  }

  /**
   * Finds the record a cursor points at, now. Records the vendor inserted at the head since the
   * cursor was issued move it to a later position: the total (where reported) says by how much,
   * else the reader searches forward. `window` is how many records around it the caller will
   * need, fetched in the same calls. `null` when the record is no longer in the list.
   */
  async locate(position: CursorPosition, window: { before: number; after: number }): Promise<number | null> {
    // Cursors and IDs are checked against the bound before any call; this keeps the reader safe on its own.
    if (!holdsPosition(this.source.paging, position.offset)) return null;
    for (let search: CursorSearch | null = null; ; ) {
      const step = locateStep(position, window, this.#readSoFar(), search);
      if (step.kind !== 'read') return step.kind === 'found' ? step.position : null;
      await this.ensure(step.start, step.end, step.reach);
      search = step.then;
    }
  }

  /** What the reader has read, as the realignment steps see it. */
  #readSoFar(): ReadSoFar {
    return {
      total: this.#total,
      shift: this.#shift,
      positionOf: (key) => this.#positions.get(key),
      keyAt: (position) => this.#keyAt(position),
      furthest: () => Math.max(-1, ...this.#items.keys()),
      exists: (position) => this.exists(position),
      bound: this.#bound,
    };
  }

  /**
   * A cursor's place at a fetched record: where the vendor's latest answer had it (and the total
   * then), not where the first did, so the next page looks for it past the inserts this one saw.
   * A record those inserts pushed past the bound keeps its first position (it is no longer read).
   */
  cursorAt(position: number): CursorPosition {
    const offset = position + this.#shift < this.#bound ? position + this.#shift : position;
    const total = this.#total === null ? null : this.#total + offset - position;
    return { offset, key: this.#keyAt(position) as string, total };
  }

  /**
   * What `derive` makes of the fetched record at `position`, kept in `memo` with the vendor answer
   * the record was read from: the vendor cache hands every hit the same frozen answer, so a
   * cached answer's records are derived once, not on every request. It is kept per `kind` (what
   * `derive` makes, compared with `===`: a module's function names one kind for every request, a
   * closure only its own) and per where the record stands: the source's `id`, the answer's place
   * here, and the shift and total its cursor is read with. So `derive` may depend on nothing else
   * (of the source, only on what its `id` names). What it makes is frozen: requests share it.
   */
  derived<V>(position: number, memo: AnswerSlots<V>, kind: unknown, derive: (item: T, position: number) => V): V {
    const answer = this.#answerAt(position);
    let found = answer.derived;
    if (!found || found.memo !== memo || found.kind !== kind || found.shift !== this.#shift || found.total !== this.#total) {
      const slots = memo(answer.items, [this.source.id, answer.offset, this.#shift, this.#total, kind]);
      found = answer.derived = { memo, kind, shift: this.#shift, total: this.#total, slots };
    }
    const index = position - answer.offset;
    return (found.slots[index] ??= Object.freeze(derive(answer.items[index]!, position))) as V;
  }

  /** The latest answer holding a fetched position (few per reader: a page's calls and realignments). */
  #answerAt(position: number): PlacedAnswer<T> {
    for (let index = this.#answers.length - 1; index >= 0; index--) {
      const answer = this.#answers[index]!;
      if (position >= answer.offset && position < answer.offset + answer.items.length) return answer;
    }
    throw new Error(`position ${position} of list ${this.source.id} was not read`);
  }

  #keyAt(position: number): string | undefined {
    const item = this.#items.get(position);
    return item === undefined ? undefined : this.source.key(item);
  }

  #record(vendorOffset: number, answer: ListPage<T>): void {
    // A longer list than the bound is read as its first `#bound` records.
    const page = answer.total === null ? answer : { ...answer, total: Math.min(answer.total, this.#bound) };
    const keys = page.items.map((item) => this.source.key(item));
    const shift = this.#framed ? answerShift(this.#readSoFar(), vendorOffset, { total: page.total, keys }) : 0;
    this.#framed = true;
    this.#shift = Math.max(this.#shift, shift);
    // From here on, positions are the first answer's; records inserted since (before 0) are left out.
    const offset = vendorOffset - shift;
    this.#answers.push({ items: page.items, offset });
    page.items.forEach((item, index) => {
      if (offset + index < 0 || offset + index >= this.#bound) return;
      this.#items.set(offset + index, item);
      this.#positions.set(keys[index]!, offset + index);
    });
    const reached = Math.min(offset + page.items.length, this.#bound);
    if (page.total !== null) {
      this.#total ??= page.total;
      this.#length = page.total - shift;
    } else if (!page.hasMore && (page.items.length > 0 || offset <= this.#minLength)) {
      // An empty last page past records not known yet (one of several planned pages that overshot
      // the end) says only that the list is shorter than its offset: it must not set the length.
      this.#length = this.#length === null ? reached : Math.min(this.#length, reached);
    } else if (reached === this.#bound) {
      this.#length = this.#bound;
    }
    if (page.items.length > 0) this.#minLength = Math.min(this.#bound, Math.max(this.#minLength, reached + (page.hasMore ? 1 : 0)));
  }
}
