import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, token, type Running } from "./helpers.js";

// /v1/resolve input handling, operations endpoints and body limits.

let s: Running;
let callToken: string;
beforeAll(async () => {
  s = await startServer({
    seed: {
      trunks: [{ sipTrunkId: "ST_main", numbers: ["+15550100"] } as never],
      rules: [{ sipDispatchRuleId: "SDR_pin", trunkIds: ["ST_main"], rule: { dispatchRuleDirect: { roomName: "secret-room", pin: "4321" } } } as never],
    },
    randomId: () => "abcdefghijkm",
  });
  callToken = await token({ call: true });
});
afterAll(async () => {
  await s.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${s.url}/v1/resolve`, { method: "POST", headers: { authorization: `Bearer ${callToken}`, "content-type": "application/json", ...headers }, body });

describe("/v1/resolve", () => {
  test("POST answers the DispatchResolution; GET answers the same for the same call", async () => {
    const body = { call: { from: "+15550123", to: "+15550100", pin: "4321" }, options: { trace: true } };
    const viaPost = await (await post(JSON.stringify(body))).json();
    expect(viaPost).toMatchObject({ result: "accept", trunkId: "ST_main", ruleId: "SDR_pin", roomName: "secret-room" });
    expect(viaPost.trace.length).toBeGreaterThan(0);
    const viaGet = await (await fetch(`${s.url}/v1/resolve?from=%2B15550123&to=%2B15550100&pin=4321&trace=1`, { headers: { authorization: `Bearer ${callToken}` } })).json();
    expect(viaGet).toEqual(viaPost);
  });

  test("without a pin the call is asked for one; noPin=1 is a wrong pin", async () => {
    const ask = await (await fetch(`${s.url}/v1/resolve?from=1&to=%2B15550100`, { headers: { authorization: `Bearer ${callToken}` } })).json();
    expect(ask).toMatchObject({ result: "request_pin", ruleId: "SDR_pin" });
    const none = await (await fetch(`${s.url}/v1/resolve?from=1&to=%2B15550100&noPin=1`, { headers: { authorization: `Bearer ${callToken}` } })).json();
    expect(none).toMatchObject({ result: "drop" });
  });

  test("headers reach header-derived attributes (GET header=Name:Value)", async () => {
    const res = await (await fetch(`${s.url}/v1/resolve?from=1&to=%2B15550100&pin=4321&header=X-Twilio-AccountSid:AC1`, { headers: { authorization: `Bearer ${callToken}` } })).json();
    expect(res.participant.attributes["sip.twilio.accountSid"]).toBe("AC1");
  });

  test.each([
    ["not JSON", "{", "the body is not JSON"],
    ["no call", "{}", "call must be an object"],
    ["from of the wrong type", '{"call":{"from":5,"to":"1"}}', 'call.from must be a string or {"user", "host"?}'],
    ["unknown call field", '{"call":{"from":"1","to":"2","room":"x"}}', "call.room is not a call field"],
    ["header value not a string", '{"call":{"from":"1","to":"2","headers":{"X":1}}}', "call.headers.X must be a string"],
    ["unknown option", '{"call":{"from":"1","to":"2"},"options":{"randomId":"x"}}', "options.randomId is not an option (strict, trace)"],
    ["a prototype key", '{"call":{"from":"1","to":"2","__proto__":{"polluted":true}}}', "call.__proto__ is not a call field"],
  ])("bad input (%s) is 400 with a code and a message", async (_name, body, message) => {
    const res = await post(body);
    expect([res.status, await res.json()]).toEqual([400, { code: "invalid_input", message }]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  test("pins never appear in an error", async () => {
    const res = await post('{"call":{"from":"1","to":"2","pin":4321}}');
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toContain("4321");
  });

  test("a GET without from or to is 400", async () => {
    const res = await fetch(`${s.url}/v1/resolve?from=1`, { headers: { authorization: `Bearer ${callToken}` } });
    expect([res.status, await res.json()]).toEqual([400, { code: "invalid_input", message: "from and to are required" }]);
  });
});

describe("limits and operations", () => {
  test("a body over 1 MiB is 413, on /v1/resolve and on the SIP API", async () => {
    const big = JSON.stringify({ call: { from: "1", to: "2", callId: "x".repeat(1024 * 1024) } });
    expect((await post(big)).status).toBe(413);
    const api = await fetch(`${s.url}/twirp/livekit.SIP/ListSIPDispatchRule`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token({ admin: true })}` },
      body: JSON.stringify({ trunkIds: ["x".repeat(1024 * 1024)] }),
    });
    expect(api.status).toBe(413);
    // Just under the limit is served.
    const fits = JSON.stringify({ call: { from: "1", to: "2", callId: "x".repeat(1024 * 1024 - 100) } });
    expect((await post(fits)).status).toBe(200);
  });

  test("/healthz, /readyz, /metrics", async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${s.url}/readyz`);
    expect([ready.status, (await ready.json()).ready]).toEqual([200, true]);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/sip_dispatch_resolutions_total\{result="accept",code=""\} \d+/);
    expect(metrics).toMatch(/sip_dispatch_resolutions_total\{result="drop",code="no_rule"\} 2/); // noPin, and the call just under the size limit
    expect(metrics).toContain("sip_dispatch_rules 1");
    expect(metrics).toContain("sip_dispatch_trunks 1");
    expect(metrics).toMatch(/sip_dispatch_resolve_seconds_count \d+/);
    expect(metrics).toMatch(/sip_dispatch_api_errors_total\{code="invalid_input"\} \d+/);
    expect(metrics).not.toContain("4321");
  });
});
