import type { CallView } from "../match/call.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { DispatchChanges } from "../model/resolution.js";
import { bucketRules, RuleBuckets } from "./dispatch-index.js";
import { compareRuleOrder, prepareRule, type PreparedRule } from "../match/rule-match.js";
import type { RuleSetFailure } from "../match/rule-conflicts.js";
import { prepareTrunk, type PreparedTrunk } from "../match/trunk-match.js";
import { ruleChange, trunkChange } from "./changes.js";
import type { DispatchSource } from "./resolve.js";
import { allRulesFailure, buildDefaultScope, buildScope, mergeRules, trunkFailure, type DefaultScope, type Scope } from "./scopes.js";
import { ShardedMap } from "./sharded-map.js";
import { SortedChunks } from "./sorted-chunks.js";
import { compileTrunk, TrunkIndex, type CompiledTrunk, type NumberEntry } from "./trunk-index.js";
import { groupBy } from "./group-by.js";

/**
 * Everything a compiled dispatcher answers from, as persistent parts: an update builds a new
 * state that shares every part the change does not touch, and never writes to the old one.
 */
export interface DispatchState {
  /** In id order, so that the entries with one id are found by binary search (no id map to build). */
  readonly trunks: SortedChunks<CompiledTrunk>;
  readonly rules: SortedChunks<PreparedRule>;
  readonly trunkIndex: TrunkIndex;
  /** Per trunk id, the rules that name it. */
  readonly scopes: ShardedMap<Scope>;
  readonly defaults: DefaultScope;
  /** The scopes whose own verdict is a failure (for the verdict on all rules together). */
  readonly failing: ReadonlyMap<string, RuleSetFailure>;
}

const trunkIdOf = (trunk: PreparedTrunk): string => trunk.id;
const ruleIdOf = (rule: PreparedRule): string => rule.id;

/** The trunk ids a rule's keys hold, each once; a default rule holds none. */
function trunkIdsOf(rule: PreparedRule): readonly string[] {
  const ids = rule.trunkIds;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a list of one id or none has no repeat: filtering it gives the same ids (docs/testing.md lists it)
  if (ids.length <= 1) return ids;
  return ids.filter((id, i) => ids.indexOf(id) === i);
}


/** Builds the state of a configuration from scratch (compileDispatch). */
export function buildState(prepared: { trunksById: PreparedTrunk[]; rulesById: PreparedRule[] }): DispatchState {
  // Conflict keys are not kept: each is read once, by its scope's validator (and again only when
  // an update rebuilds that scope), and 100,000 retained key arrays cost more in GC than rebuilding.
  const rulesById = prepared.rulesById;
  const byTrunkId = groupBy(rulesById, trunkIdsOf);
  const defaultRules = rulesById.filter((rule) => rule.isDefault);
  const failing = new Map<string, RuleSetFailure>();
  const scopes = ShardedMap.build<Scope>(byTrunkId.size, (shardOf) => {
    for (const [trunkId, rules] of byTrunkId) {
      const scope = buildScope(rules);
      shardOf(trunkId).set(trunkId, scope);
      if (scope.failure !== undefined && trunkId !== "") failing.set(trunkId, scope.failure);
    }
  });
  const trunksById = prepared.trunksById.map((trunk) => compileTrunk(trunk, scopes.get(trunk.id)));
  return {
    trunks: SortedChunks.fromSorted(trunksById, trunkIdOf),
    rules: SortedChunks.fromSorted(rulesById, ruleIdOf),
    trunkIndex: TrunkIndex.build(trunksById),
    scopes,
    defaults: buildDefaultScope(defaultRules),
    failing,
  };
}

/** The rules of `list` minus `gone`, plus `added`, in rule order. */
function edited(list: readonly PreparedRule[], gone: ReadonlySet<PreparedRule>, added: readonly PreparedRule[]): PreparedRule[] {
  const kept = list.filter((rule) => !gone.has(rule));
  // Stryker disable next-line ConditionalExpression: sorting rules already in rule order keeps them as they are (docs/testing.md lists it)
  return added.length === 0 ? kept : kept.concat(added).sort(compareRuleOrder);
}

