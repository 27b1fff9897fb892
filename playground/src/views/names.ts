import type { SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "../../../src/index.js";

// How the page names trunks and rules: by id, else by name, else by position, as the CLI does.

export interface Named {
  /** What the library's resolution and trace call it. */
  key: string;
  /** What a person reads. */
  label: string;
  name: string;
}

export function namedTrunks(trunks: readonly SIPInboundTrunkInfo[]): Named[] {
  return trunks.map((t, i) => named(t.sipTrunkId, t.name, `trunks[${i}]`));
}

export function namedRules(rules: readonly SIPDispatchRuleInfo[]): Named[] {
  return rules.map((r, i) => named(r.sipDispatchRuleId, r.name, `rules[${i}]`));
}

function named(id: string, name: string, position: string): Named {
  return { key: id, label: id !== "" ? id : name !== "" ? name : position, name };
}

/** The name to show beside an id, or "" when there is none. */
export function nameOf(list: readonly Named[], key: string): string {
  return list.find((n) => n.key === key && key !== "")?.name ?? "";
}
