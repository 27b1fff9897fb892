import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { normalizeNumber } from "../match/number.js";
import { ruleIdOf, trunkIdOf, type State } from "./store-state.js";

/** LiveKit's `ListSIPDispatchRuleRequest` filters. */
export interface DispatchRuleListFilter {
  /** Only these rule ids. */
  ids?: readonly string[];
  /** Rules naming any of these trunks, and every default rule (no `trunkIds`). */
  trunkIds?: readonly string[];
}

/** LiveKit's `ListSIPInboundTrunkRequest` filters. */
export interface InboundTrunkListFilter {
  /** Only these trunk ids. */
  ids?: readonly string[];
  /** Trunks serving any of these numbers (raw or normalised), and every trunk without numbers. */
  numbers?: readonly string[];
}

function matchesRuleFilter(rule: SIPDispatchRuleInfo, filter: DispatchRuleListFilter): boolean {
  const ids = filter.ids ?? [];
  if (ids.length > 0 && !ids.includes(ruleIdOf(rule))) return false;
  const wanted = filter.trunkIds ?? [];
  const own = rule.trunkIds ?? [];
  if (wanted.length > 0 && own.length > 0 && !own.some((t) => wanted.includes(t))) return false;
  return true;
}

function matchesTrunkFilter(trunk: SIPInboundTrunkInfo, filter: InboundTrunkListFilter): boolean {
  const ids = filter.ids ?? [];
  if (ids.length > 0 && !ids.includes(trunkIdOf(trunk))) return false;
  const wanted = filter.numbers ?? [];
  const own = trunk.numbers ?? [];
  if (wanted.length > 0 && own.length > 0) {
    const normalized = new Set(wanted.map(normalizeNumber));
    if (!own.some((n) => wanted.includes(n) || normalized.has(normalizeNumber(n)))) return false;
  }
  return true;
}

export const listInboundTrunks = (state: State, filter: InboundTrunkListFilter = {}): SIPInboundTrunkInfo[] =>
  state.trunks.filter((t) => matchesTrunkFilter(t, filter));

export const listDispatchRules = (state: State, filter: DispatchRuleListFilter = {}): SIPDispatchRuleInfo[] =>
  state.rules.filter((r) => matchesRuleFilter(r, filter));
