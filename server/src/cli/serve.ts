import type { AddressInfo } from "node:net";
import { readConfigFiles } from "../config-file.js";
import { createServer } from "../http/server.js";
import { DEV_KEYS, keysFromEnv, keysFromFlag } from "../keys.js";
import { createDispatchService } from "../service.js";
import { UsageError, type Io } from "./io.js";

export const SERVE_HELP = `Usage: sip-dispatch-server [serve] [--host H] [--port N] [--keys KEY:SECRET[,KEY:SECRET...]] [--dev]
                           [--redis URL] [--config FILE...] [--poll-ms N]

Serves LiveKit's SIP API (Twirp, JSON and protobuf) and live dispatch decisions (/v1/resolve).

  --host H         address to listen on (default 127.0.0.1)
  --port N         port (default 7880, LiveKit's; 0 picks a free one)
  --keys K:S,...   API keys and secrets (also LIVEKIT_KEYS, LIVEKIT_API_KEY + LIVEKIT_API_SECRET)
  --dev            LiveKit's dev credentials: devkey / secret
  --redis URL      keep trunks and rules in Redis, in LiveKit's layout, shared by every instance
  --config FILE    seed the in-memory store (any shape sip-dispatch reads; repeatable)
  --poll-ms N      how often Redis is read for other writers' changes (default 1000)
`;

export const SERVE_OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  keys: { type: "string" },
  dev: { type: "boolean" },
  redis: { type: "string" },
  config: { type: "string", multiple: true },
  "poll-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export interface ServeFlags {
  host?: string | undefined;
  port?: string | undefined;
  keys?: string | undefined;
  dev?: boolean | undefined;
  redis?: string | undefined;
  config?: string[] | undefined;
  "poll-ms"?: string | undefined;
}

function integer(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Starts serving; resolves once the server listens. SIGTERM / SIGINT drain it and exit 0. */
export async function serve(flags: ServeFlags, io: Io): Promise<void> {
  const port = integer(flags.port, "--port", 7880, 0, 65535);
  const pollMs = integer(flags["poll-ms"], "--poll-ms", 1000, 10, 3_600_000);
  const host = flags.host ?? "127.0.0.1";
  const keys = { ...(flags.dev ? DEV_KEYS : {}), ...keysFromEnv(io.env), ...(flags.keys === undefined ? {} : keysFromFlag(flags.keys)) };
  if (Object.keys(keys).length === 0) throw new UsageError("no API keys: give --keys KEY:SECRET, LIVEKIT_KEYS, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or --dev");
  if (flags.redis !== undefined && (flags.config?.length ?? 0) > 0) throw new UsageError("--config seeds the in-memory store; with --redis the records live in Redis");
  const seed = flags.config === undefined ? undefined : readConfigFiles(flags.config);
  const service = await createDispatchService({
    ...(flags.redis === undefined ? {} : { store: { redis: flags.redis } }),
    ...(seed === undefined ? {} : { seed }),
    pollMs,
    log: (line) => io.stderr(line),
  });
  const server = createServer(service, { keys, staleAfterMs: Math.max(5000, 3 * pollMs) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  io.stdout(`listening on http://${shown}:${address.port}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => io.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void service.close().finally(() => io.exit(0));
    });
    // Connections that finish their request while draining close then, not at keep-alive timeout.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
  };
  io.onSignal("SIGTERM", stop);
  io.onSignal("SIGINT", stop);
}