/** The state with `changes` applied; `state` is left as it was. Cost grows with the change. */
export function updateState(state: DispatchState, changes: DispatchChanges): DispatchState {
  const rc = ruleChange(changes);
  const tc = trunkChange(changes);
  // Prepared first: a shape error throws before anything is built.
  const addedRules = rc.added.map(prepareRule);
  const addedTrunks = tc.added.map(prepareTrunk);

  // Rules, and the scopes of every trunk id they name (before or after).
  const goneRules = new Set<PreparedRule>();
  for (const id of rc.removed) for (const rule of state.rules.withId(id)) goneRules.add(rule);
  const touchedIds = new Set<string>();
  let defaultsTouched = false;
  for (const rule of [...goneRules, ...addedRules]) {
    if (rule.isDefault) defaultsTouched = true;
    for (const trunkId of trunkIdsOf(rule)) touchedIds.add(trunkId);
  }
  const rules = state.rules.edit(rc.removed, addedRules);
  const addedByTrunkId = groupBy(addedRules, trunkIdsOf);
  const newScopes = new Map<string, Scope | undefined>();
  let failing = state.failing;
  for (const trunkId of touchedIds) {
    const list = edited(state.scopes.get(trunkId)?.rules ?? [], goneRules, addedByTrunkId.get(trunkId) ?? []);
    const scope = list.length === 0 ? undefined : buildScope(list);
    newScopes.set(trunkId, scope);
    if (trunkId !== "" && (scope?.failure !== undefined || failing.has(trunkId))) {
      // Stryker disable next-line ConditionalExpression: copying the failing map again gives the same entries (docs/testing.md lists it)
      if (failing === state.failing) failing = new Map(failing);
      if (scope?.failure === undefined) (failing as Map<string, RuleSetFailure>).delete(trunkId);
      else (failing as Map<string, RuleSetFailure>).set(trunkId, scope.failure);
    }
  }
  const scopes = state.scopes.with((map) => {
    for (const [trunkId, scope] of newScopes) {
      if (scope === undefined) map.delete(trunkId);
      else map.set(trunkId, scope);
    }
  });
  const defaults = defaultsTouched
    ? buildDefaultScope(edited(state.defaults.rules, goneRules, addedRules.filter((rule) => rule.isDefault)))
    : state.defaults;

  // Trunks: those deleted or upserted, and those whose id's scope changed.
  const rebuiltIds = new Set(tc.removed);
  for (const trunkId of touchedIds) if (state.trunks.withId(trunkId).length > 0) rebuiltIds.add(trunkId);
  // Stryker disable next-line ConditionalExpression: editing with nothing to rebuild returns the same trunk list and index (docs/testing.md lists it)
  if (rebuiltIds.size === 0) return { ...state, rules, scopes, defaults, failing };
  const scopeOf = (trunkId: string): Scope | undefined => (newScopes.has(trunkId) ? newScopes.get(trunkId) : state.scopes.get(trunkId));
  const addedTrunksById = groupBy(addedTrunks, (trunk) => [trunk.id]);
  const removedTrunks: CompiledTrunk[] = [];
  const addedCompiled: CompiledTrunk[] = [];
  for (const trunkId of rebuiltIds) {
    const old = state.trunks.withId(trunkId);
    removedTrunks.push(...old);
    const next = tc.removed.has(trunkId) ? (addedTrunksById.get(trunkId) ?? []) : old;
    for (const trunk of next) addedCompiled.push(compileTrunk(trunk, scopeOf(trunkId)));
  }
  return {
    trunks: state.trunks.edit(rebuiltIds, addedCompiled),
    rules,
    trunkIndex: state.trunkIndex.edit(removedTrunks, addedCompiled),
    scopes,
    defaults,
    failing,
  };
}

/** The pipeline's view of a state; what it computes on first use is kept for this state only. */
export function sourceOf(state: DispatchState): DispatchSource {
  let allFailure: { value: RuleSetFailure | undefined } | undefined;
  const { defaults, trunkIndex } = state;
  // Every trunk this source hands to the pipeline is one of its own CompiledTrunks.
  const compiled = (trunk: unknown): CompiledTrunk | undefined => trunk as CompiledTrunk | undefined;
  return {
    get trunksById() {
      return state.trunks.toArray();
    },
    get rulesById() {
      return state.rules.toArray();
    },
    trunkWithId: (id) => state.trunks.withId(id)[0],
    matchTrunk: (call) => trunkIndex.match(call),
    candidates: (trunk) => (trunk === undefined ? state.rules.toArray() : mergeRules(compiled(trunk)!.scope?.rules ?? [], defaults.rules)),
    candidateFailure: (trunk) => {
      if (trunk !== undefined) return trunkFailure(compiled(trunk)!.scope, defaults);
      allFailure ??= { value: allRulesFailure(state.failing.values(), (id) => state.scopes.get(id), defaults) };
      return allFailure.value;
    },
    winner: (trunk, call, hint) => winner(compiled(trunk), defaults, call, hint),
  };
}

/** Picks the winner: the trunk's own rules first, then the default rules. */
function winner(trunk: CompiledTrunk | undefined, defaults: DefaultScope, call: CallView, hint: unknown): PreparedRule | undefined {
  if (!call.strict) {
    // The trunk's index entry already holds its rules for the number as the call spells it.
    const entry = hint as NumberEntry | undefined;
    const specific =
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the number shortcut reads the bucket the general lookup reads; a hint only comes from its own trunk (docs/testing.md lists it)
      entry !== undefined && entry.trunk === trunk && call.toUser === call.toNormalized
        ? trunk.rules?.bestIn(entry.rules, call.fromUser, call)
        : trunk?.rules?.best(call.toUser, call.fromUser, call);
    return specific ?? defaults.buckets?.best(call.toUser, call.fromUser, call);
  }
  const scope = trunk?.scope;
  if (scope !== undefined) scope.strictBuckets ??= bucketRules(scope.rules, true) ?? new RuleBuckets();
  defaults.strictBuckets ??= bucketRules(defaults.rules, true) ?? new RuleBuckets();
  // Stryker disable next-line OptionalChaining: strictBuckets is set on the line before whenever scope exists (docs/testing.md lists it)
  const specific = scope?.strictBuckets?.best(call.toNormalized, call.fromNormalized, call);
  return specific ?? defaults.strictBuckets.best(call.toNormalized, call.fromNormalized, call);
}
