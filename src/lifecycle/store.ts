import type * as core from "zod/v4/core";
import { dispatchRuleConflictBetween, firstInboundTrunkConflict, inboundTrunkConflictBetween } from "./conflicts.js";
import { SIPDispatchRuleInfoSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { upgradeMedia } from "../model/media.js";
import { checkModelArgument } from "../parse/model-arguments.js";
import { normalizeNumber } from "../match/number.js";
import { protoSchemaInfo } from "../parse/parse.js";
import { defaultRandomId } from "../resolve/random-id.js";
import { fail, ok, type DispatchError, type Issue, type Result } from "../model/result.js";
import { compareBytes, prepareRule, validateRuleSet } from "../match/rule-match.js";
import {
  applyDispatchRuleUpdate,
  applyInboundTrunkUpdate,
  dispatchRuleUpdateIssues,
  inboundTrunkUpdateIssues,
  replaceDispatchRule,
  replaceInboundTrunk,
} from "./update.js";
import { SIPDispatchRuleUpdateSchema, SIPInboundTrunkUpdateSchema, type SIPDispatchRuleUpdate, type SIPInboundTrunkUpdate } from "../model/updates.js";
import { failWithIssues, validateDispatchRule, validateInboundTrunk } from "./validate.js";

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

/** LiveKit's `ListSIPDispatchRuleRequest` filters. */
export interface DispatchRuleListFilter {
  /** Only these rule ids. */
  ids?: readonly string[];
  /** Rules naming any of these trunks, and every default rule (no `trunkIds`). */
  trunkIds?: readonly string[];
}

/** LiveKit's `ListSIPInboundTrunkRequest` filters. */
export interface InboundTrunkListFilter {
  /** Only these trunk ids. */
  ids?: readonly string[];
  /** Trunks serving any of these numbers (raw or normalised), and every trunk without numbers. */
  numbers?: readonly string[];
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

const TRUNK_NOT_FOUND = "requested sip trunk does not exist";
const RULE_NOT_FOUND = "requested sip dispatch rule does not exist";
const ID_ATTEMPTS = 100;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const frozenCopy = <T>(value: T): T => deepFreeze(structuredClone(value));

const ruleIdOf = (r: SIPDispatchRuleInfo): string => r.sipDispatchRuleId ?? "";
const trunkIdOf = (t: SIPInboundTrunkInfo): string => t.sipTrunkId ?? "";

/** `list` with `item` put in its id-order place (replacing the one with its id). */
function withItem<T>(list: readonly T[], item: T, id: (x: T) => string): T[] {
  const out = list.filter((x) => id(x) !== id(item));
  const at = out.findIndex((x) => compareBytes(id(x), id(item)) > 0);
  out.splice(at < 0 ? out.length : at, 0, item);
  return out;
}

/** LiveKit's `iters.MultiIter` over a listing and one new item: the new one comes second. */
const interleave = <T>(listing: readonly T[], item: T): T[] =>
  listing.length === 0 ? [item] : [listing[0]!, item, ...listing.slice(1)];

/**
 * The iteration LiveKit validates after an update: the listing with the updated item swapped in
 * by id. When the stored version is not in the listing LiveKit validates nothing (its bug); we
 * put the updated item in its id-order place instead.
 */
function swapIn<T>(listing: readonly T[], item: T, id: (x: T) => string): T[] {
  const i = listing.findIndex((x) => id(x) === id(item));
  if (i < 0) return withItem(listing, item, id);
  const out = [...listing];
  out[i] = item;
  return out;
}

function conflictFailure(code: "rule_conflict" | "trunk_conflict", livekitMessage: string | undefined, issues: Issue[]): { ok: false; error: DispatchError } {
  return fail(code, livekitMessage ?? issues[0]!.message, issues);
}

function matchesRuleFilter(rule: SIPDispatchRuleInfo, filter: DispatchRuleListFilter): boolean {
  const ids = filter.ids ?? [];
  if (ids.length > 0 && !ids.includes(ruleIdOf(rule))) return false;
  const wanted = filter.trunkIds ?? [];
  const own = rule.trunkIds ?? [];
  if (wanted.length > 0 && own.length > 0 && !own.some((t) => wanted.includes(t))) return false;
  return true;
}

function matchesTrunkFilter(trunk: SIPInboundTrunkInfo, filter: InboundTrunkListFilter): boolean {
  const ids = filter.ids ?? [];
  if (ids.length > 0 && !ids.includes(trunkIdOf(trunk))) return false;
  const wanted = filter.numbers ?? [];
  const own = trunk.numbers ?? [];
  if (wanted.length > 0 && own.length > 0) {
    const normalized = new Set(wanted.map(normalizeNumber));
    if (!own.some((n) => wanted.includes(n) || normalized.has(normalizeNumber(n)))) return false;
  }
  return true;
}

function checkArguments(fn: string, id: unknown, value?: unknown, schema?: core.$ZodObject, argument?: string): void {
  if (typeof id !== "string") throw new TypeError(`${fn}: id must be a string`);
  if (schema === undefined) return;
  if (typeof value !== "object" || value === null) throw new TypeError(`${fn}: expected a ${protoSchemaInfo.typeNames.get(schema)} object`);
  checkModelArgument(schema, value, fn, argument ?? "value");
}

interface State {
  readonly trunks: readonly SIPInboundTrunkInfo[];
  readonly rules: readonly SIPDispatchRuleInfo[];
  readonly randomId: () => string;
}

function makeStore(state: State): DispatchStore {
  const { trunks, rules, randomId } = state;
  const findTrunk = (id: string): SIPInboundTrunkInfo | undefined => trunks.find((t) => trunkIdOf(t) === id);
  const findRule = (id: string): SIPDispatchRuleInfo | undefined => rules.find((r) => ruleIdOf(r) === id);

  const listInboundTrunks = (filter: InboundTrunkListFilter = {}): SIPInboundTrunkInfo[] => trunks.filter((t) => matchesTrunkFilter(t, filter));
  const listDispatchRules = (filter: DispatchRuleListFilter = {}): SIPDispatchRuleInfo[] => rules.filter((r) => matchesRuleFilter(r, filter));

  const newId = (prefix: string, taken: (id: string) => boolean): Result<string> => {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = prefix + randomId();
      if (!taken(id)) return ok(id);
    }
    return fail("id_collision", `the id generator returned only ids already in use (${ID_ATTEMPTS} attempts with prefix ${prefix})`);
  };

  const next = (change: Partial<State>): DispatchStore => makeStore({ ...state, ...change });

  // --- conflict checks -------------------------------------------------------------------------

  /** LiveKit's rule validation over `iteration`, and every stored rule `candidate` collides with. */
  const checkRule = (candidate: SIPDispatchRuleInfo, iteration: readonly SIPDispatchRuleInfo[]): { ok: false; error: DispatchError } | undefined => {
    const others = rules.filter((r) => ruleIdOf(r) !== ruleIdOf(candidate));
    const issues: Issue[] = [candidate, ...others].flatMap((other) => {
      const conflict = dispatchRuleConflictBetween(candidate, other);
      return conflict === undefined ? [] : [{ path: [], code: "rule_conflict", message: conflict.message }];
    });
    const failure = validateRuleSet(iteration.map(prepareRule));
    if (failure === undefined && issues.length === 0) return undefined;
    if (failure !== undefined && failure.code === "invalid_rule") return fail("invalid_rule", failure.message);
    return conflictFailure("rule_conflict", failure?.message, issues);
  };

  const checkTrunk = (candidate: SIPInboundTrunkInfo, iteration: readonly SIPInboundTrunkInfo[]): { ok: false; error: DispatchError } | undefined => {
    const issues: Issue[] = trunks.flatMap((other) => {
      const conflict = inboundTrunkConflictBetween(candidate, other);
      return conflict === undefined ? [] : [{ path: [], code: "trunk_conflict", message: conflict.message }];
    });
    const failure = firstInboundTrunkConflict(iteration);
    if (failure === undefined && issues.length === 0) return undefined;
    return conflictFailure("trunk_conflict", failure?.message, issues);
  };

  // --- trunks ----------------------------------------------------------------------------------

  const storeTrunk = (trunk: SIPInboundTrunkInfo): Result<StoreChange<SIPInboundTrunkInfo>> => {
    const value = frozenCopy(trunk);
    return ok({ store: next({ trunks: Object.freeze(withItem(trunks, value, trunkIdOf)) }), value });
  };

  const checkedTrunkChange = (updated: SIPInboundTrunkInfo): Result<StoreChange<SIPInboundTrunkInfo>> => {
    const iteration = swapIn(listInboundTrunks({ numbers: updated.numbers ?? [] }), updated, trunkIdOf);
    return checkTrunk(updated, iteration) ?? storeTrunk(updated);
  };

  const createInboundTrunk = (trunk: SIPInboundTrunkInfo): Result<StoreChange<SIPInboundTrunkInfo>> => {
    checkArguments("createInboundTrunk", "", trunk, SIPInboundTrunkInfoSchema, "trunk");
    const valid = validateInboundTrunk(trunk);
    if (!valid.ok) return valid;
    const candidate = structuredClone(trunk);
    const conflict = checkTrunk(candidate, interleave(listInboundTrunks({ numbers: candidate.numbers ?? [] }), candidate));
    if (conflict !== undefined) return conflict;
    const id = newId("ST_", (x) => findTrunk(x) !== undefined);
    if (!id.ok) return id;
    candidate.sipTrunkId = id.value;
    return storeTrunk(candidate);
  };

  const updateInboundTrunk = (id: string, update: SIPInboundTrunkUpdate): Result<StoreChange<SIPInboundTrunkInfo>> => {
    checkArguments("updateInboundTrunk", id, update, SIPInboundTrunkUpdateSchema, "update");
    if (id === "") return fail("id_required", "trunk id must be set");
    const problems = inboundTrunkUpdateIssues(update);
    if (problems.length > 0) return failWithIssues(problems);
    const stored = findTrunk(id);
    if (stored === undefined) return fail("not_found", TRUNK_NOT_FOUND);
    const applied = applyInboundTrunkUpdate(stored, update);
    return applied.ok ? checkedTrunkChange(applied.value) : applied;
  };

  const replaceTrunk = (id: string, replacement: SIPInboundTrunkInfo): Result<StoreChange<SIPInboundTrunkInfo>> => {
    checkArguments("replaceInboundTrunk", id, replacement, SIPInboundTrunkInfoSchema, "replacement");
    if (id === "") return fail("id_required", "trunk id must be set");
    const replaced = replaceInboundTrunk({ ...replacement, sipTrunkId: id }, replacement); // request checks first
    if (!replaced.ok) return replaced;
    if (findTrunk(id) === undefined) return fail("not_found", TRUNK_NOT_FOUND);
    return checkedTrunkChange(replaced.value);
  };

  const deleteInboundTrunk = (id: string): Result<StoreChange<SIPInboundTrunkInfo>> => {
    checkArguments("deleteInboundTrunk", id);
    if (id === "") return fail("id_required", "trunk ID is required");
    const stored = findTrunk(id);
    if (stored === undefined) return fail("not_found", TRUNK_NOT_FOUND);
    return ok({ store: next({ trunks: Object.freeze(trunks.filter((t) => t !== stored)) }), value: stored });
  };

  // --- dispatch rules --------------------------------------------------------------------------

  const storeRule = (rule: SIPDispatchRuleInfo): Result<StoreChange<SIPDispatchRuleInfo>> => {
    const value = frozenCopy(rule);
    return ok({ store: next({ rules: Object.freeze(withItem(rules, value, ruleIdOf)) }), value });
  };

  const checkedRuleChange = (updated: SIPDispatchRuleInfo): Result<StoreChange<SIPDispatchRuleInfo>> => {
    const iteration = swapIn(listDispatchRules({ trunkIds: updated.trunkIds ?? [] }), updated, ruleIdOf);
    return checkRule(updated, iteration) ?? storeRule(updated);
  };

  const createDispatchRule = (rule: SIPDispatchRuleInfo): Result<StoreChange<SIPDispatchRuleInfo>> => {
    checkArguments("createDispatchRule", "", rule, SIPDispatchRuleInfoSchema, "rule");
    // LiveKit upgrades the media of a current-form create before validating it.
    const candidate = structuredClone(rule);
    candidate.media = upgradeMedia(candidate.media ?? undefined, candidate.mediaEncryption);
    const valid = validateDispatchRule(candidate);
    if (!valid.ok) return valid;
    // The current request form lists every rule (its legacy top-level trunk filter is empty).
    const conflict = checkRule(candidate, interleave(rules, candidate));
    if (conflict !== undefined) return conflict;
    const id = newId("SDR_", (x) => findRule(x) !== undefined);
    if (!id.ok) return id;
    candidate.sipDispatchRuleId = id.value;
    return storeRule(candidate);
  };

  const updateDispatchRule = (id: string, update: SIPDispatchRuleUpdate): Result<StoreChange<SIPDispatchRuleInfo>> => {
    checkArguments("updateDispatchRule", id, update, SIPDispatchRuleUpdateSchema, "update");
    if (id === "") return fail("id_required", "rule id must be set");
    const problems = dispatchRuleUpdateIssues(update);
    if (problems.length > 0) return failWithIssues(problems);
    const stored = findRule(id);
    if (stored === undefined) return fail("not_found", RULE_NOT_FOUND);
    const applied = applyDispatchRuleUpdate(stored, update);
    return applied.ok ? checkedRuleChange(applied.value) : applied;
  };

  const replaceRule = (id: string, replacement: SIPDispatchRuleInfo): Result<StoreChange<SIPDispatchRuleInfo>> => {
    checkArguments("replaceDispatchRule", id, replacement, SIPDispatchRuleInfoSchema, "replacement");
    if (id === "") return fail("id_required", "rule id must be set");
    const replaced = replaceDispatchRule({ ...replacement, sipDispatchRuleId: id }, replacement); // request checks first
    if (!replaced.ok) return replaced;
    if (findRule(id) === undefined) return fail("not_found", RULE_NOT_FOUND);
    return checkedRuleChange(replaced.value);
  };

  const deleteDispatchRule = (id: string): Result<StoreChange<SIPDispatchRuleInfo>> => {
    checkArguments("deleteDispatchRule", id);
    if (id === "") return fail("id_required", "dispatch rule ID is required");
    const stored = findRule(id);
    if (stored === undefined) return fail("not_found", RULE_NOT_FOUND);
    return ok({ store: next({ rules: Object.freeze(rules.filter((r) => r !== stored)) }), value: stored });
  };

  return Object.freeze({
    trunks,
    rules,
    getInboundTrunk: findTrunk,
    getDispatchRule: findRule,
    listInboundTrunks,
    listDispatchRules,
    createInboundTrunk,
    updateInboundTrunk,
    replaceInboundTrunk: replaceTrunk,
    deleteInboundTrunk,
    createDispatchRule,
    updateDispatchRule,
    replaceDispatchRule: replaceRule,
    deleteDispatchRule,
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
