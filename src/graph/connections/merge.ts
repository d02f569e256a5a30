import type { CursorPosition, CursorPositions } from './cursor.js';
import { encodeCursor } from './cursor.js';
import { connectionFromEdges, locateCursor, type Connection, type Edge } from './connection.js';
import { ListReader, type ListSource } from './list-reader.js';

/** One newest-first list merged into a stream. */
export interface MergeSource<T, N> {
  source: ListSource<T>;
  occurredAt(item: T): Date;
  toNode(item: T, position: number): N;
}

/**
 * Resolves `first` records after `after` of several newest-first lists merged into one
 * newest-first stream. Ties on time go to the source listed first, then to the source's own
 * order, so the order is total. Each edge's cursor holds every source's position after that
 * edge; every source is read once, all at the same time, and no further than `first` records.
 */
export async function resolveMergedConnection<N>(
  connectionId: string,
  sources: ReadonlyArray<MergeSource<any, N>>,
  count: number,
  after: CursorPositions | null,
): Promise<Connection<N>> {
  const readers = sources.map((merge) => new ListReader(merge.source));
  const consumed: Array<CursorPosition | null> = sources.map((_, index) => after?.[index] ?? null);
  const next = await Promise.all(
    readers.map(async (reader, index) => {
      const anchor = consumed[index];
      const start = anchor ? (await locateCursor(reader, anchor, { before: 0, after: count }, 'after')) + 1 : 0;
      await reader.ensure(start, start + Math.max(count, 1));
      return start;
    }),
  );

  const edges: Edge<N>[] = [];
  while (edges.length < count) {
    let best = -1;
    for (let index = 0; index < readers.length; index++) {
      const item = readers[index]!.at(next[index]!);
      if (item === undefined) continue;
      const bestItem = best < 0 ? undefined : readers[best]!.at(next[best]!);
      if (bestItem === undefined || sources[index]!.occurredAt(item) > sources[best]!.occurredAt(bestItem)) best = index;
    }
    if (best < 0) break;
    const reader = readers[best]!;
    const position = next[best]!;
    const item = reader.at(position);
    consumed[best] = { offset: position, key: reader.source.key(item), total: reader.total };
    next[best] = position + 1;
    edges.push({ cursor: encodeCursor(connectionId, consumed), node: sources[best]!.toNode(item, position) });
  }

  // A source whose fetched records ran out exactly at the page's end may still say nothing of what follows.
  await Promise.all(readers.map((reader, index) => (reader.exists(next[index]!) === undefined ? reader.ensure(next[index]!, next[index]! + 1) : undefined)));
  const hasNextPage = readers.some((reader, index) => reader.exists(next[index]!) === true);
  const totals = readers.map((reader) => (reader.source.reportsTotal ? reader.total : null));
  const totalCount = totals.every((total) => total !== null) ? totals.reduce<number>((sum, total) => sum + (total ?? 0), 0) : null;
  return connectionFromEdges(edges, { hasNextPage, hasPreviousPage: after !== null }, totalCount);
}
