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
import { FakeList, PAGING_STYLES } from '../support/fake-list.js';

const LENGTH = 137;

async function walkForward(list: FakeList, first: number) {
  const pages: Array<{ records: string[]; calls: number; hasNextPage: boolean }> = [];
  let after: string | null = null;
  for (let page = 0; page < LENGTH; page++) {
    const before = list.calls.length;
    const slice: Slice = { direction: 'forward', count: first, after: after === null ? null : decodeCursor(list.id, after, 'after', 1) };
    const connection: Connection<string> = await resolveListConnection(list, slice, (item) => item);
    pages.push({ records: connection.nodes, calls: list.calls.length - before, hasNextPage: connection.pageInfo.hasNextPage });
    if (!connection.pageInfo.hasNextPage) return pages;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('the walk did not end');
}

describe('list reader: forward walks while the vendor inserts at its head', () => {
  for (const style of PAGING_STYLES) {
    for (const insertsPerCall of [0, 1, 3, 10]) {
      for (const first of [10, 20]) {
        it(`${style.name}, ${insertsPerCall} new per call, first: ${first}`, async () => {
          const list = new FakeList({ ...style, length: LENGTH, insertsPerCall });
          const original = [...list.records];
          const pages = await walkForward(list, first);
          const seen = pages.flatMap((page) => page.records);
          const fromOriginal = seen.filter((record) => !record.startsWith('new'));
          assert.deepEqual(fromOriginal, original.slice(original.indexOf(fromOriginal[0]!)), 'every original record from the first one seen, once, in order');
          assert.equal(new Set(seen).size, seen.length, 'no record twice');
          assert.equal(fromOriginal.at(-1), original.at(-1), 'the walk reaches the end of the list');
          pages.slice(0, -1).forEach((page, index) => assert.equal(page.records.length, first, `page ${index + 1} is full (hasNextPage true)`));
          const calls = pages.map((page) => page.calls);
          if (insertsPerCall === 0) assert.ok(calls.every((count) => count === 1), `one call per page when nothing moves; calls per page: ${calls.join(' ')}`);
          else assert.ok(Math.max(...calls) <= 2, `at most 2 calls per page; calls per page: ${calls.join(' ')}`);
        });
      }
    }
  }
});
