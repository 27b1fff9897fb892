import type { DispatchResolution } from "../../../src/index.js";
import { h } from "../dom.js";
import { tracePositions, type Named } from "./names.js";
import { OUTCOME_TEXT } from "./outcome.js";

// The decision: what LiveKit decides, what its SIP service then does, and the details that
// matter for the result (room and participant for an accepted call, LiveKit's text for an error).

const RESULT_TEXT: Record<DispatchResolution["result"], string> = {
  accept: "Accept",
  request_pin: "Request pin",
  drop: "Drop",
  error: "Error",
};

export function decisionView(resolution: DispatchResolution, trunks: Named[], rules: Named[]): HTMLElement {
  const outcome = resolution.sipOutcome;
  const rows: [string, Node | string][] = [];
  // Who was selected, read from the trace so that entries without ids are named too.
  const trace = resolution.trace ?? [];
  const positions = tracePositions(trace, trunks, rules);
  const selected = (stage: "trunk" | "rule"): Named | undefined => {
    const position = positions[trace.findIndex((e) => e.stage === stage && e.verdict === "selected")];
    return position === undefined ? undefined : (stage === "trunk" ? trunks : rules)[position];
  };
  const withName = (named: Named | undefined): Node | string => {
    if (named === undefined) return h("span", { class: "muted" }, "none matched");
    const name = named.name !== named.label ? named.name : "";
    return h("span", {}, h("code", {}, named.label), name !== "" ? h("span", { class: "muted" }, " ", name) : "");
  };
  rows.push(["Trunk", withName(selected("trunk"))]);
  if (resolution.result === "accept" || resolution.result === "request_pin") rows.push(["Rule", withName(selected("rule"))]);
  if (resolution.result === "accept") {
    rows.push(["Room", h("code", { "data-testid": "room-name" }, resolution.roomName === "" ? '""' : resolution.roomName)]);
    rows.push(["Identity", h("code", {}, resolution.participant.identity)]);
    rows.push(["Name", resolution.participant.name]);
    if (resolution.participant.metadata !== "") rows.push(["Metadata", h("code", {}, resolution.participant.metadata)]);
    rows.push(["Attributes", attributesTable(resolution.participant.attributes)]);
    const agents = resolution.roomConfig?.agents ?? [];
    if (agents.length > 0) rows.push(["Agents", agents.map((a) => a.agentName || "(default agent)").join(", ")]);
    rows.push(["Media", `encryption ${resolution.mediaEncryption}, krisp ${resolution.krispEnabled ? "on" : "off"}`]);
  }
  if (resolution.result === "drop") rows.push(["Reason", h("code", {}, resolution.reason)]);
  if (resolution.result === "error") {
    rows.push(["Error", h("code", {}, resolution.error.code)]);
    rows.push(["Message", resolution.error.message]);
    rows.push(["SIP status", String(resolution.sipStatus)]);
  }
  return h(
    "div",
    { class: "decision" },
    h(
      "div",
      { class: "verdict" },
      h("span", { class: `badge result-${resolution.result}`, "data-testid": "result" }, RESULT_TEXT[resolution.result]),
      h("span", { class: "outcome", "data-testid": "sip-outcome" }, outcome),
    ),
    h("p", { class: "outcome-text" }, OUTCOME_TEXT[outcome]),
    h("table", { class: "facts" }, h("tbody", {}, ...rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))))),
  );
}

function attributesTable(attributes: Record<string, string>): HTMLElement {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return h("span", { class: "muted" }, "none");
  return h(
    "table",
    { class: "attributes" },
    h("tbody", {}, ...entries.map(([k, v]) => h("tr", {}, h("td", {}, h("code", {}, k)), h("td", {}, h("code", {}, v))))),
  );
}
