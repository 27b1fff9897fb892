import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SignJWT } from "jose";
import { startServer, token, type Running } from "./helpers.js";

// LiveKit's auth, for the SIP API (needs sip.admin) and /v1/resolve (sip.call or sip.admin).

let s: Running;
beforeAll(async () => {
  s = await startServer({}, { devkey: "secret", other: "other-secret" });
});
afterAll(async () => {
  await s.close();
});

const list = (authorization?: string) =>
  fetch(`${s.url}/twirp/livekit.SIP/ListSIPDispatchRule`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
    body: "{}",
  });
const resolve = (authorization?: string) => fetch(`${s.url}/v1/resolve?from=1&to=2`, { headers: authorization === undefined ? {} : { authorization } });

const secret = (s: string) => new TextEncoder().encode(s);

async function cases(): Promise<[string, string | undefined, number, number, string][]> {
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ sip: { admin: true, call: true } }).setProtectedHeader({ alg: "HS256" }).setIssuer("devkey").setNotBefore(now - 120).setExpirationTime(now - 60).sign(secret("secret"));
  const notYet = await new SignJWT({ sip: { admin: true } }).setProtectedHeader({ alg: "HS256" }).setIssuer("devkey").setNotBefore(now + 600).setExpirationTime(now + 900).sign(secret("secret"));
  return [
    // name, Authorization, SIP API status, resolve status, SIP API code
    ["no token", undefined, 401, 401, "unauthenticated"],
    ["not Bearer", "Basic abc", 401, 401, "unauthenticated"],
    ["malformed", "Bearer not.a.jwt", 401, 401, "unauthenticated"],
    ["wrong secret", `Bearer ${await token({ admin: true }, "devkey", "wrong")}`, 401, 401, "unauthenticated"],
    ["expired", `Bearer ${expired}`, 401, 401, "unauthenticated"],
    ["not yet valid", `Bearer ${notYet}`, 401, 401, "unauthenticated"],
    ["unknown key", `Bearer ${await token({ admin: true }, "nokey", "secret")}`, 401, 401, "unauthenticated"],
    ["no grant", `Bearer ${await token(undefined)}`, 403, 403, "permission_denied"],
    ["sip.call only", `Bearer ${await token({ call: true })}`, 403, 200, "permission_denied"],
    ["sip.admin", `Bearer ${await token({ admin: true })}`, 200, 200, ""],
    ["sip.admin, second key", `Bearer ${await token({ admin: true }, "other", "other-secret")}`, 200, 200, ""],
  ];
}

describe("the auth matrix", () => {
  test("each token gets LiveKit's answer from the SIP API and from /v1/resolve", async () => {
    for (const [name, authorization, apiStatus, resolveStatus, code] of await cases()) {
      const api = await list(authorization);
      const body = await api.json();
      expect([name, api.status], name).toEqual([name, apiStatus]);
      if (code !== "") expect([name, body.code]).toEqual([name, code]);
      const r = await resolve(authorization);
      expect([name, r.status]).toEqual([name, resolveStatus]);
    }
  });

  test("LiveKit's texts for a missing Bearer prefix, an unknown key and a bad signature; no secret echoed", async () => {
    expect((await (await list("Basic abc")).json()).msg).toBe("invalid authorization header. Must start with Bearer ");
    expect((await (await list(`Bearer ${await token({ admin: true }, "nokey", "x")}`)).json()).msg).toBe("invalid API key");
    const bad = await (await list(`Bearer ${await token({ admin: true }, "devkey", "wrong-secret")}`)).text();
    expect(bad).toMatch(/^\{"code":"unauthenticated","msg":"invalid authorization token: /);
    expect(bad).not.toContain("secret\"");
    expect(bad).not.toContain("wrong-secret");
  });

  test("an access_token query parameter works for /v1/resolve (clients that cannot set headers)", async () => {
    const res = await fetch(`${s.url}/v1/resolve?from=1&to=2&access_token=${await token({ call: true })}`);
    expect(res.status).toBe(200);
  });
});
