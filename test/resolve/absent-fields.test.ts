// Hand-built models from plain JavaScript often leave out what protojson would fill in with its
// default. The engine reads an absent field as that default: no filter, no metadata, no preset.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, configArb, optionsArb, type Config } from "../arbitraries.js";
import { runs } from "../runs.js";

/** Every top-level field at its proto3 default ("", [], {}, false) left out. */
function withoutDefaults<T extends object>(model: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) {
    const isDefault =
      value === "" || value === false || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!isDefault) out[key] = value;
  }
  return out as T;
}

const stripped = (config: Config): Config => ({ trunks: config.trunks.map(withoutDefaults), rules: config.rules.map(withoutDefaults) });

describe("absent fields read as their defaults", () => {
  test.prop([configArb(), callArb(), optionsArb], runs(200))("a configuration without its default fields resolves every call the same", (config, call, options) => {
    const bare = stripped(config);
    const expected = resolveDispatch(call, config.trunks, config.rules, { ...options, trace: true });
    expect(resolveDispatch(call, bare.trunks, bare.rules, { ...options, trace: true })).toEqual(expected);
    expect(compileDispatch(bare.trunks, bare.rules).resolve(call, { ...options, trace: true })).toEqual(expected);
  });
});
