import type { TraceEntry } from "../../../src/index.js";
import { h } from "../dom.js";
import { tracePositions, type Named } from "./names.js";

// The trace as a table: every trunk and rule the decision looked at, its verdict and why. The
// library writes the details and never puts a pin in them.

export function traceView(trace: readonly TraceEntry[], trunks: Named[], rules: Named[]): HTMLElement {
  if (trace.length === 0) return h("p", { class: "muted" }, "No trunk or rule was examined: the call failed before matching.");
  const head = h("tr", {}, ...["Stage", "Trunk or rule", "Verdict", "Reason", "Detail"].map((t) => h("th", {}, t)));
  const positions = tracePositions(trace, trunks, rules);
  const body = trace.map((entry, i) => {
    const position = positions[i];
    const named = position === undefined ? undefined : (entry.stage === "trunk" ? trunks : rules)[position];
    const label = named?.label ?? entry.id;
    const name = named !== undefined && named.name !== label ? named.name : "";
    return h(
      "tr",
      { class: `verdict-${entry.verdict}` },
      h("td", {}, entry.stage),
      h("td", {}, h("code", {}, label), name !== "" ? h("div", { class: "muted name" }, name) : ""),
      h("td", {}, h("span", { class: `pill pill-${entry.verdict}` }, entry.verdict)),
      h("td", {}, h("code", {}, entry.reason)),
      h("td", { class: "detail" }, entry.detail ?? ""),
    );
  });
  return h("table", { class: "trace", "data-testid": "trace" }, h("thead", {}, head), h("tbody", {}, ...body));
}
