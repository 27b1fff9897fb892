import { CallSpace } from "./call-space.js";
import { changedIds } from "./changed.js";
import { classesIn } from "./classes.js";
import { changeMessage } from "./message.js";
import { ruleRegion, trunkRegion, verdictRegions, type Region } from "./regions.js";
import { differingFields, placeholderRandomId, stableJson, summarize, type DecisionSummary } from "./summary.js";
import { byRuleId, prepareRule, type PreparedRule } from "../match/rule-match.js";
import { prepareTrunk, type PreparedTrunk } from "../match/trunk-match.js";
import { compileDispatch } from "../resolve/compile.js";
import { checkConfigArguments, prepareConfig } from "../resolve/resolve.js";
import type { Dispatcher, DispatchConfig, InboundCall } from "../model/resolution.js";

/** One way the decision changes, for one class of calls. */
export interface DecisionChange {
  /** A witness: resolving it against the two configurations shows the change. */
  call: InboundCall;
  before: DecisionSummary;
  after: DecisionSummary;
  /** What differs: "result", "sipOutcome", "trunkId", "ruleId", "roomName", "identity", "name", "metadata", "attributes", "roomConfig", "roomPreset", "media", "krispEnabled", "trunk", "error". */
  fields: string[];
  /** One line a person reads. */
  message: string;
}

/** What a change to a configuration does to calls. */
export interface DispatchDiff {
  /** Each different decision once, with a witness call. Empty: no call is decided differently. */
  changes: DecisionChange[];
  /** How many call classes were compared. */
  classes: number;
}

/** Options of {@link diffDispatch}. */
export interface DiffOptions {
  /** Compare as `resolveDispatch(…, { strict: true })` decides (default false: LiveKit-exact). */
  strict?: boolean;
}

function checkConfig(config: unknown, name: string): asserts config is DispatchConfig {
  if (typeof config !== "object" || config === null) throw new TypeError(`diffDispatch: ${name} must be a { trunks, rules } configuration`);
  const { trunks, rules } = config as Partial<DispatchConfig>;
  checkConfigArguments(trunks, rules, `diffDispatch: ${name}`);
}

const trunkIdOf = (trunk: { sipTrunkId?: string }): string => trunk.sipTrunkId ?? "";
const ruleIdOf = (rule: { sipDispatchRuleId?: string }): string => rule.sipDispatchRuleId ?? "";

/**
 * Both configurations as the diff reads them. `before` is prepared whole; of `after`, only what
 * differs (the rest is the same as in `before`, entry for entry).
 */
interface Pair {
  before: { trunksById: PreparedTrunk[]; rulesById: PreparedRule[] };
  /** The entries of `after` whose ids changed, and of `before` likewise. */
  changedAfter: { trunks: PreparedTrunk[]; rules: PreparedRule[] };
  changedBefore: { trunks: PreparedTrunk[]; rules: PreparedRule[] };
  /** Every rule of `after`, in id order. */
  afterRulesById: PreparedRule[];
  space: CallSpace;
}

function preparePair(before: DispatchConfig, after: DispatchConfig, trunkIds: ReadonlySet<string>, ruleIds: ReadonlySet<string>): Pair {
  const prepared = prepareConfig(before.trunks, before.rules);
  const changedAfter = {
    trunks: after.trunks.filter((trunk) => trunkIds.has(trunkIdOf(trunk))).map(prepareTrunk),
    rules: after.rules.filter((rule) => ruleIds.has(ruleIdOf(rule))).map(prepareRule),
  };
  const changedBefore = {
    trunks: prepared.trunksById.filter((trunk) => trunkIds.has(trunk.id)),
    rules: prepared.rulesById.filter((rule) => ruleIds.has(rule.id)),
  };
  const afterRulesById = prepared.rulesById.filter((rule) => !ruleIds.has(rule.id)).concat(changedAfter.rules).sort(byRuleId);
  const space = new CallSpace({
    trunks: [...prepared.trunksById, ...changedAfter.trunks],
    rules: [...prepared.rulesById, ...changedAfter.rules],
  });
  return { before: prepared, changedAfter, changedBefore, afterRulesById, space };
}

