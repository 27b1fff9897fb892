// The bin on real pipes: a reader that closes early (`| head -4`) ends the command quietly, and
// `-` reads a configuration from standard input. Run as child processes on dist/cli.js.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = `${root}dist/cli.js`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-pipes-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sh -c script` in the repository, with `$BIN` the built command. */
function sh(script: string, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile("sh", ["-c", script], { cwd: root, env: { ...process.env, BIN: `"${process.execPath}" "${bin}"` }, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? "");
  });
}

/** A configuration whose `resolve --json` trace runs to several megabytes. */
function bigConfig(): string {
  const rules = Array.from({ length: 20_000 }, (_, i) => ({ sipDispatchRuleId: `SDR_${i}`, numbers: [`+1555${i}`], rule: { dispatchRuleDirect: { roomName: `r${i}` } } }));
  const path = join(dir, "big.json");
  writeFileSync(path, JSON.stringify({ trunks: [], rules }));
  return path;
}

describe("a reader that closes early", () => {
  it("ends resolve quietly: no stack trace, no EPIPE on stderr", async () => {
    const config = bigConfig();
    const run = await sh(`eval "$BIN" resolve --config '${config}' --from +1 --to +15550 --json | head -4`);
    expect(run.stdout.split("\n").slice(0, 4)).toEqual(["{", '  "result": "accept",', '  "trunkId": "",', '  "ruleId": "SDR_0",']);
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
  });
});

describe("standard input", () => {
  it("reads - as a file, in any option", async () => {
    const rules = JSON.stringify({ items: [{ sip_dispatch_rule_id: "SDR_in", rule: { dispatch_rule_direct: { room_name: "piped" } } }] });
    const run = await sh(`eval "$BIN" resolve --rules - --from +1 --to +2 --json`, rules);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(run.stdout)).toMatchObject({ result: "accept", roomName: "piped", ruleId: "SDR_in" });
    const lint = await sh(`eval "$BIN" lint - --json`, JSON.stringify({ rules: [{ rule: { dispatchRuleDirect: { roomName: "x" } } }] }));
    expect(lint.code).toBe(0);
    expect(JSON.parse(lint.stdout).map((f: { code: string }) => f.code)).toContain("open-catch-all");
  });
});
