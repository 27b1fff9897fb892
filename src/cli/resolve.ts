import { CONFIG_HELP, CONFIG_OPTIONS, type ConfigFlags, loadConfigFromFlags, type ReadContext, warningLines } from "./config.js";
import { explainResolution } from "./explain.js";
import { type Style, usage } from "./io.js";
import { partyFromFlag } from "./party.js";
import { callWithoutPin, rulesWithoutPins } from "./pins.js";
import { ruleTarget } from "../model/dispatch-rule.js";
import type { InboundCall } from "../model/resolution.js";
import { resolveDispatch } from "../resolve/resolve.js";
import { defaultRandomId } from "../resolve/random-id.js";

// `sip-dispatch resolve`: one call, explained.

export const RESOLVE_HELP = `Usage: sip-dispatch resolve [FILE | --config FILE | --trunks FILE --rules FILE | --example]
                            --from NUMBER --to NUMBER [options]

Resolve one inbound call as LiveKit would, and explain the decision: the trunk chosen and
why, every rule with its verdict, and the room, identity and attributes (or why the call
is dropped, asked for a pin, or fails with 503).

Configuration (required):
${CONFIG_HELP}

Call:
  --from NUMBER        calling party (From user)          (required)
  --to NUMBER          called party (To user)             (required)
                       Either may be a SIP or tel URI, read as LiveKit reads From
                       and To: sip:+15550100@carrier.example;user=phone, tel:+15550100
  --from-host HOST     From host, checked against allowedAddresses
  --to-host HOST       To host
  --ip ADDRESS         signalling source IP, without port
  --pin DIGITS         the digits the caller entered (never printed)
  --pin-of RULE_ID     enter the pin of that rule (as \`lint\` suggests; never printed)
  --no-pin             the caller pressed # without digits
  --header 'N: V'      an INVITE header (repeatable), for header-derived attributes
  --trunk-id ID        trunk already identified by the auth step (LiveKit's fast path)
  --call-id ID         LiveKit call id for sip.callID (default SCL_ + random)

Output:
  --strict             close LiveKit's pitfalls (allowlist bypasses, exact rule numbers)
  --random-id ID       fixed random suffix (12 characters in LiveKit) for reproducible output
  --all                list every trunk and rule; by default only those that could
                       have taken the call (for the called number, on the matched
                       trunk) are listed, with a count of the rest
  --json               print the DispatchResolution object, with its trace
  -h, --help           show this help

Exit status: 0 when the call was resolved (whatever the outcome), 2 on bad usage or input.
`;

export const RESOLVE_OPTIONS = {
  ...CONFIG_OPTIONS,
  from: { type: "string" },
  to: { type: "string" },
  "from-host": { type: "string" },
  "to-host": { type: "string" },
  ip: { type: "string" },
  pin: { type: "string" },
  "no-pin": { type: "boolean" },
  "pin-of": { type: "string" },
  header: { type: "string", multiple: true },
  "trunk-id": { type: "string" },
  "call-id": { type: "string" },
  strict: { type: "boolean" },
  "random-id": { type: "string" },
  json: { type: "boolean" },
  all: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface ResolveValues extends ConfigFlags {
  from?: string | undefined;
  to?: string | undefined;
  "from-host"?: string | undefined;
  "to-host"?: string | undefined;
  ip?: string | undefined;
  pin?: string | undefined;
  "no-pin"?: boolean | undefined;
  "pin-of"?: string | undefined;
  header?: string[] | undefined;
  "trunk-id"?: string | undefined;
  "call-id"?: string | undefined;
  strict?: boolean | undefined;
  "random-id"?: string | undefined;
  json?: boolean | undefined;
  all?: boolean | undefined;
}

/** Runs `resolve`; returns what to print on stdout, and notes for stderr. */
export function runResolve(values: ResolveValues, positionals: readonly string[], style: Style, context: ReadContext = {}): { stdout: string; stderr: string[] } {
  const call = callFromFlags(values);
  const config = loadConfigFromFlags(values, "resolve", positionals, context);
  const pinOf = values["pin-of"];
  if (pinOf !== undefined) {
    const rule = config.rules.find((r) => r.sipDispatchRuleId === pinOf);
    if (rule === undefined) throw usage(`--pin-of: no rule ${JSON.stringify(pinOf)} in ${config.label}`);
    const pin = ruleTarget(rule)?.pin ?? "";
    if (pin === "") throw usage(`--pin-of: rule ${JSON.stringify(pinOf)} has no pin`);
    call.pin = pin;
  }
  const strict = values.strict === true;
  const drawn: string[] = [];
  const fixed = values["random-id"];
  const randomId = (): string => {
    const id = fixed ?? defaultRandomId();
    drawn.push(id);
    return id;
  };
  const resolution = resolveDispatch(call, config.trunks, config.rules, { trace: true, strict, randomId });
  const stderr = warningLines(config.warnings);
  // The resolution holds no pin (the engine never puts one in it); the explanation is given the
  // call and the rules with their pins masked, so no pin can reach the text.
  if (values.json === true) return { stdout: `${JSON.stringify(resolution, null, 2)}\n`, stderr };
  const stdout = explainResolution(resolution, {
    call: callWithoutPin(call),
    trunks: config.trunks,
    rules: rulesWithoutPins(config.rules),
    configLabel: config.label,
    strict,
    randomIds: fixed === undefined ? drawn : [],
    style,
    all: values.all === true,
  });
  return { stdout, stderr };
}

/** The InboundCall the flags describe. Exit 2 on missing or contradictory flags. */
export function callFromFlags(values: ResolveValues): InboundCall {
  if (values.from === undefined) throw usage("resolve needs --from NUMBER (the calling party); see sip-dispatch resolve --help");
  if (values.to === undefined) throw usage("resolve needs --to NUMBER (the called party); see sip-dispatch resolve --help");
  const pins = [values.pin !== undefined, values["pin-of"] !== undefined, values["no-pin"] === true].filter(Boolean).length;
  if (pins > 1) throw usage("use only one of --pin, --pin-of and --no-pin");
  const fromHost = values["from-host"];
  const toHost = values["to-host"];
  const call: InboundCall = { from: party("--from", values.from, fromHost), to: party("--to", values.to, toHost) };
  if (values.ip !== undefined) call.sourceIp = values.ip;
  if (values.pin !== undefined) call.pin = values.pin;
  if (values["no-pin"] === true) call.noPin = true;
  if (values["trunk-id"] !== undefined) call.trunkId = values["trunk-id"];
  if (values["call-id"] !== undefined) call.callId = values["call-id"];
  if (values.header !== undefined && values.header.length > 0) call.headers = headersFromFlags(values.header);
  return call;
}

/** A number or SIP / tel URI, with --from-host / --to-host (which win over a URI's host). */
function party(flag: string, value: string, host: string | undefined): InboundCall["from"] {
  const parsed = partyFromFlag(flag, value);
  if (host === undefined) return parsed;
  return { user: typeof parsed === "string" ? parsed : parsed.user, host };
}

function headersFromFlags(flags: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const colon = flag.indexOf(":");
    const name = colon < 0 ? "" : flag.slice(0, colon).trim();
    if (name === "" || /\s/.test(name)) throw usage(`--header needs 'Name: value', got ${JSON.stringify(flag.length > 40 ? `${flag.slice(0, 40)}…` : flag)}`);
    headers[name] = flag.slice(colon + 1).trim();
  }
  return headers;
}
