// A persistent string-keyed map for the compiled index: native Maps in shards chosen by a hash of
// the key, so that a change copies the few shards it touches (and the shard directory), never the
// whole map. A lookup is one hash and one Map.get; versions share every shard neither changed.

/** Entries per shard when a map is built; a shard is copied whole on change, so it stays small. */
const SHARD_TARGET = 16;
/** Rebuilt with more shards once shards average this many entries. */
const SHARD_LIMIT = 64;

/** Code units hashed, from the end: bounded, so that a megabyte-long number costs no more than a short one. */
const HASHED_UNITS = 32;

/**
 * FNV-1a over the length and the last code units, with a final mix. Numbers and ids differ at
 * their end; keys alike there only share a shard, which makes updates of it slower, not wrong.
 */
// Stryker disable next-line BlockStatement: any deterministic hash gives the same contents; only the spread over shards changes (docs/testing.md lists it)
function hash(key: string): number {
  let h = Math.imul(0x811c9dc5 ^ key.length, 0x01000193);
  // Stryker disable next-line ArithmeticOperator,MethodExpression,ConditionalExpression,EqualityOperator: any deterministic hash gives the same contents; only the spread over shards changes (docs/testing.md lists it)
  for (let i = key.length - 1, end = Math.max(0, key.length - HASHED_UNITS); i >= end; i--) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

// Stryker disable next-line BlockStatement: any power of two (or one) selects a shard by mask: the same contents (docs/testing.md lists it)
const shardCountFor = (size: number): number => {
  let count = 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: any power of two (or one) selects a shard by mask: the same contents (docs/testing.md lists it)
  while (count * SHARD_TARGET < size) count *= 2;
  return count;
};

export class ShardedMap<V> {
  private constructor(
    private readonly shards: readonly (ReadonlyMap<string, V> | undefined)[],
    readonly size: number,
  ) {}

  static from<V>(entries: Iterable<readonly [string, V]>, sizeHint: number): ShardedMap<V> {
    const count = shardCountFor(sizeHint);
    const shards: (Map<string, V> | undefined)[] = new Array(count).fill(undefined);
    let size = 0;
    for (const [key, value] of entries) {
      const i = hash(key) & (count - 1);
      const shard = (shards[i] ??= new Map());
      if (!shard.has(key)) size++;
      shard.set(key, value);
    }
    return new ShardedMap(shards, size);
  }

  /**
   * A map sized for `sizeHint` entries, filled in place: `fill` is handed the shard that holds a
   * key (one hash per key, no copy-on-write bookkeeping, no intermediate Map to copy).
   */
  static build<V>(sizeHint: number, fill: (shardOf: (key: string) => Map<string, V>) => void): ShardedMap<V> {
    const shards: (Map<string, V> | undefined)[] = new Array(shardCountFor(sizeHint)).fill(undefined);
    const mask = shards.length - 1;
    fill((key) => (shards[hash(key) & mask] ??= new Map()));
    let size = 0;
    for (const shard of shards) size += shard?.size ?? 0;
    return new ShardedMap(shards, size);
  }

  get(key: string): V | undefined {
    return this.shards[hash(key) & (this.shards.length - 1)]?.get(key);
  }

  *entries(): IterableIterator<[string, V]> {
    for (const shard of this.shards) if (shard !== undefined) yield* shard;
  }

  /** Applies `edit` to a copy-on-write view: only the shards it writes to are copied. */
  with(edit: (map: MapEditor<V>) => void): ShardedMap<V> {
    const editor = new MapEditor(this.shards);
    edit(editor);
    if (editor.shards === this.shards) return this;
    const size = this.size + editor.sizeChange;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: re-sharding more or less often changes the number of shards, not the contents (docs/testing.md lists it)
    if (size > editor.shards.length * SHARD_LIMIT) return ShardedMap.from(new ShardedMap(editor.shards, size).entries(), size);
    return new ShardedMap(editor.shards, size);
  }
}

/** Writes to a ShardedMap version in the making; reads see the writes. */
export class MapEditor<V> {
  shards: (ReadonlyMap<string, V> | undefined)[];
  sizeChange = 0;
  private readonly copied = new Set<number>();
  private directoryCopied = false;

  constructor(shards: readonly (ReadonlyMap<string, V> | undefined)[]) {
    this.shards = shards as (ReadonlyMap<string, V> | undefined)[];
  }

  get(key: string): V | undefined {
    return this.shards[hash(key) & (this.shards.length - 1)]?.get(key);
  }

  private writable(key: string): Map<string, V> {
    const i = hash(key) & (this.shards.length - 1);
    // Stryker disable next-line ConditionalExpression: copying the directory again gives the same contents (docs/testing.md lists it)
    if (!this.directoryCopied) {
      this.shards = this.shards.slice();
      // Stryker disable next-line BooleanLiteral: copying the directory again gives the same contents (docs/testing.md lists it)
      this.directoryCopied = true;
    }
    // Stryker disable next-line ConditionalExpression: copying a shard again gives the same contents (docs/testing.md lists it)
    if (!this.copied.has(i)) {
      this.shards[i] = new Map(this.shards[i]);
      this.copied.add(i);
    }
    return this.shards[i] as Map<string, V>;
  }

  set(key: string, value: V): void {
    const shard = this.writable(key);
    if (!shard.has(key)) this.sizeChange++;
    shard.set(key, value);
  }

  delete(key: string): void {
    if (this.get(key) === undefined) return;
    if (this.writable(key).delete(key)) this.sizeChange--;
  }
}
