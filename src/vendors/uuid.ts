const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `value` is a UUID in its canonical 8-4-4-4-12 hex form, any case and any version: the
 * form of every Automox id and of NAVER Cloud subject ids.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
