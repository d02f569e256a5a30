import type { Slice } from './arguments.js';
import { encodeMergedCursor, LIST_END, type MergedCursor, type SourcePlace } from './cursor.js';
import { connectionFromEdges, locateCursor, pageCalls, type Connection, type Edge } from './connection.js';
import { ListReader, type ListSource } from './list-reader.js';
import { answerSlots, type AnswerSlots } from '../../memoize.js';
import type { PagingStyle } from '../../vendors/paging.js';

/** One newest-first list merged into a stream. */
export interface MergeSource<T, N, S extends ListSource<T> = ListSource<T>> {
  source: S;
  occurredAt(item: T): Date;
  /** A `ToNode` of the source. */
  toNode(item: T, position: number, source: S): N;
}

/** A source that could not be read for a page: its index among the sources, and what it threw. */
export interface SourceFailure {
  index: number;
  error: unknown;
}

/** A page of a merged stream: over the sources that answered (`null` when none did), and the ones that failed. */
export interface MergedPage<N> {
  connection: Connection<N> | null;
  failures: SourceFailure[];
}

/**
 * One source as a page reads it: its reader, and the position the merge takes its next record
 * from — the head going forward, the tail going backward; `null` once the source is out of the
 * page (failed, or nothing of it lies in that direction).
 */
interface Lane<N> {
  merge: MergeSource<any, N, any>;
  reader: ListReader<any>;
  at: number | null;
  /** The node of the record at a position: `merge.toNode` of the lane's source. */
  nodeOf(item: unknown, position: number): N;
}

/** The nodes of merged streams, kept with the vendor answers their records came from. */
const MERGED_NODES = answerSlots<unknown>();

/**
 * Resolves one page of several newest-first lists merged into one newest-first stream: `first`
 * records after `after`, or `last` records before `before`. Ties on time go to the source listed
 * first, then to the source's own order, so the order is total. An edge's cursor holds every
 * source's place at that edge (and which source the edge came from), the same whichever way the
 * page was read; every source is read once, all at the same time, no further than the page
 * needs (and, backward from the end, to its end where the vendor reports no total).
 *
 * A source that fails is left out of the page and reported in `failures`: the page is the merge
 * of the others, its `pageInfo` speaks of them, and its cursors keep the failed source where the
 * page's own cursor had it (at its head going forward without `after`, past its end going
 * backward without `before`), so paging on from any of them asks that source again from there.
 */
export async function resolveMergedConnection<N>(
  connectionId: string,
  sources: ReadonlyArray<MergeSource<any, N, any>>,
  slice: Slice<MergedCursor>,
): Promise<MergedPage<N>> {
  const failures: SourceFailure[] = [];
  const guard = async <R>(index: number, read: () => Promise<R>): Promise<R | null> => {
    try {
      return await read();
    } catch (error) {
      failures.push({ index, error });
      return null;
    }
  };
  const lanes: Array<Lane<N>> = sources.map((merge) => ({
    merge,
    reader: new ListReader(merge.source),
    at: null,
    nodeOf: (item, position) => merge.toNode(item, position, merge.source),
  }));
  const count = slice.count;
  let edges: Edge<N>[];
  let flags: { hasNextPage: boolean; hasPreviousPage: boolean };

  if (slice.direction === 'forward') {
    const places: SourcePlace[] = sources.map((_, index) => slice.after?.places[index] ?? null);
    await Promise.all(
      lanes.map(async (lane, index) => {
        const place = places[index]!;
        if (place === LIST_END) return;
        lane.at = await guard(index, async () => {
          const start = place ? (await locateCursor(lane.reader, place, { before: 0, after: count }, 'after')) + 1 : 0;
          await lane.reader.ensure(start, start + Math.max(count, 1));
          return start;
        });
      }),
    );
    if (failures.length === sources.length) return { connection: null, failures };
    edges = takeInOrder(lanes, count, 'newest', (lane, index, position) => {
      places[index] = placeAt(lane, position);
      lane.at = position + 1;
      return encodeMergedCursor(connectionId, { places, edgeSource: index });
    });
    // A source whose fetched records ran out exactly at the page's end may still say nothing of what follows.
    await Promise.all(
      lanes.map((lane, index) =>
        lane.at !== null && lane.reader.exists(lane.at) === undefined ? guard(index, () => lane.reader.ensure(lane.at!, lane.at! + 1)) : undefined,
      ),
    );
    const hasNextPage = lanes.some((lane) => lane.at !== null && lane.reader.exists(lane.at) !== false);
    flags = { hasNextPage, hasPreviousPage: slice.after !== null };
  } else {
    const before = slice.before;
    const given: SourcePlace[] = sources.map((_, index) => (before ? before.places[index]! : LIST_END));
    await Promise.all(
      lanes.map(async (lane, index) => {
        const place = given[index]!;
        if (place === null) return;
        lane.at = await guard(index, async () => {
          let last: number;
          if (place === LIST_END) last = (await lane.reader.ensureLength()) - 1;
          else {
            const found = await locateCursor(lane.reader, place, { before: count, after: 0 }, 'before');
            // The cursor's own record is not before itself.
            last = index === before?.edgeSource ? found - 1 : found;
          }
          if (last >= 0) await lane.reader.ensure(Math.max(0, last - count + 1), last + 1);
          return last;
        });
      }),
    );
    if (failures.length === sources.length) return { connection: null, failures };
    edges = takeInOrder(lanes, count, 'oldest', (lane, index, position) => {
      const places = lanes.map((other, at) => (other.at === null ? given[at]! : placeAt(other, other.at)));
      lane.at = position - 1;
      return encodeMergedCursor(connectionId, { places, edgeSource: index });
    }).reverse();
    const hasPreviousPage = lanes.some((lane) => lane.at !== null && lane.at >= 0);
    flags = { hasNextPage: before !== null, hasPreviousPage };
  }

  failures.sort((a, b) => a.index - b.index);
  const failed = new Set(failures.map((failure) => failure.index));
  const totals = lanes.map((lane, index) => (lane.reader.source.reportsTotal && !failed.has(index) ? lane.reader.total : null));
  const totalCount = totals.every((total) => total !== null) ? totals.reduce<number>((sum, total) => sum + (total ?? 0), 0) : null;
  return { connection: connectionFromEdges(edges, flags, totalCount), failures };
}

