// npm run bench -w server: /v1/resolve at 100,000 rules against a bare node:http server answering
// a fixed 1 KB JSON body, both driven by the same load generator (autocannon, keep-alive) on
// loopback in one run (each server in its own process, the generator in this one); then change propagation between two instances on one Redis. Prints
// markdown tables; docs/benchmarks.md records a run. `--quick`: 10,000 rules, 3 s per load.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { AccessToken } from "livekit-server-sdk";
import { createDispatchService } from "../src/index.js";
import { startRedis } from "../test/redis-helpers.js";

const quick = process.argv.includes("--quick");
const RULES = quick ? 10_000 : 100_000;
const TRUNKS = RULES / 10;
const SECONDS = quick ? 2 : 4;
const ROUNDS = quick ? 3 : 7;
const CONNECTIONS = 32;
const BIN = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** TRUNKS trunks of 10 numbers; RULES rules, one per number per round, callers apart past round 0. */
function config() {
  const trunks = [];
  const numbers: string[] = [];
  for (let t = 0; t < TRUNKS; t++) {
    const nums = Array.from({ length: 10 }, (_, n) => `+1${5550000000 + t * 10 + n}`);
    trunks.push({ sipTrunkId: `ST_${t.toString(36).padStart(8, "0")}`, numbers: nums, allowedAddresses: ["203.0.113.0/24"] });
    numbers.push(...nums);
  }
  const rules = [];
  for (let r = 0; r < RULES; r++) {
    const trunk = trunks[Math.floor((r % numbers.length) / 10)]!;
    const round = Math.floor(r / numbers.length);
    rules.push({
      sipDispatchRuleId: `SDR_${r.toString(36).padStart(8, "0")}`,
      trunkIds: [trunk.sipTrunkId],
      numbers: [numbers[r % numbers.length]],
      ...(round > 0 ? { inboundNumbers: [`+1444${String(round).padStart(7, "0")}`] } : {}),
      rule: { dispatchRuleIndividual: { roomPrefix: `call-${r}` } },
      attributes: { tenant: trunk.sipTrunkId },
    });
  }
  return { trunks, rules, numbers };
}

const spawnServer = (args: string[]) => spawnListening(["--max-old-space-size=4096", BIN, ...args]);

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, paths: string[], headers: Record<string, string>): Promise<Load> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/** The baseline: a bare node:http server answering a fixed 1 KB JSON body, in its own process like the server. */
const BARE = `
const body = JSON.stringify({ result: "accept", pad: "x".repeat(1024 - 32) }).slice(0, 1024);
const server = require("node:http").createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
`;

