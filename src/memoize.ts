/**
 * Remembers the results of a pure function of a string, up to `maxEntries` (then starts over, so
 * memory stays bounded whatever callers send).
 */
export function memoize<T>(fn: (key: string) => T, maxEntries: number): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    if (results.has(key)) return results.get(key) as T;
    if (results.size >= maxEntries) results.clear();
    const result = fn(key);
    results.set(key, result);
    return result;
  };
}
