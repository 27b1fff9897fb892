import { quote, type Style } from "./io.js";
import { ruleTarget, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { normalizeNumber } from "../match/number.js";
import type { DispatchErrorCode, DispatchResolution, InboundCall, TraceEntry } from "../model/resolution.js";
import { dispatchRulePriority } from "../match/rule-match.js";

// The readable answer to "why did my call go there, or nowhere?": the outcome first, then every
// trunk and rule with its verdict and the values that decided it, then the room and participant.
// Never prints a pin: not the caller's, not a rule's.

export interface ExplainContext {
  call: InboundCall;
  trunks: readonly SIPInboundTrunkInfo[];
  rules: readonly SIPDispatchRuleInfo[];
  configLabel: string;
  strict: boolean;
  /** Random ids the resolution drew, to point out the parts that change per call ([] when fixed by --random-id). */
  randomIds: readonly string[];
  style: Style;
}

const MAX_LIST = 6;

/** The whole explanation, ending with a newline. */
export function explainResolution(resolution: DispatchResolution, ctx: ExplainContext): string {
  const { style } = ctx;
  const out: string[] = [];
  const from = partyUser(ctx.call.from);
  const to = partyUser(ctx.call.to);
  out.push(`${style.bold("Call")}    ${describeCall(ctx.call)}`);
  out.push(`${style.bold("Config")}  ${ctx.configLabel} (${plural(ctx.trunks.length, "trunk")}, ${plural(ctx.rules.length, "rule")})${ctx.strict ? ", strict mode" : ""}`);
  out.push("");
  out.push(...headline(resolution, ctx));
  const notes = callNotes(resolution, ctx);
  if (notes.length > 0) out.push("", ...notes.map((n) => `${style.dim("note:")} ${n}`));

  const trace = resolution.trace ?? [];
  const trunkEntries = trace.filter((e) => e.stage === "trunk");
  const ruleEntries = trace.filter((e) => e.stage === "rule");
  out.push("", style.bold("Trunks"));
  if (ctx.trunks.length === 0) out.push("  (none configured: every call arrives with no trunk)");
  else if (trunkEntries.length === 0) out.push("  (not examined: the call was rejected before trunk matching)");
  else out.push(...table(trunkEntries.map((e) => trunkRow(e, ctx, from, to)), style));

  const trunkId = resolution.trunkId;
  out.push("", ruleEntries.length === 0 ? style.bold("Rules") : `${style.bold("Rules")} ${style.dim(ruleScope(trunkId))}`);
  if (ctx.rules.length === 0) out.push("  (none configured)");
  // Every accept, pin request and drop ran rule selection; only an error stops before it.
  else if (ruleEntries.length === 0) out.push("  (not examined: the call failed before rule selection)");
  else {
    const winner = ruleEntries.find((e) => e.verdict === "selected");
    const failure = resolution.result === "error" ? resolution.error.message : undefined;
    out.push(...table(ruleEntries.map((e) => ruleRow(shortenDetail(e, failure), ctx, from, to, trunkId, winner?.id)), style));
  }

  if (resolution.result === "accept") out.push("", ...participantBlock(resolution, ctx));
  return `${out.join("\n")}\n`;
}

function headline(resolution: DispatchResolution, ctx: ExplainContext): string[] {
  const { style } = ctx;
  const trunk = resolution.trunkId === "" ? "no trunk" : `trunk ${resolution.trunkId}`;
  const onTrunk = resolution.trunkId === "" ? "(no trunk matched)" : `on trunk ${resolution.trunkId}`;
  switch (resolution.result) {
    case "accept": {
      const lines = [`${style.green(style.bold("ACCEPT"))}  room ${style.bold(quote(resolution.roomName))}, rule ${resolution.ruleId} ${onTrunk}`];
      if (resolution.roomName === "")
        lines.push("        the room name is empty: LiveKit cannot create the room (a pin caller hears \"wrong pin\")");
      return lines;
    }
    case "request_pin":
      return [
        `${style.yellow(style.bold("REQUEST_PIN"))}  rule ${resolution.ruleId} ${onTrunk} needs a pin`,
        "        LiveKit answers the call (200 OK), prompts for DTMF digits ending in #, then decides again",
        "        with the digits: resolve again with --pin DIGITS, or --no-pin for # alone.",
      ];
    case "drop":
      return [
        `${style.red(style.bold("DROP"))}  no dispatch rule matched this call ${onTrunk}`,
        "        LiveKit drops the INVITE silently: no final SIP response after 180 Ringing.",
        `        ${dropReason(resolution, ctx)}`,
      ];
    case "error":
      return [
        `${style.red(style.bold("ERROR"))}  SIP ${resolution.sipStatus} "Try again later" (${resolution.error.code}${resolution.trunkId === "" ? "" : ` on ${trunk}`})`,
        `        LiveKit: ${resolution.error.message}`,
        `        ${errorAdvice(resolution.error.code)}${resolution.error.code === "invalid_rule" ? kindless(resolution.trunkId, ctx.rules) : ""}`,
      ];
  }
}

function dropReason(resolution: DispatchResolution, ctx: ExplainContext): string {
  if (resolution.trunkId === "") {
    const open = ctx.rules.filter((r) => r.trunkIds.length === 0).length;
    const why = ctx.trunks.length === 0 ? "No trunks are configured" : "No trunk took the call (see Trunks)";
    if (ctx.rules.length === 0) return `${why}, and no rules are configured.`;
    return open === 0
      ? `${why}, and every rule names trunks, so no rule can take it.`
      : `${why}, so only the ${plural(open, "rule")} with no trunkIds could take it, and none matched (see Rules).`;
  }
  return `Trunk ${resolution.trunkId} took the call, but no rule for it (or with no trunkIds) passed its filters (see Rules).`;
}

function errorAdvice(code: DispatchErrorCode): string {
  switch (code) {
    case "trunk_conflict":
    case "default_trunk_conflict":
      return "Several trunks admit this call equally; give them distinct numbers, allowedNumbers or allowedAddresses (try `sip-dispatch lint`).";
    case "rule_conflict":
      return "Two candidate rules share trunk, numbers and pin; LiveKit fails every call on this trunk (try `sip-dispatch lint`).";
    case "invalid_rule":
      return "A candidate rule has no kind (no dispatchRuleDirect / Individual / Callee); LiveKit fails every call on this trunk.";
    case "invalid_source_ip":
      return "The --ip value is not an IPv4 or IPv6 address (no port).";
  }
}

/** " Rules without a kind: SDR_x." among the candidates of `trunkId` (an invalid_rule error means there is one). */
function kindless(trunkId: string, rules: readonly SIPDispatchRuleInfo[]): string {
  const ids = rules
    .filter((r) => ruleTarget(r) === undefined)
    .filter((r) => r.trunkIds.length === 0 || trunkId === "" || r.trunkIds.includes(trunkId))
    .map((r) => r.sipDispatchRuleId);
  return ` Rules without a kind: ${list(ids)}.`;
}

function callNotes(resolution: DispatchResolution, ctx: ExplainContext): string[] {
  const notes: string[] = [];
  const withAllowlist = ctx.trunks.filter((t) => t.allowedAddresses.length > 0).map((t) => t.sipTrunkId);
  if (!ctx.call.sourceIp && withAllowlist.length > 0)
    notes.push(
      ctx.strict
        ? `no --ip given: in strict mode the allowedAddresses of ${list(withAllowlist)} admit nothing`
        : `no --ip given: LiveKit then skips the allowedAddresses of ${list(withAllowlist)} (pass --ip to check them)`,
    );
  if (resolution.result === "accept" && ctx.randomIds.some((id) => id !== "" && resolution.roomName.endsWith(id)))
    notes.push("the room name ends in a random suffix that changes on every call (--random-id fixes it)");
  return notes;
}

function ruleScope(trunkId: string): string {
  return trunkId === ""
    ? "(no trunk matched: only rules with no trunkIds can be selected; lowest priority number wins)"
    : `(candidates: rules naming ${trunkId}, then rules with no trunkIds; lowest priority number wins)`;
}

interface Row {
  verdict: TraceEntry["verdict"];
  id: string;
  name: string;
  text: string;
}

function trunkRow(entry: TraceEntry, ctx: ExplainContext, from: string, to: string): Row {
  const trunk = ctx.trunks.find((t) => t.sipTrunkId === entry.id);
  const name = trunk?.name ?? "";
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
  return { verdict: entry.verdict, id: entry.id, name, text: `${text} (${entry.reason})` };
}

/** The trace repeats LiveKit's error text on the rules it concerns; the headline already shows it. */
function shortenDetail(entry: TraceEntry, failure: string | undefined): TraceEntry {
  if (failure === undefined || entry.detail === undefined || !entry.detail.includes(failure)) return entry;
  const detail =
    entry.verdict === "selected"
      ? "would be selected, but LiveKit refuses the candidate set (the error above)"
      : "matched; one of the conflicting pair (the error above)";
  return { ...entry, detail };
}

function ruleRow(entry: TraceEntry, ctx: ExplainContext, from: string, to: string, trunkId: string, winnerId: string | undefined): Row {
  const rule = ctx.rules.find((r) => r.sipDispatchRuleId === entry.id);
  const name = rule?.name ?? "";
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
      text = trunkId === "" ? `names trunks ${names}, and no trunk matched` : `names other trunks ${names}`;
      break;
    }
    case "specific_rule_won":
      text = entry.detail ?? `matched, but rule ${winnerId} names trunk ${trunkId} and wins over rules with no trunkIds`;
      break;
    case "lower_priority": {
      const winner = ctx.rules.find((r) => r.sipDispatchRuleId === winnerId);
      const mine = rule === undefined ? undefined : priority(rule);
      const theirs = winner === undefined ? undefined : priority(winner);
      text =
        entry.detail ??
        (mine !== undefined && theirs !== undefined && mine > theirs
          ? `matched, priority ${mine}; ${winnerId} has ${theirs}`
          : `matched, priority ${mine ?? "?"}; tied with ${winnerId ?? "the winner"}, which comes first (room string, then id)`);
      break;
    }
    case "selected":
      text = entry.detail ?? (rule === undefined ? "selected" : priorityWords(rule));
      break;
    default:
      text = entry.detail ?? "";
  }
  return { verdict: entry.verdict, id: entry.id, name, text: entry.reason === "selected" ? text : `${text} (${entry.reason})` };
}

