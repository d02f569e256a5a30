/**
 * The list reader over in-memory lists (no HTTP): every paging style, walked while the list gains
 * records at its head between any two calls. Each page is full unless the list really ends, every
 * original record comes exactly once, and a page costs few calls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Slice } from '../../src/graph/connections/arguments.js';
import { resolveListConnection, type Connection } from '../../src/graph/connections/connection.js';
import { decodeCursor } from '../../src/graph/connections/cursor.js';
import { callsToTheEnd, FakeList, PAGING_STYLES } from '../support/fake-list.js';

const LENGTH = 137;

/**
 * Walks a list page by page, in the order read: forward to its end; backward from its end until
 * the page holding `head` (at 10 records per call and `last: 10` the head grows as fast as the
 * walk nears it).
 */
async function walk(list: FakeList, direction: Slice['direction'], count: number, head?: string) {
  const pages: Array<{ records: string[]; calls: number; more: boolean }> = [];
  let cursor: string | null = null;
  for (let page = 0; page < LENGTH; page++) {
    const before = list.calls.length;
    const at = cursor === null ? null : decodeCursor(list.id, cursor, direction === 'forward' ? 'after' : 'before', 1);
    const slice: Slice = direction === 'forward' ? { direction, count, after: at } : { direction, count, before: at };
    const connection: Connection<string> = await resolveListConnection(list, slice, (item) => item);
    const more = direction === 'forward' ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage;
    pages.push({ records: connection.nodes, calls: list.calls.length - before, more });
    if (!more || (head !== undefined && connection.nodes.includes(head))) return pages;
    cursor = direction === 'forward' ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
  }
  throw new Error('the walk did not end');
}

/** A list of every paging style at 0, 1, 3 and 10 new records per call, and the page sizes walked. */
function eachList(name: string, check: (list: FakeList, count: number, style: (typeof PAGING_STYLES)[number]) => Promise<void>): void {
  for (const style of PAGING_STYLES) {
    for (const insertsPerCall of [0, 1, 3, 10]) {
      for (const count of [10, 20]) {
        it(`${style.name}, ${insertsPerCall} new per call, ${name}: ${count}`, () => check(new FakeList({ ...style, length: LENGTH, insertsPerCall }), count, style));
      }
    }
  }
}

describe('list reader: forward walks while the vendor inserts at its head', () => {
  eachList('first', async (list, first) => {
    const original = [...list.records];
    const pages = await walk(list, 'forward', first);
    const seen = pages.flatMap((page) => page.records);
    const fromOriginal = seen.filter((record) => !record.startsWith('new'));
    assert.deepEqual(fromOriginal, original.slice(original.indexOf(fromOriginal[0]!)), 'every original record from the first one seen, once, in order');
    assert.equal(new Set(seen).size, seen.length, 'no record twice');
    assert.equal(fromOriginal.at(-1), original.at(-1), 'the walk reaches the end of the list');
    pages.slice(0, -1).forEach((page, index) => assert.equal(page.records.length, first, `page ${index + 1} is full (hasNextPage true)`));
    const calls = pages.map((page) => page.calls);
    if (list.insertsPerCall === 0) assert.ok(calls.every((count) => count === 1), `one call per page when nothing moves; calls per page: ${calls.join(' ')}`);
    else assert.ok(Math.max(...calls) <= 2, `at most 2 calls per page; calls per page: ${calls.join(' ')}`);
  });
});

describe('list reader: backward walks while the vendor inserts at its head', () => {
  eachList('last', async (list, last, style) => {
    const original = [...list.records];
    const pages = await walk(list, 'backward', last, original[0]);
    const seen = [...pages].reverse().flatMap((page) => page.records);
    assert.deepEqual(seen.filter((record) => !record.startsWith('new')), original, 'every original record once, in order');
    assert.equal(new Set(seen).size, seen.length, 'no record twice');
    pages.forEach((page, index) => {
      if (page.more) assert.equal(page.records.length, last, `page ${index + 1} is full`);
    });
    // The first page learns the list's length: from the first answer's total, else by reading to the end.
    const [first, ...later] = pages.map((page) => page.calls);
    assert.ok(first! <= (style.reportsTotal ? 2 : callsToTheEnd(style.paging, LENGTH, list.insertsPerCall)), `first page: ${first} calls`);
    if (list.insertsPerCall === 0) assert.ok(later.every((count) => count === 1), `one call per page when nothing moves; calls per page: ${later.join(' ')}`);
    else assert.ok(Math.max(...later) <= 2, `at most 2 calls per page; calls per page: ${later.join(' ')}`);
  });
});

describe('list reader: cursors carry where the latest answer had their record', () => {
  it('the page after one that took many calls while records arrived finds its cursor in one call', async () => {
    for (const style of PAGING_STYLES.filter((candidate) => !candidate.reportsTotal)) {
      // `last` without a total reads all 600 records first: 10 new ones arrive before each of its calls.
      const list = new FakeList({ ...style, length: 600, insertsPerCall: 10 });
      const [, second] = await walk(list, 'backward', 10, list.records[580]);
      assert.equal(second?.calls, 1, `${style.name}: the second page's calls`);
    }
  });
});
