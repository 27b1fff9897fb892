// What `resolve` lists by default (the trunks and rules that could have taken the call, with a
// count of the rest) and with --all; trunks and rules without ids named by name or position; room
// configuration in words; the digest-authentication note.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-scope-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const direct = (roomName: string, pin = "") => ({ dispatchRuleDirect: { roomName, pin } });

function resolve(config: unknown, ...args: string[]): string {
  const file = join(dir, `config-${count++}.json`);
  writeFileSync(file, JSON.stringify(config));
  const result = runCli(["resolve", "--config", file, "--random-id", "R", ...args], { isTTY: false, env: {}, columns: 100 });
  expect(result).toMatchObject({ exitCode: 0, stderr: "" });
  return result.stdout.replaceAll(file, "CONFIG");
}

const section = (out: string, title: string): string[] => {
  const lines = out.split("\n");
  const start = lines.findIndex((line) => line.startsWith(title));
  const end = lines.findIndex((line, i) => i > start && line === "");
  return lines.slice(start, end);
};

describe("trunks and rules without ids (the shapes in LiveKit's docs)", () => {
  // As in LiveKit's docs: `lk sip inbound create` / `lk sip dispatch create` files, before creation.
  const config = {
    trunks: [{ trunk: { name: "My trunk", numbers: ["+15105550100"] } }, { trunk: { numbers: ["+15105550199"] } }],
    rules: [
      { dispatch_rule: { rule: { dispatchRuleIndividual: { roomPrefix: "call-" } }, name: "My dispatch rule" } },
      { dispatch_rule: { rule: { dispatchRuleDirect: { roomName: "other" } }, numbers: ["+15105550199"] } },
    ],
  };

  it("names the matched trunk by its name and the rule by its name, in the headline and the tables", () => {
    const out = resolve(config, "--from", "+15550100", "--to", "+15105550100", "--all");
    expect(out).toContain('ACCEPT  room "call-_+15550100_R", rule My dispatch rule on trunk My trunk');
    expect(section(out, "Trunks")).toEqual([
      "Trunks",
      '  selected  My trunk   its numbers list the called number "+15105550100" (selected_specific)',
      '  skipped   trunks[1]  the called number "+15105550100" is not in numbers [+15105550199] (number_mismatch)',
    ]);
    expect(section(out, "Rules")[0]).toBe("Rules (candidates: rules naming My trunk, then rules with no trunkIds; lowest priority number wins)");
    expect(section(out, "Rules").slice(1)).toEqual([
      "  selected  My dispatch rule  matched, priority 2101: individual rule, no pin (101) + no inboundNumbers filter (+1000) + no numbers filter (+1000)",
      '  skipped   rules[1]          the called number "+15105550100" is not in numbers [+15105550199] (number_mismatch)',
    ]);
  });

  it("names an unnamed trunk and rule by position; a drop on such a trunk names it", () => {
    const out = resolve(config, "--from", "+15550100", "--to", "+15105550199");
    expect(out).toContain('ACCEPT  room "other", rule rules[1] on trunk trunks[1]');
    const drop = resolve({ trunks: config.trunks, rules: [config.rules[1]] }, "--from", "+15550100", "--to", "+15105550100");
    expect(drop).toContain("DROP  no dispatch rule matched this call on trunk My trunk");
    expect(drop).toContain("Trunk My trunk took the call, but no rule for it");
  });
});

