/**
 * The merge engine of the timeline (src/graph/connections/merge.ts) over in-memory newest-first
 * lists, no HTTP: walks both ways against the merged ground truth, ties, cursors that are the
 * same whichever way a page was read, and what a page is when a source fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMergedSlice, type ConnectionArguments } from '../../src/graph/connections/arguments.js';
import { decodeMergedCursor, encodeCursor, LIST_END } from '../../src/graph/connections/cursor.js';
import type { ListSource } from '../../src/graph/connections/list-reader.js';
import { resolveMergedConnection, type MergedPage, type MergeSource } from '../../src/graph/connections/merge.js';
import type { PagingStyle } from '../../src/vendors/paging.js';

const CONNECTION = 'test:timeline';

type Item = { key: string; at: number };

/** A newest-first list of items named `<name><index>`, at the given times; `failing` makes every read throw. */
function list(name: string, times: number[], options: { paging?: PagingStyle; reportsTotal?: boolean } = {}) {
  const items = times.map((at, index) => ({ key: `${name}${index}`, at }));
  const state = { failing: false, reads: 0 };
  const paging = options.paging ?? { kind: 'offset', maxLimit: 100 };
  const source: ListSource<Item> = {
    id: `test:${name}`,
    paging,
    reportsTotal: options.reportsTotal ?? false,
    async fetch(offset, limit) {
      state.reads++;
      if (state.failing) throw new Error(`${name} is down`);
      const slice = items.slice(offset, offset + limit);
      return { items: slice, hasMore: offset + limit < items.length, total: options.reportsTotal ? items.length : null };
    },
    key: (item) => item.key,
  };
  const merge: MergeSource<Item, string> = { source, occurredAt: (item) => new Date(item.at), toNode: (item) => item.key };
  return { merge, state, keys: items.map((item) => item.key), items };
}

type List = ReturnType<typeof list>;

/** The merged ground truth: newest first, ties by source order, then by the source's own order. */
function groundTruth(lists: List[]): string[] {
  return lists
    .flatMap((l, source) => l.items.map((item, position) => ({ ...item, source, position })))
    .sort((a, b) => b.at - a.at || a.source - b.source || a.position - b.position)
    .map((item) => item.key);
}

function page(lists: List[], args: ConnectionArguments): Promise<MergedPage<string>> {
  const merges = lists.map((l) => l.merge);
  return resolveMergedConnection(CONNECTION, merges, readMergedSlice(args, CONNECTION, merges.map((merge) => merge.source.paging)));
}

/** Walks to the end one way; returns the edges in stream order and the pages. */
async function walk(lists: List[], direction: 'forward' | 'backward', size: number) {
  const pages: Array<MergedPage<string>> = [];
  let cursor: string | null = null;
  for (let index = 0; index < 200; index++) {
    const args: ConnectionArguments = direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    const result = await page(lists, args);
    pages.push(result);
    const connection = result.connection!;
    const more = direction === 'forward' ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage;
    if (!more) break;
    cursor = direction === 'forward' ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
  }
  const ordered = direction === 'forward' ? pages : [...pages].reverse();
  return { pages, edges: ordered.flatMap((p) => p.connection!.edges) };
}

const fixture = () => [list('a', [9, 9, 7, 5, 5, 5, 1]), list('b', [9, 8, 7, 7, 5, 1, 1]), list('c', [10, 9, 5, 1])];
const TIES = ['c0', 'a0', 'a1', 'b0', 'c1', 'b1', 'a2', 'b2', 'b3', 'a3', 'a4', 'a5', 'b4', 'c2', 'a6', 'b5', 'b6', 'c3'];

