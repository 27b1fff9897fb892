import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CreateSIPDispatchRuleRequest, ListSIPDispatchRuleResponse, ListUpdate, SIPDispatchRule, SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "@livekit/protocol";
import { failure, ID_SUFFIX, startServer, token, twirp, type Running } from "./helpers.js";

// Dispatch rule methods through livekit-server-sdk's SipClient and protobuf requests built with
// @livekit/protocol, then the decisions they lead to on /v1/resolve.

let s: Running;
let trunk: SIPInboundTrunkInfo;
beforeAll(async () => {
  s = await startServer();
  trunk = await s.sip.createSipInboundTrunk("main", ["+15550100"]);
});
afterAll(async () => {
  await s.close();
});

const resolveGet = async (query: string) => {
  const res = await fetch(`${s.url}/v1/resolve?${query}`, { headers: { authorization: `Bearer ${await token({ call: true })}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("dispatch rules", () => {
  let individual: SIPDispatchRuleInfo;

  test("CreateSIPDispatchRule (the SDK's legacy request form) stores the rule under a new SDR_ id", async () => {
    individual = await s.sip.createSipDispatchRule({ type: "individual", roomPrefix: "call" }, { name: "everyone", trunkIds: [trunk.sipTrunkId] });
    expect(individual.sipDispatchRuleId.slice(0, 4)).toBe("SDR_");
    expect(individual.sipDispatchRuleId.slice(4)).toMatch(ID_SUFFIX);
    expect(individual.trunkIds).toEqual([trunk.sipTrunkId]);
  });

  test("a second rule for the same trunk, numbers and pin is LiveKit's conflict, naming the stored rule", async () => {
    const e = await failure(s.sip.createSipDispatchRule({ type: "direct", roomName: "lobby" }, { trunkIds: [trunk.sipTrunkId] }));
    expect(e).toEqual({
      status: 400,
      code: "invalid_argument",
      message: `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${individual.sipDispatchRuleId}" "everyone"`,
    });
  });

  test("the current request form, built with @livekit/protocol and sent as protobuf", async () => {
    const req = new CreateSIPDispatchRuleRequest({
      dispatchRule: new SIPDispatchRuleInfo({
        name: "vip",
        trunkIds: [trunk.sipTrunkId],
        inboundNumbers: ["+15550111"],
        rule: new SIPDispatchRule({ rule: { case: "dispatchRuleDirect", value: { roomName: "vip-room", pin: "" } } }),
      }),
    });
    const res = await twirp(s.url, "CreateSIPDispatchRule", req.toBinary());
    expect(res.status).toBe(200);
    const created = SIPDispatchRuleInfo.fromBinary(new Uint8Array(await res.arrayBuffer()));
    expect(created).toMatchObject({ name: "vip", inboundNumbers: ["+15550111"] });
    expect(created.sipDispatchRuleId).toMatch(/^SDR_/);
  });

  test("request checks: an id in a create, a rule without a kind", async () => {
    const withId = await twirp(s.url, "CreateSIPDispatchRule", { dispatchRule: { sipDispatchRuleId: "SDR_x", rule: { dispatchRuleDirect: { roomName: "a" } } } });
    expect([withId.status, await withId.json()]).toEqual([400, { code: "invalid_argument", msg: "rule id must not be set" }]);
    const noRule = await twirp(s.url, "CreateSIPDispatchRule", { dispatchRule: { name: "x" } });
    expect(await noRule.json()).toEqual({ code: "invalid_argument", msg: "missing rule" });
  });

  test("UpdateSIPDispatchRule: fields, replace, unknown ids and LiveKit's request texts", async () => {
    const renamed = await s.sip.updateSipDispatchRuleFields(individual.sipDispatchRuleId, { name: "all callers", metadata: "m" });
    expect(renamed).toMatchObject({ name: "all callers", metadata: "m", trunkIds: [trunk.sipTrunkId] });
    const replaced = await s.sip.updateSipDispatchRule(
      individual.sipDispatchRuleId,
      new SIPDispatchRuleInfo({ name: "callers", trunkIds: [trunk.sipTrunkId], rule: new SIPDispatchRule({ rule: { case: "dispatchRuleIndividual", value: { roomPrefix: "caller" } } }) }),
    );
    expect(replaced).toMatchObject({ sipDispatchRuleId: individual.sipDispatchRuleId, name: "callers", metadata: "" });
    expect(await failure(s.sip.updateSipDispatchRuleFields("SDR_nope", { name: "x" }))).toMatchObject({ status: 404, code: "not_found", message: "requested sip dispatch rule does not exist" });
    expect((await failure(s.sip.updateSipDispatchRuleFields(individual.sipDispatchRuleId, { trunkIds: new ListUpdate({}) }))).message).toBe("unsupported list update operation");
    const noId = await twirp(s.url, "UpdateSIPDispatchRule", { update: {} });
    expect(await noId.json()).toEqual({ code: "invalid_argument", msg: "rule id must be set" });
    const mismatch = await twirp(s.url, "UpdateSIPDispatchRule", { sipDispatchRuleId: individual.sipDispatchRuleId, replace: { sipDispatchRuleId: "SDR_other", rule: { dispatchRuleDirect: { roomName: "a" } } } });
    expect(await mismatch.json()).toEqual({ code: "invalid_argument", msg: "rule id in the info must be empty or match the id in the update" });
  });

  test("ListSIPDispatchRule filters by ids and trunks (default rules always match), pages after an id", async () => {
    const other = await s.sip.createSipInboundTrunk("other", ["+15550900"]);
    const otherRule = await s.sip.createSipDispatchRule({ type: "direct", roomName: "other" }, { trunkIds: [other.sipTrunkId] });
    const all = await s.sip.listSipDispatchRule();
    expect(all.map((r) => r.sipDispatchRuleId)).toEqual([...all.map((r) => r.sipDispatchRuleId)].sort());
    expect(all).toHaveLength(3);
    expect((await s.sip.listSipDispatchRule({ trunkIds: [other.sipTrunkId] })).map((r) => r.sipDispatchRuleId)).toEqual([otherRule.sipDispatchRuleId]);
    expect((await s.sip.listSipDispatchRule({ dispatchRuleIds: [individual.sipDispatchRuleId] })).map((r) => r.name)).toEqual(["callers"]);
    const after = await s.sip.listSipDispatchRule({ page: { afterId: all[0]!.sipDispatchRuleId } as never });
    expect(after.map((r) => r.sipDispatchRuleId)).toEqual(all.slice(1).map((r) => r.sipDispatchRuleId));
    const json = await twirp(s.url, "ListSIPDispatchRule", {});
    const body = await json.json();
    expect(Object.keys(body.items[0])).toContain("sip_dispatch_rule_id"); // LiveKit's Twirp JSON: proto names, defaults written
    expect(ListSIPDispatchRuleResponse.fromJson(body).items).toHaveLength(3);
  });

  test("/v1/resolve follows the API: the rule created answers, then a deleted rule no longer does", async () => {
    const accepted = await resolveGet("from=%2B15550123&to=%2B15550100");
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ result: "accept", trunkId: trunk.sipTrunkId, ruleId: individual.sipDispatchRuleId });
    expect(String(accepted.body["roomName"])).toMatch(/^caller_\+15550123_[A-Za-z0-9]{12}$/);
    const deleted = await s.sip.deleteSipDispatchRule(individual.sipDispatchRuleId);
    expect(deleted.sipDispatchRuleId).toBe(individual.sipDispatchRuleId);
    const dropped = await resolveGet("from=%2B15550123&to=%2B15550100");
    expect(dropped.body).toMatchObject({ result: "drop", trunkId: trunk.sipTrunkId, reason: "no_rule" });
  });

  test("DeleteSIPDispatchRule: empty and unknown ids", async () => {
    expect(await failure(s.sip.deleteSipDispatchRule(""))).toMatchObject({ status: 400, code: "invalid_argument", message: "dispatch rule ID is required" });
    expect(await failure(s.sip.deleteSipDispatchRule("SDR_nope"))).toMatchObject({ status: 404, code: "not_found", message: "requested sip dispatch rule does not exist" });
  });
});

