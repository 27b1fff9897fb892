import type { SIPDispatchRule, SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { InboundCall } from "../model/resolution.js";

// Pins never reach the text the command prints. Instead of searching the printed text for pins
// afterwards (which rewrites any number that happens to equal one), everything that formats
// output is given data whose pins are already replaced by a fixed mask.

/** What a pin is printed as. */
export const PIN_MASK = "****";

/** The rules with every pin replaced by the mask; rules without a pin are shared, not copied. */
export function rulesWithoutPins(rules: readonly SIPDispatchRuleInfo[]): SIPDispatchRuleInfo[] {
  return rules.map((rule) => {
    const masked = ruleKindWithoutPin(rule.rule);
    return masked === rule.rule ? rule : { ...rule, rule: masked };
  });
}

function ruleKindWithoutPin(kind: SIPDispatchRule | undefined): SIPDispatchRule | undefined {
  if (kind === undefined) return undefined;
  const { dispatchRuleDirect: direct, dispatchRuleIndividual: individual, dispatchRuleCallee: callee } = kind;
  if (direct !== undefined && direct.pin !== "") return { ...kind, dispatchRuleDirect: { ...direct, pin: PIN_MASK } };
  if (individual !== undefined && individual.pin !== "") return { ...kind, dispatchRuleIndividual: { ...individual, pin: PIN_MASK } };
  if (callee !== undefined && callee.pin !== "") return { ...kind, dispatchRuleCallee: { ...callee, pin: PIN_MASK } };
  return kind;
}

/** The call with an entered pin replaced by the mask. */
export function callWithoutPin(call: InboundCall): InboundCall {
  return call.pin === undefined || call.pin === "" ? call : { ...call, pin: PIN_MASK };
}
