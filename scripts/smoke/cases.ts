// The fixed set of calls `npm run smoke` resolves in every runtime (scripts/smoke/run.ts): parsing
// (good and bad input), protojson output, hidden-number hashing and masking (ASCII, non-ASCII, a
// lone surrogate), pins, strict mode, linear and compiled dispatch with a fixed random id, lint,
// conflicts and updates. `smoke` returns the results and their digest: SHA-256 (Web Crypto, not
// the library's own hash) of their canonical JSON. The library comes in as an argument, so each
// runtime's host passes the built package as that runtime loads it.
import type * as Library from "../../src/index.js";
import example from "../../examples/dispatch.json";

export interface SmokeResult {
  digest: string;
  cases: number;
  /** The canonical JSON the digest is taken over, to diff when digests differ. */
  canonical: string;
}

type Lib = typeof Library;
type Case = [name: string, value: unknown];

const randomId = () => "FIXEDrandom0";

/** Hidden numbers: callers whose identity is a hash and whose number is masked. */
const HIDDEN_CALLERS = ["+11112222", "+15551234567", "1234", "7", "", "abcdé", "日本語の番号", "+1555\u{1F4DE}", "\ud800x", "caller with spaces"];

function parsedAll<T>(items: unknown[], parse: (x: unknown) => { ok: true; value: T } | { ok: false; error: unknown }): T[] {
  return items.map((item) => {
    const parsed = parse(item);
    if (!parsed.ok) throw new Error(`smoke config does not parse: ${JSON.stringify(parsed.error)}`);
    return parsed.value;
  });
}

