/**
 * Realignment as pure steps, over in-memory lists (no HTTP, no list reader): how far an answer
 * moved, and where a cursor's record went, while the list gains records at its head between
 * calls, in every paging style.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CursorPosition } from '../../src/graph/connections/cursor.js';
import { MAX_LIST_RECORDS, MAX_REACH, planCalls } from '../../src/graph/connections/page-plan.js';
import { answerShift, locateStep, MAX_SEARCH_READS, type CursorSearch, type ReadSoFar } from '../../src/graph/connections/realign.js';
import { FakeList, PAGING_STYLES } from '../support/fake-list.js';

/**
 * What one resolution read of a list, in the positions of its first answer: each answer is placed
 * back by the shift `answerShift` finds in it, as the list reader places it.
 */
class Read implements ReadSoFar {
  total: number | null = null;
  shift = 0;
  readonly bound = MAX_LIST_RECORDS;
  readonly #keys = new Map<number, string>();
  readonly #positions = new Map<string, number>();
  #answers = 0;
  #end: number | null = null;

  positionOf(key: string): number | undefined {
    return this.#positions.get(key);
  }

  keyAt(position: number): string | undefined {
    return this.#keys.get(position);
  }

  furthest(): number {
    return Math.max(-1, ...this.#keys.keys());
  }

  exists(position: number): boolean | undefined {
    if (this.#keys.has(position)) return true;
    return this.#end !== null && position >= this.#end ? false : undefined;
  }

  /**
   * Reads what is not known of `[start, end)` (positions of the first answer) in the calls planned
   * for where it is now, reaching past it as the list reader does: where asked, and in every call
   * after the first answer.
   */
  async read(list: FakeList, start: number, end: number, reach: boolean): Promise<void> {
    const missing = Array.from({ length: end - start }, (_, index) => start + index).filter((position) => this.exists(position) === undefined);
    if (missing.length === 0) return;
    const slack = reach || this.#answers > 0 ? MAX_REACH : 0;
    for (const call of planCalls(list.paging, missing[0]! + this.shift, missing.at(-1)! + 1 + this.shift, slack)) {
      const answer = await list.fetch(call.offset, call.limit);
      const shift = this.#answers++ === 0 ? 0 : answerShift(this, call.offset, { total: answer.total, keys: answer.items });
      this.total ??= answer.total;
      this.shift = Math.max(this.shift, shift);
      answer.items.forEach((key, index) => {
        const position = call.offset - shift + index;
        if (position < 0) return;
        this.#keys.set(position, key);
        this.#positions.set(key, position);
      });
      if (!answer.hasMore) this.#end = call.offset - shift + answer.items.length;
    }
  }
}

/** Steps `locateStep` to its end over `list`, reading what each step asks for; the steps taken, and what it found. */
async function locate(list: FakeList, cursor: CursorPosition, window = { before: 0, after: 10 }) {
  const read = new Read();
  const steps: string[] = [];
  for (let search: CursorSearch | null = null; ; ) {
    const step = locateStep(cursor, window, read, search);
    if (step.kind !== 'read') return { found: step.kind === 'found' ? step.position : null, steps, key: step.kind === 'found' ? read.keyAt(step.position) : undefined };
    steps.push(`${step.start}-${step.end}${step.reach ? '+' : ''}`);
    await read.read(list, step.start, step.end, step.reach);
    search = step.then;
  }
}

/** A cursor at position `offset` of `list` as it is now, with its total where the list reports one. */
function cursorAt(list: FakeList, offset: number): CursorPosition {
  return { offset, key: list.records[offset]!, total: list.reportsTotal ? list.records.length : null };
}

/** `count` records inserted at the head of `list`, as the vendor inserts them between two resolutions. */
function insert(list: FakeList, count: number): void {
  for (let n = 0; n < count; n++) list.records.unshift(`between${list.records.length}`);
}

describe('answerShift: how far the records of an answer moved since the first answer', () => {
  const known = new Map([
    ['r100', 37],
    ['r99', 38],
  ]);
  const read = { total: 137, shift: 2, positionOf: (key: string) => known.get(key) };

  it('by how much the total grew, where the vendor reports one', () => {
    assert.equal(answerShift(read, 40, { total: 140, keys: ['r100'] }), 3);
    assert.equal(answerShift(read, 40, { total: 137, keys: ['r100'] }), 0, 'the total alone, even where a repeated record says otherwise');
  });

  it('else by how far the first record read before moved', () => {
    assert.equal(answerShift({ ...read, total: null }, 40, { total: null, keys: ['new1', 'r99', 'r100'] }), 3);
    assert.equal(answerShift(read, 40, { total: null, keys: ['r100'] }), 3, 'an answer without a total');
  });

  it('else by the last shift seen', () => {
    assert.equal(answerShift({ ...read, total: null }, 60, { total: null, keys: ['r77', 'r76'] }), 2);
    assert.equal(answerShift({ ...read, total: null }, 60, { total: null, keys: [] }), 2, 'an empty answer');
  });
});

describe('locateStep: where a cursor record went while records arrived at the head', () => {
  for (const style of PAGING_STYLES) {
    describe(style.name, () => {
      it('nothing moved: the window around the cursor, one read, found where it was', async () => {
        const list = new FakeList({ ...style, length: 137 });
        const { found, steps, key } = await locate(list, cursorAt(list, 40));
        assert.deepEqual({ found, steps, key, calls: list.calls.length }, { found: 40, steps: ['40-51+'], key: 'r97', calls: 1 });
      });

      it('3 inserted since the cursor, 3 more before every call: found 3 later, in the first read', async () => {
        const list = new FakeList({ ...style, length: 137, insertsPerCall: 3 });
        const cursor = cursorAt(list, 40);
        insert(list, 3);
        const { found, key } = await locate(list, cursor);
        assert.deepEqual({ found, key, calls: list.calls.length }, { found: 43, key: 'r97', calls: 1 });
      });

      it('more inserted than a read reaches past its window: the totals say where, else the search reads on', async () => {
        const list = new FakeList({ ...style, length: 137, insertsPerCall: 10 });
        const cursor = cursorAt(list, 40);
        insert(list, 70);
        const { found, steps, key } = await locate(list, cursor);
        assert.equal(key, 'r97', 'the cursor record is found');
        assert.equal(found, 110, 'where the 70 inserts pushed it (records inserted during the search come before the first answer)');
        assert.equal(steps[0], '40-51+', 'first the window where it was, reaching past it');
        if (style.reportsTotal) assert.deepEqual(steps.slice(1), ['110-121'], 'then where the total says it is');
        else {
          // The search reads on past everything read: how far the first read reached depends on the paging.
          const starts = steps.slice(1).map((step) => Number(step.split('-')[0]));
          assert.ok(starts.length > 0 && starts.length <= MAX_SEARCH_READS, `then a few reads further on: ${steps.join(' ')}`);
          assert.ok(starts.every((start, index) => start > (starts[index - 1] ?? 51)), `each past the one before: ${steps.join(' ')}`);
        }
      });

      it('a record no longer in the list: gone once the list ends, or after the reads a search may make', async () => {
        const short = new FakeList({ ...style, length: 30 });
        assert.deepEqual(await locate(short, { offset: 20, key: 'gone', total: style.reportsTotal ? 30 : null }), { found: null, steps: ['20-31+'], key: undefined });
        const long = new FakeList({ ...style, length: 2000 });
        const { found, steps } = await locate(long, { offset: 20, key: 'gone', total: null });
        assert.equal(found, null);
        assert.equal(steps.length, 1 + MAX_SEARCH_READS, 'the window, then the search reads');
      });
    });
  }
});
