// pin-prompts-open-callers: a pin rule and an open rule on the same called number. LiveKit's first
// evaluation of a call sends no pin and keeps both pin and open rules; the lower priority wins,
// and a pin rule ranks before an open rule with the same filters (livekit/protocol sip/sip.go,
// DispatchRulePriority: 0-2 with a pin, 100-102 without). So every caller of that number is
// answered and asked for a pin, and reaches the open rule only by pressing # without digits
// (no_pin), which skips pin rules. The check reports it only when that really happens: a witness
// call gets `request_pin` from the pin rule, and the same call with `noPin` joins the open rule's room.
import type { PreparedRule } from "../match/rule-match.js";
import type { InboundCall } from "../model/resolution.js";
import { callsForRule, finding, findWitness, q, type Finding, type LintContext } from "./context.js";

/**
 * Whether `open` claims the calls `pin` takes at least as specifically: each filter the pin rule
 * has, the open rule has too, and it is on the pin rule's trunks, not a default rule behind them.
 * Otherwise the pin rule is the more specific one and prompting its callers is what it is for
 * (a pin line, or a pin for listed callers).
 */
const sharesCalls = (pin: PreparedRule, open: PreparedRule): boolean =>
  (pin.numbers === undefined || open.numbers !== undefined) &&
  (pin.callers === undefined || open.callers !== undefined) &&
  (pin.isDefault || !open.isDefault);

/** Open rules by the called numbers they list, and those that list none, once per configuration. */
interface OpenRules {
  readonly byNumber: ReadonlyMap<string, PreparedRule[]>;
  readonly anyNumber: readonly PreparedRule[];
}

function openRulesOf(ctx: LintContext): OpenRules {
  const byNumber = new Map<string, PreparedRule[]>();
  const anyNumber: PreparedRule[] = [];
  for (const rule of ctx.rules) {
    if (rule.kind === undefined || rule.pin !== "") continue;
    if (rule.numbers === undefined) anyNumber.push(rule);
    else
      for (const n of rule.numbers) {
        const list = byNumber.get(n);
        if (list === undefined) byNumber.set(n, [rule]);
        else list.push(rule);
      }
  }
  return { byNumber, anyNumber };
}

/** Open rules that may share calls with `pin`: listed on one of its numbers, or (no numbers) any with none. */
function rivalsOf(open: OpenRules, pin: PreparedRule): PreparedRule[] {
  const candidates = pin.numbers === undefined ? open.anyNumber : [...pin.numbers].flatMap((n) => open.byNumber.get(n) ?? []);
  return candidates.filter((rule) => sharesCalls(pin, rule));
}

const calledNumber = (call: InboundCall): string => (typeof call.to === "string" ? call.to : call.to.user);

function pinPromptFinding(ctx: LintContext, open: OpenRules, pin: PreparedRule): Finding | undefined {
  const rivals = rivalsOf(open, pin);
  if (rivals.length === 0) return undefined;
  let reached: PreparedRule | undefined;
  let trunkId = "";
  const witness = findWitness(ctx, callsForRule(ctx, pin, pin.numbers === undefined ? undefined : sharedNumbers(pin, rivals)), (r, call) => {
    if (r.result !== "request_pin" || r.ruleId !== pin.id) return false;
    trunkId = r.trunkId;
    const hash = ctx.resolve({ ...call, noPin: true });
    if (hash.result !== "accept" || hash.roomName === "") return false;
    reached = rivals.find((rule) => rule.id === hash.ruleId);
    return reached !== undefined;
  });
  if (witness === undefined || reached === undefined) return undefined;
  const number = calledNumber(witness);
  const trunk = trunkId === "" ? "" : ` through trunk ${q(trunkId)}`;
  return finding(
    "pin-prompts-open-callers",
    "warning",
    `Pin rule ${ctx.ruleName(pin)} and open rule ${ctx.ruleName(reached)} take the same calls (to ${q(number)}${trunk}). ` +
      `LiveKit ranks a pin rule before an open rule with the same filters, so every caller of ${q(number)} is answered and asked ` +
      `for the pin, and reaches ${ctx.ruleName(reached)} only by pressing # without digits. ` +
      `Fix: give the pin rule a called number of its own, or, if known callers should get in directly, list them in the open ` +
      `rule's inboundNumbers (a rule with a calling-number filter ranks before one without).`,
    { ...ctx.subjects({ rules: [pin, reached] }), witness },
  );
}

/** The pin rule's called numbers that a rival lists too, as the pin rule spells them. */
function sharedNumbers(pin: PreparedRule, rivals: readonly PreparedRule[]): string[] {
  return [...(pin.numbers ?? [])].filter((n) => rivals.some((rule) => rule.numbers?.has(n) === true));
}

export function pinPromptFindings(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  let open: OpenRules | undefined;
  for (const rule of ctx.rules) {
    if (rule.kind === undefined || rule.pin === "") continue;
    open ??= openRulesOf(ctx);
    const found = pinPromptFinding(ctx, open, rule);
    if (found !== undefined) out.push(found);
  }
  return out;
}
