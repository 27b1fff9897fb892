// Resolves a handful of calls against examples/dispatch.json and prints each decision.
// Run it with `npm run demo`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  compileDispatch,
  parseDispatchRule,
  parseInboundTrunk,
  type DispatchResolution,
  type InboundCall,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
} from "../src/index.js";

const configPath = fileURLToPath(new URL("./dispatch.json", import.meta.url));
const config = JSON.parse(readFileSync(configPath, "utf8")) as { trunks: unknown[]; rules: unknown[] };

function parseAll<T>(items: unknown[], parse: (x: unknown) => { ok: true; value: T } | { ok: false; error: { message: string } }): T[] {
  return items.map((item, i) => {
    const parsed = parse(item);
    if (!parsed.ok) throw new Error(`examples/dispatch.json item ${i}: ${parsed.error.message}`);
    return parsed.value;
  });
}

const trunks: SIPInboundTrunkInfo[] = parseAll(config.trunks, parseInboundTrunk);
const rules: SIPDispatchRuleInfo[] = parseAll(config.rules, parseDispatchRule);
const dispatcher = compileDispatch(trunks, rules);

const calls: { title: string; call: InboundCall }[] = [
  { title: "VIP caller on the main number", call: { from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7" } },
  { title: "Another caller on the main number", call: { from: "+15550111", to: "+15550199", sourceIp: "203.0.113.7" } },
  { title: "Board line, first INVITE", call: { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7" } },
  { title: "Board line, caller typed the pin", call: { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7", pin: "4321" } },
  { title: "Board line, wrong pin", call: { from: "+15550111", to: "+15550123", sourceIp: "203.0.113.7", pin: "1111" } },
  {
    title: "Support line with a ticket header",
    call: { from: "+15550177", to: "+15550142", sourceIp: "192.0.2.10", headers: { "X-Ticket": "T-1001" } },
  },
  { title: "Main number from an address not on the allowlist", call: { from: "+15550111", to: "+15550199", sourceIp: "192.0.2.99" } },
  { title: "A number no trunk serves", call: { from: "+15550111", to: "+15559999", sourceIp: "203.0.113.7" } },
];

function describe(decision: DispatchResolution): string {
  switch (decision.result) {
    case "accept": {
      const attrs = Object.entries(decision.participant.attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      return `accept  room=${decision.roomName} rule=${decision.ruleId} trunk=${decision.trunkId}\n          identity=${decision.participant.identity}\n          attributes: ${attrs}`;
    }
    case "request_pin":
      return `request_pin  rule=${decision.ruleId} trunk=${decision.trunkId} (LiveKit answers and asks for DTMF)`;
    case "drop":
      return `drop  trunk=${decision.trunkId || "(none)"} (no rule matched: LiveKit drops the INVITE silently)`;
    case "error":
      return `error ${decision.error.code}: ${decision.error.message} (SIP ${decision.sipStatus})`;
  }
}

for (const { title, call } of calls) {
  const decision = dispatcher.resolve({ callId: "SCL_demo", ...call });
  console.log(`${title}\n  ${call.from} -> ${call.to}${call.pin ? " (pin entered)" : ""}\n  ${describe(decision)}\n`);
}
