import { badUserInput } from '../errors.js';
import type { Slice } from './arguments.js';
import { encodeCursor, type CursorPosition } from './cursor.js';
import { ListReader, type ListSource } from './list-reader.js';

/** Relay `PageInfo`. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<N> {
  cursor: string;
  node: N;
}

/** A resolved page of a connection, ready for the default resolvers. */
export interface Connection<N> {
  edges: Edge<N>[];
  nodes: N[];
  pageInfo: PageInfo;
  totalCount: number | null;
}

/** Builds a connection's page from its edges and the two `hasPage` flags. */
export function connectionFromEdges<N>(
  edges: Edge<N>[],
  flags: { hasNextPage: boolean; hasPreviousPage: boolean },
  totalCount: number | null,
): Connection<N> {
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      ...flags,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** An empty connection, for fields that have no list on this vendor. */
export function emptyConnection<N>(): Connection<N> {
  return connectionFromEdges<N>([], { hasNextPage: false, hasPreviousPage: false }, 0);
}

/**
 * Resolves one page of a vendor list: the Relay slicing algorithm over positions that the vendor
 * may shift by inserting records at its head. Cursors carry each record's position and key, so
 * a page after (or before) a cursor starts at the cursor's record wherever it is now.
 */
export async function resolveListConnection<T, N>(
  source: ListSource<T>,
  slice: Slice,
  toNode: (item: T, position: number) => N,
): Promise<Connection<N>> {
  const reader = new ListReader(source);
  const count = slice.count;
  let start: number;
  let end: number;
  let flags: { hasNextPage: boolean; hasPreviousPage: boolean };

  if (slice.direction === 'forward') {
    const anchor = slice.after?.[0] ?? null;
    start = anchor ? (await locateCursor(reader, anchor, { before: 0, after: count }, 'after')) + 1 : 0;
    // One record past the page tells whether a next page exists, when the vendor's page does not say.
    await reader.ensure(start, start + count);
    end = start;
    while (end < start + count && reader.at(end) !== undefined) end++;
    if (reader.exists(end) === undefined) await reader.ensure(end, end + 1);
    flags = { hasNextPage: reader.exists(end) === true, hasPreviousPage: anchor !== null };
  } else {
    const anchor = slice.before?.[0] ?? null;
    end = anchor ? await locateCursor(reader, anchor, { before: count, after: 0 }, 'before') : await reader.ensureLength();
    start = Math.max(0, end - count);
    await reader.ensure(start, end);
    flags = { hasNextPage: anchor !== null, hasPreviousPage: start > 0 };
  }

  const edges: Edge<N>[] = [];
  for (let position = start; position < end; position++) {
    const item = reader.at(position);
    if (item === undefined) break;
    const cursor = encodeCursor(source.id, [{ offset: position, key: source.key(item), total: reader.total }]);
    edges.push({ cursor, node: toNode(item, position) });
  }
  return connectionFromEdges(edges, flags, source.reportsTotal ? reader.total : null);
}

/** Where a cursor's record is now, or `BAD_USER_INPUT` when it left the list. */
export async function locateCursor<T>(
  reader: ListReader<T>,
  cursor: CursorPosition,
  window: { before: number; after: number },
  argumentName: 'after' | 'before',
): Promise<number> {
  const position = await reader.locate(cursor, window);
  if (position === null) {
    throw badUserInput(`\`${argumentName}\` points at a record that is no longer in this list; start again without a cursor.`, argumentName);
  }
  return position;
}

/** Re-finds one record of a list by the position and key it had when its ID was issued; `null` when gone. */
export async function findListItem<T>(source: ListSource<T>, offset: number, key: string): Promise<{ item: T; position: number } | null> {
  const reader = new ListReader(source);
  const position = await reader.locate({ offset, key, total: null }, { before: 0, after: 0 });
  return position === null ? null : { item: reader.at(position) as T, position };
}
