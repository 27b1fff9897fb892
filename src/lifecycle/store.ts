import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { ok, type Result } from "../model/result.js";
import type { DispatchChanges } from "../model/resolution.js";
import type { SIPDispatchRuleUpdate, SIPInboundTrunkUpdate } from "../model/updates.js";
import { defaultRandomId } from "../resolve/random-id.js";
import { listDispatchRules, listInboundTrunks, type DispatchRuleListFilter, type InboundTrunkListFilter } from "./store-list.js";
import { createRule, deleteRule, replaceRule, updateRule } from "./store-rules.js";
import { seedState, type DispatchStoreSeed } from "./store-seed.js";
import { findRule, findTrunk, ruleIdOf, trunkIdOf, type Changed, type State } from "./store-state.js";
import { createTrunk, deleteTrunk, replaceTrunk, updateTrunk } from "./store-trunks.js";

export type { DispatchRuleListFilter, InboundTrunkListFilter } from "./store-list.js";
export type { DispatchStoreSeed } from "./store-seed.js";

// An in-memory, immutable stand-in for LiveKit's SIP API (S pkg/service/sip.go): every operation
// validates as LiveKit's server does, in its order and words, and returns a new store. Where
// LiveKit skips the conflict check after an update (the stored version is not in the listing by
// the new trunk ids / numbers), this store checks anyway, so it never holds a conflict.

/** Options of {@link createDispatchStore}. */
export interface DispatchStoreOptions {
  /**
   * The 12-character id suffix after `ST_` / `SDR_`. Default: a CSPRNG over LiveKit's
   * 57-character alphabet. Inject a deterministic one in tests.
   */
  randomId?: () => string;
}

/**
 * A successful store operation: the new store, the trunk or rule as stored (or deleted), and the
 * change as `Dispatcher.update` takes it, so that `dispatcher.update(change.changes)` answers as
 * `compileDispatch(change.store.trunks, change.store.rules)`.
 */
export interface StoreChange<T> {
  store: DispatchStore;
  value: T;
  changes: DispatchChanges;
}

/**
 * An immutable store of inbound trunks and dispatch rules. Operations never change it: each
 * returns a `Result` holding a new store. `trunks` and `rules` are frozen, in id order (as LiveKit
 * lists them), and can be handed to `resolveDispatch` / `compileDispatch` as they are.
 */
export interface DispatchStore {
  readonly trunks: readonly SIPInboundTrunkInfo[];
  readonly rules: readonly SIPDispatchRuleInfo[];
  getInboundTrunk(id: string): SIPInboundTrunkInfo | undefined;
  getDispatchRule(id: string): SIPDispatchRuleInfo | undefined;
  listInboundTrunks(filter?: InboundTrunkListFilter): SIPInboundTrunkInfo[];
  listDispatchRules(filter?: DispatchRuleListFilter): SIPDispatchRuleInfo[];
  /** `CreateSIPInboundTrunk`: {@link validateInboundTrunk}, the conflict check, then an `ST_` id. */
  createInboundTrunk(trunk: SIPInboundTrunkInfo): Result<StoreChange<SIPInboundTrunkInfo>>;
  /** `UpdateSIPInboundTrunk` with `update`: {@link applyInboundTrunkUpdate}, then the conflict check. */
  updateInboundTrunk(id: string, update: SIPInboundTrunkUpdate): Result<StoreChange<SIPInboundTrunkInfo>>;
  /** `UpdateSIPInboundTrunk` with `replace`: {@link replaceInboundTrunk}, then the conflict check. */
  replaceInboundTrunk(id: string, replacement: SIPInboundTrunkInfo): Result<StoreChange<SIPInboundTrunkInfo>>;
  /** `DeleteSIPInboundTrunk`. Rules naming the trunk stay, as in LiveKit. */
  deleteInboundTrunk(id: string): Result<StoreChange<SIPInboundTrunkInfo>>;
  /** `CreateSIPDispatchRule`: media Upgrade, {@link validateDispatchRule}, the conflict check, then an `SDR_` id. */
  createDispatchRule(rule: SIPDispatchRuleInfo): Result<StoreChange<SIPDispatchRuleInfo>>;
  /** `UpdateSIPDispatchRule` with `update`: {@link applyDispatchRuleUpdate}, then the conflict check. */
  updateDispatchRule(id: string, update: SIPDispatchRuleUpdate): Result<StoreChange<SIPDispatchRuleInfo>>;
  /** `UpdateSIPDispatchRule` with `replace`: {@link replaceDispatchRule}, then the conflict check. */
  replaceDispatchRule(id: string, replacement: SIPDispatchRuleInfo): Result<StoreChange<SIPDispatchRuleInfo>>;
  /** `DeleteSIPDispatchRule`. */
  deleteDispatchRule(id: string): Result<StoreChange<SIPDispatchRuleInfo>>;
}