/** " — it matches after normalisation" when a filter only misses because rule filters compare exactly. */
function normalisedHint(value: string, filter: readonly string[] | undefined, strict: boolean): string {
  if (strict || filter === undefined || filter.length === 0) return "";
  const normal = normalizeNumber(value);
  const hit = filter.find((n) => normalizeNumber(n) === normal);
  return hit === undefined ? "" : `; ${quote(hit)} is the same number, but LiveKit compares rule filters exactly (--strict normalises)`;
}

const priority = (rule: SIPDispatchRuleInfo): number => dispatchRulePriority(ruleTarget(rule), rule);

/** "priority 1101: individual rule, no pin (101) + no inboundNumbers filter (+1000)". */
function priorityWords(rule: SIPDispatchRuleInfo): string {
  // A rule without a kind is never selected: its candidate set fails (invalid_rule) first.
  const target = ruleTarget(rule)!;
  const base = dispatchRulePriority(target, { ...rule, inboundNumbers: ["x"], numbers: ["x"] });
  const parts = [`${target.kind} rule, ${target.pin === "" ? "no pin" : "with a pin"} (${base})`];
  if (rule.inboundNumbers.length === 0) parts.push("no inboundNumbers filter (+1000)");
  if (rule.numbers.length === 0) parts.push("no numbers filter (+1000)");
  return `matched, priority ${priority(rule)}: ${parts.join(" + ")}`;
}

