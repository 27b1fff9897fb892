import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { DispatchService } from "../service.js";
import { decodeRequest, encodeResponse, wireFormatOf } from "../twirp/codec.js";
import { TwirpError } from "../twirp/errors.js";
import { SIP_METHODS, UNIMPLEMENTED_SIP_METHODS } from "../twirp/sip-methods.js";
import { authenticator, type Authenticator, type SipGrants } from "./auth.js";
import { serverMetrics, type ServerMetrics } from "./metrics.js";
import { callFromJson, callFromQuery, type ResolveInput } from "./resolve-request.js";

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** API key → secret, as LiveKit's `keys`. */
  keys: Record<string, string>;
  /** Largest request body accepted (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** `/readyz` says stale when the Redis store was last read longer ago than this (default 5000 ms). */
  staleAfterMs?: number;
  /** Time allowed to send a whole request (default 10 s) and its headers (default 5 s). */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Idle keep-alive connections close after this (default 5 s). */
  keepAliveTimeoutMs?: number;
}

const MIB = 1024 * 1024;
const SIP_PREFIX = "/twirp/livekit.SIP/";

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new TooLarge());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...(close ? { connection: "close" } : {}) });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, close = false): void => send(res, status, "application/json", JSON.stringify(value), close);

/**
 * An HTTP server for `service`: LiveKit's Twirp SIP API, `/v1/resolve`, `/healthz`, `/readyz` and
 * `/metrics` (SERVER.md). Not listening yet: call `listen`.
 */
export function createServer(service: DispatchService, options: ServerOptions): Server {
  if (typeof options !== "object" || options === null || typeof options.keys !== "object") throw new TypeError("createServer: options.keys must map API keys to secrets");
  const auth = authenticator(options.keys);
  const metrics = serverMetrics(service);
  const limit = options.maxBodyBytes ?? MIB;
  const staleAfter = options.staleAfterMs ?? 5000;

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (path.startsWith("/twirp/")) return twirp(req, res, path, service, auth, metrics, limit);
    if (path === "/v1/resolve") return resolve(req, res, url, service, auth, metrics, limit);
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { code: "method_not_allowed", message: `${req.method} ${path} is not served` });
    if (path === "/healthz") return send(res, 200, "text/plain", "ok\n");
    if (path === "/readyz") return readyz(res, service, staleAfter);
    if (path === "/metrics") return send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
    sendJson(res, 404, { code: "not_found", message: `no route for ${path}` });
  };

  const server = createHttpServer(
    { requestTimeout: options.requestTimeoutMs ?? 10_000, headersTimeout: options.headersTimeoutMs ?? 5_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      handler(req, res).catch((error: unknown) => {
        if (error instanceof TooLarge) return sendJson(res, 413, { code: "payload_too_large", msg: `request body over ${limit} bytes`, message: `request body over ${limit} bytes` }, true);
        process.stderr.write(`sip-dispatch-server: internal error on ${req.method} ${req.url?.split("?")[0]}: ${error instanceof Error ? error.message : String(error)}\n`);
        send(res, 500, "application/json", new TwirpError("internal", "internal error").body());
      });
    },
  );
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.setTimeout(30_000, (socket) => socket.destroy());
  return server;
}

function readyz(res: ServerResponse, service: DispatchService, staleAfter: number): void {
  const status = service.status();
  const skipped = status.skipped.map((s) => ({ key: s.key, id: s.id, reason: s.reason }));
  const age = status.lastSyncAt === undefined ? undefined : Date.now() - status.lastSyncAt;
  let reason: string | undefined;
  if (status.lastSyncAt === undefined) reason = "no configuration loaded yet";
  else if (status.stale) reason = "stale: the store is unreachable; answering from the last good configuration";
  else if (status.store === "redis" && age! > staleAfter) reason = `stale: the store was last read ${Math.round(age! / 1000)} s ago`;
  const body = { ready: reason === undefined, ...(reason === undefined ? {} : { reason }), version: status.version, ...(age === undefined ? {} : { syncAgeMs: age }), skipped };
  sendJson(res, reason === undefined ? 200 : 503, body);
}

function twirpFail(res: ServerResponse, error: TwirpError, metrics: ServerMetrics): void {
  metrics.apiErrors.inc({ code: error.code });
  send(res, error.status, "application/json", error.body());
}

async function twirp(req: IncomingMessage, res: ServerResponse, path: string, service: DispatchService, auth: Authenticator, metrics: ServerMetrics, limit: number): Promise<void> {
  try {
    if (req.method !== "POST") throw new TwirpError("bad_route", `unsupported method ${JSON.stringify(req.method)} (only POST is allowed)`);
    const name = path.startsWith(SIP_PREFIX) ? path.slice(SIP_PREFIX.length) : undefined;
    const method = name === undefined ? undefined : SIP_METHODS[name];
    if (name !== undefined && UNIMPLEMENTED_SIP_METHODS.includes(name)) throw new TwirpError("unimplemented", `livekit.SIP/${name} is not served by sip-dispatch-server`);
    if (method === undefined) throw new TwirpError("bad_route", `no handler for path ${JSON.stringify(path)}`);
    const format = wireFormatOf(req.headers["content-type"]);
    if (format === undefined) throw new TwirpError("bad_route", `unexpected Content-Type: ${JSON.stringify(req.headers["content-type"] ?? "")}`);
    const grants = await auth(req.headers.authorization, null);
    if (!grants.admin) throw new TwirpError("permission_denied", "permissions denied");
    const body = await readBody(req, limit);
    const response = await method.handle(service, decodeRequest(method.request, body, format));
    const encoded = encodeResponse(response, format);
    send(res, 200, encoded.contentType, encoded.body);
  } catch (error) {
    if (error instanceof TwirpError) return twirpFail(res, error, metrics);
    throw error;
  }
}

async function resolve(req: IncomingMessage, res: ServerResponse, url: URL, service: DispatchService, auth: Authenticator, metrics: ServerMetrics, limit: number): Promise<void> {
  if (req.method !== "GET" && req.method !== "POST") return sendJson(res, 405, { code: "method_not_allowed", message: "use GET or POST" });
  let grants: SipGrants;
  try {
    grants = await auth(req.headers.authorization, url.searchParams.get("access_token"));
  } catch (error) {
    if (!(error instanceof TwirpError)) throw error;
    metrics.apiErrors.inc({ code: error.code });
    return sendJson(res, error.status, { code: error.code, message: error.message });
  }
  if (!grants.call && !grants.admin) {
    metrics.apiErrors.inc({ code: "permission_denied" });
    return sendJson(res, 403, { code: "permission_denied", message: "permissions denied: sip.call or sip.admin is required" });
  }
  let input: ResolveInput;
  if (req.method === "GET") input = callFromQuery(url.searchParams);
  else {
    const body = await readBody(req, limit);
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      json = undefined;
      input = { ok: false, message: "the body is not JSON" };
    }
    input = json === undefined ? { ok: false, message: "the body is not JSON" } : callFromJson(json);
  }
  if (!input.ok) {
    metrics.apiErrors.inc({ code: "invalid_input" });
    return sendJson(res, 400, { code: "invalid_input", message: input.message });
  }
  const started = process.hrtime.bigint();
  const resolution = service.resolve(input.call, input.options);
  metrics.resolveSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  metrics.resolutions.inc({ result: resolution.result, code: resolution.result === "error" ? resolution.error.code : resolution.result === "drop" ? resolution.reason : "" });
  sendJson(res, 200, resolution);
}
