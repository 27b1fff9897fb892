import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { parseDispatchRule, parseInboundTrunk } from "sip-dispatch";
import { startServer, token } from "./helpers.js";

// The built bin, as users run it (npm test builds it first).

const BIN = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "sip-dispatch-server-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const k of ["LIVEKIT_KEYS", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "LIVEKIT_URL"]) delete env[k];
  return env;
};

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function start(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function listening(run: Run): Promise<string> {
  for (let i = 0; i < 200 && !/listening on http:\/\/\S+\n/.test(run.stdout()); i++) await new Promise((r) => setTimeout(r, 25));
  const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(run.stdout());
  if (match === null) throw new Error(`no listening line: ${run.stdout()} ${run.stderr()}`);
  return match[1]!;
}

describe("sip-dispatch-server serve", () => {
  test("no keys and no --dev: exit 2 with one line", async () => {
    const run = start(["--port", "0"]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe("sip-dispatch-server: no API keys: give --keys KEY:SECRET, LIVEKIT_KEYS, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or --dev\n");
  });

  test.each([
    [["--dev", "--port", "http"], "sip-dispatch-server: --port must be a whole number from 0 to 65535\n"],
    [["--dev", "--config", "/nonexistent.json"], "sip-dispatch-server: /nonexistent.json: ENOENT: no such file or directory, open '/nonexistent.json'\n"],
  ])("bad usage %j: exit 2", async (args, line) => {
    const run = start(args);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(line);
  });

  test("--config with a bad element: exit 2, one line with file and path, the pin not echoed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sip-dispatch-server-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ items: [{ sipDispatchRuleId: "SDR_1", rule: { dispatchRuleDirect: { roomName: "r", pin: "98765" } }, trunkIds: "ST_1" }] }));
    const run = start(["--dev", "--config", file]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(new RegExp(`^sip-dispatch-server: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\.items\\[0\\]\\.trunkIds: [^\n]+\n$`));
    expect(run.stderr()).not.toContain("98765");
  });

  test("an unknown option: exit 2 with one line naming it", async () => {
    const run = start(["--dev", "--bogus"]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/^sip-dispatch-server: Unknown option '--bogus'[^\n]*\n$/);
  });

  test("prints the listening line; SIGTERM lets a request in flight finish, then exits 0", async () => {
    const run = start(["--dev", "--port", "0"]);
    const url = await listening(run);
    const auth = await token({ call: true }, "devkey", "secret");
    const body = JSON.stringify({ call: { from: "1", to: "2" } });
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/v1/resolve`, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json", "content-length": body.length } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      });
      req.on("error", reject);
      req.write(body.slice(0, 5)); // the request is in flight
      setTimeout(() => {
        run.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(5)), 200);
      }, 100);
    });
    expect(await answered).toBe(200);
    expect(await run.exit).toBe(0);
  });

  test("--config seeds the store; keys from LIVEKIT_KEYS", async () => {
    const file = join(dir, "dispatch.json");
    writeFileSync(file, JSON.stringify({ trunks: [{ sip_trunk_id: "ST_a", numbers: ["+15550100"] }], rules: [{ sip_dispatch_rule_id: "SDR_a", rule: { dispatch_rule_direct: { room_name: "lobby" } } }] }));
    const run = start(["--port", "0", "--config", file], { ...cleanEnv(), LIVEKIT_KEYS: "k1: s1\nk2: s2" });
    const url = await listening(run);
    const res = await fetch(`${url}/v1/resolve?from=1&to=%2B15550100`, { headers: { authorization: `Bearer ${await token({ call: true }, "k2", "s2")}` } });
    expect(await res.json()).toMatchObject({ result: "accept", trunkId: "ST_a", ruleId: "SDR_a", roomName: "lobby" });
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
  });
});

describe("sip-dispatch-server pull", () => {
  test("writes the {trunks, rules} a server holds, through livekit-server-sdk", async () => {
    const s = await startServer();
    try {
      const trunk = await s.sip.createSipInboundTrunk("main", ["+15550100"], { authUsername: "u", authPassword: "p" });
      await s.sip.createSipDispatchRule({ type: "direct", roomName: "lobby", pin: "1234" }, { trunkIds: [trunk.sipTrunkId] });
      const out = join(dir, "pulled.json");
      const run = start(["pull", "--url", s.url, "--api-key", "devkey", "--api-secret", "secret", "--out", out]);
      expect(await run.exit).toBe(0);
      const pulled = JSON.parse(readFileSync(out, "utf8"));
      expect(pulled.trunks).toHaveLength(1);
      expect(parseInboundTrunk(pulled.trunks[0]).ok).toBe(true);
      expect(parseDispatchRule(pulled.rules[0])).toMatchObject({ ok: true, value: { rule: { dispatchRuleDirect: { roomName: "lobby", pin: "1234" } } } });
      const missing = start(["pull", "--url", s.url]);
      expect(await missing.exit).toBe(2);
    } finally {
      await s.close();
    }
  });
});
