import { CallSpace } from "./call-space.js";
import { changedIds } from "./changed.js";
import { classesIn } from "./classes.js";
import { changeMessage } from "./message.js";
import { ruleRegion, trunkRegion, verdictRegions, type Region } from "./regions.js";
import { differingFields, placeholderRandomId, stableJson, summarize, type DecisionSummary } from "./summary.js";
import { CandidateVerdicts } from "../resolve/dispatch-index.js";
import { compileDispatch } from "../resolve/compile.js";
import { checkConfigArguments, prepareConfig } from "../resolve/resolve.js";
import type { DispatchConfig, InboundCall } from "../model/resolution.js";

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

/** Where the two configurations can decide a call differently (see regions.ts). */
function regionsOfChange(before: ReturnType<typeof prepareConfig>, after: ReturnType<typeof prepareConfig>, space: CallSpace, rawBefore: DispatchConfig, rawAfter: DispatchConfig): Region[] {
  const trunkIds = changedIds(rawBefore.trunks, rawAfter.trunks, (trunk) => trunk.sipTrunkId ?? "");
  const ruleIds = changedIds(rawBefore.rules, rawAfter.rules, (rule) => rule.sipDispatchRuleId ?? "");
  const regions: Region[] = [];
  for (const trunk of [...before.trunksById, ...after.trunksById]) if (trunkIds.has(trunk.id)) regions.push(trunkRegion(trunk));
  for (const rule of [...before.rulesById, ...after.rulesById])
    if (ruleIds.has(rule.id)) {
      const region = ruleRegion(rule, space);
      if (region !== undefined) regions.push(region);
    }
  if (ruleIds.size > 0) {
    // Candidate sets depend on the rules alone: their verdicts can change only when a rule did.
    const was = new CandidateVerdicts(before.rulesById);
    const is = new CandidateVerdicts(after.rulesById);
    regions.push(...verdictRegions(space, (id) => was.failure(id), (id) => is.failure(id)));
  }
  return regions;
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
  const preparedBefore = prepareConfig(before.trunks, before.rules);
  const preparedAfter = prepareConfig(after.trunks, after.rules);
  const space = new CallSpace({
    trunks: [...preparedBefore.trunksById, ...preparedAfter.trunksById],
    rules: [...preparedBefore.rulesById, ...preparedAfter.rulesById],
  });
  const regions = regionsOfChange(preparedBefore, preparedAfter, space, before, after);
  if (regions.length === 0) return { changes: [], classes: 0 };

  const was = compileDispatch(before.trunks, before.rules);
  const is = compileDispatch(after.trunks, after.rules);
  const resolveOptions = { randomId: placeholderRandomId, strict: options?.strict === true };
  const changes: DecisionChange[] = [];
  const reported = new Set<string>();
  let classes = 0;
  for (const klass of classesIn(space, regions)) {
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
    changes.push({ call: klass.call, before: summaryBefore, after: summaryAfter, fields, message: changeMessage(space, klass, summaryBefore, summaryAfter, fields) });
  }
  return { changes, classes };
}

/**
 * The call a diff resolves for `call`'s class (exported for the laws in test/diff): its decision
 * picks the same trunk and rule as `call`'s, and its summaries are the ones a reported change
 * carries.
 */
export function classRepresentative(before: DispatchConfig, after: DispatchConfig, call: InboundCall): InboundCall {
  const preparedBefore = prepareConfig(before.trunks, before.rules);
  const preparedAfter = prepareConfig(after.trunks, after.rules);
  const space = new CallSpace({
    trunks: [...preparedBefore.trunksById, ...preparedAfter.trunksById],
    rules: [...preparedBefore.rulesById, ...preparedAfter.rulesById],
  });
  return space.representativeOf(call);
}