function participantBlock(resolution: Extract<DispatchResolution, { result: "accept" }>, ctx: ExplainContext): string[] {
  const { style } = ctx;
  const p = resolution.participant;
  const rows: [string, string][] = [
    ["room", resolution.roomName],
    ["identity", p.identity],
    ["name", p.name],
  ];
  if (p.metadata !== "") rows.push(["metadata", p.metadata]);
  if (resolution.roomPreset) rows.push(["room preset", resolution.roomPreset]);
  if (resolution.roomConfig !== undefined) rows.push(["room config", JSON.stringify(resolution.roomConfig)]);
  if (resolution.media.codecs.length > 0) rows.push(["codecs", resolution.media.codecs.map((c) => `${c.name}/${c.rate}`).join(", ")]);
  const encryption = resolution.media.encryption ?? resolution.mediaEncryption;
  if (encryption !== "SIP_MEDIA_ENCRYPT_DISABLE") rows.push(["encryption", encryption]);
  rows.push(["krisp", resolution.krispEnabled ? "on" : "off"]);
  const width = Math.max(...rows.map(([k]) => k.length), "attributes".length) + 2;
  const lines = [style.bold("Participant")];
  for (const [key, value] of rows) lines.push(`  ${key.padEnd(width)}${value}`);
  const attrs = Object.entries(p.attributes);
  if (attrs.length === 0) lines.push(`  ${"attributes".padEnd(width)}(none)`);
  else {
    const keyWidth = Math.max(...attrs.map(([k]) => k.length)) + 2;
    attrs.forEach(([k, v], i) => lines.push(`  ${(i === 0 ? "attributes" : "").padEnd(width)}${k.padEnd(keyWidth)}${v === "" ? style.dim('""') : v}`));
  }
  return lines;
}

