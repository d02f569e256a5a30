import DataLoader from 'dataloader';

/** A key's canonical text: objects with their keys sorted, so equal requests share one cache entry. */
export function canonicalKey(value: unknown): string {
  return flatCanonicalKey(value) ?? sortedJson(value);
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_name, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}

/**
 * The canonical text of a plain object whose fields are all strings, numbers, booleans, `null` or
 * `undefined` (most keys), written without `sortedJson`'s replacer, which keeps JSON.stringify off
 * its fast path; `undefined` for any other value.
 */
function flatCanonicalKey(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  let text = '';
  for (const name of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[name];
    if (field === undefined) continue;
    if (field !== null && typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean') return undefined;
    text += `${text ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(field)}`;
  }
  return `{${text}}`;
}

/**
 * A per-request DataLoader over one vendor endpoint. Vendors have no batch endpoints, so each
 * distinct request is one call; what the loader adds is that the same request made twice in one
 * GraphQL operation (aliases, repeated fields, federation `_entities`) is fetched once.
 */
export function vendorLoader<K, V>(fetch: (key: K) => Promise<V>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    (keys) => Promise.all(keys.map((key) => fetch(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
    { cacheKeyFn: canonicalKey },
  );
}
