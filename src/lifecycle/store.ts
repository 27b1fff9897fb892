import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { ok, type Result } from "../model/result.js";
import type { SIPDispatchRuleUpdate, SIPInboundTrunkUpdate } from "../model/updates.js";
import { defaultRandomId } from "../resolve/random-id.js";
import { listDispatchRules, listInboundTrunks, type DispatchRuleListFilter, type InboundTrunkListFilter } from "./store-list.js";
import { createRule, deleteRule, replaceRule, updateRule } from "./store-rules.js";
import { findRule, findTrunk, type Changed, type State } from "./store-state.js";
import { createTrunk, deleteTrunk, replaceTrunk, updateTrunk } from "./store-trunks.js";

export type { DispatchRuleListFilter, InboundTrunkListFilter } from "./store-list.js";

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

/** A successful store operation: the new store, and the trunk or rule as stored (or deleted). */
export interface StoreChange<T> {
  store: DispatchStore;
  value: T;
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
  const changed = <T>(result: Result<Changed<T>>): Result<StoreChange<T>> =>
    result.ok ? ok({ store: makeStore(result.value.state), value: result.value.value }) : result;
  return Object.freeze({
    trunks: state.trunks,
    rules: state.rules,
    getInboundTrunk: (id: string) => findTrunk(state, id),
    getDispatchRule: (id: string) => findRule(state, id),
    listInboundTrunks: (filter?: InboundTrunkListFilter) => listInboundTrunks(state, filter),
    listDispatchRules: (filter?: DispatchRuleListFilter) => listDispatchRules(state, filter),
    createInboundTrunk: (trunk: SIPInboundTrunkInfo) => changed(createTrunk(state, trunk)),
    updateInboundTrunk: (id: string, update: SIPInboundTrunkUpdate) => changed(updateTrunk(state, id, update)),
    replaceInboundTrunk: (id: string, replacement: SIPInboundTrunkInfo) => changed(replaceTrunk(state, id, replacement)),
    deleteInboundTrunk: (id: string) => changed(deleteTrunk(state, id)),
    createDispatchRule: (rule: SIPDispatchRuleInfo) => changed(createRule(state, rule)),
    updateDispatchRule: (id: string, update: SIPDispatchRuleUpdate) => changed(updateRule(state, id, update)),
    replaceDispatchRule: (id: string, replacement: SIPDispatchRuleInfo) => changed(replaceRule(state, id, replacement)),
    deleteDispatchRule: (id: string) => changed(deleteRule(state, id)),
  });
}

/**
 * An empty, immutable store of inbound trunks and dispatch rules that behaves like LiveKit's SIP
 * API: create, update, replace, delete and list, each validated as LiveKit's server does (with
 * LiveKit's texts), each returning a `Result` with a new store. Unlike LiveKit it also checks
 * conflicts after every update and replace, so a store never holds a conflict.
 *
 * @example
 * let store = createDispatchStore();
 * const t = store.createInboundTrunk(trunk);             // { ok: true, value: { store, value: { sipTrunkId: "ST_…", … } } }
 * if (t.ok) store = t.value.store;
 * resolveDispatch(call, store.trunks, store.rules);
 */
export function createDispatchStore(options: DispatchStoreOptions = {}): DispatchStore {
  if (typeof options !== "object" || options === null) throw new TypeError("createDispatchStore: options must be an object");
  if (options.randomId !== undefined && typeof options.randomId !== "function")
    throw new TypeError("createDispatchStore: options.randomId must be a function returning a string");
  return makeStore({ trunks: Object.freeze([]), rules: Object.freeze([]), randomId: options.randomId ?? defaultRandomId });
}
