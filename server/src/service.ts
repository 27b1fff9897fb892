import type { Redis } from "ioredis";
import {
  compileDispatch,
  type DispatchConfig,
  type Dispatcher,
  type DispatchResolution,
  type DispatchRuleListFilter,
  type DispatchStore,
  type InboundCall,
  type InboundTrunkListFilter,
  type ResolveOptions,
  type Result,
  type SIPDispatchRuleInfo,
  type SIPDispatchRuleUpdate,
  type SIPInboundTrunkInfo,
  type SIPInboundTrunkUpdate,
} from "sip-dispatch";
import type { SIPOutboundTrunkInfo as ProtoOutboundTrunk, SIPOutboundTrunkUpdate, SIPTrunkInfo as ProtoLegacyTrunk } from "@livekit/protocol";
import type { Backend, Decision } from "./store/backend.js";
import { applyChanges, type DispatchChanges } from "./store/dispatcher-updates.js";
import { memoryBackend } from "./store/memory-backend.js";
import { createLegacyTrunk, deleteAnyTrunk, inboundOps, outboundOps, ruleOps } from "./store/operations.js";
import { pureStoreFrom } from "./store/pure-store.js";
import { emptyRecords, HASH, inboundView, legacyAsInbound, rulesView, type HashKey, type Records, type SkippedRecord } from "./store/records.js";
import { redisBackend } from "./store/redis-backend.js";
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

/** What {@link DispatchService.status} reports. */
export interface DispatchServiceStatus {
  /** Which backend holds the records. */
  store: "memory" | "redis";
  version: number;
  lastSyncAt?: number;
  stale: boolean;
  skipped: SkippedRecord[];
}

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

const unavailable = (error: unknown): { ok: false; error: { code: string; message: string } } => ({
  ok: false,
  error: { code: "unavailable", message: `store unavailable: ${error instanceof Error ? error.message : String(error)}` },
});

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

/** The trunks and rules whose records differ between `before` and `after` (compared by identity). */
function changesBetween(before: Records, after: Records, trunkIds: Set<string>, ruleIds: Set<string>): DispatchChanges {
  const upsertTrunks: SIPInboundTrunkInfo[] = [];
  const deleteTrunkIds: string[] = [];
  for (const id of trunkIds) {
    const legacy = after.legacy.get(id);
    const trunk = after.inbound.get(id) ?? (legacy === undefined ? undefined : legacyAsInbound(legacy));
    if (trunk !== undefined) upsertTrunks.push(trunk);
    else if (before.inbound.has(id) || before.legacy.has(id)) deleteTrunkIds.push(id);
  }
  const upsertRules: SIPDispatchRuleInfo[] = [];
  const deleteRuleIds: string[] = [];
  for (const id of ruleIds) {
    const rule = after.rules.get(id);
    if (rule !== undefined) upsertRules.push(rule);
    else if (before.rules.has(id)) deleteRuleIds.push(id);
  }
  return { upsertTrunks, deleteTrunkIds, upsertRules, deleteRuleIds };
}

