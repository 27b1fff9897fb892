import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { pathText, readConfigText, toJsonConfig } from "../../playground/src/config-input.js";

// The playground reads every shape the CLI reads, and says which it could not read, where.

const example = readFileSync(new URL("../../examples/dispatch.json", import.meta.url), "utf8");
const trunk = { sipTrunkId: "ST_a", numbers: ["+15550100"] };
const rule = { sipDispatchRuleId: "SDR_a", rule: { dispatchRuleDirect: { roomName: "a" } } };

const ids = (text: string): { trunks: string[]; rules: string[] } => {
  const read = readConfigText(text);
  if (!read.ok) throw new Error(read.error);
  return { trunks: read.value.trunks.map((t) => t.sipTrunkId), rules: read.value.rules.map((r) => r.sipDispatchRuleId) };
};

describe("readConfigText", () => {
  test.each([
    ["a {trunks, rules} config", example, { trunks: ["ST_main", "ST_support"], rules: ["SDR_vip", "SDR_main", "SDR_board", "SDR_support"] }],
    ["lk sip inbound list --json", JSON.stringify({ items: [trunk] }), { trunks: ["ST_a"], rules: [] }],
    ["lk sip dispatch list --json", JSON.stringify({ items: [rule] }), { trunks: [], rules: ["SDR_a"] }],
    ["a bare array of both kinds", JSON.stringify([rule, trunk]), { trunks: ["ST_a"], rules: ["SDR_a"] }],
    ["one trunk in its create-request wrapper", JSON.stringify({ trunk }), { trunks: ["ST_a"], rules: [] }],
    ["one rule in its create-request wrapper", JSON.stringify({ dispatch_rule: rule }), { trunks: [], rules: ["SDR_a"] }],
    ["one legacy top-level rule", JSON.stringify({ rule: rule.rule, trunk_ids: ["ST_a"] }), { trunks: [], rules: [""] }],
    ["an empty list output", JSON.stringify({ items: [] }), { trunks: [], rules: [] }],
    ["an empty object", "{}", { trunks: [], rules: [] }],
    ["a config with $schema and only rules", JSON.stringify({ $schema: "x", rules: [rule] }), { trunks: [], rules: ["SDR_a"] }],
  ])("%s", (_, text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  test.each([
    ["text that is not JSON", "{trunks:", /^not JSON: /],
    ["an unknown field, at its path", JSON.stringify({ rules: [{ ...rule, trunkIDs: ["x"] }] }), /^rules\[0\]\.trunkIDs: /],
    ["a list output element", JSON.stringify({ items: [trunk, { ...trunk, numbrs: [] }] }), /^items\[1\]\.numbrs: /],
    ["trunks that are not a list", JSON.stringify({ trunks: {} }), /^trunks: expected an array of trunks$/],
    ["one bad object", JSON.stringify({ sipTrunkId: 5 }), /^sipTrunkId: /],
  ])("reports %s", (_, text, message) => {
    const read = readConfigText(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(message);
  });

  test("never repeats a pin in an error", () => {
    const read = readConfigText(JSON.stringify([{ rule: { dispatchRuleDirect: { roomName: "x", pin: 4321 } } }]));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).not.toContain("4321");
  });

  test("canonical JSON reads back to the same models", () => {
    const first = readConfigText(example);
    if (!first.ok) throw new Error(first.error);
    const again = readConfigText(JSON.stringify(toJsonConfig(first.value)));
    expect(again).toEqual(first);
  });
});

test("pathText prints paths as the CLI does", () => {
  expect(pathText(["rules", 2, "rule", "dispatchRuleDirect"])).toBe("rules[2].rule.dispatchRuleDirect");
  expect(pathText([0, "numbers"])).toBe("[0].numbers");
  expect(pathText([])).toBe("(top level)");
});
