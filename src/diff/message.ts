import type { CallClass } from "./classes.js";
import type { CallSpace } from "./call-space.js";
import type { DecisionSummary } from "./summary.js";

// The one line a person reads for a change: which calls, then what now happens to them.
// "calls from any number to +15550100 through ST_main now need a pin: rule SDR_board".
// Pins never appear: a pin is named by the rule it belongs to.

const quoted = (text: string): string => JSON.stringify(text);

/** Which calls: calling and called number, and what else singles the class out. */
export function describeCalls(space: CallSpace, klass: CallClass): string {
  const { context, point } = klass;
  const callers = space.callingNumbers(context);
  const from =
    point.from === context.otherFrom
      ? callers.length > 1 ? "from any other number" : "from any number"
      : point.from === "" ? "from an empty number" : `from ${point.from}`;
  const to = context.toUnnamed
    ? space.calledNumbers().length > 1 ? "to any other number" : "to any number"
    : context.to === "" ? "to an empty number" : `to ${context.to}`;
  const parts = ["calls", from, to];
  if (point.host !== "") parts.push(point.host === context.otherHost ? "with an unlisted From host" : `with From host ${point.host}`);
  if (point.sourceIp !== undefined) parts.push(`from address ${point.sourceIp}`);
  else if (context.addresses.representatives.length > 0) parts.push("with no source address");
  if (point.trunkId !== undefined) parts.push(`naming trunk ${point.trunkId}`);
  if (point.pin.kind === "noPin") parts.push("pressing # without a pin");
  else if (point.pin.kind === "pin" && point.pin.wrong) parts.push("entering a wrong pin");
  else if (point.pin.kind === "pin") {
    const pin = point.pin.pin;
    const owners = [...new Set(context.rules.filter((rule) => rule.pin === pin).map((rule) => rule.id))].sort();
    parts.push(`entering the pin of ${owners.join(" / ")}`);
  }
  return parts.join(" ");
}

const through = (s: DecisionSummary): string => (s.trunkId === "" ? "matching no trunk" : `through ${s.trunkId}`);
const ruleOf = (s: DecisionSummary): string => ("ruleId" in s ? s.ruleId : "");

const DROPPED: Record<string, string> = {
  ignore: "are now dropped without an answer: no rule matches",
  wrong_pin_hangup: 'now hear "wrong pin" and are hung up: no rule matches',
};

/** What now happens to the calls, against what happened before. */
function describeChange(before: DecisionSummary, after: DecisionSummary, fields: readonly string[]): string {
  const outcome = (after as { sipOutcome?: string }).sipOutcome;
  if (after.result !== before.result) {
    switch (after.result) {
      case "request_pin":
        return `now need a pin: rule ${after.ruleId}`;
      case "accept":
        return `${before.result === "request_pin" ? "no longer need a pin and" : "now"} join room ${quoted(after.roomName)}: rule ${after.ruleId}`;
      case "drop":
        return DROPPED[outcome ?? ""] ?? "are now dropped: no rule matches";
      case "error":
        return `now fail with ${after.sipStatus} ${after.error.code}: ${after.error.message}`;
    }
  }
  if (after.result === "accept" && before.result === "accept") {
    if (after.ruleId !== before.ruleId || after.roomName !== before.roomName)
      return `now join room ${quoted(after.roomName)} instead of ${quoted(before.roomName)}: rule ${after.ruleId}${after.ruleId === before.ruleId ? "" : ` instead of ${before.ruleId}`}`;
  }
  if (after.result === "request_pin" && before.result === "request_pin" && after.ruleId !== before.ruleId)
    return `are now asked for the pin of rule ${after.ruleId} instead of ${before.ruleId}`;
  if (after.result === "error" && before.result === "error")
    return `now fail with ${after.error.code} instead of ${before.error.code}: ${after.error.message}`;
  if (after.result === "drop" && before.result === "drop" && outcome !== undefined && fields.includes("sipOutcome"))
    return DROPPED[outcome] ?? `are still dropped, now with outcome ${outcome}`;
  const rest = fields.filter((field) => field !== "trunkId");
  const what = rest.length === 0 ? "" : `get a different ${rest.join(", ")}`;
  const trunk = !fields.includes("trunkId") ? "" : after.trunkId === "" ? "match no trunk" : `go through ${after.trunkId}`;
  const rule = ruleOf(after);
  return `now ${[trunk, what].filter((part) => part !== "").join(" and ")}${rule === "" ? "" : `: rule ${rule}`}`;
}

/** The line for a change: "calls from … to … through ST_main now need a pin: rule SDR_board". */
export function changeMessage(space: CallSpace, klass: CallClass, before: DecisionSummary, after: DecisionSummary, fields: readonly string[]): string {
  const movedToo = after.result !== before.result && after.trunkId !== before.trunkId ? ` (now ${through(after)})` : "";
  return `${describeCalls(space, klass)} ${through(before)} ${describeChange(before, after, fields)}${movedToo}`;
}