function changedIds<T>(before: Map<string, T>, after: Map<string, T>, into: Set<string>): void {
  for (const [id, value] of after) if (before.get(id) !== value) into.add(id);
  for (const id of before.keys()) if (!after.has(id)) into.add(id);
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

  let records: Records = emptyRecords();
  let loadSkipped: SkippedRecord[] = [];
  let refused: SkippedRecord[] = [];
  let pure: { records: Records; store: DispatchStore } | undefined;
  let dispatcher: Dispatcher = compileDispatch([], []);
  let version = 0;
  let lastSyncAt: number | undefined;
  let stale = false;
  let closed = false;

  const pureOf = (r: Records): DispatchStore => {
    // The pure store depends on the inbound, legacy and rule records only.
    if (pure !== undefined && pure.records.inbound === r.inbound && pure.records.legacy === r.legacy && pure.records.rules === r.rules) return pure.store;
    const built = pureStoreFrom(inboundView(r), rulesView(r), randomId);
    if (built.refused.length > 0 && r === records) refused = built.refused;
    for (const x of built.refused) log(`sip-dispatch-server: record ${x.key}/${x.id} left out of write checks: ${x.reason}`);
    pure = { records: r, store: built.store };
    return built.store;
  };

  /** Adopt `next` as the current records: the dispatcher follows the ids that changed. */
  const adopt = (next: Records, trunkIds: Set<string>, ruleIds: Set<string>): void => {
    const changes = changesBetween(records, next, trunkIds, ruleIds);
    records = next;
    const updated = applyChanges(dispatcher, changes);
    if (updated !== dispatcher) {
      dispatcher = updated;
      version++;
    }
  };

  const sync = async (): Promise<void> => {
    let loaded;
    try {
      loaded = await backend.load();
    } catch (error) {
      if (!stale) log(`sip-dispatch-server: store unreachable, answering from the last good configuration: ${error instanceof Error ? error.message : String(error)}`);
      stale = true;
      return;
    }
    const trunkIds = new Set<string>();
    const ruleIds = new Set<string>();
    changedIds(records.inbound, loaded.records.inbound, trunkIds);
    changedIds(records.legacy, loaded.records.legacy, trunkIds);
    changedIds(records.rules, loaded.records.rules, ruleIds);
    const outboundChanged = new Set<string>();
    changedIds(records.outbound, loaded.records.outbound, outboundChanged);
    for (const x of loaded.skipped) if (!loadSkipped.some((s) => s.key === x.key && s.id === x.id)) log(`sip-dispatch-server: skipped ${x.key}/${x.id}: ${x.reason}`);
    loadSkipped = loaded.skipped;
    if (trunkIds.size + ruleIds.size + outboundChanged.size > 0) adopt(loaded.records, trunkIds, ruleIds);
    lastSyncAt = Date.now();
    stale = false;
  };

  const run = async <T>(keys: readonly HashKey[], decide: (r: Records) => Result<Decision<T>>): Answer<T> => {
    let done;
    try {
      done = await backend.transact(keys, decide);
    } catch (error) {
      stale = true;
      return unavailable(error);
    }
    if (!done.ok) return done;
    const { decision, records: after } = done.value;
    const trunkIds = new Set<string>();
    const ruleIds = new Set<string>();
    for (const w of decision.writes) (w.key === HASH.rules ? ruleIds : w.key === HASH.outbound ? new Set<string>() : trunkIds).add(w.id);
    adopt(after, trunkIds, ruleIds);
    if (decision.store !== undefined) pure = { records: after, store: decision.store };
    return { ok: true, value: decision.value };
  };

  await sync();
  const timer = redis === undefined ? undefined : setInterval(() => void sync(), options.pollMs ?? 1000);
  timer?.unref();
  let soon: NodeJS.Timeout | undefined;
  await backend.watch?.(() => {
    if (soon === undefined && !closed) soon = setTimeout(() => ((soon = undefined), void sync()), 5);
  });

  const refreshed = async (): Promise<Records> => {
    if (redis !== undefined) await sync();
    return records;
  };
  const p = pureOf;

  return {
    resolve: (call, resolveOptions) => dispatcher.resolve(call, { randomId, ...resolveOptions }),
    dispatcher: () => dispatcher,
    createInboundTrunk: (trunk) => run(TRUNK_KEYS, inboundOps.create(p, trunk)),
    updateInboundTrunk: (id, update) => run(TRUNK_KEYS, inboundOps.update(p, id, update)),
    replaceInboundTrunk: (id, trunk) => run(TRUNK_KEYS, inboundOps.replace(p, id, trunk)),
    deleteInboundTrunk: (id) => run(TRUNK_KEYS, inboundOps.delete(p, id)),
    createDispatchRule: (rule) => run(RULE_KEYS, ruleOps.create(p, rule)),
    updateDispatchRule: (id, update) => run(RULE_KEYS, ruleOps.update(p, id, update)),
    replaceDispatchRule: (id, rule) => run(RULE_KEYS, ruleOps.replace(p, id, rule)),
    deleteDispatchRule: (id) => run(RULE_KEYS, ruleOps.delete(p, id)),
    listInboundTrunks: async (filter) => pureOf(await refreshed()).listInboundTrunks(filter),
    listDispatchRules: async (filter) => pureOf(await refreshed()).listDispatchRules(filter),
    createOutboundTrunk: (trunk) => run(OUTBOUND_KEYS, outboundOps.create(trunk, () => `ST_${randomId()}`)),
    updateOutboundTrunk: (id, update) => run(OUTBOUND_KEYS, outboundOps.update(id, update)),
    replaceOutboundTrunk: (id, trunk) => run(OUTBOUND_KEYS, outboundOps.replace(id, trunk)),
    createLegacyTrunk: (trunk, asInbound) => run(TRUNK_KEYS, createLegacyTrunk(p, trunk, asInbound, () => `ST_${randomId()}`)),
    deleteTrunk: (id) => run(ALL_TRUNK_KEYS, deleteAnyTrunk(id)),
    records: refreshed,
    sync,
    counts: () => ({ trunks: dispatcher.trunks.length, rules: dispatcher.rules.length }),
    status: () => ({ store: redis === undefined ? "memory" : "redis", version, ...(lastSyncAt === undefined ? {} : { lastSyncAt }), stale, skipped: [...loadSkipped, ...refused] }),
    close: async () => {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      if (soon !== undefined) clearTimeout(soon);
      await backend.close();
    },
  };
}
