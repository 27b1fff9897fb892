import { compileDispatch, type Dispatcher, type DispatchStore, type Result } from "sip-dispatch";
import type { Backend, Decision } from "./store/backend.js";
import { applyChanges, changesBetween, idsChanged, idsWritten, type ChangedIds } from "./store/dispatcher-updates.js";
import type { PureStoreOf } from "./store/operations.js";
import { pureStoreFrom } from "./store/pure-store.js";
import { emptyRecords, inboundView, rulesView, type HashKey, type Records, type SkippedRecord } from "./store/records.js";

// What the service keeps between calls. Dispatch answers from memory, synchronously, so a store
// that is slow or gone delays no call: reads of other writers' changes (sync) and this process's
// writes (write) bring the copy up to date, and the dispatcher follows every change by
// `Dispatcher.update`, at the cost of the change.

export interface StoreMirrorOptions {
  /** Which backend holds the records; only Redis has other writers, so only it is read again before a listing. */
  store: "memory" | "redis";
  randomId: () => string;
  log: (line: string) => void;
}

/** What `DispatchService.status()` reports. */
export interface DispatchServiceStatus {
  /** Which backend holds the records. */
  store: "memory" | "redis";
  version: number;
  lastSyncAt?: number;
  stale: boolean;
  skipped: SkippedRecord[];
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** This process's copy of a backend's records, the dispatcher over them, and the pure store that checks writes. */
export class StoreMirror {
  private records: Records = emptyRecords();
  private loadSkipped: SkippedRecord[] = [];
  private refused: SkippedRecord[] = [];
  private pure: { records: Records; store: DispatchStore } | undefined;
  private current: Dispatcher = compileDispatch([], []);
  private version = 0;
  private lastSyncAt: number | undefined;
  private stale = false;
  private readonly backend: Backend;
  private readonly options: StoreMirrorOptions;

  constructor(backend: Backend, options: StoreMirrorOptions) {
    this.backend = backend;
    this.options = options;
  }

  /** The dispatcher over the records as last read or written. */
  get dispatcher(): Dispatcher {
    return this.current;
  }

  /** The pure store over `r`, built again only when its inbound, legacy or rule records changed. */
  readonly pureOf: PureStoreOf = (r) => {
    const pure = this.pure;
    if (pure !== undefined && pure.records.inbound === r.inbound && pure.records.legacy === r.legacy && pure.records.rules === r.rules) return pure.store;
    const built = pureStoreFrom(inboundView(r), rulesView(r), this.options.randomId);
    if (built.refused.length > 0 && r === this.records) this.refused = built.refused;
    for (const x of built.refused) this.options.log(`sip-dispatch-server: record ${x.key}/${x.id} left out of write checks: ${x.reason}`);
    this.pure = { records: r, store: built.store };
    return built.store;
  };

  /** Read the backend for other writers' changes; when it cannot be read, keep answering from what was read last. */
  async sync(): Promise<void> {
    let loaded;
    try {
      loaded = await this.backend.load();
    } catch (error) {
      if (!this.stale) this.options.log(`sip-dispatch-server: store unreachable, answering from the last good configuration: ${reason(error)}`);
      this.stale = true;
      return;
    }
    const ids = idsChanged(this.records, loaded.records);
    for (const x of loaded.skipped) if (!this.loadSkipped.some((s) => s.key === x.key && s.id === x.id)) this.options.log(`sip-dispatch-server: skipped ${x.key}/${x.id}: ${x.reason}`);
    this.loadSkipped = loaded.skipped;
    if (ids.trunkIds.size + ids.ruleIds.size + ids.outboundIds.size > 0) this.adopt(loaded.records, ids);
    this.lastSyncAt = Date.now();
    this.stale = false;
  }

  /** Decide and persist one write in the backend's transaction over `keys`; the copy takes in the records after it. */
  async write<T>(keys: readonly HashKey[], decide: (r: Records) => Result<Decision<T>>): Promise<Result<T>> {
    let done;
    try {
      done = await this.backend.transact(keys, decide);
    } catch (error) {
      this.stale = true;
      return { ok: false, error: { code: "unavailable", message: `store unavailable: ${reason(error)}` } };
    }
    if (!done.ok) return done;
    const { decision, records: after } = done.value;
    this.adopt(after, idsWritten(decision.writes));
    // The pure store that decided already holds the write: the next write starts from it.
    if (decision.store !== undefined) this.pure = { records: after, store: decision.store };
    return { ok: true, value: decision.value };
  }

  /** Every record, read again first where another writer may have changed it. */
  async refreshed(): Promise<Records> {
    if (this.options.store === "redis") await this.sync();
    return this.records;
  }

  status(): DispatchServiceStatus {
    const { store } = this.options;
    const lastSyncAt = this.lastSyncAt;
    return { store, version: this.version, ...(lastSyncAt === undefined ? {} : { lastSyncAt }), stale: this.stale, skipped: [...this.loadSkipped, ...this.refused] };
  }

  /** Adopt `next` as the current records: the dispatcher follows the ids that changed. */
  private adopt(next: Records, ids: ChangedIds): void {
    const changes = changesBetween(this.records, next, ids);
    this.records = next;
    const updated = applyChanges(this.current, changes);
    if (updated !== this.current) {
      this.current = updated;
      this.version++;
    }
  }
}
