// Smoke tests of the built package, the way users load it: `import` of the ESM build and
// `require` of the CJS build, each in a fresh Node process. `npm test` builds dist/ first.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { build } from "esbuild";
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

  it("loads as CommonJS, where @noble/hashes (ESM-only) is bundled, and resolves a call with a random suffix", () => {
    const out = JSON.parse(run(["-e", script(`const { parseDispatchRule, resolveDispatch } = require("sip-dispatch");`)]));
    expect(out.ok).toBe(true);
    expect(out.roomName).toMatch(/^call-_\+15550100_[23456789A-HJ-NP-Za-km-z]{12}$/);
  });
});

// The main entry runs unchanged on Node, Bun, Deno, workerd without nodejs_compat and browsers: it
// may not import Node's modules nor touch Node-only globals (API.md "Runtimes").
// esbuild may print `node:crypto` as plain "crypto": any builtin's name as a module specifier counts.
const BUILTIN = builtinModules.join("|");
const NODE_ONLY = [
  /["'](node:[\w/]+)["']/,
  new RegExp(`(?:\\bfrom|\\bimport\\s*\\(?)\\s*["'](?:${BUILTIN})["']`),
  /(?<![.\w$])require\s*\(/,
  /(?<![.\w$])(?:Buffer|process|__dirname|__filename)\s*[.[]/,
  /(?<![.\w$])(?:Buffer|setImmediate)\s*\(/,
  /typeof\s+(?:Buffer|process)\b/,
  /globalThis\s*\.\s*(?:Buffer|process)\b/,
];
const nodeOnlyIn = (code: string): string[] =>
  NODE_ONLY.flatMap((pattern) => {
    const hit = pattern.exec(code);
    return hit === null ? [] : [code.slice(Math.max(0, hit.index - 30), hit.index + 40)];
  });

/** dist/index.js and every chunk it imports, transitively. */
function esmEntryFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const pending = ["index.js"];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (files.has(name)) continue;
    const code = readFileSync(`${root}/dist/${name}`, "utf8");
    files.set(name, code);
    for (const [, chunk] of code.matchAll(/from\s*"\.\/([^"]+)"/g)) pending.push(chunk!);
  }
  return files;
}

describe("the main entry is runtime-neutral", () => {
  it("the pattern catches what it is for", () => {
    expect(nodeOnlyIn('import { createHash } from "node:crypto";')).toHaveLength(1);
    expect(nodeOnlyIn('import { createHash } from "crypto";')).toHaveLength(1);
    expect(nodeOnlyIn('import "fs/promises";')).toHaveLength(1);
    expect(nodeOnlyIn('import { z } from "zod"; import { a } from "./crypto.js";')).toEqual([]);
    expect(nodeOnlyIn("const b = Buffer.from(s);")).toHaveLength(1);
    expect(nodeOnlyIn("if (process.env.X) x();")).toHaveLength(1);
    expect(nodeOnlyIn("if (typeof process < 'u') x();")).toHaveLength(1);
    expect(nodeOnlyIn("setImmediate(f);")).toHaveLength(1);
    expect(nodeOnlyIn("ArrayBuffer.isView(a); this.process(v); class H { process(v) {} }")).toEqual([]);
  });

  it("dist/index.js and its chunks import no node: module and use no Buffer, process or require", () => {
    const files = esmEntryFiles();
    expect(files.size).toBeGreaterThan(1);
    for (const [name, code] of files) expect({ name, hits: nodeOnlyIn(code) }).toEqual({ name, hits: [] });
  });

  it("bundled for browsers with its dependencies, it resolves no Node module and uses no Node-only global", async () => {
    const bundle = await build({
      entryPoints: [`${root}/dist/index.js`],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    expect(nodeOnlyIn(bundle.outputFiles[0]!.text)).toEqual([]);
  });
});
