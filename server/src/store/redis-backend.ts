import { Redis } from "ioredis";
import type { Result } from "sip-dispatch";
import type { Backend, Decision, Loaded } from "./backend.js";
import {
  ALL_HASHES,
  applyWrites,
  decodeDispatchRule,
  decodeInboundTrunk,
  decodeLegacyTrunk,
  decodeOutboundTrunk,
  emptyRecords,
  HASH,
  mapOf,
  type HashKey,
  type Records,
  type SkippedRecord,
  type StoredRecord,
} from "./records.js";

// LiveKit's own Redis layout (livekit/livekit pkg/service/redisstore_sip.go). Reads decode only
// records whose bytes changed since the last read, so unchanged records keep their identity and
// the service sees exactly which ids changed. Writes are optimistic transactions (WATCH the
// hashes the decision read, MULTI, EXEC, again on contention) on a connection of their own, one at
// a time per process: WATCH state belongs to a connection.

const ATTEMPTS = 100;

const decoders: Record<HashKey, (bytes: Uint8Array) => Result<StoredRecord>> = {
  [HASH.inbound]: decodeInboundTrunk,
  [HASH.outbound]: decodeOutboundTrunk,
  [HASH.legacy]: decodeLegacyTrunk,
  [HASH.rules]: decodeDispatchRule,
};

interface Cached {
  bytes: Buffer;
  record?: StoredRecord;
  skipped?: SkippedRecord;
}

/** Wait (a little) for a reconnecting client, so a write during a short reconnect is not refused. */
function ready(client: Redis, ms: number): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`no connection to Redis (${client.status})`));
    }, ms);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once("ready", onReady);
  });
}

const connect = async (client: Redis): Promise<void> => {
  if (client.status === "wait") await client.connect().catch(() => undefined);
};

function newClient(target: string | Redis): Redis {
  const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(100 * times, 1000) };
  return typeof target === "string" ? new Redis(target, options) : target.duplicate(options);
}

export async function redisBackend(target: string | Redis): Promise<Backend> {
  const reader = newClient(target);
  const writer = newClient(target);
  let subscriber: Redis | undefined;
  for (const client of [reader, writer]) client.on("error", () => undefined); // reported through failed commands
  await Promise.all([connect(reader), connect(writer)]);

  const cache = new Map<HashKey, Map<string, Cached>>(ALL_HASHES.map((k) => [k, new Map()]));
  let records = emptyRecords();

  /**
   * Bring the cache of `key` to `raw`; returns `base` with that hash replaced. When no record of
   * the hash changed, its map is `base`'s own, so whatever was built from it (the pure store) is
   * reused.
   */
  const absorb = (base: Records, key: HashKey, raw: Record<string, Buffer>): Records => {
    const previous = cache.get(key)!;
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
    cache.set(key, next);
    const out = { ...base };
    (out as Record<string, unknown>)[fieldOf(key)] = map;
    return out;
  };

  const skipped = (): SkippedRecord[] => [...cache.values()].flatMap((m) => [...m.values()].flatMap((c) => (c.skipped === undefined ? [] : [c.skipped])));

  const readHashes = async (client: Redis, keys: readonly HashKey[]): Promise<Record<string, Buffer>[]> => {
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.hgetallBuffer(key);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, Buffer>;
    });
  };

  const load = async (): Promise<Loaded> => {
    const raws = await readHashes(reader, ALL_HASHES);
    let next = records;
    ALL_HASHES.forEach((key, i) => (next = absorb(next, key, raws[i]!)));
    records = next;
    return { records, skipped: skipped() };
  };

  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const attempt = async <T>(keys: readonly HashKey[], decide: (r: Records) => Result<Decision<T>>): Promise<Result<{ decision: Decision<T>; records: Records }> | "retry"> => {
    await ready(writer, 2000);
    await writer.watch(...keys);
    let current = records;
    try {
      const raws = await readHashes(writer, keys);
      keys.forEach((key, i) => (current = absorb(current, key, raws[i]!)));
    } catch (error) {
      await writer.unwatch().catch(() => undefined);
      throw error;
    }
    records = current;
    const decision = decide(current);
    if (!decision.ok) {
      await writer.unwatch();
      return decision;
    }
    const multi = writer.multi();
    for (const w of decision.value.writes) {
      if (w.set === undefined) multi.hdel(w.key, w.id);
      else multi.hset(w.key, w.id, Buffer.from(w.set.bytes));
    }
    const done = await multi.exec();
    if (done === null) return "retry";
    for (const w of decision.value.writes) {
      const entries = cache.get(w.key)!;
      if (w.set === undefined) entries.delete(w.id);
      else entries.set(w.id, { bytes: Buffer.from(w.set.bytes), record: w.set.record });
    }
    records = applyWrites(current, decision.value.writes);
    return { ok: true, value: { decision: decision.value, records } };
  };

  const transact: Backend["transact"] = (keys, decide) =>
    serially(async () => {
      for (let i = 0; i < ATTEMPTS; i++) {
        const outcome = await attempt(keys, decide);
        if (outcome !== "retry") return outcome;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(i + 1, 10)));
      }
      return { ok: false, error: { code: "aborted", message: `the store kept changing: no write after ${ATTEMPTS} attempts` } };
    });

  const watch = async (onChange: () => void): Promise<void> => {
    subscriber = newClient(target);
    subscriber.on("error", () => undefined);
    subscriber.on("pmessage", () => onChange());
    await connect(subscriber);
    await subscriber.psubscribe(...ALL_HASHES.map((key) => `__keyspace@*__:${key}`)).catch(() => undefined);
  };

  const close = async (): Promise<void> => {
    await Promise.all([reader, writer, subscriber].map((c) => (c === undefined ? undefined : c.quit().catch(() => c.disconnect()))));
  };

  return { load, transact, watch, close };
}

function fieldOf(key: HashKey): keyof Records {
  return key === HASH.inbound ? "inbound" : key === HASH.outbound ? "outbound" : key === HASH.legacy ? "legacy" : "rules";
}

export { mapOf };
