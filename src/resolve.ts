import { viewCall, type CallView } from "./call.js";
import type { SIPDispatchRuleInfo } from "./dispatch-rule.js";
import { evaluateRule } from "./evaluate.js";
import type { SIPInboundTrunkInfo } from "./inbound-trunk.js";
import { defaultRandomId } from "./random-id.js";
import type { DispatchResolution, InboundCall, ResolveOptions, TraceEntry } from "./resolution.js";
import {
  byRuleId,
  compareBytes,
  prepareRule,
  ruleCoversTrunk,
  selectRule,
  traceRules,
  validateRuleSet,
  type PreparedRule,
  type RuleSetFailure,
} from "./rule-match.js";
import {
  decideTrunk,
  prepareTrunk,
  rejectTrunk,
  traceTrunks,
  trunkTraceEntry,
  type PreparedTrunk,
  type TrunkMatch,
  type TrunkRejection,
} from "./trunk-match.js";

/** The candidate rules for a matched trunk (or for no trunk), in id order, with LiveKit's verdict on them. */
export interface CandidateSet {
  readonly rules: readonly PreparedRule[];
  readonly failure: RuleSetFailure | undefined;
}

/**
 * A configuration as the resolution pipeline reads it. The linear resolver builds one per call;
 * the compiled dispatcher builds one once and answers its questions from indexes. Both feed the
 * same pipeline below, so their decisions cannot drift.
 */
export interface DispatchSource {
  /** Every trunk, in id order (for the trace). */
  readonly trunksById: readonly PreparedTrunk[];
  /** Every rule, in id order (for the trace). */
  readonly rulesById: readonly PreparedRule[];
  /** The first trunk with this id, for the fast path. */
  trunkWithId(id: string): PreparedTrunk | undefined;
  /** Full trunk matching; `rejections` parallels `trunksById` and is filled only when `withRejections`. */
  matchTrunk(call: CallView, withRejections: boolean): { match: TrunkMatch; rejections?: (TrunkRejection | undefined)[] };
  /** The candidate set for calls through `trunkId` (`undefined`: no trunk matched). */
  candidatesFor(trunkId: string | undefined): CandidateSet;
}

/** Full trunk matching by scanning every trunk, as LiveKit does. */
export function scanTrunks(
  trunks: readonly PreparedTrunk[],
  call: CallView,
  withRejections: boolean,
): { match: TrunkMatch; rejections?: (TrunkRejection | undefined)[] } {
  const specific: PreparedTrunk[] = [];
  const defaults: PreparedTrunk[] = [];
  const rejections: (TrunkRejection | undefined)[] | undefined = withRejections ? [] : undefined;
  for (const trunk of trunks) {
    const rejection = rejectTrunk(trunk, call);
    rejections?.push(rejection);
    if (rejection === undefined) (trunk.isDefault ? defaults : specific).push(trunk);
  }
  const match = decideTrunk(specific, defaults, call);
  return rejections === undefined ? { match } : { match, rejections };
}

/** The candidate set by filtering every rule, then LiveKit's validation over it. */
export function scanCandidates(rulesById: readonly PreparedRule[], trunkId: string | undefined): CandidateSet {
  const rules = trunkId === undefined ? rulesById : rulesById.filter((rule) => ruleCoversTrunk(rule, trunkId));
  return { rules, failure: validateRuleSet(rules) };
}

export const byTrunkId = (a: PreparedTrunk, b: PreparedTrunk): number => compareBytes(a.id, b.id);

/** A source that prepares everything for one call and scans it: LiveKit's own cost model. */
function linearSource(trunks: readonly SIPInboundTrunkInfo[], rules: readonly SIPDispatchRuleInfo[]): DispatchSource {
  const trunksById = trunks.map(prepareTrunk).sort(byTrunkId);
  const rulesById = rules.map(prepareRule).sort(byRuleId);
  return {
    trunksById,
    rulesById,
    trunkWithId: (id) => trunksById.find((trunk) => trunk.id === id),
    matchTrunk: (call, withRejections) => scanTrunks(trunksById, call, withRejections),
    candidatesFor: (trunkId) => scanCandidates(rulesById, trunkId),
  };
}

