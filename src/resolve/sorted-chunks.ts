import { compareBytes } from "../match/rule-match.js";

// A persistent list kept in id order, in chunks: a change copies the chunks it touches and the
// chunk directory, not the list. Entries with equal ids keep their relative order.

const CHUNK = 256;

export class SortedChunks<T> {
  private array: readonly T[] | undefined;

  private constructor(
    private readonly chunks: readonly (readonly T[])[],
    private readonly idOf: (item: T) => string,
  ) {}

  /** From a list already in id order. */
  static fromSorted<T>(items: readonly T[], idOf: (item: T) => string): SortedChunks<T> {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += CHUNK) chunks.push(items.slice(i, i + CHUNK));
    const list = new SortedChunks(chunks, idOf);
    list.array = items;
    return list;
  }

  /** The whole list as one array, built once per version (the trace reads every entry). */
  toArray(): readonly T[] {
    return (this.array ??= this.chunks.flat() as T[]);
  }

  /** The index of the first chunk that holds `id` or where it would go. */
  private chunkFor(id: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (compareBytes(this.idOf(chunk[chunk.length - 1]!), id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The entries with `id`, in list order (several when ids repeat): two binary searches. */
  withId(id: string): T[] {
    const found: T[] = [];
    for (let c = this.chunkFor(id); c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      let lo = 0;
      let hi = chunk.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareBytes(this.idOf(chunk[mid]!), id) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < chunk.length; i++) {
        if (this.idOf(chunk[i]!) !== id) return found;
        found.push(chunk[i]!);
      }
    }
    return found;
  }

  /**
   * Every entry whose id is in `removed` dropped, then `added` inserted in id order (among equal
   * ids, in the order given). Each added id must be in `removed`, so none meets an old entry.
   */
  edit(removed: ReadonlySet<string>, added: readonly T[]): SortedChunks<T> {
    if (removed.size === 0 && added.length === 0) return this;
    const idOf = this.idOf;
    if (this.chunks.length === 0) return SortedChunks.fromSorted(sortStable(added, idOf), idOf);
    // Which chunks change, and which added entries each receives.
    const incoming = new Map<number, T[]>();
    const touched = new Set<number>();
    for (const id of removed) {
      let i = this.chunkFor(id);
      touched.add(i);
      // Equal ids may run on into the next chunks.
      while (i + 1 < this.chunks.length && this.idOf(this.chunks[i + 1]![0]!) === id) touched.add(++i);
    }
    for (const item of added) {
      const i = this.chunkFor(idOf(item));
      touched.add(i);
      const list = incoming.get(i);
      if (list === undefined) incoming.set(i, [item]);
      else list.push(item);
    }
    const chunks: (readonly T[])[] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      if (!touched.has(i)) {
        chunks.push(chunk);
        continue;
      }
      const kept = chunk.filter((item) => !removed.has(idOf(item)));
      const merged = mergeSorted(kept, sortStable(incoming.get(i) ?? [], idOf), idOf);
      for (let at = 0; at < merged.length; at += CHUNK) chunks.push(merged.slice(at, at + CHUNK));
    }
    return new SortedChunks(chunks, idOf);
  }
}

function sortStable<T>(items: readonly T[], idOf: (item: T) => string): T[] {
  return items.length <= 1 ? [...items] : [...items].sort((a, b) => compareBytes(idOf(a), idOf(b)));
}

/** Two lists in id order merged; on equal ids (never across the two lists here) `a` first. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], idOf: (item: T) => string): T[] {
  if (b.length === 0) return a as T[];
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(compareBytes(idOf(a[i]!), idOf(b[j]!)) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
