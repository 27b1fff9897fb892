import type { TraceEntry } from "../model/resolution.js";

// Trunks and rules as the command names them, and which trunk or rule each trace entry is about.
// Trunks and rules written before creation (the shapes in LiveKit's docs) have no id: they are
// named by their name, else by their position (`rules[2]`), never by an empty string.

/** The name of the trunk or rule at `index`: its id, else its name, else `trunks[i]` / `rules[i]`. */
export function displayName(kind: "trunks" | "rules", id: string, name: string, index: number): string {
  return id !== "" ? id : name !== "" ? name : `${kind}[${index}]`;
}

/**
 * For each trace entry, the index of the trunk or rule it is about. The trace lists them in id
 * order, those with equal ids (id-less ones above all) in the order given, so the n-th entry with
 * an id is the n-th item with that id. An entry that names an item by its display name (as the
 * library may for id-less items) is found by that name. One pass over each list.
 */
export function entryIndexes(entries: readonly TraceEntry[], ids: readonly string[], names: readonly string[]): (number | undefined)[] {
  const byId = new Map<string, number[]>();
  ids.forEach((id, index) => {
    const queue = byId.get(id);
    if (queue === undefined) byId.set(id, [index]);
    else queue.push(index);
  });
  let byName: Map<string, number> | undefined;
  const next = new Map<string, number>();
  return entries.map((entry) => {
    const queue = byId.get(entry.id);
    if (queue !== undefined) {
      const at = next.get(entry.id) ?? 0;
      next.set(entry.id, at + 1);
      return queue[Math.min(at, queue.length - 1)];
    }
    byName ??= new Map(names.map((name, index) => [name, index]));
    return byName.get(entry.id);
  });
}