export function checkConfigArguments(trunks: unknown, rules: unknown, fn: string): void {
  if (!Array.isArray(trunks)) throw new TypeError(`${fn}: trunks must be an array of SIPInboundTrunkInfo`);
  if (!Array.isArray(rules)) throw new TypeError(`${fn}: rules must be an array of SIPDispatchRuleInfo`);
  for (const [i, t] of trunks.entries())
    if (typeof t !== "object" || t === null) throw new TypeError(`${fn}: trunks[${i}] must be a SIPInboundTrunkInfo object`);
  for (const [i, r] of rules.entries())
    if (typeof r !== "object" || r === null) throw new TypeError(`${fn}: rules[${i}] must be a SIPDispatchRuleInfo object`);
}

/** Runs the whole pipeline: source address, trunk, candidate set, rule, evaluation. */
export function resolveFrom(source: DispatchSource, call: InboundCall, options: ResolveOptions | undefined): DispatchResolution {
  const view = viewCall(call, options);
  const tracing = options?.trace === true;
  const withTrace = <T extends DispatchResolution>(result: T, trace: TraceEntry[]): T => {
    if (tracing) result.trace = trace;
    return result;
  };
  if ("invalidSourceIp" in view)
    return withTrace(
      {
        result: "error",
        trunkId: "",
        error: { code: "invalid_source_ip", message: `invalid source IP address: ${JSON.stringify(view.invalidSourceIp)}` },
        sipStatus: 503,
      },
      [],
    );

  // Trunk stage: LiveKit's fast path first, when the auth step already named a trunk.
  let match: TrunkMatch | undefined;
  let trace: TraceEntry[] = [];
  if (call.trunkId !== undefined && call.trunkId !== "") {
    const named = source.trunkWithId(call.trunkId);
    if (named !== undefined && rejectTrunk(named, view) === undefined) {
      match = { kind: "matched", trunk: named, specific: !named.isDefault };
      if (tracing) trace.push(trunkTraceEntry(named.id, "fast_path", "the trunk named by call.trunkId passed its filters"));
    }
  }
  if (match === undefined) {
    const scanned = source.matchTrunk(view, tracing);
    match = scanned.match;
    if (tracing) trace = traceTrunks(source.trunksById, scanned.rejections!, match);
  }
  if (match.kind === "conflict")
    return withTrace({ result: "error", trunkId: "", error: { code: match.code, message: match.message }, sipStatus: 503 }, trace);

  // Rule stage.
  const trunk = match.kind === "matched" ? match.trunk : undefined;
  const trunkId = trunk?.id;
  const candidates = source.candidatesFor(trunkId);
  const failure = candidates.failure;
  if (failure?.code === "invalid_rule")
    return withTrace(
      { result: "error", trunkId: trunkId ?? "", error: { code: failure.code, message: failure.message }, sipStatus: 503 },
      trace,
    );
  const selection = selectRule(candidates.rules, view, trunkId);
  if (tracing) trace = trace.concat(traceRules(source.rulesById, candidates.rules, selection, failure));
  if (failure !== undefined)
    return withTrace(
      { result: "error", trunkId: trunkId ?? "", error: { code: failure.code, message: failure.message }, sipStatus: 503 },
      trace,
    );
  if (selection.winner === undefined) return withTrace({ result: "drop", trunkId: trunkId ?? "", reason: "no_rule" }, trace);
  return withTrace(evaluateRule(trunk, selection.winner, view, options?.randomId ?? defaultRandomId), trace);
}

/**
 * Decides what LiveKit does with an inbound call: which trunk takes it, which dispatch rule wins,
 * and the room, identity and attributes the caller joins with. Pure: it never mutates its inputs,
 * and the order of `trunks` and `rules` never matters.
 *
 * @example
 * const decision = resolveDispatch({ from: "+15550100", to: "+15550199" }, trunks, rules);
 * if (decision.result === "accept") console.log(decision.roomName);
 */
export function resolveDispatch(
  call: InboundCall,
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
  options?: ResolveOptions,
): DispatchResolution {
  checkConfigArguments(trunks, rules, "resolveDispatch");
  return resolveFrom(linearSource(trunks, rules), call, options);
}
