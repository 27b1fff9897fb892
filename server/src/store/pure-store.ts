import { createDispatchStore, type DispatchStore, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "sip-dispatch";
import type { SkippedRecord } from "./records.js";

// The one place a pure `sip-dispatch` store is built from records already stored. It decides every
// write; the backends only persist what it decided.
//
// `createDispatchStore` does not take an existing configuration yet, so the records are replayed
// through `create*` with their own ids handed back as the "random" suffix. A record the replay
// refuses (LiveKit wrote a conflict, or an id without LiveKit's prefix) stays served by dispatch but
// is left out of the checks, and reported.

export interface PureStore {
  store: DispatchStore;
  refused: SkippedRecord[];
}

export function pureStoreFrom(
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
  randomId: () => string,
): PureStore {
  let replaying: string | undefined;
  const nextId = (): string => {
    if (replaying === undefined) return randomId();
    const id = replaying;
    replaying = undefined;
    return id;
  };
  let store = createDispatchStore({ randomId: nextId });
  const refused: SkippedRecord[] = [];
  for (const trunk of trunks) {
    if (!trunk.sipTrunkId.startsWith("ST_")) {
      refused.push({ key: "trunks", id: trunk.sipTrunkId, reason: "id without the ST_ prefix" });
      continue;
    }
    replaying = trunk.sipTrunkId.slice(3);
    const created = store.createInboundTrunk({ ...trunk, sipTrunkId: "" });
    replaying = undefined;
    if (created.ok) store = created.value.store;
    else refused.push({ key: "trunks", id: trunk.sipTrunkId, reason: created.error.message });
  }
  for (const rule of rules) {
    if (!rule.sipDispatchRuleId.startsWith("SDR_")) {
      refused.push({ key: "rules", id: rule.sipDispatchRuleId, reason: "id without the SDR_ prefix" });
      continue;
    }
    replaying = rule.sipDispatchRuleId.slice(4);
    const created = store.createDispatchRule({ ...rule, sipDispatchRuleId: "" });
    replaying = undefined;
    if (created.ok) store = created.value.store;
    else refused.push({ key: "rules", id: rule.sipDispatchRuleId, reason: created.error.message });
  }
  return { store, refused };
}
