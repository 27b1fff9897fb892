import { compileDispatch, type DispatchConfig, type Dispatcher, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "sip-dispatch";

// The one place changes reach the dispatcher. `Dispatcher.update` (API.md "Live changes") applies
// a change at the cost of the change; where the library in use has none yet, the dispatcher is
// compiled again from the configuration after the change.

export interface DispatchChanges {
  upsertTrunks?: readonly SIPInboundTrunkInfo[];
  deleteTrunkIds?: readonly string[];
  upsertRules?: readonly SIPDispatchRuleInfo[];
  deleteRuleIds?: readonly string[];
}

interface UpdatableDispatcher extends Dispatcher {
  update(changes: DispatchChanges): Dispatcher;
}

const updatable = (d: Dispatcher): d is UpdatableDispatcher => typeof (d as Partial<UpdatableDispatcher>).update === "function";

export const isEmptyChange = (c: DispatchChanges): boolean =>
  (c.upsertTrunks?.length ?? 0) + (c.deleteTrunkIds?.length ?? 0) + (c.upsertRules?.length ?? 0) + (c.deleteRuleIds?.length ?? 0) === 0;

export function applyChanges(dispatcher: Dispatcher, changes: DispatchChanges, after: () => DispatchConfig): Dispatcher {
  if (isEmptyChange(changes)) return dispatcher;
  if (updatable(dispatcher)) return dispatcher.update(changes);
  const config = after();
  return compileDispatch(config.trunks, config.rules);
}
