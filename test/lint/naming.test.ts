import { describe, expect, it } from "vitest";
import { lintDispatch } from "../../src/lint/lint.js";
import { quoteDisplayName, ruleDisplayName, trunkDisplayName } from "../../src/model/display-name.js";
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

  it("trunk messages name an id-less trunk by position", () => {
    const half = trunk({ sipTrunkId: "", numbers: ["+15550100"], authUsername: "carrier" });
    const f = lintDispatch({ trunks: [trunk({ sipTrunkId: "ST_other", numbers: ["+1999"] }), half], rules: [] }).find((x) => x.code === "auth-half-configured");
    expect(f?.message).toMatch(/^Trunk trunks\[1\] sets authUsername/);
  });
});
