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

/**
 * Remembers the results of a pure function of an object and a few plain values (compared with
 * `===`) for as long as the object lives: the vendor cache hands every hit the same frozen answer,
 * so what is derived from its records is built once per cached answer and dropped with it. At
 * most `variants` argument lists are kept per object (the oldest goes first). Results are frozen:
 * every caller shares them. For a value that is not an object nothing is remembered.
 */
export function memoizeByObject<O, A extends readonly unknown[], T>(fn: (object: O, ...args: A) => T, variants = 4): (object: O, ...args: A) => T {
  const results = new WeakMap<object, Array<{ args: A; result: T }>>();
  return (object, ...args) => {
    if (typeof object !== 'object' || object === null) return fn(object, ...args);
    let known = results.get(object);
    if (known) {
      for (const entry of known) {
        if (entry.args.every((arg, index) => arg === args[index])) return entry.result;
      }
    } else {
      known = [];
      results.set(object, known);
    }
    const result = Object.freeze(fn(object, ...args)) as T;
    if (known.length >= variants) known.shift();
    known.push({ args, result });
    return result;
  };
}
