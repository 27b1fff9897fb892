// npm run smoke: resolves the calls of scripts/smoke/cases.ts with the built package (dist/) in
// every runtime it finds, prints one digest per runtime, and fails when any digest differs.
//
// Runtimes: this Node, plus the binaries named by environment variables (.ci/run fetches them from
// npm): SMOKE_NODES (node binaries, separated by ":"), SMOKE_BUN, SMOKE_DENO, SMOKE_WORKERD, and
// SMOKE_CHROMIUM (default /usr/bin/chromium, driven by playwright-core). A runtime that is not
// there is listed as skipped; with --require-all (CI) that fails the run too.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import type { SmokeResult } from "./cases.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dist = join(root, "dist", "index.js");
const requireAll = process.argv.includes("--require-all");
const work = mkdtempSync(join(tmpdir(), "sip-dispatch-smoke-"));

interface Outcome {
  runtime: string;
  version: string;
  result?: SmokeResult;
  problem?: string;
}

/** The entries import ../../src/index.js for types; the smoke runs the built dist/index.js. */
function useDist(external: boolean): Plugin {
  return {
    name: "use-dist",
    setup(b) {
      b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: dist, external }));
    },
  };
}

/** Bundles one entry into the work folder: with dist left as an import, or with everything in it. */
async function bundle(entry: string, out: string, whole: boolean): Promise<string> {
  const outfile = join(work, out);
  await build({
    entryPoints: [join(root, "scripts", "smoke", entry)],
    outfile,
    bundle: true,
    format: "esm",
    platform: whole ? "browser" : "neutral",
    target: "es2022",
    plugins: [useDist(!whole)],
    logLevel: "error",
  });
  return outfile;
}

function run(command: string, args: string[], timeoutMs = 120_000): string {
  return execFileSync(command, args, { cwd: root, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"] });
}

function parseResult(text: string): SmokeResult {
  const parsed = JSON.parse(text) as SmokeResult | { error: string };
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

async function attempt(runtime: string, version: () => string, go: () => Promise<SmokeResult>): Promise<Outcome> {
  try {
    const v = version();
    return { runtime, version: v, result: await go() };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { runtime, version: "?", problem: text.split("\n").slice(0, 6).join(" | ") };
  }
}

function processRuntimes(entry: string): Promise<Outcome>[] {
  const nodes = [process.execPath, ...(process.env.SMOKE_NODES ?? "").split(":").filter((p) => p !== "")];
  const runs = nodes.map((node) =>
    attempt(`node`, () => run(node, ["--version"]).trim(), async () => parseResult(run(node, [entry]))),
  );
  const bun = process.env.SMOKE_BUN;
  if (bun) runs.push(attempt("bun", () => "bun " + run(bun, ["--version"]).trim(), async () => parseResult(run(bun, [entry]))));
  const deno = process.env.SMOKE_DENO;
  if (deno)
    runs.push(
      attempt(
        "deno",
        () => run(deno, ["--version"]).split("\n")[0]!.trim(),
        // Reads only the repository (dist/, node_modules as Node lays it out) and the bundled entry; no network.
        async () => parseResult(run(deno, ["run", "--no-prompt", "--no-remote", "--node-modules-dir=manual", `--allow-read=${root},${work}`, entry])),
      ),
    );
  return runs;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function fetchWhenUp(url: string, deadline: number): Promise<string> {
  for (;;) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** workerd serves the bundled worker on a loopback port; no compatibility flags, so no nodejs_compat. */
async function workerd(binary: string, worker: string): Promise<SmokeResult> {
  const port = await freePort();
  const config = join(work, "workerd.capnp");
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .smoke) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smoke :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "${worker.split("/").pop()}") ],
  compatibilityDate = "2025-01-01",
);
`,
  );
  const child = spawn(binary, ["serve", config], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const text = await fetchWhenUp(`http://127.0.0.1:${port}/`, Date.now() + 30_000);
    try {
      return parseResult(text);
    } catch {
      throw new Error(`workerd answered ${text.slice(0, 300)} ${stderr.slice(0, 300)}`);
    }
  } finally {
    child.kill("SIGTERM");
  }
}