function table(rows: Row[], style: Style): string[] {
  const idWidth = Math.max(...rows.map((r) => r.id.length || 7));
  const nameWidth = Math.min(32, Math.max(0, ...rows.map((r) => r.name.length)));
  return rows.map((r) => {
    const verdict = r.verdict.padEnd(9);
    const coloured = r.verdict === "selected" ? style.green(verdict) : r.verdict === "outranked" ? style.yellow(verdict) : style.dim(verdict);
    const name = r.name.length > nameWidth ? `${r.name.slice(0, nameWidth - 1)}…` : r.name.padEnd(nameWidth);
    const id = (r.id === "" ? "(no id)" : r.id).padEnd(idWidth);
    return `  ${coloured} ${r.verdict === "selected" ? style.bold(id) : id}  ${nameWidth > 0 ? `${name}  ` : ""}${r.text}`.trimEnd();
  });
}

function describeCall(call: InboundCall): string {
  const parts = [`from ${partyText(call.from)} to ${partyText(call.to)}`];
  parts.push(call.sourceIp ? `source IP ${call.sourceIp}` : "no source IP");
  if (call.noPin) parts.push("caller pressed # without a pin");
  else if (call.pin) parts.push("pin entered (****)");
  if (call.trunkId) parts.push(`auth trunk ${call.trunkId}`);
  const headers = Object.keys(call.headers ?? {});
  if (headers.length > 0) parts.push(`headers ${headers.join(", ")}`);
  return parts.join(", ");
}

const partyUser = (party: InboundCall["from"]): string => (typeof party === "string" ? party : party.user);
const partyHost = (party: InboundCall["from"]): string | undefined => (typeof party === "string" ? undefined : party.host);
const partyText = (party: InboundCall["from"]): string => {
  const user = quoteIfOdd(partyUser(party));
  const host = partyHost(party);
  return host ? `${user}@${host}` : user;
};
const quoteIfOdd = (s: string): string => (s === "" || /\s/.test(s) ? quote(s) : s);

const list = (items: readonly string[]): string => {
  if (items.length === 0) return "[]";
  const shown = items.slice(0, MAX_LIST).join(", ");
  return `[${shown}${items.length > MAX_LIST ? `, … ${items.length - MAX_LIST} more` : ""}]`;
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
