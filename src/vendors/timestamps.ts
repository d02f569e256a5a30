import { z } from 'zod';

/**
 * Vendor timestamps, read tolerantly: ISO-8601 with `Z` or a numeric offset (`+09:00`, `+0900`),
 * with or without fractional seconds, or epoch seconds (KOBIL's `logDate`).
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
/** The ISO-8601 timestamps `Date` reads as they are, needing no normalizing: what vendors mostly send. */
const DATE_READY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** UTC with milliseconds, as `Z`, `+0000` or `+00:00`: what vendors send most; `Date` reads its first 23 characters with `Z`. */
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|\+00:?00)$/;

/** Parses an ISO-8601 timestamp, or returns `undefined` when it is not one. */
export function parseIsoTimestamp(value: string): Date | undefined {
  const text = value.trim();
  let normalized = text;
  if (UTC_MILLIS.test(text)) {
    normalized = text.length === 24 ? text : `${text.slice(0, 23)}Z`;
  } else if (!DATE_READY.test(text)) {
    if (!ISO_8601.test(text)) return undefined;
    normalized = text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/(\.\d{3})\d+/, '$1');
  }
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * `date.toISOString()` for the `date` parsed from `sent`, read off `sent` when it is already that
 * text (UTC with milliseconds on a day and hour `Date` did not roll over): half the time of asking `date`.
 */
export function isoStringOf(date: Date, sent: string): string {
  const rolledOver = sent.slice(8, 10) > '28' || sent.slice(11, 13) === '24';
  return UTC_MILLIS.test(sent) && !rolledOver ? `${sent.slice(0, 23)}Z` : date.toISOString();
}

/** Parses epoch seconds given as a number or a numeric string, or returns `undefined`. */
export function parseEpochSeconds(value: string | number): Date | undefined {
  const seconds = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(seconds)) return undefined;
  return new Date(seconds * 1000);
}

/** For zod transforms: the `Date` of an ISO-8601 timestamp, or an issue on the field. */
export function readIsoTimestamp(text: string, ctx: z.RefinementCtx): Date {
  const date = parseIsoTimestamp(text);
  if (date) return date;
  ctx.addIssue({ code: 'custom', message: 'not an ISO-8601 timestamp' });
  return z.NEVER;
}

/** A vendor timestamp field in ISO-8601, read as a `Date`. */
export const isoTimestamp = z.string().transform(readIsoTimestamp);