/**
 * The vendor calls `resolveMergedConnection` makes for `slice` over lists paged `lists`, where
 * nothing moves: each source is read as one page of its own list from its place (`pageCalls`);
 * a source with nothing in the page's direction is not read.
 */
export function mergedPageCalls(lists: readonly PagingStyle[], slice: Slice<MergedCursor>): number {
  return lists.reduce((calls, list, index) => {
    if (slice.direction === 'forward') {
      const place = slice.after?.places[index] ?? null;
      return place === LIST_END ? calls : calls + pageCalls(list, { direction: 'forward', count: slice.count, after: place && [place] });
    }
    const place = slice.before ? slice.before.places[index]! : LIST_END;
    return place === null ? calls : calls + pageCalls(list, { direction: 'backward', count: slice.count, before: place === LIST_END ? null : [place] });
  }, 0);
}

/** A source's place at a fetched position of its list: that record, or `null` before its first. */
function placeAt(lane: Lane<unknown>, position: number): SourcePlace {
  if (position < 0) return null;
  return lane.reader.cursorAt(position);
}

/**
 * Takes up to `count` records across the lanes in merged order: from their heads, newest first,
 * or from their tails, oldest first. Stops early where a lane's next record is not known (a
 * record the reader could not fetch): nothing of another lane can be placed past it.
 */
function takeInOrder<N>(
  lanes: ReadonlyArray<Lane<N>>,
  count: number,
  take: 'newest' | 'oldest',
  cursorOf: (lane: Lane<N>, index: number, position: number) => string,
): Edge<N>[] {
  const edges: Edge<N>[] = [];
  while (edges.length < count) {
    let chosen = -1;
    let chosenTime = 0;
    for (const [index, lane] of lanes.entries()) {
      if (lane.at === null || lane.at < 0) continue;
      const item = lane.reader.at(lane.at);
      if (item === undefined) {
        if (lane.reader.exists(lane.at) === false) continue;
        return edges;
      }
      const time = lane.merge.occurredAt(item).getTime();
      // Lanes are visited in source order: going forward the first of equal times wins, going backward the last.
      const better = chosen < 0 || (take === 'newest' ? time > chosenTime : time <= chosenTime);
      if (better) [chosen, chosenTime] = [index, time];
    }
    if (chosen < 0) return edges;
    const lane = lanes[chosen]!;
    const position = lane.at!;
    const cursor = cursorOf(lane, chosen, position);
    edges.push({ cursor, node: lane.reader.derived(position, MERGED_NODES as AnswerSlots<N>, lane.merge.toNode, lane.nodeOf) });
  }
  return edges;
}
