import type { DispatchChanges, Dispatcher } from "sip-dispatch";

// The one place changes reach the dispatcher: `Dispatcher.update` (API.md "Live changes") builds
// the next dispatcher at the cost of the change, and the current one keeps answering meanwhile.

export type { DispatchChanges };

export const isEmptyChange = (c: DispatchChanges): boolean =>
  (c.upsertTrunks?.length ?? 0) + (c.deleteTrunkIds?.length ?? 0) + (c.upsertRules?.length ?? 0) + (c.deleteRuleIds?.length ?? 0) === 0;

export function applyChanges(dispatcher: Dispatcher, changes: DispatchChanges): Dispatcher {
  return isEmptyChange(changes) ? dispatcher : dispatcher.update(changes);
}
