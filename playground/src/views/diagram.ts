import type { DispatchResolution, SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "../../../src/index.js";
import { s } from "../dom.js";
import { namedRules, namedTrunks, tracePositions } from "./names.js";

// Trunks -> rules -> rooms as an SVG, the current call's path highlighted. A rule naming trunks
// hangs off those trunks; a rule with no trunkIds (a default rule) hangs off every trunk, drawn
// dashed. A trunk a rule names but the configuration lacks is drawn as a missing node. Pins are
// never drawn: a rule with a pin carries the word "pin".

const WIDTH = 820;
const NODE_H = 48;
const GAP = 14;
const TOP = 34;
const COLUMNS = { trunk: { x: 8, w: 220 }, rule: { x: 300, w: 230 }, room: { x: 602, w: 210 } };

interface Node {
  key: string;
  title: string;
  sub: string;
  classes: string[];
}

export function diagramView(trunks: readonly SIPInboundTrunkInfo[], rules: readonly SIPDispatchRuleInfo[], resolution: DispatchResolution | undefined): SVGElement {
  const trunkNames = namedTrunks(trunks);
  const ruleNames = namedRules(rules);
  // The call's path, read from the trace so that trunks and rules without ids are found too.
  const trace = resolution?.trace ?? [];
  const positions = tracePositions(trace, trunkNames, ruleNames);
  const selected = (stage: "trunk" | "rule"): number | undefined =>
    positions[trace.findIndex((e) => e.stage === stage && e.verdict === "selected")];
  const activeTrunk = selected("trunk");
  const activeRule = resolution?.result === "accept" || resolution?.result === "request_pin" ? selected("rule") : undefined;

  const trunkNodes: Node[] = trunks.map((t, i) => ({
    key: trunkNames[i]!.label,
    title: trunkNames[i]!.label,
    sub: t.name !== "" && t.name !== trunkNames[i]!.label ? `${t.name} · ${numbersText(t.numbers, "any number")}` : numbersText(t.numbers, "any number (default trunk)"),
    classes: ["trunk", ...(i === activeTrunk ? [resolution?.result === "error" ? "active-error" : "active"] : [])],
  }));
  for (const rule of rules)
    for (const id of rule.trunkIds)
      if (!trunkNodes.some((n) => n.key === id)) trunkNodes.push({ key: id, title: id, sub: "not in this configuration", classes: ["trunk", "missing"] });

  const ruleNodes: Node[] = rules.map((r, i) => ({
    key: `rule:${i}`,
    title: ruleNames[i]!.label,
    sub: [r.name !== "" && r.name !== ruleNames[i]!.label ? r.name : "", filterText(r), target(r).pin !== "" ? "pin" : ""].filter(Boolean).join(" · "),
    classes: ["rule", ...(i === activeRule ? [resolution?.result === "accept" ? "active" : "active-pending"] : [])],
  }));

  const roomNodes: Node[] = [];
  const roomOf: number[] = [];
  rules.forEach((r, i) => {
    const title = roomPattern(r);
    let index = roomNodes.findIndex((n) => n.title === title);
    if (index < 0) index = roomNodes.push({ key: `room:${roomNodes.length}`, title, sub: target(r).kind, classes: ["room"] }) - 1;
    roomOf.push(index);
    const ruleClass = ruleNodes[i]!.classes.find((c) => c.startsWith("active"));
    if (ruleClass !== undefined) roomNodes[index]!.classes.push(ruleClass);
    if (ruleClass === "active" && resolution?.result === "accept" && resolution.roomName !== title) roomNodes[index]!.sub = `this call: ${resolution.roomName}`;
  });

  const rows = Math.max(trunkNodes.length, ruleNodes.length, roomNodes.length, 1);
  const height = TOP + rows * (NODE_H + GAP) + 4;
  const y = (column: Node[], index: number): number => TOP + ((rows - column.length) * (NODE_H + GAP)) / 2 + index * (NODE_H + GAP);

  const edges: SVGElement[] = [];
  rules.forEach((r, ri) => {
    const from = r.trunkIds.length === 0 ? trunkNodes.filter((n) => !n.classes.includes("missing")) : trunkNodes.filter((n) => r.trunkIds.includes(n.key));
    for (const trunk of from) {
      const ti = trunkNodes.indexOf(trunk);
      const on = trunk.classes.includes("active") && ruleNodes[ri]!.classes.some((c) => c.startsWith("active"));
      edges.push(edge(COLUMNS.trunk, y(trunkNodes, ti), COLUMNS.rule, y(ruleNodes, ri), [r.trunkIds.length === 0 ? "default" : "", on ? "on" : ""]));
    }
    const ruleClass = ruleNodes[ri]!.classes.find((c) => c.startsWith("active"));
    const edgeClass = ruleClass === "active" ? "on" : ruleClass === "active-pending" ? "pending" : "";
    edges.push(edge(COLUMNS.rule, y(ruleNodes, ri), COLUMNS.room, y(roomNodes, roomOf[ri]!), [edgeClass]));
  });

  return s(
    "svg",
    { viewBox: `0 0 ${WIDTH} ${height}`, class: "diagram", role: "img", "aria-label": "Trunks, rules and rooms", "data-testid": "diagram" },
    s("text", { x: COLUMNS.trunk.x, y: 16, class: "column-title" }, "Trunks"),
    s("text", { x: COLUMNS.rule.x, y: 16, class: "column-title" }, "Dispatch rules"),
    s("text", { x: COLUMNS.room.x, y: 16, class: "column-title" }, "Rooms"),
    ...edges.sort((a, b) => Number(a.classList.length > 1) - Number(b.classList.length > 1)),
    ...trunkNodes.map((n, i) => node(n, COLUMNS.trunk, y(trunkNodes, i))),
    ...ruleNodes.map((n, i) => node(n, COLUMNS.rule, y(ruleNodes, i))),
    ...roomNodes.map((n, i) => node(n, COLUMNS.room, y(roomNodes, i))),
  );
}

function node(n: Node, column: { x: number; w: number }, top: number): SVGElement {
  // Average glyph widths of the system sans at 13px bold and 11px.
  const titleChars = Math.floor((column.w - 20) / 8);
  const subChars = Math.floor((column.w - 20) / 6.2);
  return s(
    "g",
    { class: `node ${n.classes.join(" ")}`, "data-key": n.key },
    s("rect", { x: column.x, y: top, width: column.w, height: NODE_H, rx: 8 }),
    s("text", { x: column.x + 10, y: top + 20, class: "node-title" }, clip(n.title, titleChars)),
    s("text", { x: column.x + 10, y: top + 37, class: "node-sub" }, clip(n.sub, subChars)),
    s("title", {}, `${n.title}\n${n.sub}`),
  );
}

function edge(a: { x: number; w: number }, ay: number, b: { x: number }, by: number, classes: string[]): SVGElement {
  const x1 = a.x + a.w, y1 = ay + NODE_H / 2, x2 = b.x, y2 = by + NODE_H / 2, mid = (x1 + x2) / 2;
  return s("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, class: ["edge", ...classes].filter(Boolean).join(" ") });
}

function target(rule: SIPDispatchRuleInfo): { kind: string; pin: string } {
  const r = rule.rule;
  if (r?.dispatchRuleDirect) return { kind: "direct", pin: r.dispatchRuleDirect.pin };
  if (r?.dispatchRuleIndividual) return { kind: "individual: a room per caller", pin: r.dispatchRuleIndividual.pin };
  if (r?.dispatchRuleCallee) return { kind: "callee: a room per called number", pin: r.dispatchRuleCallee.pin };
  return { kind: "no rule kind", pin: "" };
}

/** The room a rule sends calls to, as a pattern: `call-_<caller>_<random>`. */
function roomPattern(rule: SIPDispatchRuleInfo): string {
  const r = rule.rule;
  const join = (prefix: string, party: string): string => (prefix === "" ? party : `${prefix}_${party}`);
  if (r?.dispatchRuleDirect) return r.dispatchRuleDirect.roomName === "" ? '"" (empty room name)' : r.dispatchRuleDirect.roomName;
  if (r?.dispatchRuleIndividual) {
    const party = rule.hidePhoneNumber ? "<hidden caller>" : "<caller>";
    return join(r.dispatchRuleIndividual.roomPrefix, party) + (r.dispatchRuleIndividual.noRandomness ? "" : "_<random>");
  }
  if (r?.dispatchRuleCallee) return join(r.dispatchRuleCallee.roomPrefix, "<called>") + (r.dispatchRuleCallee.randomize ? "_<random>" : "");
  return "(no room)";
}

function filterText(rule: SIPDispatchRuleInfo): string {
  const parts: string[] = [];
  if (rule.numbers.length > 0) parts.push(`to ${numbersText(rule.numbers, "")}`);
  if (rule.inboundNumbers.length > 0) parts.push(`from ${numbersText(rule.inboundNumbers, "")}`);
  return parts.length > 0 ? parts.join(", ") : "any call";
}

function numbersText(numbers: readonly string[], none: string): string {
  if (numbers.length === 0) return none;
  return numbers.length <= 2 ? numbers.join(", ") : `${numbers.slice(0, 2).join(", ")} +${numbers.length - 2}`;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : text.slice(0, Math.max(1, max - 1)) + "…");
