import type { Result } from "sip-dispatch";
import {
  ALL_HASHES,
  applyWrites,
  decodeDispatchRule,
  decodeInboundTrunk,
  decodeLegacyTrunk,
  decodeOutboundTrunk,
  emptyRecords,
  HASH,
  setMapOf,
  type HashKey,
  type Records,
  type SkippedRecord,
  type StoredRecord,
  type Write,
} from "./records.js";

// The Redis backend's memory of what it read: each hash's fields with their bytes and what they
// decoded to. A field is decoded again only when its bytes change, so unchanged records keep their
// identity and the service sees exactly which ids changed.

const decoders: Record<HashKey, (bytes: Uint8Array) => Result<StoredRecord>> = {
  [HASH.inbound]: decodeInboundTrunk,
  [HASH.outbound]: decodeOutboundTrunk,
  [HASH.legacy]: decodeLegacyTrunk,
  [HASH.rules]: decodeDispatchRule,
};

/** One field of a hash as last read or written: its bytes and the record or the reason it was skipped. */
interface Cached {
  bytes: Buffer;
  record?: StoredRecord;
  skipped?: SkippedRecord;
}

/** Every hash as last read or written, decoded. */
export class RecordCache {
  private readonly entries = new Map<HashKey, Map<string, Cached>>(ALL_HASHES.map((k) => [k, new Map()]));
  private current: Records = emptyRecords();

  /** The records as last read or written. */
  get records(): Records {
    return this.current;
  }

  /**
   * Bring the hashes `keys` to what was read of them (`raws[i]` for `keys[i]`); the records become
   * `base` with those hashes replaced, and are returned. A hash none of whose records changed
   * keeps `base`'s own map, so whatever was built from it (the pure store) is reused.
   */
  absorb(base: Records, keys: readonly HashKey[], raws: readonly Record<string, Buffer>[]): Records {
    let next = base;
    keys.forEach((key, i) => (next = this.absorbHash(next, key, raws[i]!)));
    this.current = next;
    return next;
  }

  /**
   * Take in `writes` that were committed over `base`: their bytes are known, so the next read does
   * not decode them again. The records become `base` with the writes applied, and are returned.
   */
  committed(base: Records, writes: readonly Write[]): Records {
    for (const w of writes) {
      const entries = this.entries.get(w.key)!;
      if (w.set === undefined) entries.delete(w.id);
      else entries.set(w.id, { bytes: Buffer.from(w.set.bytes), record: w.set.record });
    }
    this.current = applyWrites(base, writes);
    return this.current;
  }

  /** The fields that did not decode, in every hash. */
  skipped(): SkippedRecord[] {
    return [...this.entries.values()].flatMap((m) => [...m.values()].flatMap((c) => (c.skipped === undefined ? [] : [c.skipped])));
  }

  private absorbHash(base: Records, key: HashKey, raw: Record<string, Buffer>): Records {
    const previous = this.entries.get(key)!;
    const next = new Map<string, Cached>();
    const map = new Map<string, StoredRecord>();
    let changed = Object.keys(raw).length !== previous.size;
    for (const [id, bytes] of Object.entries(raw)) {
      const old = previous.get(id);
      let entry: Cached;
      if (old !== undefined && old.bytes.equals(bytes)) entry = old;
      else {
        changed = true;
        const decoded = decoders[key](bytes);
        entry = decoded.ok ? { bytes, record: decoded.value } : { bytes, skipped: { key, id, reason: decoded.error.message } };
      }
      next.set(id, entry);
      if (entry.record !== undefined) map.set(id, entry.record);
    }
    if (!changed) return base;
    this.entries.set(key, next);
    const out = { ...base };
    setMapOf(out, key, map);
    return out;
  }
}
