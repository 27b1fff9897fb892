import { viewCall, type CallView } from "../match/call.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { evaluateRule } from "./evaluate.js";
import { goQuote } from "../match/go-format.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { defaultRandomId } from "./random-id.js";
import { engineInputs, type ProtocolMessage } from "../parse/engine-input.js";
import { withOutcome, type Decided } from "./sip-outcome.js";
import type { DispatchErrorCode, DispatchResolution, InboundCall, ResolveOptions, TraceEntry } from "../model/resolution.js";
import { byRuleId, compareBytes, prepareRule, ruleCoversTrunk, selectRule, traceRules, type PreparedRule } from "../match/rule-match.js";
import { validateRuleSet, type RuleSetFailure } from "../match/rule-conflicts.js";
import {
  decideTrunk,
  prepareTrunk,
  rejectTrunk,
  traceTrunks,
  trunkTraceEntry,
  type PreparedTrunk,
  type TrunkMatch,
} from "../match/trunk-match.js";

/**
 * A configuration as the resolution pipeline reads it. The linear resolver builds one per call and
 * scans; the compiled dispatcher builds one once and answers from indexes. Both feed the same
 * pipeline below, with the same predicates, so their decisions cannot drift.
 */
export interface DispatchSource {
  /** Every trunk, in id order (for the trace). */
  readonly trunksById: readonly PreparedTrunk[];
  /** Every rule, in id order (for the trace). */
  readonly rulesById: readonly PreparedRule[];
  /** The first trunk with this id, for the fast path. */
  trunkWithId(id: string): PreparedTrunk | undefined;
  /** Full trunk matching. */
  matchTrunk(call: CallView): TrunkMatch;
  /** The candidate rules for calls through `trunk` (`undefined`: no trunk matched), in id order. */
  candidates(trunk: PreparedTrunk | undefined): readonly PreparedRule[];
  /** LiveKit's match-time validation of that candidate set. */
  candidateFailure(trunk: PreparedTrunk | undefined): RuleSetFailure | undefined;
  /** The winning candidate, or `undefined` (drop); `hint` is what this source's matchTrunk attached. */
  winner(trunk: PreparedTrunk | undefined, call: CallView, hint: unknown): PreparedRule | undefined;
}

/** Full trunk matching by scanning every trunk, as LiveKit does. */
export function scanTrunks(trunks: readonly PreparedTrunk[], call: CallView): TrunkMatch {
  const specific: PreparedTrunk[] = [];
  const defaults: PreparedTrunk[] = [];
  for (const trunk of trunks) if (rejectTrunk(trunk, call) === undefined) (trunk.isDefault ? defaults : specific).push(trunk);
  return decideTrunk(specific, defaults, call);
}

/** The candidate set by filtering every rule. */
export const scanCandidates = (rulesById: readonly PreparedRule[], trunkId: string | undefined): readonly PreparedRule[] =>
  trunkId === undefined ? rulesById : rulesById.filter((rule) => ruleCoversTrunk(rule, trunkId));

export const byTrunkId = (a: PreparedTrunk, b: PreparedTrunk): number => compareBytes(a.id, b.id);

/** Prepares a configuration: every trunk and rule read once, each list in id order. */
export function prepareConfig(
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
): { trunksById: PreparedTrunk[]; rulesById: PreparedRule[] } {
  const rulesById = rules.map(prepareRule).sort(byRuleId);
  rulesById.forEach((rule, i) => (rule.order = i));
  return { trunksById: trunks.map(prepareTrunk).sort(byTrunkId), rulesById };
}

/** A source that prepares everything for one call and scans it: LiveKit's own cost model. */
function linearSource(trunks: readonly SIPInboundTrunkInfo[], rules: readonly SIPDispatchRuleInfo[]): DispatchSource {
  const { trunksById, rulesById } = prepareConfig(trunks, rules);
  let candidates: { trunk: PreparedTrunk | undefined; rules: readonly PreparedRule[] } | undefined;
  const candidatesFor = (trunk: PreparedTrunk | undefined): readonly PreparedRule[] => {
    if (candidates === undefined || candidates.trunk !== trunk) candidates = { trunk, rules: scanCandidates(rulesById, trunk?.id) };
    return candidates.rules;
  };
  return {
    trunksById,
    rulesById,
    trunkWithId: (id) => trunksById.find((trunk) => trunk.id === id),
    matchTrunk: (call) => scanTrunks(trunksById, call),
    candidates: candidatesFor,
    candidateFailure: (trunk) => validateRuleSet(candidatesFor(trunk)),
    winner: (trunk, call) => selectRule(candidatesFor(trunk), call, trunk?.id).winner,
  };
}

export function checkConfigArguments(trunks: unknown, rules: unknown, fn: string): void {
  if (!Array.isArray(trunks)) throw new TypeError(`${fn}: trunks must be an array of SIPInboundTrunkInfo`);
  if (!Array.isArray(rules)) throw new TypeError(`${fn}: rules must be an array of SIPDispatchRuleInfo`);
  // Index loops: `entries()` would build a pair per element (100,000 at a time on a large configuration).
  for (let i = 0; i < trunks.length; i++)
    if (typeof trunks[i] !== "object" || trunks[i] === null) throw new TypeError(`${fn}: trunks[${i}] must be a SIPInboundTrunkInfo object`);
  for (let i = 0; i < rules.length; i++)
    if (typeof rules[i] !== "object" || rules[i] === null) throw new TypeError(`${fn}: rules[${i}] must be a SIPDispatchRuleInfo object`);
}

/** Where a resolution keeps the builder of its trace until the trace is first read. */
const TRACE_BUILDER = Symbol("sip-dispatch.trace");

