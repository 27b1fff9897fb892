import { participantBlock } from "./explain-participant.js";
import {
  hiddenRules,
  hiddenTrunks,
  list,
  type Located,
  partyHost,
  partyUser,
  plural,
  type RowContext,
  ruleRow,
  ruleShown,
  table,
  trunkRow,
  trunkShown,
} from "./explain-rows.js";
import { quote, type Style } from "./io.js";
import { displayName, entryIndexes } from "./names.js";
import { ruleTarget, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { DispatchResolution, InboundCall, TraceEntry } from "../model/resolution.js";

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
  /** List every trunk and rule, not only those that could have taken the call. */
  all?: boolean;
}

/** The whole explanation, ending with a newline. */
export function explainResolution(resolution: DispatchResolution, ctx: ExplainContext): string {
  const { style } = ctx;
  const out: string[] = [];
  const trace = resolution.trace ?? [];
  const trunks = locate(trace.filter((e) => e.stage === "trunk"), ctx.trunks, "trunks", (t) => t.sipTrunkId);
  const rules = locate(trace.filter((e) => e.stage === "rule"), ctx.rules, "rules", (r) => r.sipDispatchRuleId);
  // A trunk without an id is matched with trunkId "": the trace's selected trunk says which.
  const trunkFailed = resolution.result === "error" && resolution.error.code !== "rule_conflict" && resolution.error.code !== "invalid_rule";
  const matched = trunkFailed ? undefined : trunks.find((t) => t.entry.verdict === "selected");
  const winner = rules.find((r) => r.entry.verdict === "selected");
  const rowContext: RowContext = {
    call: ctx.call,
    from: partyUser(ctx.call.from),
    to: partyUser(ctx.call.to),
    strict: ctx.strict,
    trunkName: matched?.name ?? "",
    winner,
  };
  const names: Names = { trunk: matched?.name ?? "", rule: winner?.name ?? (resolution.result === "request_pin" || resolution.result === "accept" ? resolution.ruleId : "") };
  out.push(`${style.bold("Call")}    ${describeCall(ctx.call)}`);
  out.push(`${style.bold("Config")}  ${ctx.configLabel} (${plural(ctx.trunks.length, "trunk")}, ${plural(ctx.rules.length, "rule")})${ctx.strict ? ", strict mode" : ""}`);
  out.push("");
  out.push(...headline(resolution, ctx, names));
  const notes = callNotes(resolution, ctx, matched?.item);
  if (notes.length > 0) out.push("", ...notes.map((n) => `${style.dim("note:")} ${n}`));

  out.push("", style.bold("Trunks"));
  if (ctx.trunks.length === 0) out.push("  (none configured: every call arrives with no trunk)");
  else if (trunks.length === 0) out.push("  (not examined: the call was rejected before trunk matching)");
  else {
    const shown = ctx.all ? trunks : trunks.filter((t) => trunkShown(t.entry));
    out.push(...table(shown.map((t) => trunkRow(t, rowContext)), style));
    const more = hiddenTrunks(trunks.length - shown.length);
    if (more !== undefined) out.push(style.dim(more));
  }

  out.push("", rules.length === 0 ? style.bold("Rules") : `${style.bold("Rules")} ${style.dim(ruleScope(names.trunk))}`);
  if (ctx.rules.length === 0) out.push("  (none configured)");
  else if (rules.length === 0) out.push(`  (not examined: ${resolution.result === "error" ? "the call failed before rule selection" : "no rule selection ran"})`);
  else out.push(...ruleTable(rules, resolution, rowContext, ctx));

  if (resolution.result === "accept") out.push("", ...participantBlock(resolution, style));
  return `${out.join("\n")}\n`;
}

/** The names the headline uses for the matched trunk and the winning rule ("" for none). */
interface Names {
  trunk: string;
  rule: string;
}

