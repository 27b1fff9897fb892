import { createDispatchStore, type DispatchStore, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "sip-dispatch";
import type { SkippedRecord } from "./records.js";

// The one place a pure `sip-dispatch` store is built from records already stored. It decides every
// write; the backends only persist what it decided.
//
// Built by `createDispatchStore({ trunks, rules })`, the library's bulk import, which checks every
// record as its create would and reports every problem with its index. A record it refuses (a
// conflict LiveKit let in, a record LiveKit's own validation would now reject) stays served by
// dispatch but is left out of the checks, and reported; the rest are imported again without it.

export interface PureStore {
  store: DispatchStore;
  refused: SkippedRecord[];
}

/** Each pass drops every record the import named; a conflict names only its later rule. */
const MAX_PASSES = 8;

export function pureStoreFrom(
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
  randomId: () => string,
): PureStore {
  const refused: SkippedRecord[] = [];
  let keptTrunks = trunks;
  let keptRules = rules;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const seeded = createDispatchStore({ randomId, trunks: keptTrunks, rules: keptRules });
    if (seeded.ok) return { store: seeded.value, refused };
    const badTrunks = new Map<number, string>();
    const badRules = new Map<number, string>();
    for (const issue of seeded.error.issues ?? []) {
      const [field, index] = issue.path;
      const bad = field === "trunks" ? badTrunks : field === "rules" ? badRules : undefined;
      if (bad !== undefined && typeof index === "number" && !bad.has(index)) bad.set(index, issue.message);
    }
    if (badTrunks.size + badRules.size === 0) break;
    for (const [i, reason] of badTrunks) refused.push({ key: "trunks", id: keptTrunks[i]!.sipTrunkId, reason });
    for (const [i, reason] of badRules) refused.push({ key: "rules", id: keptRules[i]!.sipDispatchRuleId, reason });
    keptTrunks = keptTrunks.filter((_, i) => !badTrunks.has(i));
    keptRules = keptRules.filter((_, i) => !badRules.has(i));
  }
  // Not expected: the import kept failing without naming records. Writes are then checked against nothing stored.
  for (const trunk of keptTrunks) refused.push({ key: "trunks", id: trunk.sipTrunkId, reason: "left out of write checks: the import did not converge" });
  for (const rule of keptRules) refused.push({ key: "rules", id: rule.sipDispatchRuleId, reason: "left out of write checks: the import did not converge" });
  return { store: createDispatchStore({ randomId }), refused };
}