describe("what is listed by default", () => {
  // 50 trunks of one number each; 200 rules: 4 per trunk, for distinct called numbers.
  const trunks = Array.from({ length: 50 }, (_, t) => ({ sipTrunkId: `ST_${t}`, numbers: [`+1555000${String(t).padStart(4, "0")}`] }));
  const rules = trunks.flatMap((trunk, t) =>
    [0, 1, 2, 3].map((r) => ({
      sipDispatchRuleId: `SDR_${t}_${r}`,
      trunkIds: [trunk.sipTrunkId],
      numbers: [r === 0 ? trunk.numbers[0] : `+1666${t}${r}`],
      rule: direct(`room-${t}-${r}`),
    })),
  );
  rules.push({ sipDispatchRuleId: "SDR_fmt", trunkIds: ["ST_7"], numbers: ["15550000007"], rule: direct("fmt", "9999") });

  it("lists the trunks and rules that could have taken the call, and counts the rest", () => {
    const out = resolve({ trunks, rules }, "--from", "+15550100", "--to", "+15550000007");
    expect(section(out, "Trunks")).toEqual([
      "Trunks",
      '  selected  ST_7  its numbers list the called number "+15550000007" (selected_specific)',
      "  … 49 more trunks whose numbers do not list the called number (--all shows them)",
    ]);
    expect(section(out, "Rules").slice(1)).toEqual([
      "  selected  SDR_7_0  matched, priority 1100: direct rule, no pin (100) + no inboundNumbers filter (+1000)",
      '  skipped   SDR_fmt  the called number "+15550000007" is not in numbers [15550000007]; "15550000007" is the same number, but LiveKit compares rule filters exactly (--strict normalises) (number_mismatch)',
      "  … 199 more rules: 196 for other trunks, 3 whose numbers filter does not list the called number (--all shows them)",
    ]);
    expect(out.split("\n").length).toBeLessThan(40);
  });

  it("--all lists every trunk and rule", () => {
    const out = resolve({ trunks, rules }, "--from", "+15550100", "--to", "+15550000007", "--all");
    expect(section(out, "Trunks")).toHaveLength(51);
    expect(section(out, "Rules")).toHaveLength(202);
    expect(out).not.toContain("--all shows them");
  });

  it("keeps a trunk that lists the number but refused the caller, and rules that filtered the caller", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+1"], allowedNumbers: ["+9"] }, { sipTrunkId: "ST_b", numbers: ["+2"] }],
      rules: [{ sipDispatchRuleId: "SDR_vip", inboundNumbers: ["+8"], rule: direct("vip") }],
    };
    const out = resolve(config, "--from", "+7", "--to", "+1");
    expect(section(out, "Trunks")).toEqual([
      "Trunks",
      '  skipped   ST_a  the calling number "+7" is not in allowedNumbers [+9] (caller_not_allowed)',
      "  … 1 more trunk whose numbers do not list the called number (--all shows them)",
    ]);
    expect(section(out, "Rules").slice(1)).toEqual(['  skipped   SDR_vip  the calling number "+7" is not in inboundNumbers [+8] (caller_mismatch)']);
  });
});

describe("room configuration in words", () => {
  it("prints agents and the settings that differ from LiveKit's defaults, not a JSON dump", () => {
    const rule = {
      sipDispatchRuleId: "SDR_agent",
      rule: direct("billing"),
      roomConfig: {
        agents: [{ agentName: "billing-agent", metadata: '{"queue":"billing"}' }, { agentName: "", deployment: "prod", restartPolicy: "JRP_NEVER", attributes: { a: "1" } }],
        emptyTimeout: 600,
        departureTimeout: 20,
        maxParticipants: 3,
        minPlayoutDelay: 100,
        maxPlayoutDelay: 200,
        syncStreams: true,
        metadata: "m",
        name: "n",
        tags: { team: "billing" },
      },
    };
    const participant = section(resolve({ trunks: [], rules: [rule] }, "--from", "+1", "--to", "+2"), "Participant");
    expect(participant).toContain('  agent          billing-agent, metadata "{\\"queue\\":\\"billing\\"}"');
    expect(participant).toContain('  agent          (no agentName: an agent registered without a name), deployment "prod", restart policy JRP_NEVER, attributes a=1');
    expect(participant).toContain(
      '  room settings  name "n"; closes 600 s after it empties; closes 20 s after the last participant leaves; at most 3 participants; ' +
        'playout delay 100-200 ms; streams synchronised; metadata "m"; tags team=billing',
    );
    const empty = section(resolve({ trunks: [], rules: [{ ...rule, roomConfig: {} }] }, "--from", "+1", "--to", "+2"), "Participant");
    expect(empty).toContain("  room config  set, all at LiveKit's defaults");
    expect(empty.join("\n")).not.toContain("{");
  });
});

describe("digest authentication", () => {
  it("notes that LiveKit challenges for credentials when the matched trunk has them", () => {
    const trunks = [{ sipTrunkId: "ST_auth", numbers: ["+1"], authUsername: "u", authPassword: "secret-pw" }];
    const out = resolve({ trunks, rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }] }, "--from", "+7", "--to", "+1");
    expect(out).toContain(
      "note: the matched trunk requires digest authentication (authUsername/authPassword): LiveKit first answers the INVITE with 401 and dispatches only a call that retries with valid credentials",
    );
    expect(out).not.toContain("secret-pw");
    expect(resolve({ trunks: [{ sipTrunkId: "ST_open", numbers: ["+1"] }], rules: [] }, "--from", "+7", "--to", "+1")).not.toContain("digest");
  });
});
