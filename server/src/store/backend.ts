import type { DispatchStore, Result } from "sip-dispatch";
import type { HashKey, Records, SkippedRecord, Write } from "./records.js";

// Where records live. A backend persists and shares; it never decides: every write is decided by
// an operation over the records it hands in (built on `sip-dispatch`'s pure store), inside the
// backend's transaction.

/** What an operation decided: the value to answer and the records to write. */
export interface Decision<T> {
  value: T;
  writes: Write[];
  /** The pure store after the decision, when one decided it (reused for the next write). */
  store?: DispatchStore;
}

/** A full read of the store. */
export interface Loaded {
  records: Records;
  /** Records that did not decode: skipped, the rest serve. */
  skipped: SkippedRecord[];
}

export interface Backend {
  /** Read everything. Rejects when the store is unreachable. */
  load(): Promise<Loaded>;
  /**
   * Run `decide` over the current records of `keys` (the rest as last loaded) and persist its
   * writes atomically: when another writer changed one of `keys` meanwhile, run it again.
   * Resolves to the decision and every record after it (hashes not in `keys` as last read);
   * rejects when the store is unreachable.
   */
  transact<T>(keys: readonly HashKey[], decide: (records: Records) => Result<Decision<T>>): Promise<Result<{ decision: Decision<T>; records: Records }>>;
  /** Ask to be told of changes made by other writers sooner than the next poll (optional). */
  watch?(onChange: () => void): Promise<void>;
  close(): Promise<void>;
}
