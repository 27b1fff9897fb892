import { describe, expect, it } from "vitest";
import { lintDispatch } from "../../src/lint/lint.js";
import { quoteDisplayName, ruleDisplayName, trunkDisplayName } from "../../src/model/display-name.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { direct, individual, rule, trunk } from "../fixtures.js";

// Configurations written before creation (the shapes in LiveKit's docs) have no ids.
describe("trunks and rules without ids are named by name, else by position", () => {
  it.each([
    [{ sipDispatchRuleId: "SDR_a", name: "Sales" }, 3, "SDR_a", '"SDR_a"'],
    [{ sipDispatchRuleId: "", name: "Sales" }, 3, "Sales", '"Sales"'],
    [{ sipDispatchRuleId: "", name: "" }, 3, "rules[3]", "rules[3]"],
    [{}, 0, "rules[0]", "rules[0]"],
  ])("rule %j at %i: %s", (r, index, text, quoted) => {
    const name = ruleDisplayName(r, index);
    expect(name.text).toBe(text);
    expect(quoteDisplayName(name)).toBe(quoted);
  });

  it.each([
    [{ sipTrunkId: "ST_a", name: "Main" }, 1, "ST_a"],
    [{ sipTrunkId: "", name: "Main" }, 1, "Main"],
    [{ sipTrunkId: "", name: "" }, 1, "trunks[1]"],
  ])("trunk %j at %i: %s", (t, index, text) => {
    expect(trunkDisplayName(t, index).text).toBe(text);
  });

  it("lint names an id-less default rule by its name, else by its position in the input (never \"\")", () => {
    const main = trunk({ sipTrunkId: "", name: "", numbers: ["+15550100"] });
    const named = rule({ sipDispatchRuleId: "", name: "Everyone", rule: individual("call") });
    const unnamed = rule({ sipDispatchRuleId: "", rule: individual("other"), numbers: ["+15550100"], roomPreset: "" });
    const catchAll = lintDispatch({ trunks: [main], rules: [named] }).find((f) => f.code === "open-catch-all");
    expect(catchAll?.message).toMatch(/^Default rule "Everyone" has no trunkIds/);
    const positional = lintDispatch({ trunks: [main], rules: [unnamed, rule({ sipDispatchRuleId: "", rule: direct("lobby") })] });
    const messages = positional.map((f) => f.message).join("\n");
    expect(messages).not.toMatch(/rule ""|trunk ""/);
    expect(positional.find((f) => f.code === "open-catch-all")?.message).toMatch(/^Default rule rules\[1\] has no trunkIds/);
  });

  it("findings carry the name or position of id-less rules and trunks in ruleIds / trunkIds, and their input indexes", () => {
    const half = trunk({ sipTrunkId: "", name: "", numbers: ["+15550100"], authUsername: "carrier" });
    const rules = [
      rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_gone"], rule: direct("a") }),
      rule({ sipDispatchRuleId: "", name: "", rule: direct("b") }),
      rule({ sipDispatchRuleId: "", name: "Sales", rule: direct(""), numbers: ["+15550100"] }),
    ];
    const findings = lintDispatch({ trunks: [trunk({ sipTrunkId: "ST_x", numbers: ["+1999"] }), half], rules });
    const about = (code: string) => findings.filter((f) => f.code === code).map((f) => [f.ruleIds, f.ruleIndexes, f.trunkIds, f.trunkIndexes]);
    expect(about("auth-half-configured")).toEqual([[undefined, undefined, ["trunks[1]"], [1]]]);
    expect(about("open-catch-all")).toEqual([[["rules[1]"], [1], undefined, undefined]]);
    expect(about("empty-room-name")).toEqual([[["Sales"], [2], undefined, undefined]]);
    // A trunk id that names no trunk of the configuration has no index.
    expect(about("unknown-trunk")).toEqual([[["SDR_a"], [0], ["ST_gone"], undefined]]);
  });

  it("two id-less rules that collide are a rule-conflict naming each by position, with a witness that fails", () => {
    const main = trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"] });
    const rules = [
      rule({ sipDispatchRuleId: "SDR_other", trunkIds: ["ST_main"], numbers: ["+1999"], rule: direct("x") }),
      rule({ sipDispatchRuleId: "", rule: direct("a") }),
      rule({ sipDispatchRuleId: "", name: "Second", rule: direct("b") }),
    ];
    const f = lintDispatch({ trunks: [main], rules }).filter((x) => x.code === "rule-conflict");
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^Dispatch rules rules\[1\] and "Second" collide: they are both default rules/);
    expect([f[0]!.ruleIds, f[0]!.ruleIndexes]).toEqual([["rules[1]", "Second"], [1, 2]]);
    expect(resolveDispatch(f[0]!.witness!, [main], rules)).toMatchObject({ result: "error", error: { code: "rule_conflict" } });
  });

  it("two id-less trunks that collide are a trunk-conflict naming each by position", () => {
    const trunks = [trunk({ sipTrunkId: "", numbers: ["+15550100"] }), trunk({ sipTrunkId: "", name: "Backup", numbers: ["+15550100"] })];
    const f = lintDispatch({ trunks, rules: [rule({ sipDispatchRuleId: "SDR_a", rule: direct("a") })] }).filter((x) => x.code === "trunk-conflict");
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^Inbound trunks trunks\[0\] and "Backup" both serve called number "\+15550100"/);
    expect([f[0]!.trunkIds, f[0]!.trunkIndexes]).toEqual([["trunks[0]", "Backup"], [0, 1]]);
    expect(resolveDispatch(f[0]!.witness!, trunks, [])).toMatchObject({ result: "error" });
  });

  it("trunk messages name an id-less trunk by position", () => {
    const half = trunk({ sipTrunkId: "", numbers: ["+15550100"], authUsername: "carrier" });
    const f = lintDispatch({ trunks: [trunk({ sipTrunkId: "ST_other", numbers: ["+1999"] }), half], rules: [] }).find((x) => x.code === "auth-half-configured");
    expect(f?.message).toMatch(/^Trunk trunks\[1\] sets authUsername/);
  });
});

describe("number-format-mismatch advises the form calls arrive in", () => {
  // The trunk as a user typed it, spaced; the rule copied from the trunk. Carriers send E.164.
  const spaced = trunk({ sipTrunkId: "ST_uk", numbers: ["+44 20 7183 8750"] });
  const copied = rule({ sipDispatchRuleId: "SDR_uk", trunkIds: ["ST_uk"], numbers: ["+44 20 7183 8750"], rule: direct("london") });

  it("advises E.164, not the trunk's spelling, and its witness arrives in E.164", () => {
    const f = lintDispatch({ trunks: [spaced], rules: [copied] }).find((x) => x.code === "number-format-mismatch");
    expect(f?.message).toContain('Fix: write numbers in E.164 as calls arrive: "+442071838750" for "+44 20 7183 8750"');
    expect(f?.witness?.to).toBe("+442071838750");
  });

  it("the witness resolves to the rule once the advice is applied", () => {
    const f = lintDispatch({ trunks: [spaced], rules: [copied] }).find((x) => x.code === "number-format-mismatch")!;
    expect(resolveDispatch(f.witness!, [spaced], [copied]).result).toBe("drop");
    const advised = { ...copied, numbers: ["+442071838750"] };
    expect(resolveDispatch(f.witness!, [spaced], [advised])).toMatchObject({ result: "accept", ruleId: "SDR_uk", roomName: "london" });
    expect(lintDispatch({ trunks: [spaced], rules: [advised] }).filter((x) => x.code === "number-format-mismatch")).toEqual([]);
  });
});
