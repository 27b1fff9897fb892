import type { SIPDispatchRuleInfo } from "./dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "./inbound-trunk.js";
import type { Dispatcher } from "./resolution.js";
import { byTrunkId, checkConfigArguments, resolveFrom, scanCandidates, scanTrunks, type CandidateSet, type DispatchSource } from "./resolve.js";
import { byRuleId, prepareRule } from "./rule-match.js";
import { prepareTrunk, type PreparedTrunk } from "./trunk-match.js";

/**
 * Compiles a configuration once for many calls. `compileDispatch(t, r).resolve(c, o)` returns
 * exactly what `resolveDispatch(c, t, r, o)` returns. The inputs are read once and never
 * mutated; compile again when trunks or rules change.
 */
export function compileDispatch(trunks: readonly SIPInboundTrunkInfo[], rules: readonly SIPDispatchRuleInfo[]): Dispatcher {
  checkConfigArguments(trunks, rules, "compileDispatch");
  const trunksById = trunks.map(prepareTrunk).sort(byTrunkId);
  const rulesById = rules.map(prepareRule).sort(byRuleId);
  const firstWithId = new Map<string, PreparedTrunk>();
  for (const trunk of trunksById) if (!firstWithId.has(trunk.id)) firstWithId.set(trunk.id, trunk);
  // A trunk's candidate set, and so LiveKit's verdict on it, depends on the trunk alone.
  const candidateSets = new Map<string | undefined, CandidateSet>();
  const source: DispatchSource = {
    trunksById,
    rulesById,
    trunkWithId: (id) => firstWithId.get(id),
    matchTrunk: (call, withRejections) => scanTrunks(trunksById, call, withRejections),
    candidatesFor: (trunkId) => {
      let set = candidateSets.get(trunkId);
      if (set === undefined) {
        set = scanCandidates(rulesById, trunkId);
        candidateSets.set(trunkId, set);
      }
      return set;
    },
  };
  return { resolve: (call, options) => resolveFrom(source, call, options) };
}