function spawnListening(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function throughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdirSafe(), "sip-dispatch-bench-"));
  try {
    const { trunks, rules, numbers } = config();
    const file = join(dir, "dispatch.json");
    writeFileSync(file, JSON.stringify({ trunks, rules }));
    const started = Date.now();
    const server = await spawnServer(["--port", "0", "--keys", "bench:bench-secret", "--config", file]);
    const startup = Date.now() - started;
    const at = new AccessToken("bench", "bench-secret", { ttl: "1h" });
    at.addSIPGrant({ call: true });
    const headers = { authorization: `Bearer ${await at.toJwt()}` };
    const paths = numbers.slice(0, 2000).map((n, k) => `/v1/resolve?from=%2B1555123${String(k % 10000).padStart(4, "0")}&to=${encodeURIComponent(n)}&ip=203.0.113.7`);
    const bare = await spawnListening(["-e", BARE]);
    // Warm both, then alternate short runs (bare, resolve, bare, resolve, ...) so that bursts of
    // other load on a shared machine hit both sides alike; the medians are the figures.
    await load(bare.url, ["/"], headers);
    await load(server.url, paths, headers);
    const runs: { bare: Load; resolve: Load }[] = [];
    for (let round = 0; round < ROUNDS; round++) runs.push({ bare: await load(bare.url, ["/"], headers), resolve: await load(server.url, paths, headers) });
    // Writes after start: the first rebuilds the store's checks from every record (bulk import).
    const admin = new AccessToken("bench", "bench-secret", { ttl: "1h" });
    admin.addSIPGrant({ admin: true });
    const adminHeaders = { authorization: `Bearer ${await admin.toJwt()}`, "content-type": "application/json" };
    const writeMs: number[] = [];
    for (let k = 0; k < 3; k++) {
      const body = JSON.stringify({ trunkIds: ["ST_00000000"], inboundNumbers: [`+1999555${String(k).padStart(4, "0")}`], rule: { dispatchRuleDirect: { roomName: `w${k}` } } });
      const started = performance.now();
      const res = await fetch(`${server.url}/twirp/livekit.SIP/CreateSIPDispatchRule`, { method: "POST", headers: adminHeaders, body });
      writeMs.push(performance.now() - started);
      if (!res.ok) throw new Error(`write ${k}: ${res.status} ${await res.text()}`);
    }
    bare.child.kill("SIGTERM");
    server.child.kill("SIGTERM");
    console.log(`\n### /v1/resolve at ${RULES.toLocaleString("en")} rules (${TRUNKS.toLocaleString("en")} trunks) vs a bare node:http server (1 KB JSON)\n`);
    console.log(`autocannon, ${CONNECTIONS} keep-alive connections, ${SECONDS} s per run, loopback; server start with --config: ${(startup / 1000).toFixed(1)} s\n`);
    console.log("| run | bare req/s | resolve req/s | throughput ratio | bare p99 ms | resolve p99 ms | p99 ratio | errors / non-2xx |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ratio = median(runs.map((r) => r.resolve.rps / r.bare.rps));
    const p99 = median(runs.map((r) => r.resolve.p99 / Math.max(r.bare.p99, 1)));
    runs.forEach((r, k) =>
      console.log(
        `| ${k + 1} | ${Math.round(r.bare.rps)} | ${Math.round(r.resolve.rps)} | ${(r.resolve.rps / r.bare.rps).toFixed(2)} | ${r.bare.p99} | ${r.resolve.p99} | ${(r.resolve.p99 / Math.max(r.bare.p99, 1)).toFixed(1)}x | ${r.resolve.errors} / ${r.resolve.non2xx} |`,
      ),
    );
    console.log(`| median | ${Math.round(median(runs.map((r) => r.bare.rps)))} | ${Math.round(median(runs.map((r) => r.resolve.rps)))} | ${ratio.toFixed(2)} (target >= 0.5) | ${median(runs.map((r) => r.bare.p99))} | ${median(runs.map((r) => r.resolve.p99))} | ${p99.toFixed(1)}x (target <= 5x) | |`);
    console.log(`\nCreateSIPDispatchRule after start: first ${(writeMs[0]! / 1000).toFixed(2)} s (rebuilds the store's checks from every record), then ${writeMs.slice(1).map((ms) => `${ms.toFixed(0)} ms`).join(", ")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tmpdirSafe(): string {
  return os.tmpdir();
}

async function propagation(notifications: boolean, pollMs: number, samples: number): Promise<number[]> {
  const redis = await startRedis();
  try {
    if (notifications) await redis.client.config("SET", "notify-keyspace-events", "Kh");
    const a = await createDispatchService({ store: { redis: redis.url }, pollMs, log: () => undefined });
    const b = await createDispatchService({ store: { redis: redis.url }, pollMs, log: () => undefined });
    const trunk = await a.createInboundTrunk({ numbers: ["+15550100"] } as never);
    if (!trunk.ok) throw new Error(trunk.error.message);
    const times: number[] = [];
    for (let k = 0; k < samples; k++) {
      const started = performance.now();
      const rule = await a.createDispatchRule({ trunkIds: [trunk.value.sipTrunkId], rule: { dispatchRuleDirect: { roomName: `room-${k}` } } } as never);
      if (!rule.ok) throw new Error(rule.error.message);
      while (b.resolve({ from: "1", to: "+15550100" }).result !== "accept") await new Promise((r) => setImmediate(r));
      times.push(performance.now() - started);
      await a.deleteDispatchRule(rule.value.sipDispatchRuleId);
      while (b.resolve({ from: "1", to: "+15550100" }).result === "accept") await new Promise((r) => setImmediate(r));
    }
    await a.close();
    await b.close();
    return times.sort((x, y) => x - y);
  } finally {
    await redis.dispose();
  }
}

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg()[0]!.toFixed(1)}`);
  await throughput();
  console.log("\n### Change propagation between two instances on one Redis (create on A until B resolves it)\n");
  console.log("| mode | poll interval | samples | median ms | max ms |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [notifications, pollMs] of [[false, 1000], [false, 100], [true, 1000]] as const) {
    const t = await propagation(notifications, pollMs, quick ? 5 : 15);
    console.log(`| ${notifications ? "keyspace notifications" : "polling only"} | ${pollMs} ms | ${t.length} | ${t[Math.floor(t.length / 2)]!.toFixed(1)} | ${t[t.length - 1]!.toFixed(1)} |`);
  }
}

await main();
