import { Redis } from "ioredis";
import type { Result } from "sip-dispatch";
import type { Backend, Decision, Loaded } from "./backend.js";
import { RecordCache } from "./record-cache.js";
import { ALL_HASHES, type HashKey, type Records, type Write } from "./records.js";

// LiveKit's own Redis layout (livekit/livekit pkg/service/redisstore_sip.go). Reads decode only
// records whose bytes changed since the last read (RecordCache), so unchanged records keep their
// identity and the service sees exactly which ids changed. Writes are optimistic transactions
// (WATCH the hashes the decision read, MULTI, EXEC, again on contention) on a connection of their
// own, one at a time per process: WATCH state belongs to a connection.

const ATTEMPTS = 100;

type Outcome<T> = Result<{ decision: Decision<T>; records: Records }>;

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

/** The fields of each hash of `keys`, in one round trip. Rejects when one read failed. */
async function readHashes(client: Redis, keys: readonly HashKey[]): Promise<Record<string, Buffer>[]> {
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.hgetallBuffer(key);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value as Record<string, Buffer>;
  });
}

/** Runs tasks one after another, each whether or not the one before failed. */
function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
}

/** Persists `writes` in one MULTI/EXEC on `writer`; false when a watched hash changed meanwhile (nothing written). */
async function commit(writer: Redis, writes: readonly Write[]): Promise<boolean> {
  const multi = writer.multi();
  for (const w of writes) {
    if (w.set === undefined) multi.hdel(w.key, w.id);
    else multi.hset(w.key, w.id, Buffer.from(w.set.bytes));
  }
  return (await multi.exec()) !== null;
}

/**
 * One optimistic write: WATCH `keys`, read them, decide over them and commit the decision's
 * writes; "retry" when another writer changed one of `keys` in between.
 */
async function attempt<T>(writer: Redis, cache: RecordCache, keys: readonly HashKey[], decide: (r: Records) => Result<Decision<T>>): Promise<Outcome<T> | "retry"> {
  await ready(writer, 2000);
  await writer.watch(...keys);
  const base = cache.records;
  let current: Records;
  try {
    current = cache.absorb(base, keys, await readHashes(writer, keys));
  } catch (error) {
    await writer.unwatch().catch(() => undefined);
    throw error;
  }
  const decision = decide(current);
  if (!decision.ok) {
    await writer.unwatch();
    return decision;
  }
  if (!(await commit(writer, decision.value.writes))) return "retry";
  return { ok: true, value: { decision: decision.value, records: cache.committed(current, decision.value.writes) } };
}

/**
 * Runs `once` until it does not ask to retry, at most ATTEMPTS times. The pause after each try
 * grows and is random, so contending writers fall out of step.
 */
async function retrying<T>(once: () => Promise<Outcome<T> | "retry">): Promise<Outcome<T>> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const outcome = await once();
    if (outcome !== "retry") return outcome;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(i + 1, 10)));
  }
  return { ok: false, error: { code: "aborted", message: `the store kept changing: no write after ${ATTEMPTS} attempts` } };
}

/** Has `subscriber` call `onChange` on every keyspace notification of the four hashes. */
async function listenForChanges(subscriber: Redis, onChange: () => void): Promise<void> {
  subscriber.on("error", () => undefined);
  subscriber.on("pmessage", () => onChange());
  await connect(subscriber);
  await subscriber.psubscribe(...ALL_HASHES.map((key) => `__keyspace@*__:${key}`)).catch(() => undefined);
}

/** The backend over LiveKit's Redis at `target` (a URL, or a client whose settings are copied). */
export async function redisBackend(target: string | Redis): Promise<Backend> {
  const reader = newClient(target);
  const writer = newClient(target);
  let subscriber: Redis | undefined;
  for (const client of [reader, writer]) client.on("error", () => undefined); // reported through failed commands
  await Promise.all([connect(reader), connect(writer)]);
  const cache = new RecordCache();
  const serially = serialQueue();

  const load = async (): Promise<Loaded> => {
    const raws = await readHashes(reader, ALL_HASHES);
    return { records: cache.absorb(cache.records, ALL_HASHES, raws), skipped: cache.skipped() };
  };

  return {
    load,
    transact: (keys, decide) => serially(() => retrying(() => attempt(writer, cache, keys, decide))),
    watch: async (onChange) => {
      // Assigned before connecting, so a close during the connect closes it too.
      subscriber = newClient(target);
      await listenForChanges(subscriber, onChange);
    },
    close: async () => {
      await Promise.all([reader, writer, subscriber].map((c) => (c === undefined ? undefined : c.quit().catch(() => c.disconnect()))));
    },
  };
}
