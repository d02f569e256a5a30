/**
 * Realignment: how a vendor list that gains records at its head between two calls is read back
 * into one view, the positions of the reader's first answer. Pure, no I/O: the list reader
 * fetches, these decide how far an answer moved and where a cursor's record went.
 */
import type { CursorPosition } from './cursor.js';

/** What the reader knows of its list, in the positions of its first answer. */
export interface ReadSoFar {
  /** The first answer's total, where the vendor reports one. */
  readonly total: number | null;
  /** How many records the vendor had inserted at its head by the latest answer. */
  readonly shift: number;
  /** Where the record with this key was last read, if it was. */
  positionOf(key: string): number | undefined;
  /** The key of the record read at a position, if one was. */
  keyAt(position: number): string | undefined;
  /** The furthest position read, or -1. */
  furthest(): number;
  /** Whether a record exists at a position: `undefined` when not known yet. */
  exists(position: number): boolean | undefined;
  /** Positions at or past this are not read (the list's `maxRecords`). */
  readonly bound: number;
}

/**
 * How many records the vendor has inserted at its head since the first answer, as an answer read
 * from vendor position `offset` shows it: by how much its total grew, where the vendor reports
 * one, else by how far a record read before moved; the last shift seen when it tells neither.
 */
export function answerShift(read: Pick<ReadSoFar, 'total' | 'shift' | 'positionOf'>, offset: number, answer: { total: number | null; keys: readonly string[] }): number {
  if (answer.total !== null && read.total !== null) return answer.total - read.total;
  for (const [index, key] of answer.keys.entries()) {
    const known = read.positionOf(key);
    if (known !== undefined) return offset + index - known;
  }
  return read.shift;
}

/** How many reads past everything read may be spent looking for a cursor's record that moved. */
export const MAX_SEARCH_READS = 4;

/** How far the search for a cursor's record has got. */
export interface CursorSearch {
  /** Whether the position the totals point at was read (or there was none). */
  readonly guessed: boolean;
  /** How many reads past everything read so far were made. */
  readonly searches: number;
}

/** The next step of finding a cursor's record. */
export type CursorStep =
  /** It is at this position. */
  | { kind: 'found'; position: number }
  /** Read `[start, end)` (reaching past it where `reach`), then step again from `then`. */
  | { kind: 'read'; start: number; end: number; reach: boolean; then: CursorSearch }
  /** It is no longer in the list, or not within the reads a search may make. */
  | { kind: 'gone' };

/**
 * Finds a cursor's record, which inserts at the head only push later: first the records around
 * where it was (`window` of them before and after, which the caller needs anyway, reaching past
 * them for the inserts); then, where both totals are known, where the total's growth says it is;
 * then anywhere it was read; else the positions past everything read, a few times, until the
 * list ends. `search` is `null` before anything was read for it.
 */
export function locateStep(
  cursor: CursorPosition,
  window: { before: number; after: number },
  read: ReadSoFar,
  search: CursorSearch | null,
): CursorStep {
  const around = (position: number) => ({ start: Math.max(0, position - window.before), end: position + window.after + 1 });
  if (search === null) return { kind: 'read', ...around(cursor.offset), reach: true, then: { guessed: false, searches: 0 } };
  if (read.keyAt(cursor.offset) === cursor.key) return { kind: 'found', position: cursor.offset };
  const moved = movedTo(cursor, read);
  if (moved !== null) {
    if (!search.guessed) return { kind: 'read', ...around(moved), reach: false, then: { guessed: true, searches: 0 } };
    if (read.keyAt(moved) === cursor.key) return { kind: 'found', position: moved };
  }
  const at = read.positionOf(cursor.key);
  if (at !== undefined && read.keyAt(at) === cursor.key) return { kind: 'found', position: at };
  const from = Math.max(read.furthest(), cursor.offset) + 1;
  if (search.searches === MAX_SEARCH_READS || read.exists(from) === false) return { kind: 'gone' };
  return { kind: 'read', start: from, end: from + window.after + 1, reach: false, then: { guessed: true, searches: search.searches + 1 } };
}

/** Where the totals say a cursor's record is now (each record inserted since grew the total by one), or `null`. */
function movedTo(cursor: CursorPosition, read: ReadSoFar): number | null {
  if (cursor.total === null || read.total === null || read.total === cursor.total) return null;
  const moved = cursor.offset + read.total - cursor.total;
  return moved >= 0 && moved < read.bound ? moved : null;
}
