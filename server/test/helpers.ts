import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { AccessToken, SipClient } from "livekit-server-sdk";
import { createDispatchService, createServer, type DispatchService, type DispatchServiceOptions } from "../src/index.js";

export const KEY = "devkey";
export const SECRET = "secret";
export const KEYS = { [KEY]: SECRET };
/** LiveKit's id: prefix + 12 characters of its 57-character alphabet. */
export const ID_SUFFIX = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{12}$/;

export interface Running {
  url: string;
  service: DispatchService;
  server: Server;
  sip: SipClient;
  close(): Promise<void>;
}

/** A service and its server on a free loopback port. */
export async function startServer(options: DispatchServiceOptions = {}, keys: Record<string, string> = KEYS): Promise<Running> {
  const service = await createDispatchService({ log: () => undefined, ...options });
  const server = createServer(service, { keys });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    service,
    server,
    sip: new SipClient(url, KEY, SECRET),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await service.close();
    },
  };
}

/** A token as livekit-server-sdk mints it. */
export async function token(sip: { admin?: boolean; call?: boolean } | undefined, key = KEY, secret = SECRET, ttl: string | number = "10m"): Promise<string> {
  const at = new AccessToken(key, secret, { ttl });
  if (sip !== undefined) at.addSIPGrant(sip);
  return at.toJwt();
}

/** A raw Twirp call: JSON (an object) or protobuf (bytes). */
export async function twirp(url: string, method: string, body: unknown, bearer?: string): Promise<Response> {
  const binary = body instanceof Uint8Array;
  const auth = bearer ?? (await token({ admin: true }));
  return fetch(`${url}/twirp/livekit.SIP/${method}`, {
    method: "POST",
    headers: { "content-type": binary ? "application/protobuf" : "application/json", authorization: `Bearer ${auth}` },
    body: binary ? body : JSON.stringify(body),
  });
}

/** The Twirp error a livekit-server-sdk call fails with. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; code: string; message: string };
    return { status: e.status, code: e.code, message: e.message };
  }
  throw new Error("expected the call to fail");
}