function serve(files: Record<string, { type: string; body: string }>): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[request.url ?? ""];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Headless Chromium through playwright-core, loading the bundle from a loopback server. */
async function chromium(executablePath: string, script: string): Promise<{ version: string; result: SmokeResult }> {
  const { chromium: launcher } = await import("playwright-core");
  const server = await serve({
    "/": { type: "text/html", body: '<!doctype html><meta charset="utf-8"><title>smoke</title><script type="module" src="/smoke.js"></script>' },
    "/smoke.js": { type: "text/javascript", body: readFileSync(script, "utf8") },
  });
  const browser = await launcher.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (globalThis as { smokeDone?: unknown }).smokeDone !== undefined, undefined, { timeout: 60_000 }).catch(() => {
      throw new Error(`the page did not start the smoke: ${errors.join(" | ")}`);
    });
    const text = await page.evaluate(() => (globalThis as unknown as { smokeDone: Promise<string> }).smokeDone);
    return { version: "Chromium " + browser.version(), result: parseResult(text) };
  } finally {
    await browser.close();
    server.close();
  }
}

function missing(runtime: string, variable: string): Outcome {
  return { runtime, version: "-", problem: `skipped: ${variable} not set` };
}

async function main(): Promise<void> {
  if (!existsSync(dist)) throw new Error("dist/index.js is missing: run `npm run build` first");
  const processEntry = await bundle("entry-process.ts", "smoke-process.mjs", false);
  const workerEntry = await bundle("entry-worker.ts", "worker.js", true);
  const browserEntry = await bundle("entry-browser.ts", "smoke-browser.js", true);

  // One at a time: the machine is shared, and the outcome does not depend on order.
  const outcomes: Outcome[] = [];
  for (const pending of processRuntimes(processEntry)) outcomes.push(await pending);
  if (!process.env.SMOKE_BUN) outcomes.push(missing("bun", "SMOKE_BUN"));
  if (!process.env.SMOKE_DENO) outcomes.push(missing("deno", "SMOKE_DENO"));
  const workerdBinary = process.env.SMOKE_WORKERD;
  outcomes.push(
    workerdBinary
      ? await attempt("workerd", () => "workerd " + run(workerdBinary, ["--version"]).trim().replace(/^workerd /, ""), () => workerd(workerdBinary, workerEntry))
      : missing("workerd", "SMOKE_WORKERD"),
  );
  const chromiumBinary = process.env.SMOKE_CHROMIUM ?? "/usr/bin/chromium";
  if (existsSync(chromiumBinary)) {
    let version = "?";
    outcomes.push(
      await attempt("chromium", () => version, async () => {
        const ran = await chromium(chromiumBinary, browserEntry);
        version = ran.version;
        return ran.result;
      }).then((o) => ({ ...o, version })),
    );
  } else outcomes.push(missing("chromium", `SMOKE_CHROMIUM (${chromiumBinary})`));

  console.log("| runtime | version | cases | digest (sha256 of the canonical JSON) |\n| --- | --- | ---: | --- |");
  for (const o of outcomes) console.log(`| ${o.runtime} | ${o.version} | ${o.result?.cases ?? "-"} | ${o.result?.digest ?? o.problem} |`);

  const ran = outcomes.filter((o) => o.result !== undefined);
  const digests = new Set(ran.map((o) => o.result!.digest));
  const failed = outcomes.filter((o) => o.result === undefined && (requireAll || !o.problem!.startsWith("skipped")));
  if (digests.size > 1) {
    const reference = ran[0]!.result!;
    for (const o of ran.filter((x) => x.result!.digest !== reference.digest)) {
      const file = join(tmpdir(), `sip-dispatch-smoke-${o.runtime}-${o.version.replace(/\W+/g, "_")}.json`);
      writeFileSync(file, o.result!.canonical);
      console.log(`\n${o.runtime} ${o.version} differs from ${ran[0]!.runtime} ${ran[0]!.version}; its canonical JSON: ${file}`);
    }
    writeFileSync(join(tmpdir(), "sip-dispatch-smoke-reference.json"), reference.canonical);
  }
  console.log(
    `\n${ran.length} runtimes ran, ${digests.size === 1 ? "one digest" : `${digests.size} different digests`}` +
      (failed.length > 0 ? `; failed: ${failed.map((o) => o.runtime).join(", ")}` : ""),
  );
  if (digests.size !== 1 || failed.length > 0) process.exitCode = 1;
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
