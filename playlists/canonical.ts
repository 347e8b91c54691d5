/** JSON with object keys sorted at every level, so equal values serialize to equal text (and sign alike). */
export function canonicalJson(value: unknown): string {
  const ordered = inKeyOrder(value);
  // JSON.stringify without a replacer keeps its fast path: no call back into JS per value.
  return ordered === USE_REPLACER
    ? JSON.stringify(value, sortingReplacer)
    : JSON.stringify(ordered);
}

/** What canonicalJson means: JSON.stringify with every object's keys sorted by a replacer. */
function sortingReplacer(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
  return sorted;
}

/**
 * A value the fast way cannot write as the replacer would (an object with a toJSON method,
 * whose result JSON.stringify passes to the replacer, or with an own "__proto__"): left to the
 * replacer.
 */
const USE_REPLACER = Symbol('use the replacer');

/**
 * `value` with the keys of every object in sorted order, for JSON.stringify to write as it
 * would sortingReplacer's: objects and arrays already in order are kept as they are (plan
 * documents come from a schema, so most are), the others copied; USE_REPLACER for a value
 * holding an object the fast way cannot write (see USE_REPLACER).
 */
function inKeyOrder(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return USE_REPLACER;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const ordered = inKeyOrder(item);
      if (ordered === USE_REPLACER) return USE_REPLACER;
      if (ordered !== item) {
        copy ??= value.slice();
        copy[i] = ordered;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    // An own "__proto__" would set a copy's prototype instead: the replacer's own way with it.
    if (k === '__proto__') return USE_REPLACER;
    if (i > 0 && !((keys[i - 1] as string) < k)) sorted = false;
  }
  if (!sorted) sortKeys(keys);
  let copy: Record<string, unknown> | undefined = sorted ? undefined : {};
  for (const key of keys) {
    const item = record[key];
    const ordered = inKeyOrder(item);
    if (ordered === USE_REPLACER) return USE_REPLACER;
    if (copy === undefined && ordered !== item) {
      // Keys in order, but a value inside changed: a copy from here on, in the same order.
      copy = {};
      for (const before of keys) {
        if (before === key) break;
        copy[before] = record[before];
      }
    }
    if (copy !== undefined) copy[key] = ordered;
  }
  return copy ?? value;
}

/**
 * Sorts an object's keys as `keys.sort()` does (by UTF-16 code units, which is what `<` compares).
 * A plan object has a handful of keys and a publish sorts those of every board twice: V8's sort
 * copies the array into a work area each time (18 of the 100 MB a 10,000-board publish
 * allocated), an insertion sort in place allocates nothing.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && key < (keys[j] as string)) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
}
