import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerSlots, memoizeByObject } from '../src/memoize.js';
import { resolveListConnection, type Connection } from '../src/graph/connections/connection.js';
import type { ListPage, ListSource } from '../src/graph/connections/list-reader.js';
import { resolveMergedConnection } from '../src/graph/connections/merge.js';
import type { PagingStyle } from '../src/vendors/paging.js';

describe('memoizeByObject', () => {
  it('computes once per object, and again for another object, even an equal one', () => {
    const calls: object[] = [];
    const memoized = memoizeByObject((record: { key: string }) => {
      calls.push(record);
      return `id:${record.key}`;
    });
    const record = { key: 'a' };
    assert.equal(memoized(record), 'id:a');
    assert.equal(memoized(record), 'id:a');
    assert.equal(memoized({ key: 'a' }), 'id:a');
    assert.equal(calls.length, 2);
  });
});

describe('answerSlots', () => {
  it('hands the same slots for the same answer and variant, empty and as long as the answer', () => {
    const slots = answerSlots<string>();
    const answer = Object.freeze(['a', 'b', 'c']);
    const first = slots(answer, ['list', 0]);
    assert.equal(first.length, 3);
    assert.deepEqual([...first], [undefined, undefined, undefined]);
    first[1] = 'kept';
    assert.equal(slots(answer, ['list', 0]), first);
    assert.equal(slots(answer, ['list', 0])[1], 'kept');
  });

  it('hands other slots for another variant or another answer, even an equal one', () => {
    const slots = answerSlots<string>();
    const answer = ['a'];
    const first = slots(answer, ['list', 0]);
    assert.notEqual(slots(answer, ['list', 1]), first);
    assert.notEqual(slots(answer, ['other', 0]), first);
    assert.notEqual(slots(answer, ['list', 0, null]), first);
    assert.notEqual(slots(['a'], ['list', 0]), first);
  });

  it('keeps at most `variants` per answer, forgetting the oldest first', () => {
    const slots = answerSlots<string>(2);
    const answer = ['a'];
    const one = slots(answer, [1]);
    const two = slots(answer, [2]);
    slots(answer, [3]);
    assert.notEqual(slots(answer, [1]), one);
    assert.notEqual(slots(answer, [2]), two);
  });
});

const PAGING: PagingStyle = { kind: 'offset', maxLimit: 100 };

/**
 * A list whose answers come from a cache, as the vendor response cache hands them: the same call
 * gets the same frozen array each time.
 */
function cachedList(id: string, length: number, answers = new Map<string, readonly string[]>()): ListSource<string> & { calls: number } {
  const records = Array.from({ length }, (_, index) => `r${index}`);
  return {
    id,
    paging: PAGING,
    reportsTotal: false,
    calls: 0,
    async fetch(offset, limit): Promise<ListPage<string>> {
      this.calls++;
      const call = `${offset}:${limit}`;
      if (!answers.has(call)) answers.set(call, Object.freeze(records.slice(offset, offset + limit)));
      const items = answers.get(call) as string[];
      return { items, hasMore: offset + items.length < length, total: null };
    },
    key: (item) => item,
  };
}

/** A `ToNode` declared once, as the sources declare theirs, that counts the nodes it makes. */
const made: string[] = [];
function countedNode(item: string, position: number, source: ListSource<string>): { text: string } {
  made.push(item);
  return { text: `${source.id}:${position}:${item}` };
}

function firstPage(source: ListSource<string>, count: number, toNode = countedNode): Promise<Connection<{ text: string }>> {
  return resolveListConnection(source, { direction: 'forward', count, after: null }, toNode);
}

describe('the edges of a cached vendor answer', () => {
  it('are built once: every request reading the same answer gets the same frozen edges and nodes', async () => {
    made.length = 0;
    const answers = new Map<string, readonly string[]>();
    const first = await firstPage(cachedList('list', 50, answers), 10);
    const again = await firstPage(cachedList('list', 50, answers), 10);
    assert.equal(made.length, 10);
    assert.deepEqual(
      first.edges.map((edge) => edge.node.text),
      Array.from({ length: 10 }, (_, index) => `list:${index}:r${index}`),
    );
    again.edges.forEach((edge, index) => {
      assert.equal(edge, first.edges[index]);
      assert.ok(Object.isFrozen(edge) && Object.isFrozen(edge.node));
    });
    assert.equal(again.pageInfo.endCursor, first.pageInfo.endCursor);
  });

  it('are built again for a fresh answer, another list, or a node made per request', async () => {
    made.length = 0;
    const answers = new Map<string, readonly string[]>();
    const first = await firstPage(cachedList('list', 50, answers), 5);
    await firstPage(cachedList('list', 50), 5);
    const other = await firstPage(cachedList('other', 50, answers), 5);
    assert.equal(made.length, 15);
    assert.notEqual(other.pageInfo.endCursor, first.pageInfo.endCursor);
    assert.equal(other.edges[0]!.node.text, 'other:0:r0');
    const perRequest = await firstPage(cachedList('list', 50, answers), 5, (item, position, source) => countedNode(item, position, source));
    assert.equal(made.length, 20);
    assert.deepEqual(perRequest.edges, first.edges);
  });

  it('are derived for the records a page takes, not for the rest of the answer', async () => {
    made.length = 0;
    const answers = new Map<string, readonly string[]>();
    // The last 5 of a list without a total: one answer of all 50 records.
    const page = await resolveListConnection(cachedList('list', 50, answers), { direction: 'backward', count: 5, before: null }, countedNode);
    assert.deepEqual([...answers.values()].map((answer) => answer.length), [50]);
    assert.deepEqual(made, ['r45', 'r46', 'r47', 'r48', 'r49']);
    assert.equal(page.edges[0]!.node.text, 'list:45:r45');
  });

  it('in a merged stream, are its nodes: built once per cached answer', async () => {
    made.length = 0;
    const answers = [new Map<string, readonly string[]>(), new Map<string, readonly string[]>()];
    const merge = () =>
      resolveMergedConnection(
        'merged',
        answers.map((cache, index) => ({ source: cachedList(`list${index}`, 20, cache), occurredAt: () => new Date(0), toNode: countedNode })),
        { direction: 'forward', count: 6, after: null },
      );
    const first = await merge();
    const again = await merge();
    assert.equal(made.length, 6);
    again.connection!.edges.forEach((edge, index) => assert.equal(edge.node, first.connection!.edges[index]!.node));
  });
});