describe('merged stream: both ways', () => {
  it('the ground truth of the fixture breaks ties by source order, then by list order', () => {
    assert.deepEqual(groundTruth(fixture()), TIES);
  });

  for (const size of [1, 3, 5, 7, 100]) {
    it(`pages of ${size}: forward and backward walks are the ground truth, with the same cursor for every event`, async () => {
      const lists = fixture();
      const forward = await walk(lists, 'forward', size);
      const backward = await walk(lists, 'backward', size);
      assert.deepEqual(forward.edges.map((edge) => edge.node), TIES, 'forward');
      assert.deepEqual(backward.edges.map((edge) => edge.node), TIES, 'backward');
      assert.deepEqual(
        backward.edges.map((edge) => edge.cursor),
        forward.edges.map((edge) => edge.cursor),
        'each event has one cursor, whichever way its page was read',
      );
      const pageCount = Math.ceil(TIES.length / size);
      assert.equal(forward.pages.length, pageCount, 'forward pages');
      assert.equal(backward.pages.length, pageCount, 'backward pages');
      forward.pages.forEach((p, index) => {
        assert.equal(p.connection!.pageInfo.hasPreviousPage, index > 0, `forward page ${index}: hasPreviousPage`);
        assert.equal(p.connection!.pageInfo.hasNextPage, index < pageCount - 1, `forward page ${index}: hasNextPage`);
      });
      backward.pages.forEach((p, index) => {
        assert.equal(p.connection!.pageInfo.hasNextPage, index > 0, `backward page ${index}: hasNextPage`);
        assert.equal(p.connection!.pageInfo.hasPreviousPage, index < pageCount - 1, `backward page ${index}: hasPreviousPage`);
      });
    });
  }

  it('any edge’s cursor pages on from its event both ways', async () => {
    const lists = fixture();
    const { edges } = await walk(lists, 'forward', 100);
    for (const [index, edge] of edges.entries()) {
      const after = (await page(lists, { first: 4, after: edge.cursor })).connection!;
      assert.deepEqual(after.nodes, TIES.slice(index + 1, index + 5), `first: 4 after ${edge.node}`);
      const before = (await page(lists, { last: 4, before: edge.cursor })).connection!;
      assert.deepEqual(before.nodes, TIES.slice(Math.max(0, index - 4), index), `last: 4 before ${edge.node}`);
      assert.equal(before.pageInfo.hasPreviousPage, index > 4, `last: 4 before ${edge.node}: hasPreviousPage`);
    }
  });

  it('last: 0 and first: 0 say whether events exist; an empty stream has none either way', async () => {
    const lists = fixture();
    assert.deepEqual((await page(lists, { last: 0 })).connection!.pageInfo, { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
    assert.deepEqual((await page(lists, { first: 0 })).connection!.pageInfo, { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
    const empty = [list('x', []), list('y', [])];
    for (const args of [{ first: 5 }, { last: 5 }]) {
      const connection = (await page(empty, args)).connection!;
      assert.deepEqual(connection.edges, [], `${JSON.stringify(args)}: no edges`);
      assert.equal(connection.pageInfo.hasNextPage || connection.pageInfo.hasPreviousPage, false, `${JSON.stringify(args)}: nothing more`);
    }
  });

  it('reads backward from the end with the fewest reads: a source with a total in two, one without to its end', async () => {
    const counted = list('t', Array.from({ length: 250 }, (_, i) => 1000 - i), { paging: { kind: 'page', firstPage: 0, maxPageSize: 100 }, reportsTotal: true });
    const uncounted = list('u', Array.from({ length: 130 }, (_, i) => 999.5 - i), { paging: { kind: 'offset', maxLimit: 50 } });
    const tail = (await page([counted, uncounted], { last: 10 })).connection!;
    assert.deepEqual(tail.nodes, groundTruth([counted, uncounted]).slice(-10), 'the ten oldest events');
    assert.equal(counted.state.reads, 2, 'the counted source: its first page (for the total), then its tail');
    assert.equal(uncounted.state.reads, 3, 'the uncounted source: read to its end, 50 at a time');
  });
});

describe('merged cursors', () => {
  it('a cursor issued before timelines paged backward (no edge source) still pages forward; backward it is refused', async () => {
    const lists = fixture();
    const { edges } = await walk(lists, 'forward', 100);
    const index = TIES.indexOf('b2');
    const { places } = decodeMergedCursor(CONNECTION, edges[index]!.cursor, 'after', lists.length);
    const old = encodeCursor(CONNECTION, places.map((place) => (place === LIST_END ? null : place)));
    assert.deepEqual((await page(lists, { first: 3, after: old })).connection!.nodes, TIES.slice(index + 1, index + 4));
    await assert.rejects(async () => page(lists, { last: 3, before: old }), (error: any) => error.extensions?.code === 'BAD_USER_INPUT' && /newer page/.test(error.message));
  });

  it('refuses an edge source that is out of range or points at a source with no place', () => {
    const body = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const { c } = JSON.parse(Buffer.from(encodeCursor(CONNECTION, [null, null, null]), 'base64url').toString()) as { c: string };
    for (const forged of [body({ c, p: [null, null, null], s: 0 }), body({ c, p: [[0, 'a0'], null, null], s: 3 }), body({ c, p: [[0, 'a0'], null, null], s: -1 })]) {
      assert.throws(() => decodeMergedCursor(CONNECTION, forged, 'before', 3), (error: any) => error.extensions?.code === 'BAD_USER_INPUT');
    }
  });
});

describe('merged stream: a source that fails', () => {
  it('forward: the other sources’ merge, the failure by index, and cursors that pick the failed source up again once it answers', async () => {
    const lists = fixture();
    const [a, b, c] = lists;
    b!.state.failing = true;
    const first = await page(lists, { first: 6 });
    assert.deepEqual(first.failures.map((failure) => failure.index), [1], 'source 1 failed');
    assert.match(String(first.failures[0]!.error), /b is down/);
    const withoutB = groundTruth([a!, c!]);
    assert.deepEqual(first.connection!.nodes, withoutB.slice(0, 6), 'the page is the merge of a and c');
    assert.equal(first.connection!.pageInfo.hasNextPage, true, 'a and c go on');

    // Still failing: the walk goes on over a and c to their end, then ends.
    const rest = await page(lists, { first: 100, after: first.connection!.pageInfo.endCursor });
    assert.deepEqual(rest.connection!.nodes, withoutB.slice(6), 'the rest of a and c');
    assert.equal(rest.connection!.pageInfo.hasNextPage, false, 'pageInfo speaks of the sources that answered');

    // b answers again: paging on from the last cursor brings every event of b, once.
    b!.state.failing = false;
    const resumed = await page(lists, { first: 100, after: rest.connection!.pageInfo.endCursor });
    assert.deepEqual(resumed.failures, [], 'no failure');
    assert.deepEqual(resumed.connection!.nodes, b!.keys, 'b from its head, in its order, nothing of a or c again');
  });

  it('backward from the end: the failed source is kept past its end, so paging back picks all of it up once it answers', async () => {
    const lists = fixture();
    const [a, b, c] = lists;
    b!.state.failing = true;
    const tail = await page(lists, { last: 5 });
    assert.deepEqual(tail.failures.map((failure) => failure.index), [1]);
    const withoutB = groundTruth([a!, c!]);
    assert.deepEqual(tail.connection!.nodes, withoutB.slice(-5), 'the oldest five of a and c');
    b!.state.failing = false;
    const seen = [...tail.connection!.nodes];
    let cursor = tail.connection!.pageInfo.startCursor;
    for (let index = 0; index < 20 && cursor; index++) {
      const previous = (await page(lists, { last: 5, before: cursor })).connection!;
      seen.unshift(...previous.nodes);
      cursor = previous.pageInfo.hasPreviousPage ? previous.pageInfo.startCursor : null;
    }
    assert.deepEqual([...seen].sort(), [...TIES].sort(), 'every event exactly once');
  });

  it('backward from a cursor whose own event is the failed source’s: the others’ event just before it is kept', async () => {
    const lists = fixture();
    const { edges } = await walk(lists, 'forward', 100);
    const index = TIES.indexOf('b2');
    lists[1]!.state.failing = true;
    const before = await page(lists, { last: 3, before: edges[index]!.cursor });
    assert.deepEqual(before.failures.map((failure) => failure.index), [1]);
    const expected = TIES.slice(0, index).filter((key) => !key.startsWith('b')).slice(-3);
    assert.deepEqual(before.connection!.nodes, expected, `the three events of a and c before b2 (${expected.join(', ')})`);
    assert.ok(expected.includes('a2'), 'a2, the event just before b2, is there');
  });

  it('every source failing: no page, one failure each', async () => {
    const lists = fixture();
    for (const l of lists) l.state.failing = true;
    for (const args of [{ first: 5 }, { last: 5 }]) {
      const result = await page(lists, args);
      assert.equal(result.connection, null, `${JSON.stringify(args)}: null`);
      assert.deepEqual(result.failures.map((failure) => failure.index), [0, 1, 2]);
    }
  });
});