/** The store over `state`: each operation runs on `state` and wraps the state it returns in a new store. */
function makeStore(state: State): DispatchStore {
  const changed =
    <T>(changesOf: (value: T) => DispatchChanges) =>
    (result: Result<Changed<T>>): Result<StoreChange<T>> =>
      result.ok ? ok({ store: makeStore(result.value.state), value: result.value.value, changes: Object.freeze(changesOf(result.value.value)) }) : result;
  const trunkStored = changed((trunk: SIPInboundTrunkInfo) => ({ upsertTrunks: Object.freeze([trunk]) }));
  const trunkDeleted = changed((trunk: SIPInboundTrunkInfo) => ({ deleteTrunkIds: Object.freeze([trunkIdOf(trunk)]) }));
  const ruleStored = changed((rule: SIPDispatchRuleInfo) => ({ upsertRules: Object.freeze([rule]) }));
  const ruleDeleted = changed((rule: SIPDispatchRuleInfo) => ({ deleteRuleIds: Object.freeze([ruleIdOf(rule)]) }));
  return Object.freeze({
    trunks: state.trunks,
    rules: state.rules,
    getInboundTrunk: (id: string) => findTrunk(state, id),
    getDispatchRule: (id: string) => findRule(state, id),
    listInboundTrunks: (filter?: InboundTrunkListFilter) => listInboundTrunks(state, filter),
    listDispatchRules: (filter?: DispatchRuleListFilter) => listDispatchRules(state, filter),
    createInboundTrunk: (trunk: SIPInboundTrunkInfo) => trunkStored(createTrunk(state, trunk)),
    updateInboundTrunk: (id: string, update: SIPInboundTrunkUpdate) => trunkStored(updateTrunk(state, id, update)),
    replaceInboundTrunk: (id: string, replacement: SIPInboundTrunkInfo) => trunkStored(replaceTrunk(state, id, replacement)),
    deleteInboundTrunk: (id: string) => trunkDeleted(deleteTrunk(state, id)),
    createDispatchRule: (rule: SIPDispatchRuleInfo) => ruleStored(createRule(state, rule)),
    updateDispatchRule: (id: string, update: SIPDispatchRuleUpdate) => ruleStored(updateRule(state, id, update)),
    replaceDispatchRule: (id: string, replacement: SIPDispatchRuleInfo) => ruleStored(replaceRule(state, id, replacement)),
    deleteDispatchRule: (id: string) => ruleDeleted(deleteRule(state, id)),
  });
}

/**
 * An immutable store of inbound trunks and dispatch rules that behaves like LiveKit's SIP API: create, update, replace, delete and list, each validated as LiveKit's server does (with
 * LiveKit's texts), each returning a `Result` with a new store. Unlike LiveKit it also checks
 * conflicts after every update and replace, so a store never holds a conflict.
 *
 * @example
 * let store = createDispatchStore();
 * const t = store.createInboundTrunk(trunk);             // { ok: true, value: { store, value: { sipTrunkId: "ST_…", … } } }
 * if (t.ok) store = t.value.store;
 * resolveDispatch(call, store.trunks, store.rules);
 *
 * Given `trunks` and/or `rules`, it starts from that configuration, a bulk import: each is checked
 * as its create would be (an id it has is kept; an id-less one gets a new id), conflicts among
 * them are found, and the answer is a `Result` listing every problem (code `invalid_config`, one
 * issue per problem with its path, such as `["rules", 3, "rule"]`).
 *
 * @example
 * const seeded = createDispatchStore({ trunks, rules });
 * if (!seeded.ok) for (const issue of seeded.error.issues ?? []) console.error(issue.path.join("."), issue.message);
 */
export function createDispatchStore(options: DispatchStoreOptions & ({ trunks: readonly SIPInboundTrunkInfo[] } | { rules: readonly SIPDispatchRuleInfo[] })): Result<DispatchStore>;
export function createDispatchStore(options?: DispatchStoreOptions): DispatchStore;
export function createDispatchStore(options: DispatchStoreOptions & DispatchStoreSeed = {}): DispatchStore | Result<DispatchStore> {
  if (typeof options !== "object" || options === null) throw new TypeError("createDispatchStore: options must be an object");
  if (options.randomId !== undefined && typeof options.randomId !== "function")
    throw new TypeError("createDispatchStore: options.randomId must be a function returning a string");
  const randomId = options.randomId ?? defaultRandomId;
  if (options.trunks === undefined && options.rules === undefined)
    return makeStore({ trunks: Object.freeze([]), rules: Object.freeze([]), randomId });
  const seeded = seedState(options, randomId);
  return seeded.ok ? ok(makeStore(seeded.value)) : seeded;
}
