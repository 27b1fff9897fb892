// Smoke tests of the built package, the way users load it: `import` of the ESM build and
// `require` of the CJS build, each in a fresh Node process. `npm test` builds dist/ first.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = (args: string[]): string => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });

const script = (load: string) => `
${load}
const rule = parseDispatchRule({ dispatch_rule: { rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } } });
const decision = resolveDispatch({ from: "+15550100", to: "+15550199", callId: "SCL_x" }, [], [rule.value]);
console.log(JSON.stringify({ ok: rule.ok, result: decision.result, roomName: decision.roomName }));
`;

describe("built package", () => {
  if (!existsSync(`${root}/dist/index.cjs`)) throw new Error("dist/ is missing: run `npm run build` (npm test does) first");

  it("loads as ESM and resolves a call with a random suffix", () => {
    const out = JSON.parse(run(["--input-type=module", "-e", script(`import { parseDispatchRule, resolveDispatch } from "sip-dispatch";`)]));
    expect(out.ok).toBe(true);
    expect(out.result).toBe("accept");
    expect(out.roomName).toMatch(/^call-_\+15550100_[23456789A-HJ-NP-Za-km-z]{12}$/);
  });

  it("loads as CommonJS, where nanoid (ESM-only) is bundled, and resolves a call with a random suffix", () => {
    const out = JSON.parse(run(["-e", script(`const { parseDispatchRule, resolveDispatch } = require("sip-dispatch");`)]));
    expect(out.ok).toBe(true);
    expect(out.roomName).toMatch(/^call-_\+15550100_[23456789A-HJ-NP-Za-km-z]{12}$/);
  });
});