function exampleCases(lib: Lib): Case[] {
  const trunks = parsedAll(example.trunks, lib.parseInboundTrunk);
  const rules = parsedAll(example.rules, lib.parseDispatchRule);
  const dispatcher = lib.compileDispatch(trunks, rules);
  const calls: Library.InboundCall[] = [
    { from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7" },
    { from: "+15550111", to: "+15550199", sourceIp: "203.0.113.7", callId: "SCL_fixed", sipCallId: "abc@pbx" },
    { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7" },
    { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7", pin: "4321" },
    { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7", pin: "1111" },
    { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7", noPin: true },
    { from: "+15550177", to: "+15550142", sourceIp: "192.0.2.10", headers: { "X-Ticket": "T-1001", Other: "o" } },
    { from: { user: "+15550111", host: "203.0.113.9" }, to: "+15550199" },
    { from: "+15550111", to: "+15550199", sourceIp: "192.0.2.99" },
    { from: "+15550111", to: "+15550199", sourceIp: "not-an-ip" },
    { from: "+15550111", to: "+15559999", sourceIp: "203.0.113.7" },
    { from: "+15550111", to: "+1 (555) 0199", sourceIp: "203.0.113.7" },
    { from: "+15550111", to: "+15550142", trunkId: "ST_support" },
  ];
  const cases: Case[] = [
    ["example trunks as protojson", trunks.map(lib.inboundTrunkToJson)],
    ["example rules as protojson", rules.map(lib.dispatchRuleToJson)],
    ["example lint", lib.lintDispatch({ trunks, rules })],
  ];
  for (const [i, call] of calls.entries())
    for (const strict of [false, true]) {
      const options = { randomId, trace: true, strict };
      const linear = lib.resolveDispatch(call, trunks, rules, options);
      const compiled = dispatcher.resolve(call, options);
      cases.push([`example call ${i}${strict ? " strict" : ""}`, { linear, trace: linear.trace, compiledTrace: compiled.trace, same: JSON.stringify(compiled) === JSON.stringify(linear) }]);
    }
  return cases;
}

function hiddenNumberCases(lib: Lib): Case[] {
  const rule = lib.parseDispatchRule({ sipDispatchRuleId: "SDR_hidden", hidePhoneNumber: true, rule: { dispatchRuleIndividual: { roomPrefix: "h" } } });
  if (!rule.ok) throw new Error("hidden rule does not parse");
  return HIDDEN_CALLERS.map((from): Case => [`hidden ${JSON.stringify(from)}`, lib.resolveDispatch({ from, to: "+15550100", callId: "SCL_h" }, [], [rule.value], { randomId })]);
}

function parseCases(lib: Lib): Case[] {
  const inputs: [string, (x: unknown) => unknown, unknown][] = [
    ["rule, snake_case request", lib.parseDispatchRule, { dispatch_rule: { rule: { dispatch_rule_callee: { room_prefix: "c", randomize: true } }, trunk_ids: ["ST_a"], media_encryption: 1 } }],
    ["rule, bad field", lib.parseDispatchRule, { rule: { dispatchRuleDirect: { roomName: 5 } }, pin: "1234" }],
    ["rule, two kinds", lib.parseDispatchRule, { rule: { dispatchRuleDirect: { roomName: "a" }, dispatchRuleIndividual: { roomPrefix: "b" } } }],
    ["rule, room config", lib.parseDispatchRule, { rule: { dispatchRuleDirect: { roomName: "a" } }, roomConfig: { emptyTimeout: 600, agents: [{ agentName: "bot" }], egress: { room: { roomName: "x" } } } }],
    ["trunk, legacy SIPTrunkInfo", lib.parseInboundTrunk, { sipTrunkId: "ST_old", kind: "TRUNK_LEGACY", inboundNumbers: ["+1555"], inboundAddresses: ["10.0.0.0/8"] }],
    ["trunk, bad duration", lib.parseInboundTrunk, { sipTrunkId: "ST_d", ringingTimeout: "ten seconds", mediaEncryption: 9 }],
    ["trunk, timestamps and media", lib.parseInboundTrunk, { sipTrunkId: "ST_t", createdAt: "2026-01-02T03:04:05.123Z", media: { codecs: [{ name: "PCMU", rate: 8000 }], mediaTimeout: "1.500s" } }],
    ["rule update", lib.parseDispatchRuleUpdate, { trunkIds: { add: ["ST_b"] }, name: "n", attributes: { a: "1" } }],
    ["trunk update", lib.parseInboundTrunkUpdate, { numbers: { set: ["+1"] }, authPassword: "secret-value" }],
    ["not an object", lib.parseDispatchRule, "nope"],
  ];
  return inputs.map(([name, parse, input]): Case => [`parse ${name}`, parse(input)]);
}

function lifecycleCases(lib: Lib): Case[] {
  const rules = parsedAll(
    [
      { sipDispatchRuleId: "SDR_a", trunkIds: ["ST_x"], rule: { dispatchRuleDirect: { roomName: "a", pin: "11" } } },
      { sipDispatchRuleId: "SDR_b", trunkIds: ["ST_x"], rule: { dispatchRuleDirect: { roomName: "b", pin: "11" } } },
      { sipDispatchRuleId: "SDR_c", rule: { dispatchRuleIndividual: { roomPrefix: "c" } }, numbers: ["+15550100"] },
    ],
    lib.parseDispatchRule,
  );
  const trunks = parsedAll([{ sipTrunkId: "ST_x", numbers: ["+15550100"] }, { sipTrunkId: "ST_y", numbers: ["+1 555 0100"] }], lib.parseInboundTrunk);
  const update = lib.parseDispatchRuleUpdate({ trunkIds: { remove: ["ST_x"], add: ["ST_y"] }, name: "renamed" });
  if (!update.ok) throw new Error("update does not parse");
  return [
    ["rule conflicts", lib.findDispatchRuleConflicts(rules)],
    ["trunk conflicts", lib.findInboundTrunkConflicts(trunks)],
    ["validate rule", lib.validateDispatchRule(rules[0]!)],
    ["validate trunk", lib.validateInboundTrunk(trunks[1]!)],
    ["apply rule update", lib.applyDispatchRuleUpdate(rules[0]!, update.value)],
    ["lint conflicting", lib.lintDispatch({ trunks, rules })],
    ["normalize numbers", ["+1 (555) 010-0", "00441234", "tel:+1-555", "日本"].map(lib.normalizeNumber)],
  ];
}

/** JSON with object keys sorted at every level: the same value gives the same text everywhere. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

export async function smoke(lib: Lib): Promise<SmokeResult> {
  const cases = [...exampleCases(lib), ...hiddenNumberCases(lib), ...parseCases(lib), ...lifecycleCases(lib)];
  const canonical = canonicalJson(cases);
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  const digest = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { digest, cases: cases.length, canonical };
}
