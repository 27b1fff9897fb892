import type { Finding, InboundCall } from "../../../src/index.js";
import { h } from "../dom.js";
import { MASK } from "../masking.js";

// Lint findings, each with a button that loads its witness call into the call form.

export function lintView(findings: readonly Finding[], loadWitness: (call: InboundCall) => void): HTMLElement {
  if (findings.length === 0) return h("p", { class: "muted", "data-testid": "lint-clean" }, "No findings: lint has nothing to say about this configuration.");
  return h(
    "ul",
    { class: "findings" },
    ...findings.map((finding) =>
      h(
        "li",
        { class: `finding severity-${finding.severity}`, "data-testid": "finding", "data-code": finding.code },
        h("div", { class: "finding-head" }, h("span", { class: `badge severity-${finding.severity}` }, finding.severity), h("code", {}, finding.code)),
        h("p", {}, finding.message),
        finding.witness !== undefined ? witnessButton(finding.witness, loadWitness) : "",
      ),
    ),
  );
}

function witnessButton(witness: InboundCall, loadWitness: (call: InboundCall) => void): HTMLElement {
  return h(
    "div",
    { class: "witness" },
    h("button", { type: "button", class: "small", "data-testid": "load-witness", onclick: () => loadWitness(witness) }, "Load witness call"),
    h("span", { class: "muted" }, " ", describeCall(witness)),
  );
}

/** `from +1555… to +1555… via 203.0.113.1, pin ••••`: a call in words, its pin masked. */
export function describeCall(call: InboundCall): string {
  const party = (p: InboundCall["from"]): string => (typeof p === "string" ? p : p.host ? `${p.user}@${p.host}` : p.user);
  const parts = [`from ${party(call.from) || '""'} to ${party(call.to) || '""'}`];
  if (call.sourceIp) parts.push(`via ${call.sourceIp}`);
  if (call.trunkId) parts.push(`trunk ${call.trunkId}`);
  if (call.noPin) parts.push("no pin (#)");
  else if (call.pin) parts.push(`pin ${MASK}`);
  return parts.join(", ");
}