/** Each trace entry with its trunk or rule (found by index, see entryIndexes) and display name. */
function locate<T extends { name: string }>(entries: readonly TraceEntry[], items: readonly T[], kind: "trunks" | "rules", idOf: (item: T) => string): Located<T>[] {
  const ids = items.map(idOf);
  const names = items.map((item, i) => displayName(kind, ids[i] as string, item.name ?? "", i));
  return entryIndexes(entries, ids, names).map((index, i) => {
    const entry = entries[i] as TraceEntry;
    return index === undefined ? { entry, item: undefined, name: entry.id } : { entry, item: items[index], name: names[index] as string };
  });
}

function ruleTable(rules: readonly Located<SIPDispatchRuleInfo>[], resolution: DispatchResolution, rowContext: RowContext, ctx: ExplainContext): string[] {
  const failure = resolution.result === "error" ? resolution.error.message : undefined;
  let otherTrunks = 0;
  let otherNumbers = 0;
  const shown: Located<SIPDispatchRuleInfo>[] = [];
  for (const rule of rules) {
    if (ctx.all || ruleShown(rule, rowContext)) shown.push(rule);
    else if (rule.entry.reason === "trunk_mismatch") otherTrunks++;
    else otherNumbers++;
  }
  const lines = table(shown.map((r) => ruleRow({ ...r, entry: shortenDetail(r.entry, failure) }, rowContext)), ctx.style);
  const more = hiddenRules(otherTrunks, otherNumbers);
  if (more !== undefined) lines.push(ctx.style.dim(more));
  return lines;
}

function headline(resolution: DispatchResolution, ctx: ExplainContext, names: Names): string[] {
  const { style } = ctx;
  const onTrunk = names.trunk === "" ? "(no trunk matched)" : `on trunk ${names.trunk}`;
  switch (resolution.result) {
    case "accept": {
      const lines = [`${style.green(style.bold("ACCEPT"))}  room ${style.bold(quote(resolution.roomName))}, rule ${names.rule} ${onTrunk}`];
      if (resolution.sipOutcome === "wrong_pin_hangup")
        lines.push('        the room name is empty: after the entered pin LiveKit plays "wrong pin" and hangs up (wrong_pin_hangup)');
      else if (resolution.roomName === "")
        lines.push("        the room name is empty: LiveKit joins the caller to a room named \"\" (a caller who entered a pin would hear \"wrong pin\")");
      return lines;
    }
    case "request_pin":
      return [
        `${style.yellow(style.bold("REQUEST_PIN"))}  rule ${names.rule} ${onTrunk} needs a pin`,
        "        LiveKit answers the call (200 OK), plays \"enter pin\", reads DTMF digits ending in #, then decides again",
        "        with the digits: resolve again with --pin DIGITS, or --no-pin for # alone.",
      ];
    case "drop":
      return [
        `${style.red(style.bold("DROP"))}  no dispatch rule matched this call ${onTrunk}`,
        resolution.sipOutcome === "wrong_pin_hangup"
          ? '        The caller entered a pin that no rule accepts: LiveKit plays "wrong pin" and hangs up the answered call (wrong_pin_hangup).'
          : "        LiveKit ignores the INVITE: no final SIP response after 180 Ringing (ignore).",
        `        ${dropReason(ctx, names)}`,
      ];
    case "error":
      return [
        `${style.red(style.bold("ERROR"))}  SIP ${resolution.sipStatus} "Try again later" (${resolution.error.code}${names.trunk === "" ? "" : ` on trunk ${names.trunk}`})${enteredPin(ctx.call) ? ", after the pin: LiveKit closes the answered call" : ""}`,
        `        LiveKit: ${resolution.error.message}`,
        `        ${errorAdvice(resolution.error.code)}${resolution.error.code === "invalid_rule" ? kindless(resolution.trunkId, names.trunk !== "", ctx.rules) : ""}`,
      ];
  }
}

const enteredPin = (call: InboundCall): boolean => call.noPin === true || (call.pin ?? "") !== "";

