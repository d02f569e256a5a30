import { answerSlots, type AnswerSlots } from '../../memoize.js';
import { badUserInput } from '../errors.js';
import type { Slice } from './arguments.js';
import { encodeCursor, type CursorPosition } from './cursor.js';
import { ListReader, type ListSource } from './list-reader.js';
import { fewestCalls, largestCall, MAX_PLANNED_CALLS } from './page-plan.js';
import type { PagingStyle } from '../../vendors/paging.js';

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
 * Makes a list record's node: a function of the record, its position and what the source's `id`
 * names (e.g. the device of an audit trail), declared once per module so that one cached vendor
 * answer's nodes serve every request (see `ListReader.derived`).
 */
export type ToNode<S extends ListSource<any>, N> = (item: ItemOf<S>, position: number, source: S) => N;

/** The records of a list source. */
export type ItemOf<S extends ListSource<any>> = S extends ListSource<infer T> ? T : never;

/**
 * Resolves one page of a vendor list: the Relay slicing algorithm over positions that the vendor
 * may shift by inserting records at its head. Cursors carry each record's position and key, so
 * a page after (or before) a cursor starts at the cursor's record wherever it is now.
 */
export async function resolveListConnection<S extends ListSource<any>, N>(source: S, slice: Slice, toNode: ToNode<S, N>): Promise<Connection<N>> {
  const reader = new ListReader<ItemOf<S>>(source);
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

  const edgeOf = (item: ItemOf<S>, position: number): Edge<N> => ({
    cursor: encodeCursor(source.id, [reader.cursorAt(position)]),
    node: Object.freeze(toNode(item, position, source)),
  });
  const edges: Edge<N>[] = [];
  for (let position = start; position < end; position++) {
    if (reader.at(position) === undefined) break;
    edges.push(reader.derived(position, LIST_EDGES as AnswerSlots<Edge<N>>, toNode, edgeOf));
  }
  return connectionFromEdges(edges, flags, source.reportsTotal ? reader.total : null);
}

/** The edges of plain connections, kept with the vendor answers their records came from. */
const LIST_EDGES = answerSlots<Edge<unknown>>();

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

/** A list record as an ID names it: the position and key it had when the ID was issued. */
export interface RecordRef {
  offset: number;
  key: string;
}

/**
 * Re-finds records of one list by the positions and keys they had when their IDs were issued;
 * `null` for one no longer in the list. Positions close together are read in the calls a
 * connection page over them would make (`recordWindows`), then each record is found by its key
 * there, or searched for as a cursor's record is when the vendor moved it.
 */
export async function findListItems<T>(source: ListSource<T>, records: readonly RecordRef[]): Promise<Array<{ item: T; position: number } | null>> {
  const reader = new ListReader(source);
  for (const { start, end } of recordWindows(source.paging, records.map((record) => record.offset))) await reader.ensure(start, end);
  const found: Array<{ item: T; position: number } | null> = [];
  for (const { offset, key } of records) {
    const position = await reader.locate({ offset, key, total: null }, { before: 0, after: 0 });
    found.push(position === null ? null : { item: reader.at(position) as T, position });
  }
  return found;
}

/** Positions `[start, end)` of a list read together, in `calls` vendor calls. */
export interface RecordWindow {
  start: number;
  end: number;
  calls: number;
}

/**
 * The windows that cover `positions` in the fewest vendor calls: neighbours share a window
 * whenever reading them together costs no more calls than reading them apart (and the window no
 * more than one plan may make), so records of one vendor page, or of one connection page, cost
 * the calls that page did.
 */
export function recordWindows(paging: PagingStyle, positions: readonly number[]): RecordWindow[] {
  const windows: RecordWindow[] = [];
  for (const position of [...new Set(positions)].sort((a, b) => a - b)) {
    const last = windows.at(-1);
    if (last) {
      // A wider window never needs fewer calls than a narrower one, nor more than one over `atLeast`.
      const atLeast = Math.ceil((position + 1 - last.start) / largestCall(paging));
      const calls = atLeast > last.calls + 1 ? Infinity : last.calls === atLeast + 1 ? last.calls : fewestCalls(paging, last.start, position + 1);
      if (calls <= last.calls + 1 && calls <= MAX_PLANNED_CALLS) {
        last.end = position + 1;
        last.calls = calls;
        continue;
      }
    }
    windows.push({ start: position, end: position + 1, calls: 1 });
  }
  return windows;
}

/**
 * The vendor calls one page of a connection makes on a list long enough for it, where nothing
 * moves: the windows `resolveListConnection` reads, planned as it plans them. `last` without a
 * cursor first learns the list's length; that is counted as one call (one largest page from the
 * head, as long as the list is where the vendor reports its total or fits in that page).
 */
export function pageCalls(paging: PagingStyle, slice: Slice): number {
  const calls = (start: number, end: number) => fewestCalls(paging, start, Math.max(end, start + 1));
  if (slice.direction === 'forward') {
    const anchor = slice.after?.[0];
    return anchor ? calls(anchor.offset, anchor.offset + slice.count + 1) : calls(0, slice.count);
  }
  const anchor = slice.before?.[0];
  return anchor ? calls(Math.max(0, anchor.offset - slice.count), anchor.offset + 1) : 1 + calls(0, slice.count);
}
