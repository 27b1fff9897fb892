import { quote, type Style } from "./io.js";
import { ruleTarget, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { normalizeNumber } from "../match/number.js";
import type { InboundCall, TraceEntry } from "../model/resolution.js";
import { dispatchRulePriority } from "../match/rule-match.js";

// One row per trunk and rule of the trace: its verdict, name and the values that decided it. By
// default only the trunks and rules that could have taken the call are shown (those for the called
// number, on the matched trunk), with a count of the rest; `--all` shows every one. Each row looks
// its trunk or rule up by index, so the whole table costs one pass over the trace.

/** A trace entry with the trunk or rule it is about, and that item's display name. */
export interface Located<T> {
  entry: TraceEntry;
  item: T | undefined;
  name: string;
}

export interface RowContext {
  call: InboundCall;
  from: string;
  to: string;
  strict: boolean;
  /** The matched trunk's display name, "" for none. */
  trunkName: string;
  /** The winning rule, when one was selected. */
  winner: Located<SIPDispatchRuleInfo> | undefined;
}

export interface Row {
  verdict: TraceEntry["verdict"];
  id: string;
  name: string;
  text: string;
}

const MAX_LIST = 6;

/** True for a trunk that could have taken the call: every trunk but those whose numbers do not list the called number. */
export const trunkShown = (entry: TraceEntry): boolean => entry.reason !== "number_mismatch";

/**
 * True for a rule that could have taken the call: every rule but those for other trunks and those
 * whose numbers filter does not list the called number (unless it does after normalisation).
 */
export function ruleShown(located: Located<SIPDispatchRuleInfo>, ctx: RowContext): boolean {
  const { entry, item } = located;
  if (entry.reason === "trunk_mismatch") return false;
  if (entry.reason === "number_mismatch") return normalisedHint(ctx.to, item?.numbers, ctx.strict) !== "";
  return true;
}

/** "… 9,998 more trunks whose numbers do not list the called number (--all shows them)". */
export function hiddenTrunks(count: number): string | undefined {
  return count === 0 ? undefined : `  … ${plural(count, "more trunk")} whose numbers do not list the called number (--all shows them)`;
}

export function hiddenRules(otherTrunks: number, otherNumbers: number): string | undefined {
  if (otherTrunks + otherNumbers === 0) return undefined;
  const parts: string[] = [];
  if (otherTrunks > 0) parts.push(`${otherTrunks.toLocaleString("en")} for other trunks`);
  if (otherNumbers > 0) parts.push(`${otherNumbers.toLocaleString("en")} whose numbers filter does not list the called number`);
  return `  … ${plural(otherTrunks + otherNumbers, "more rule")}: ${parts.join(", ")} (--all shows them)`;
}

export function trunkRow({ entry, item: trunk, name: display }: Located<SIPInboundTrunkInfo>, ctx: RowContext): Row {
  const { from, to } = ctx;
  const numbers = trunk?.numbers ?? [];
  let text: string;
  switch (entry.reason) {
    case "selected_specific":
      text =
        entry.detail ??
        (numbers.includes(to)
          ? `its numbers list the called number ${quote(to)}`
          : `its numbers list the called number ${quote(to)} (trunk numbers match after normalisation)`);
      break;
    case "selected_default":
      text = entry.detail ?? "a default trunk (no numbers), and no trunk lists the called number";
      break;
    case "default_outranked_by_specific":
      text = "a default trunk (no numbers); a trunk that lists the called number wins";
      break;
    case "fast_path":
      text = "named by --trunk-id and passed its filters; no other trunk was examined";
      break;
    case "number_mismatch":
      text = `the called number ${quote(to)} is not in numbers ${list(numbers)}`;
      break;
    case "caller_not_allowed":
      text = `the calling number ${quote(from)} is not in allowedNumbers ${list(trunk?.allowedNumbers ?? [])}`;
      break;
    case "address_not_allowed": {
      const ip = ctx.call.sourceIp ? `source IP ${ctx.call.sourceIp}` : "no source IP";
      const host = partyHost(ctx.call.from);
      text = `${ip}${host ? ` and From host ${quote(host)}` : ""} not in allowedAddresses ${list(trunk?.allowedAddresses ?? [])}`;
      break;
    }
    default:
      text = entry.detail ?? "";
  }
  return { verdict: entry.verdict, id: display, name: nameColumn(display, trunk?.name), text: `${text} (${entry.reason})` };
}

export function ruleRow({ entry, item: rule, name: display }: Located<SIPDispatchRuleInfo>, ctx: RowContext): Row {
  const { from, to, trunkName, winner } = ctx;
  let text: string;
  switch (entry.reason) {
    case "caller_mismatch":
      text = `the calling number ${quote(from)} is not in inboundNumbers ${list(rule?.inboundNumbers ?? [])}${normalisedHint(from, rule?.inboundNumbers, ctx.strict)}`;
      break;
    case "number_mismatch":
      text = `the called number ${quote(to)} is not in numbers ${list(rule?.numbers ?? [])}${normalisedHint(to, rule?.numbers, ctx.strict)}`;
      break;
    case "pin_required_but_no_pin_mode":
      text = "needs a pin, and the caller pressed # without digits";
      break;
    case "open_rule_after_pin":
      text = "has no pin; once digits are entered only pin rules can match";
      break;
    case "pin_mismatch":
      text = "the entered pin is not this rule's pin";
      break;
    case "trunk_mismatch": {
      const names = list(rule?.trunkIds ?? []);
      text = trunkName === "" ? `names trunks ${names}, and no trunk matched` : `names other trunks ${names}`;
      break;
    }
    case "specific_rule_won":
      text = entry.detail ?? `matched, but rule ${winner?.name} names trunk ${trunkName} and wins over rules with no trunkIds`;
      break;
    case "lower_priority": {
      const mine = rule === undefined ? undefined : priority(rule);
      const theirs = winner?.item === undefined ? undefined : priority(winner.item);
      text =
        entry.detail ??
        (mine !== undefined && theirs !== undefined && mine > theirs
          ? `matched, priority ${mine}; ${winner?.name} has ${theirs}`
          : `matched, priority ${mine ?? "?"}; tied with ${winner?.name ?? "the winner"}, which comes first (room string, then id)`);
      break;
    }
    case "selected":
      text = entry.detail ?? (rule === undefined ? "selected" : priorityWords(rule));
      break;
    default:
      text = entry.detail ?? "";
  }
  return { verdict: entry.verdict, id: display, name: nameColumn(display, rule?.name), text: entry.reason === "selected" ? text : `${text} (${entry.reason})` };
}

/** The name column: the item's name, unless it is already what the item is called by. */
const nameColumn = (display: string, name: string | undefined): string => (name === undefined || name === display ? "" : name);

/** "; "+15550199" is the same number, …" when a filter only misses because rule filters compare exactly. */
function normalisedHint(value: string, filter: readonly string[] | undefined, strict: boolean): string {
  if (strict || filter === undefined || filter.length === 0) return "";
  const normal = normalizeNumber(value);
  const hit = filter.find((n) => normalizeNumber(n) === normal);
  return hit === undefined ? "" : `; ${quote(hit)} is the same number, but LiveKit compares rule filters exactly (--strict normalises)`;
}

const priority = (rule: SIPDispatchRuleInfo): number => dispatchRulePriority(ruleTarget(rule), rule);

/** "priority 1101: individual rule, no pin (101) + no inboundNumbers filter (+1000)". */
function priorityWords(rule: SIPDispatchRuleInfo): string {
  const target = ruleTarget(rule);
  if (target === undefined) return "selected (a rule with no kind)";
  const base = dispatchRulePriority(target, { ...rule, inboundNumbers: ["x"], numbers: ["x"] });
  const parts = [`${target.kind} rule, ${target.pin === "" ? "no pin" : "with a pin"} (${base})`];
  if ((rule.inboundNumbers ?? []).length === 0) parts.push("no inboundNumbers filter (+1000)");
  if ((rule.numbers ?? []).length === 0) parts.push("no numbers filter (+1000)");
  return `matched, priority ${priority(rule)}: ${parts.join(" + ")}`;
}

/** The rows as aligned lines: verdict, id, name (when any row has one), reason. */
export function table(rows: readonly Row[], style: Style): string[] {
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const nameWidth = Math.min(32, Math.max(0, ...rows.map((r) => r.name.length)));
  return rows.map((r) => {
    const verdict = r.verdict.padEnd(9);
    const coloured = r.verdict === "selected" ? style.green(verdict) : r.verdict === "outranked" ? style.yellow(verdict) : style.dim(verdict);
    const name = r.name.length > nameWidth ? `${r.name.slice(0, nameWidth - 1)}…` : r.name.padEnd(nameWidth);
    const id = r.id.padEnd(idWidth);
    return `  ${coloured} ${r.verdict === "selected" ? style.bold(id) : id}  ${nameWidth > 0 ? `${name}  ` : ""}${r.text}`.trimEnd();
  });
}

export const partyUser = (party: InboundCall["from"]): string => (typeof party === "string" ? party : party.user);
export const partyHost = (party: InboundCall["from"]): string | undefined => (typeof party === "string" ? undefined : party.host);

export const list = (items: readonly string[]): string => {
  if (items.length === 0) return "[]";
  const shown = items.slice(0, MAX_LIST).join(", ");
  return `[${shown}${items.length > MAX_LIST ? `, … ${items.length - MAX_LIST} more` : ""}]`;
};

export const plural = (n: number, word: string): string => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