/** Where the two configurations can decide differently (see regions.ts). */
function regionsOfChange(pair: Pair): Region[] {
  const regions: Region[] = [];
  for (const trunk of [...pair.changedBefore.trunks, ...pair.changedAfter.trunks]) regions.push(trunkRegion(trunk));
  const changedRules = [...pair.changedBefore.rules, ...pair.changedAfter.rules];
  for (const rule of changedRules) {
    const region = ruleRegion(rule, pair.space);
    if (region !== undefined) regions.push(region);
  }
  regions.push(...verdictRegions(pair.space, pair.before.rulesById, pair.afterRulesById, changedRules));
  return regions;
}

const hasDuplicateIds = <T>(list: readonly T[], idOf: (entry: T) => string): boolean => new Set(list.map(idOf)).size !== list.length;

/**
 * The dispatcher for `after`: `before`'s updated with what changed, when ids are unique (so that
 * an update by id says exactly what `after` is), else compiled afresh.
 */
function dispatcherAfter(was: Dispatcher, before: DispatchConfig, after: DispatchConfig, trunkIds: ReadonlySet<string>, ruleIds: ReadonlySet<string>): Dispatcher {
  const unique = [before, after].every((config) => !hasDuplicateIds(config.trunks, trunkIdOf) && !hasDuplicateIds(config.rules, ruleIdOf));
  if (!unique) return compileDispatch(after.trunks, after.rules);
  const upsertTrunks = after.trunks.filter((trunk) => trunkIds.has(trunkIdOf(trunk)));
  const upsertRules = after.rules.filter((rule) => ruleIds.has(ruleIdOf(rule)));
  const upsertedTrunks = new Set(upsertTrunks.map(trunkIdOf));
  const upsertedRules = new Set(upsertRules.map(ruleIdOf));
  return was.update({
    upsertTrunks,
    deleteTrunkIds: [...trunkIds].filter((id) => !upsertedTrunks.has(id)),
    upsertRules,
    deleteRuleIds: [...ruleIds].filter((id) => !upsertedRules.has(id)),
  });
}

/**
 * What changing a configuration from `before` to `after` does to calls: every class of calls that
 * is decided differently, once, with a witness call, both decisions and a one-line message.
 * Reordering entries, or editing what no call can reach, reports nothing. docs/diff.md explains
 * how the classes are built and why no differing call is missed.
 *
 * @example
 * const { changes } = diffDispatch(current, proposed);
 * for (const change of changes) console.log(change.message);
 */
export function diffDispatch(before: DispatchConfig, after: DispatchConfig, options?: DiffOptions): DispatchDiff {
  checkConfig(before, "before");
  checkConfig(after, "after");
  const trunkIds = changedIds(before.trunks, after.trunks, trunkIdOf);
  const ruleIds = changedIds(before.rules, after.rules, ruleIdOf);
  if (trunkIds.size === 0 && ruleIds.size === 0) return { changes: [], classes: 0 };
  const pair = preparePair(before, after, trunkIds, ruleIds);
  const regions = regionsOfChange(pair);
  if (regions.length === 0) return { changes: [], classes: 0 };

  const was = compileDispatch(before.trunks, before.rules);
  const is = dispatcherAfter(was, before, after, trunkIds, ruleIds);
  const resolveOptions = { randomId: placeholderRandomId, strict: options?.strict === true };
  const changes: DecisionChange[] = [];
  const reported = new Set<string>();
  let classes = 0;
  for (const klass of classesIn(pair.space, regions)) {
    classes++;
    const summaryBefore = summarize(was.resolve(klass.call, resolveOptions));
    const summaryAfter = summarize(is.resolve(klass.call, resolveOptions));
    const textBefore = stableJson(summaryBefore);
    const textAfter = stableJson(summaryAfter);
    if (textBefore === textAfter) continue;
    const key = `${textBefore}\n${textAfter}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const fields = differingFields(summaryBefore, summaryAfter);
    changes.push({ call: klass.call, before: summaryBefore, after: summaryAfter, fields, message: changeMessage(pair.space, klass, summaryBefore, summaryAfter, fields) });
  }
  return { changes, classes };
}

/**
 * The call a diff resolves for `call`'s class (exported for the laws in test/diff): its decision
 * picks the same trunk and rule as `call`'s, and its summaries are the ones a reported change
 * carries.
 */
export function classRepresentative(before: DispatchConfig, after: DispatchConfig, call: InboundCall): InboundCall {
  const trunkIds = changedIds(before.trunks, after.trunks, trunkIdOf);
  const ruleIds = changedIds(before.rules, after.rules, ruleIdOf);
  return preparePair(before, after, trunkIds, ruleIds).space.representativeOf(call);
}
