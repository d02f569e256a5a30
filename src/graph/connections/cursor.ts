import { createHash } from 'node:crypto';
import { memoize } from '../../memoize.js';
import { badUserInput } from '../errors.js';
import { holdsPosition, maxRecordsOf, type PagingStyle } from './page-plan.js';

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

type EncodedPosition = [offset: number, key: string, total?: number] | null;

interface CursorBody {
  /** Fingerprint of the connection the cursor belongs to. */
  c: string;
  p: EncodedPosition[];
}

/** A short fingerprint of a connection's identity (vendor, resource, filters); hashed once, not per edge. */
export const connectionFingerprint = memoize(
  (connectionId: string) => createHash('sha256').update(connectionId).digest('base64url').slice(0, 12),
  1_024,
);

/** Encodes an opaque cursor bound to one connection. */
export function encodeCursor(connectionId: string, positions: CursorPositions): string {
  const body: CursorBody = {
    c: connectionFingerprint(connectionId),
    p: positions.map((p) => (p === null ? null : p.total === null ? [p.offset, p.key] : [p.offset, p.key, p.total])),
  };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
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
  const body = parseBody(cursor);
  if (!body || body.p.length !== expectedPositions) throw badUserInput(`\`${argumentName}\` is not a valid cursor.`, argumentName);
  if (connectionId !== null && body.c !== connectionFingerprint(connectionId)) {
    throw badUserInput(
      `\`${argumentName}\` is a cursor of another connection; use a cursor from this connection's edges or pageInfo.`,
      argumentName,
    );
  }
  return body.p.map((p) => (p === null ? null : { offset: p[0], key: p[1], total: p[2] ?? null }));
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
  const { c, p } = value as Record<string, unknown>;
  if (typeof c !== 'string' || !Array.isArray(p) || !p.every(isEncodedPosition)) return undefined;
  return { c, p };
}

function isEncodedPosition(value: unknown): value is EncodedPosition {
  if (value === null) return true;
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  const [offset, key, total] = value as unknown[];
  const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return isCount(offset) && typeof key === 'string' && (total === undefined || isCount(total));
}
