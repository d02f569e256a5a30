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

/** Remembers the result of a pure function of an object for as long as the object lives. */
export function memoizeByObject<O extends object, T>(fn: (object: O) => T): (object: O) => T {
  const results = new WeakMap<O, T>();
  return (object) => {
    if (results.has(object)) return results.get(object) as T;
    const result = fn(object);
    results.set(object, result);
    return result;
  };
}

/**
 * Where values derived from the records of one vendor answer are kept: `slots(answer, variant)`
 * is an array index-aligned with the answer's records, empty until the caller fills it, kept for
 * as long as the answer lives. The vendor cache hands every hit the same frozen answer, so what
 * is derived from a cached answer's records is built once, and dropped with the answer; one
 * WeakMap entry per answer (not per record) keeps a fresh answer cheap. A variant is a list of
 * plain values compared one by one with `===`; at most `variants` per answer (the oldest goes first).
 */
export type AnswerSlots<V> = (answer: readonly unknown[], variant: readonly unknown[]) => Array<V | undefined>;

export function answerSlots<V>(variants = 4): AnswerSlots<V> {
  const known = new WeakMap<readonly unknown[], Array<{ variant: readonly unknown[]; slots: Array<V | undefined> }>>();
  return (answer, variant) => {
    let entries = known.get(answer);
    if (entries) {
      for (const entry of entries) {
        if (entry.variant.length === variant.length && entry.variant.every((part, index) => part === variant[index])) return entry.slots;
      }
    } else {
      entries = [];
      known.set(answer, entries);
    }
    const slots = new Array<V | undefined>(answer.length);
    if (entries.length >= variants) entries.shift();
    entries.push({ variant, slots });
    return slots;
  };
}
