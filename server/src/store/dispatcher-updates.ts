import type { DispatchChanges, Dispatcher, SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "sip-dispatch";
import { HASH, legacyAsInbound, type Records, type Write } from "./records.js";

// The one place changes reach the dispatcher: `Dispatcher.update` (API.md "Live changes") builds
// the next dispatcher at the cost of the change, and the current one keeps answering meanwhile.
// Records are compared by identity: the backends keep an unchanged record's object, so only the
// ids whose records were written or read anew reach the update.

export type { DispatchChanges };

/** The ids whose records may differ: trunks (inbound and legacy) and rules the dispatcher knows, and outbound trunks it does not. */
export interface ChangedIds {
  trunkIds: Set<string>;
  ruleIds: Set<string>;
  outboundIds: Set<string>;
}

export const isEmptyChange = (c: DispatchChanges): boolean =>
  (c.upsertTrunks?.length ?? 0) + (c.deleteTrunkIds?.length ?? 0) + (c.upsertRules?.length ?? 0) + (c.deleteRuleIds?.length ?? 0) === 0;

export function applyChanges(dispatcher: Dispatcher, changes: DispatchChanges): Dispatcher {
  return isEmptyChange(changes) ? dispatcher : dispatcher.update(changes);
}

/** The ids whose records differ between two reads of the store. */
export function idsChanged(before: Records, after: Records): ChangedIds {
  const ids: ChangedIds = { trunkIds: new Set(), ruleIds: new Set(), outboundIds: new Set() };
  changedIds(before.inbound, after.inbound, ids.trunkIds);
  changedIds(before.legacy, after.legacy, ids.trunkIds);
  changedIds(before.rules, after.rules, ids.ruleIds);
  changedIds(before.outbound, after.outbound, ids.outboundIds);
  return ids;
}

/** The ids `writes` touch. */
export function idsWritten(writes: readonly Write[]): ChangedIds {
  const ids: ChangedIds = { trunkIds: new Set(), ruleIds: new Set(), outboundIds: new Set() };
  for (const w of writes) (w.key === HASH.rules ? ids.ruleIds : w.key === HASH.outbound ? ids.outboundIds : ids.trunkIds).add(w.id);
  return ids;
}

/** The trunks and rules among `ids` whose records differ between `before` and `after` (compared by identity). */
export function changesBetween(before: Records, after: Records, ids: ChangedIds): DispatchChanges {
  const upsertTrunks: SIPInboundTrunkInfo[] = [];
  const deleteTrunkIds: string[] = [];
  for (const id of ids.trunkIds) {
    const legacy = after.legacy.get(id);
    const trunk = after.inbound.get(id) ?? (legacy === undefined ? undefined : legacyAsInbound(legacy));
    if (trunk !== undefined) upsertTrunks.push(trunk);
    else if (before.inbound.has(id) || before.legacy.has(id)) deleteTrunkIds.push(id);
  }
  const upsertRules: SIPDispatchRuleInfo[] = [];
  const deleteRuleIds: string[] = [];
  for (const id of ids.ruleIds) {
    const rule = after.rules.get(id);
    if (rule !== undefined) upsertRules.push(rule);
    else if (before.rules.has(id)) deleteRuleIds.push(id);
  }
  return { upsertTrunks, deleteTrunkIds, upsertRules, deleteRuleIds };
}

function changedIds<T>(before: Map<string, T>, after: Map<string, T>, into: Set<string>): void {
  for (const [id, value] of after) if (before.get(id) !== value) into.add(id);
  for (const id of before.keys()) if (!after.has(id)) into.add(id);
}
