import { stableJson } from "./summary.js";

// Which trunks and rules differ between two configurations, by id and content. Entries that share
// an id are compared as the list they form, in order: for duplicate ids LiveKit's order decides.

const listsByIds = <T>(entries: readonly T[], idOf: (entry: T) => string): Map<string, T[]> => {
  const byId = new Map<string, T[]>();
  for (const entry of entries) {
    const id = idOf(entry);
    const list = byId.get(id);
    if (list === undefined) byId.set(id, [entry]);
    else list.push(entry);
  }
  return byId;
};

/** Two entries are the same when they are one object, or read as the same JSON (key order aside). */
const sameEntry = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b) || stableJson(a) === stableJson(b);

/** The ids whose entries are not the same in `before` and `after` (added, removed or edited). */
export function changedIds<T>(before: readonly T[], after: readonly T[], idOf: (entry: T) => string): Set<string> {
  const was = listsByIds(before, idOf);
  const is = listsByIds(after, idOf);
  const changed = new Set<string>();
  for (const [id, list] of was) {
    const now = is.get(id);
    if (now === undefined || now.length !== list.length || list.some((entry, i) => !sameEntry(entry, now[i]))) changed.add(id);
  }
  for (const id of is.keys()) if (!was.has(id)) changed.add(id);
  return changed;
}
