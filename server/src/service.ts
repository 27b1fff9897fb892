import type { Redis } from "ioredis";
import type {
  DispatchConfig,
  Dispatcher,
  DispatchResolution,
  DispatchRuleListFilter,
  InboundCall,
  InboundTrunkListFilter,
  ResolveOptions,
  Result,
  SIPDispatchRuleInfo,
  SIPDispatchRuleUpdate,
  SIPInboundTrunkInfo,
  SIPInboundTrunkUpdate,
} from "sip-dispatch";
import type { SIPOutboundTrunkInfo as ProtoOutboundTrunk, SIPOutboundTrunkUpdate, SIPTrunkInfo as ProtoLegacyTrunk } from "@livekit/protocol";
import type { Backend } from "./store/backend.js";
import { memoryBackend } from "./store/memory-backend.js";
import { createLegacyTrunk, deleteAnyTrunk, inboundOps, outboundOps, ruleOps } from "./store/operations.js";
import { emptyRecords, HASH, type HashKey, type Records } from "./store/records.js";
import { redisBackend } from "./store/redis-backend.js";
import { StoreMirror, type DispatchServiceStatus } from "./store-mirror.js";
import { randomSuffix } from "./random.js";

/** Options of {@link createDispatchService}. */
export interface DispatchServiceOptions {
  /** `"memory"` (default) or LiveKit's Redis layout: an ioredis instance or a `redis://` URL. */
  store?: "memory" | { redis: string | Redis };
  /** The in-memory store's starting configuration. */
  seed?: DispatchConfig;
  /** How often the Redis store is read for other writers' changes (default 1000 ms). */
  pollMs?: number;
  /** The 12-character suffix of new ids and random room parts (default: CSPRNG, LiveKit's alphabet). */
  randomId?: () => string;
  /** Where faults are reported (default: stderr). Never receives secrets or pins. */
  log?: (line: string) => void;
}

export type { DispatchServiceStatus };

type Answer<T> = Promise<Result<T>>;

/** Trunks and rules kept in a store, and decisions over them. See SERVER.md. */
export interface DispatchService {
  resolve(call: InboundCall, options?: ResolveOptions): DispatchResolution;
  dispatcher(): Dispatcher;
  createInboundTrunk(trunk: SIPInboundTrunkInfo): Answer<SIPInboundTrunkInfo>;
  updateInboundTrunk(id: string, update: SIPInboundTrunkUpdate): Answer<SIPInboundTrunkInfo>;
  replaceInboundTrunk(id: string, trunk: SIPInboundTrunkInfo): Answer<SIPInboundTrunkInfo>;
  deleteInboundTrunk(id: string): Answer<SIPInboundTrunkInfo>;
  createDispatchRule(rule: SIPDispatchRuleInfo): Answer<SIPDispatchRuleInfo>;
  updateDispatchRule(id: string, update: SIPDispatchRuleUpdate): Answer<SIPDispatchRuleInfo>;
  replaceDispatchRule(id: string, rule: SIPDispatchRuleInfo): Answer<SIPDispatchRuleInfo>;
  deleteDispatchRule(id: string): Answer<SIPDispatchRuleInfo>;
  listInboundTrunks(filter?: InboundTrunkListFilter): Promise<SIPInboundTrunkInfo[]>;
  listDispatchRules(filter?: DispatchRuleListFilter): Promise<SIPDispatchRuleInfo[]>;
  /** Outbound and legacy trunks, for the SIP API (they play no part in dispatch). */
  createOutboundTrunk(trunk: ProtoOutboundTrunk): Answer<ProtoOutboundTrunk>;
  updateOutboundTrunk(id: string, update: SIPOutboundTrunkUpdate): Answer<ProtoOutboundTrunk>;
  replaceOutboundTrunk(id: string, trunk: ProtoOutboundTrunk): Answer<ProtoOutboundTrunk>;
  createLegacyTrunk(trunk: ProtoLegacyTrunk, asInbound: SIPInboundTrunkInfo): Answer<ProtoLegacyTrunk>;
  /** LiveKit's DeleteSIPTrunk: the id leaves every trunk hash, found or not. */
  deleteTrunk(id: string): Answer<string>;
  /** Every record as last read (refreshed first where another writer may have changed it). */
  records(): Promise<Records>;
  sync(): Promise<void>;
  status(): DispatchServiceStatus;
  /** How many inbound trunks and rules the dispatcher answers for. */
  counts(): { trunks: number; rules: number };
  close(): Promise<void>;
}

const TRUNK_KEYS: readonly HashKey[] = [HASH.inbound, HASH.legacy];
const RULE_KEYS: readonly HashKey[] = [HASH.rules];
const OUTBOUND_KEYS: readonly HashKey[] = [HASH.outbound, HASH.legacy];
const ALL_TRUNK_KEYS: readonly HashKey[] = [HASH.inbound, HASH.outbound, HASH.legacy];