/** Replaces the accessor with a plain property, and lets the builder (and what it holds) go. */
function settleTrace(target: object, value: unknown): void {
  Object.defineProperty(target, "trace", { value, writable: true, enumerable: true, configurable: true });
  delete (target as { [TRACE_BUILDER]?: unknown })[TRACE_BUILDER];
}

// One accessor shared by every traced resolution: a per-object closure would cost more than
// the rest of a compiled resolve.
const LAZY_TRACE: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [TRACE_BUILDER]: () => TraceEntry[] }) {
    const trace = this[TRACE_BUILDER]();
    // A frozen result keeps its accessor (and the builder, which remembers what it built).
    if (Object.getOwnPropertyDescriptor(this, "trace")?.configurable) settleTrace(this, trace);
    return trace;
  },
  set(this: object, value: unknown) {
    settleTrace(this, value);
  },
};

/**
 * Attaches `trace`, built when first read. The trace names every trunk and rule, so building it
 * costs a scan of the configuration that a compiled dispatcher otherwise never does; a resolution
 * nobody inspects should not pay for it. Reading it, JSON.stringify, spreading and deep-equality
 * checks all see an ordinary array.
 */
function attachTrace<T extends DispatchResolution>(result: T, build: () => TraceEntry[]): T {
  let built: TraceEntry[] | undefined;
  const once = (): TraceEntry[] => (built ??= build());
  Object.defineProperty(result, TRACE_BUILDER, { value: once, configurable: true });
  Object.defineProperty(result, "trace", LAZY_TRACE);
  return result;
}

const failureResult = (code: DispatchErrorCode, message: string, trunkId: string): Decided => ({
  result: "error",
  trunkId,
  error: { code, message },
  sipStatus: 503,
});

/** Runs the whole pipeline: source address, trunk, candidate set, rule, evaluation. */
export function resolveFrom(source: DispatchSource, call: InboundCall, options: ResolveOptions | undefined): DispatchResolution {
  const view = viewCall(call, options);
  const tracing = options?.trace === true;
  if ("invalidSourceIp" in view) {
    const failure = withOutcome(failureResult("invalid_source_ip", `invalid source IP address: ${goQuote(view.invalidSourceIp)}`, ""));
    return tracing ? attachTrace(failure, () => []) : failure;
  }

  // Trunk stage: LiveKit's fast path first, when the auth step already named a trunk.
  let match: TrunkMatch | undefined;
  const named = call.trunkId ? source.trunkWithId(call.trunkId) : undefined;
  if (named !== undefined && rejectTrunk(named, view) === undefined) match = { kind: "matched", trunk: named, specific: !named.isDefault };
  const fastPath = match !== undefined;
  match ??= source.matchTrunk(view);
  if (match.kind === "conflict") {
    const failure = withOutcome(failureResult(match.code, match.message, ""), view);
    return tracing ? attachTrace(failure, () => traceTrunkStage(source, view, match, fastPath)) : failure;
  }

  // Rule stage.
  const trunk = match.kind === "matched" ? match.trunk : undefined;
  const trunkId = trunk?.id;
  const failure = source.candidateFailure(trunk);
  let decided: Decided;
  if (failure !== undefined) decided = failureResult(failure.code, failure.message, trunkId ?? "");
  else {
    const winner = source.winner(trunk, view, match.kind === "matched" ? match.hint : undefined);
    decided =
      winner === undefined
        ? { result: "drop", trunkId: trunkId ?? "", reason: "no_rule" }
        : evaluateRule(trunk, winner, view, options?.randomId ?? defaultRandomId);
  }
  const result = withOutcome(decided, view);
  if (!tracing) return result;
  const trunkMatch = match;
  return attachTrace(result, () => {
    const trace = traceTrunkStage(source, view, trunkMatch, fastPath);
    if (failure?.code === "invalid_rule") return trace; // the contract traces rules only once selection ran
    const candidates = source.candidates(trunk);
    return trace.concat(traceRules(source.rulesById, candidates, selectRule(candidates, view, trunkId), failure));
  });
}

function traceTrunkStage(source: DispatchSource, view: CallView, match: TrunkMatch, fastPath: boolean): TraceEntry[] {
  if (fastPath && match.kind === "matched")
    return [trunkTraceEntry(match.trunk.id, "fast_path", "the trunk named by call.trunkId passed its filters")];
  // Only each trunk's rejection is needed: deciding again would rebuild a conflict message.
  return traceTrunks(source.trunksById, source.trunksById.map((trunk) => rejectTrunk(trunk, view)), match);
}

/**
 * Decides what LiveKit does with an inbound call: which trunk takes it, which dispatch rule wins,
 * and the room, identity and attributes the caller joins with. Pure: it never mutates its inputs,
 * and the order of `trunks` and `rules` never matters.
 *
 * `trunks` and `rules` are models (what the parse functions return) or `@livekit/protocol`
 * messages as `livekit-server-sdk`'s `SipClient` returns them, converted as the parse functions
 * convert them. LiveKit's JSON passed as a model (snake_case names, a create request, a misspelt
 * field such as `trunkIDs`) is a TypeError that names the parse function to read it with.
 *
 * @example
 * const decision = resolveDispatch({ from: "+15550100", to: "+15550199" }, trunks, rules);
 * if (decision.result === "accept") console.log(decision.roomName);
 */
export function resolveDispatch(
  call: InboundCall,
  trunks: readonly (SIPInboundTrunkInfo | ProtocolMessage)[],
  rules: readonly (SIPDispatchRuleInfo | ProtocolMessage)[],
  options?: ResolveOptions,
): DispatchResolution {
  checkConfigArguments(trunks, rules, "resolveDispatch");
  const models = engineInputs(trunks, rules, "resolveDispatch");
  return resolveFrom(linearSource(models.trunks, models.rules), call, options);
}
