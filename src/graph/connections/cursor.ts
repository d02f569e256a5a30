import { createHash } from 'node:crypto';
import { memoize } from '../../memoize.js';
import { badUserInput } from '../errors.js';
import { holdsPosition, maxRecordsOf } from './page-plan.js';
import type { PagingStyle } from '../../vendors/paging.js';

/** Where a cursor points in one vendor list: a record's position when read, and its identity. */
export interface CursorPosition {
  /** Position in the vendor's list (0 = newest) when the record was read. */
  offset: number;
  /** The record's stable key, to re-find it after the vendor inserted records ahead of it. */
  key: string;
  /** The list's total length when the record was read, where the vendor reports one. */
  total: number | null;
}

/**
 * One position per list the connection reads: a plain connection reads one list, the merged
 * timeline one per source (`null` for a source none of whose records was returned yet).
 */
export type CursorPositions = ReadonlyArray<CursorPosition | null>;

/** A merged cursor's place in a source past all of its records (see `SourcePlace`). */
export const LIST_END = 'end';

/**
 * Where a merged cursor stands in one of its sources: the position of the last of the source's
 * records at or before the cursor's own record, `null` when none is, or `LIST_END` when all are
 * (a source that failed on a page read backward from the end keeps its whole list ahead).
 */
export type SourcePlace = CursorPosition | null | typeof LIST_END;

/** A cursor of a stream merged from several lists: its place in each, and whose record it is. */
export interface MergedCursor {
  places: readonly SourcePlace[];
  /**
   * Which source the cursor's own record came from: paging backward leaves that record out and
   * keeps every other source's record at its place. `null` in cursors issued before it was recorded.
   */
  edgeSource: number | null;
}

type EncodedPosition = [offset: number, key: string, total?: number];
type EncodedPlace = EncodedPosition | null | typeof LIST_END;

interface CursorBody {
  /** Fingerprint of the connection the cursor belongs to. */
  c: string;
  p: EncodedPlace[];
  /** A merged cursor's `edgeSource`. */
  s?: number;
}

/** A short fingerprint of a connection's identity (vendor, resource, filters); hashed once, not per edge. */
export const connectionFingerprint = memoize(
  (connectionId: string) => createHash('sha256').update(connectionId).digest('base64url').slice(0, 12),
  1_024,
);

/** Encodes an opaque cursor bound to one connection. */
export function encodeCursor(connectionId: string, positions: CursorPositions): string {
  return encodeBody({ c: connectionFingerprint(connectionId), p: positions.map(encodePlace) });
}

/** Encodes an opaque cursor of a merged stream, bound to it. */
export function encodeMergedCursor(connectionId: string, cursor: MergedCursor): string {
  const body: CursorBody = { c: connectionFingerprint(connectionId), p: cursor.places.map(encodePlace) };
  if (cursor.edgeSource !== null) body.s = cursor.edgeSource;
  return encodeBody(body);
}

function encodeBody(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function encodePlace(place: SourcePlace): EncodedPlace {
  if (place === null || place === LIST_END) return place;
  return place.total === null ? [place.offset, place.key] : [place.offset, place.key, place.total];
}

/**
 * Decodes a cursor of this connection, or throws `BAD_USER_INPUT`: a cursor that is malformed
 * or was issued by another connection (other device, filter or source list) is refused, never
 * guessed at. With a `null` connection only the cursor's form is checked (before execution, when
 * the connection it will be used on is not known yet).
 */
export function decodeCursor(
  connectionId: string | null,
  cursor: string,
  argumentName: 'after' | 'before',
  expectedPositions: number,
): CursorPositions {
  const body = decodeBody(connectionId, cursor, argumentName, expectedPositions);
  return body.p.map((place) => {
    if (place === LIST_END) throw invalidCursor(argumentName);
    return decodePlace(place) as CursorPosition | null;
  });
}

/** Decodes a cursor of this merged stream of `sources` lists, or throws `BAD_USER_INPUT` as `decodeCursor` does. */
export function decodeMergedCursor(
  connectionId: string | null,
  cursor: string,
  argumentName: 'after' | 'before',
  sources: number,
): MergedCursor {
  const { p, s } = decodeBody(connectionId, cursor, argumentName, sources);
  // The cursor's own record has a position in its source.
  if (s !== undefined && !Array.isArray(p[s])) throw invalidCursor(argumentName);
  return { places: p.map(decodePlace), edgeSource: s ?? null };
}

function decodeBody(connectionId: string | null, cursor: string, argumentName: 'after' | 'before', expectedPlaces: number): CursorBody {
  const body = parseBody(cursor);
  if (!body || body.p.length !== expectedPlaces) throw invalidCursor(argumentName);
  if (connectionId !== null && body.c !== connectionFingerprint(connectionId)) {
    throw badUserInput(
      `\`${argumentName}\` is a cursor of another connection; use a cursor from this connection's edges or pageInfo.`,
      argumentName,
    );
  }
  return body;
}

function invalidCursor(argumentName: 'after' | 'before') {
  return badUserInput(`\`${argumentName}\` is not a valid cursor.`, argumentName);
}

function decodePlace(place: EncodedPlace): SourcePlace {
  return place === null || place === LIST_END ? place : { offset: place[0], key: place[1], total: place[2] ?? null };
}

/**
 * Refuses with `BAD_USER_INPUT` a cursor whose positions or totals lie beyond what its lists can
 * hold (`lists[i]` pages position `i`): devicegraph never issued it, and no vendor is asked.
 */
export function checkCursorBounds(positions: CursorPositions, lists: readonly PagingStyle[], argumentName: 'after' | 'before'): CursorPositions {
  positions.forEach((position, index) => {
    const list = lists[index]!;
    if (position === null) return;
    if (!holdsPosition(list, position.offset) || (position.total !== null && position.total > maxRecordsOf(list))) {
      throw badUserInput(
        `\`${argumentName}\` is not a valid cursor: it points past the ${maxRecordsOf(list)} records this list can hold.`,
        argumentName,
      );
    }
  });
  return positions;
}

function parseBody(cursor: string): CursorBody | undefined {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { c, p, s } = value as Record<string, unknown>;
  if (typeof c !== 'string' || !Array.isArray(p) || !p.every(isEncodedPlace)) return undefined;
  if (s === undefined) return { c, p };
  return isCount(s) && s < p.length ? { c, p, s } : undefined;
}

function isEncodedPlace(value: unknown): value is EncodedPlace {
  if (value === null || value === LIST_END) return true;
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  const [offset, key, total] = value as unknown[];
  return isCount(offset) && typeof key === 'string' && (total === undefined || isCount(total));
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