function seedRecords(seed: DispatchConfig | undefined, randomId: () => string): Records {
  const records = emptyRecords();
  for (const trunk of seed?.trunks ?? []) {
    const id = trunk.sipTrunkId === "" ? `ST_${randomId()}` : trunk.sipTrunkId;
    records.inbound.set(id, { ...trunk, sipTrunkId: id });
  }
  for (const rule of seed?.rules ?? []) {
    const id = rule.sipDispatchRuleId === "" ? `SDR_${randomId()}` : rule.sipDispatchRuleId;
    records.rules.set(id, { ...rule, sipDispatchRuleId: id });
  }
  return records;
}

/**
 * Keeps `sync` running: every `pollMs` (when given) and soon after each change the backend
 * reports. Resolves to what stops both.
 */
async function keepSynced(backend: Backend, sync: () => Promise<void>, pollMs: number | undefined): Promise<() => void> {
  let stopped = false;
  const timer = pollMs === undefined ? undefined : setInterval(() => void sync(), pollMs);
  timer?.unref();
  let soon: NodeJS.Timeout | undefined;
  // Every command of a write sends its own notification: the burst is taken in by one sync.
  await backend.watch?.(() => {
    if (soon === undefined && !stopped) soon = setTimeout(() => ((soon = undefined), void sync()), 5);
  });
  return () => {
    stopped = true;
    if (timer !== undefined) clearInterval(timer);
    if (soon !== undefined) clearTimeout(soon);
  };
}

/** The service's methods over `mirror`: each write is an operation decided in the backend's transaction. */
function serviceMethods(mirror: StoreMirror, randomId: () => string, close: () => Promise<void>): DispatchService {
  const p = mirror.pureOf;
  const run = mirror.write.bind(mirror);
  const newTrunkId = (): string => `ST_${randomId()}`;
  return {
    resolve: (call, resolveOptions) => mirror.dispatcher.resolve(call, { randomId, ...resolveOptions }),
    dispatcher: () => mirror.dispatcher,
    createInboundTrunk: (trunk) => run(TRUNK_KEYS, inboundOps.create(p, trunk)),
    updateInboundTrunk: (id, update) => run(TRUNK_KEYS, inboundOps.update(p, id, update)),
    replaceInboundTrunk: (id, trunk) => run(TRUNK_KEYS, inboundOps.replace(p, id, trunk)),
    deleteInboundTrunk: (id) => run(TRUNK_KEYS, inboundOps.delete(p, id)),
    createDispatchRule: (rule) => run(RULE_KEYS, ruleOps.create(p, rule)),
    updateDispatchRule: (id, update) => run(RULE_KEYS, ruleOps.update(p, id, update)),
    replaceDispatchRule: (id, rule) => run(RULE_KEYS, ruleOps.replace(p, id, rule)),
    deleteDispatchRule: (id) => run(RULE_KEYS, ruleOps.delete(p, id)),
    listInboundTrunks: async (filter) => p(await mirror.refreshed()).listInboundTrunks(filter),
    listDispatchRules: async (filter) => p(await mirror.refreshed()).listDispatchRules(filter),
    createOutboundTrunk: (trunk) => run(OUTBOUND_KEYS, outboundOps.create(trunk, newTrunkId)),
    updateOutboundTrunk: (id, update) => run(OUTBOUND_KEYS, outboundOps.update(id, update)),
    replaceOutboundTrunk: (id, trunk) => run(OUTBOUND_KEYS, outboundOps.replace(id, trunk)),
    createLegacyTrunk: (trunk, asInbound) => run(TRUNK_KEYS, createLegacyTrunk(p, trunk, asInbound, newTrunkId)),
    deleteTrunk: (id) => run(ALL_TRUNK_KEYS, deleteAnyTrunk(id)),
    records: () => mirror.refreshed(),
    sync: () => mirror.sync(),
    counts: () => ({ trunks: mirror.dispatcher.trunks.length, rules: mirror.dispatcher.rules.length }),
    status: () => mirror.status(),
    close,
  };
}

/**
 * A dispatch service over the in-memory store (default) or LiveKit's Redis layout. Writes are
 * decided by `sip-dispatch`'s pure store and persisted by the backend in one optimistic
 * transaction; the dispatcher follows every change with `Dispatcher.update`.
 */
export async function createDispatchService(options: DispatchServiceOptions = {}): Promise<DispatchService> {
  const randomId = options.randomId ?? randomSuffix;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const redis = options.store !== undefined && options.store !== "memory" ? options.store.redis : undefined;
  if (redis !== undefined && options.seed !== undefined) throw new TypeError("createDispatchService: seed is for the in-memory store; Redis holds its own records");
  const backend: Backend = redis === undefined ? memoryBackend(seedRecords(options.seed, randomId)) : await redisBackend(redis);
  const mirror = new StoreMirror(backend, { store: redis === undefined ? "memory" : "redis", randomId, log });
  await mirror.sync();
  // Only Redis has other writers to poll for.
  const stopSyncing = await keepSynced(backend, () => mirror.sync(), redis === undefined ? undefined : (options.pollMs ?? 1000));
  return serviceMethods(mirror, randomId, async () => {
    stopSyncing();
    await backend.close();
  });
}
