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

/**
 * The position in the input of each trace entry's trunk or rule. An id-less entry has `id: ""` in
 * the trace; the k-th such entry of a stage is the k-th id-less trunk or rule of the input
 * (docs/semantics.md, "trace").
 */
export function tracePositions(trace: readonly { stage: "trunk" | "rule"; id: string }[], trunks: readonly Named[], rules: readonly Named[]): (number | undefined)[] {
  const idless = { trunk: positionsWithoutId(trunks), rule: positionsWithoutId(rules) };
  const seen = { trunk: 0, rule: 0 };
  return trace.map((entry) => {
    const list = entry.stage === "trunk" ? trunks : rules;
    if (entry.id !== "") {
      const index = list.findIndex((n) => n.key === entry.id);
      return index < 0 ? undefined : index;
    }
    return idless[entry.stage][seen[entry.stage]++];
  });
}

function positionsWithoutId(list: readonly Named[]): number[] {
  return list.flatMap((n, i) => (n.key === "" ? [i] : []));
}
