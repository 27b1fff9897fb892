import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { Dispatcher } from "../model/resolution.js";
import { checkChanges } from "./changes.js";
import { buildState, sourceOf, updateState, type DispatchState } from "./dispatch-state.js";
import { checkConfigArguments, prepareConfig, resolveFrom } from "./resolve.js";
import { engineInputs, type ProtocolMessage } from "../parse/engine-input.js";

/**
 * Compiles a configuration once for many calls: trunks indexed by called number, rules bucketed
 * by trunk, called number, calling number and pin, and LiveKit's match-time validation decided per
 * trunk in advance. Per-call cost does not grow with the number of rules.
 *
 * `compileDispatch(t, r).resolve(c, o)` returns exactly what `resolveDispatch(c, t, r, o)`
 * returns. The inputs are read once and never mutated. When trunks or rules change,
 * `dispatcher.update(changes)` gives a dispatcher for the new configuration at a cost that grows
 * with the change, not with the configuration. `trunks` and `rules` may also be `@livekit/protocol`
 * messages, as for {@link resolveDispatch}.
 *
 * @example
 * const dispatcher = compileDispatch(trunks, rules);
 * const decision = dispatcher.resolve({ from: "+15550100", to: "+15550199" });
 * const next = dispatcher.update({ upsertRules: [rule], deleteTrunkIds: ["ST_old"] });
 */
export function compileDispatch(trunks: readonly (SIPInboundTrunkInfo | ProtocolMessage)[], rules: readonly (SIPDispatchRuleInfo | ProtocolMessage)[]): Dispatcher {
  checkConfigArguments(trunks, rules, "compileDispatch");
  const models = engineInputs(trunks, rules, "compileDispatch"); // @livekit/protocol messages become models
  return dispatcherOf(buildState(prepareConfig(models.trunks, models.rules)));
}

function dispatcherOf(state: DispatchState): Dispatcher {
  const source = sourceOf(state);
  let trunks: readonly SIPInboundTrunkInfo[] | undefined;
  let rules: readonly SIPDispatchRuleInfo[] | undefined;
  return {
    resolve: (call, options) => resolveFrom(source, call, options),
    update: (changes) => {
      checkChanges(changes);
      return dispatcherOf(updateState(state, changes));
    },
    get trunks() {
      return (trunks ??= Object.freeze(state.trunks.toArray().map((trunk) => trunk.trunk)));
    },
    get rules() {
      return (rules ??= Object.freeze(state.rules.toArray().map((rule) => rule.rule)));
    },
  };
}
