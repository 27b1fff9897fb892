import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

// A real redis-server (Debian's package) on a free loopback port, in a temp dir, without
// persistence; the test that starts it stops it.

export interface RedisProcess {
  port: number;
  url: string;
  client: Redis;
  /** Kill the server (the data goes: no persistence). */
  stop(): Promise<void>;
  /** Kill it and start an empty one on the same port. */
  restart(): Promise<void>;
  /** Kill it and remove its directory. */
  dispose(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  for (let i = 0; i < 200; i++) {
    if (out.includes("Ready to accept connections")) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start: ${out.slice(-500)}`);
}

export async function startRedis(): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), "sip-dispatch-redis-"));
  const port = await freePort();
  let child = await launch(port, dir);
  const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on("error", () => undefined);
  await client.connect();
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client,
    stop: kill,
    restart: async () => {
      await kill();
      child = await launch(port, dir);
    },
    dispose: async () => {
      client.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