describe("routes and formats", () => {
  test("other livekit.SIP methods answer unimplemented", async () => {
    const e = await failure(s.sip.createSipParticipant(trunk.sipTrunkId, "+15550100", "room"));
    expect(e).toMatchObject({ status: 501, code: "unimplemented" });
    const res = await twirp(s.url, "TransferSIPParticipant", {});
    expect(res.status).toBe(501);
  });

  test("unknown services and methods are bad_route; undecodable bodies are malformed", async () => {
    const auth = { authorization: `Bearer ${await token({ admin: true })}`, "content-type": "application/json" };
    const unknown = await fetch(`${s.url}/twirp/livekit.RoomService/ListRooms`, { method: "POST", headers: auth, body: "{}" });
    expect([unknown.status, (await unknown.json()).code]).toEqual([404, "bad_route"]);
    const get = await fetch(`${s.url}/twirp/livekit.SIP/ListSIPDispatchRule`, { headers: auth });
    expect([get.status, (await get.json()).code]).toEqual([404, "bad_route"]);
    const badJson = await twirp(s.url, "ListSIPDispatchRule", undefined as never);
    const broken = await fetch(`${s.url}/twirp/livekit.SIP/ListSIPDispatchRule`, { method: "POST", headers: auth, body: "{not json" });
    expect([broken.status, (await broken.json()).code]).toEqual([400, "malformed"]);
    const wrongType = await fetch(`${s.url}/twirp/livekit.SIP/ListSIPDispatchRule`, { method: "POST", headers: auth, body: '{"trunkIds": 5}' });
    expect([wrongType.status, (await wrongType.json()).code]).toEqual([400, "malformed"]);
    const badProto = await twirp(s.url, "ListSIPDispatchRule", new Uint8Array([0xff, 0xff, 0xff]));
    expect([badProto.status, (await badProto.json()).code]).toEqual([400, "malformed"]);
    expect(badJson.status).toBe(200); // no body at all is the empty request
  });
});