function dropReason(ctx: ExplainContext, names: Names): string {
  if (names.trunk === "") {
    let open = 0;
    for (const rule of ctx.rules) if ((rule.trunkIds ?? []).length === 0) open++;
    const why = ctx.trunks.length === 0 ? "No trunks are configured" : "No trunk took the call (see Trunks)";
    if (ctx.rules.length === 0) return `${why}, and no rules are configured.`;
    return open === 0
      ? `${why}, and every rule names trunks, so no rule can take it.`
      : `${why}, so only the ${plural(open, "rule")} with no trunkIds could take it, and none matched (see Rules).`;
  }
  return `Trunk ${names.trunk} took the call, but no rule for it (or with no trunkIds) passed its filters (see Rules).`;
}

function errorAdvice(code: string): string {
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
    default:
      return "";
  }
}

/** " Rules without a kind: SDR_x." among the candidates of the matched trunk (`trunkId`, "" when it has none). */
function kindless(trunkId: string, matched: boolean, rules: readonly SIPDispatchRuleInfo[]): string {
  const names: string[] = [];
  rules.forEach((r, i) => {
    if (ruleTarget(r) !== undefined) return;
    const trunkIds = r.trunkIds ?? [];
    if (trunkIds.length === 0 || !matched || trunkIds.includes(trunkId)) names.push(displayName("rules", r.sipDispatchRuleId, r.name ?? "", i));
  });
  return names.length === 0 ? "" : ` Rules without a kind: ${list(names)}.`;
}

function callNotes(resolution: DispatchResolution, ctx: ExplainContext, matched: SIPInboundTrunkInfo | undefined): string[] {
  const notes: string[] = [];
  const withAllowlist: string[] = [];
  ctx.trunks.forEach((t, i) => {
    if ((t.allowedAddresses ?? []).length > 0) withAllowlist.push(displayName("trunks", t.sipTrunkId, t.name ?? "", i));
  });
  if (!ctx.call.sourceIp && withAllowlist.length > 0)
    notes.push(
      ctx.strict
        ? `no --ip given: in strict mode the allowedAddresses of ${list(withAllowlist)} admit nothing`
        : `no --ip given: LiveKit then skips the allowedAddresses of ${list(withAllowlist)} (pass --ip to check them)`,
    );
  if (matched !== undefined && (matched.authUsername !== "" || matched.authPassword !== ""))
    notes.push(
      "the matched trunk requires digest authentication (authUsername/authPassword): LiveKit first answers the INVITE with " +
        "401 and dispatches only a call that retries with valid credentials",
    );
  if (resolution.result === "accept" && ctx.randomIds.some((id) => id !== "" && resolution.roomName.endsWith(id)))
    notes.push("the room name ends in a random suffix that changes on every call (--random-id fixes it)");
  return notes;
}

function ruleScope(trunk: string): string {
  return trunk === ""
    ? "(no trunk matched: only rules with no trunkIds can be selected; lowest priority number wins)"
    : `(candidates: rules naming ${trunk}, then rules with no trunkIds; lowest priority number wins)`;
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

const partyText = (party: InboundCall["from"]): string => {
  const user = quoteIfOdd(partyUser(party));
  const host = partyHost(party);
  return host ? `${user}@${host}` : user;
};
const quoteIfOdd = (s: string): string => (s === "" || /\s/.test(s) ? quote(s) : s);

/** The trace repeats LiveKit's error text on the rules it concerns; the headline already shows it. */
function shortenDetail(entry: TraceEntry, failure: string | undefined): TraceEntry {
  if (failure === undefined || entry.detail === undefined || !entry.detail.includes(failure)) return entry;
  const detail =
    entry.verdict === "selected"
      ? "would be selected, but LiveKit refuses the candidate set (the error above)"
      : "matched; one of the conflicting pair (the error above)";
  return { ...entry, detail };
}
