import { badUserInput } from '../errors.js';
import { checkCursorBounds, decodeCursor, decodeMergedCursor, LIST_END, type CursorPositions, type MergedCursor } from './cursor.js';
import type { PagingStyle } from '../../vendors/paging.js';

/** The Relay paging arguments every connection field takes. */
export interface ConnectionArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The most records one connection page may return. */
export const MAX_PAGE_SIZE = 100;
/** Records returned when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;

/** A validated request for one page of a connection, its cursor decoded as `C`. */
export type Slice<C = CursorPositions> =
  | { direction: 'forward'; count: number; after: C | null }
  | { direction: 'backward'; count: number; before: C | null };

/**
 * Checks the paging arguments and decodes their cursor, or throws `BAD_USER_INPUT`. Pure: runs
 * before any vendor call. `lists` are the paging styles of the lists the connection reads, one
 * per cursor position; each position must lie within its list's bound. With a `null`
 * connection, the cursor's binding is not checked.
 */
export function readSlice(args: ConnectionArguments, connectionId: string | null, lists: readonly PagingStyle[]): Slice {
  return readPaging(args, (cursor, argumentName) =>
    checkCursorBounds(decodeCursor(connectionId, cursor, argumentName, lists.length), lists, argumentName),
  );
}

/** `readSlice` for a stream merged from several lists (the timeline), `lists` their paging styles in order. */
export function readMergedSlice(args: ConnectionArguments, connectionId: string | null, lists: readonly PagingStyle[]): Slice<MergedCursor> {
  return readPaging(args, (cursor, argumentName) => {
    const decoded = decodeMergedCursor(connectionId, cursor, argumentName, lists.length);
    if (argumentName === 'before' && decoded.edgeSource === null) {
      throw badUserInput('`before` is a timeline cursor from before timelines paged backward; page back from a cursor of a newer page.', 'before');
    }
    checkCursorBounds(decoded.places.map((place) => (place === LIST_END ? null : place)), lists, argumentName);
    return decoded;
  });
}

function readPaging<C>(args: ConnectionArguments, decode: (cursor: string, argumentName: 'after' | 'before') => C): Slice<C> {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badUserInput('Pass either `first` or `last`, not both.', 'last');
  if (after != null && before != null) throw badUserInput('Pass either `after` or `before`, not both.', 'before');
  if (first != null && before != null) throw badUserInput('`before` pages backward: use it with `last`, not `first`.', 'before');
  if (last != null && after != null) throw badUserInput('`after` pages forward: use it with `first`, not `last`.', 'after');
  checkCount(first, 'first');
  checkCount(last, 'last');
  if (last != null || before != null) {
    return { direction: 'backward', count: last ?? DEFAULT_PAGE_SIZE, before: before == null ? null : decode(before, 'before') };
  }
  return { direction: 'forward', count: first ?? DEFAULT_PAGE_SIZE, after: after == null ? null : decode(after, 'after') };
}

function checkCount(value: number | null | undefined, name: 'first' | 'last'): void {
  if (value == null) return;
  if (value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}; it was ${value}.`, name);
  }
}
