// Configuration-derived parts of a resolution (trunk settings, roomConfig) are deep copies made
// once when a configuration is prepared, frozen, and shared by every resolution that uses them.

/** Copies a JSON-like value and freezes the copy; `__proto__` keys stay data. */
export function frozenCopy<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = frozenCopy((value as Record<string, unknown>)[key]);
    if (key === "__proto__") Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return Object.freeze(copy) as T;
}

/** A string map with no `__proto__` key can be copied with Object.assign, the fastest way on Node 20. */
export const copiesWithAssign = (map: Record<string, string>): boolean => !Object.hasOwn(map, "__proto__");
