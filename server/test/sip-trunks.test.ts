import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  GetSIPInboundTrunkRequest,
  GetSIPInboundTrunkResponse,
  ListSIPInboundTrunkRequest,
  ListSIPInboundTrunkResponse,
  ListUpdate,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
  SIPTransport,
} from "@livekit/protocol";
import { failure, ID_SUFFIX, startServer, twirp, type Running } from "./helpers.js";

// Every trunk method of livekit.SIP through livekit-server-sdk's SipClient (and raw Twirp where the
// SDK has no call), with LiveKit's codes and texts for bad input, conflicts and unknown ids.

let s: Running;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

describe("inbound trunks", () => {
  let main: SIPInboundTrunkInfo;

  test("CreateSIPInboundTrunk stores the trunk under a new ST_ id", async () => {
    main = await s.sip.createSipInboundTrunk("main", ["+15550100"], { allowedAddresses: ["203.0.113.0/24"], krispEnabled: true });
    expect(main.sipTrunkId.slice(0, 3)).toBe("ST_");
    expect(main.sipTrunkId.slice(3)).toMatch(ID_SUFFIX);
    expect(main).toMatchObject({ name: "main", numbers: ["+15550100"], allowedAddresses: ["203.0.113.0/24"], krispEnabled: true });
  });

  test("a second trunk on the same number without allowed numbers is LiveKit's conflict", async () => {
    const e = await failure(s.sip.createSipInboundTrunk("other", ["+15550100"]));
    expect(e).toEqual({
      status: 400,
      code: "invalid_argument",
      message: `Conflicting inbound SIP Trunks: "<new>" and "${main.sipTrunkId}", using the same number(s) ["+15550100"] without AllowedNumbers set`,
    });
  });

  test("a trunk open to everyone is refused with LiveKit's security text", async () => {
    const e = await failure(s.sip.createSipInboundTrunk("open", []));
    expect(e.code).toBe("invalid_argument");
    expect(e.message).toBe("for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers");
  });

  test("a trunk id in a create request is refused", async () => {
    const res = await twirp(s.url, "CreateSIPInboundTrunk", { trunk: { sipTrunkId: "ST_mine", numbers: ["+1555"] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: "invalid_argument", msg: "trunk id must not be set" });
  });

  test("GetSIPInboundTrunk answers JSON and protobuf, each in its own format", async () => {
    const json = await twirp(s.url, "GetSIPInboundTrunk", { sipTrunkId: main.sipTrunkId });
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(GetSIPInboundTrunkResponse.fromJson(await json.json()).trunk?.name).toBe("main");
    const bin = await twirp(s.url, "GetSIPInboundTrunk", new GetSIPInboundTrunkRequest({ sipTrunkId: main.sipTrunkId }).toBinary());
    expect(bin.headers.get("content-type")).toBe("application/protobuf");
    const trunk = GetSIPInboundTrunkResponse.fromBinary(new Uint8Array(await bin.arrayBuffer())).trunk!;
    expect(trunk.equals(main)).toBe(true);
  });

  test("GetSIPInboundTrunk: empty id and unknown id", async () => {
    const empty = await twirp(s.url, "GetSIPInboundTrunk", {});
    expect([empty.status, await empty.json()]).toEqual([400, { code: "invalid_argument", msg: "trunk ID is required" }]);
    const unknown = await twirp(s.url, "GetSIPInboundTrunk", { sipTrunkId: "ST_nope" });
    expect([unknown.status, await unknown.json()]).toEqual([404, { code: "not_found", msg: "requested sip trunk does not exist" }]);
  });

  test("UpdateSIPInboundTrunk with update: list updates apply, bad ones and unknown ids are LiveKit's errors", async () => {
    const updated = await s.sip.updateSipInboundTrunkFields(main.sipTrunkId, { numbers: new ListUpdate({ add: ["+15550101"] }), name: "main line" });
    expect(updated).toMatchObject({ sipTrunkId: main.sipTrunkId, name: "main line", numbers: ["+15550100", "+15550101"] });
    const empty = await failure(s.sip.updateSipInboundTrunkFields(main.sipTrunkId, { numbers: new ListUpdate({}) }));
    expect(empty).toMatchObject({ code: "invalid_argument", message: "unsupported list update operation" });
    const unknown = await failure(s.sip.updateSipInboundTrunkFields("ST_nope", { name: "x" }));
    expect(unknown).toMatchObject({ status: 404, code: "not_found", message: "requested sip trunk does not exist" });
  });

  test("UpdateSIPInboundTrunk with replace, and the id-mismatch and missing-action texts", async () => {
    const replaced = await s.sip.updateSipInboundTrunk(main.sipTrunkId, new SIPInboundTrunkInfo({ name: "replaced", numbers: ["+15550100"] }));
    expect(replaced).toMatchObject({ sipTrunkId: main.sipTrunkId, name: "replaced", numbers: ["+15550100"], allowedAddresses: [] });
    const mismatch = await failure(s.sip.updateSipInboundTrunk(main.sipTrunkId, new SIPInboundTrunkInfo({ sipTrunkId: "ST_other", numbers: ["+1"] })));
    expect(mismatch.message).toBe("trunk id in the info must be empty or match the id in the update");
    const noAction = await twirp(s.url, "UpdateSIPInboundTrunk", { sipTrunkId: main.sipTrunkId });
    expect(await noAction.json()).toEqual({ code: "invalid_argument", msg: "missing or unsupported update action" });
    const noId = await twirp(s.url, "UpdateSIPInboundTrunk", { update: {} });
    expect(await noId.json()).toEqual({ code: "invalid_argument", msg: "trunk id must be set" });
  });

  test("ListSIPInboundTrunk filters by ids and numbers (normalised), pages after an id", async () => {
    const second = await s.sip.createSipInboundTrunk("second", ["+1 (555) 0200"]);
    const all = await s.sip.listSipInboundTrunk();
    expect(all.map((t) => t.sipTrunkId)).toEqual([main.sipTrunkId, second.sipTrunkId].sort());
    expect((await s.sip.listSipInboundTrunk({ numbers: ["+15550200"] })).map((t) => t.sipTrunkId)).toEqual([second.sipTrunkId]);
    expect((await s.sip.listSipInboundTrunk({ trunkIds: [main.sipTrunkId] })).map((t) => t.name)).toEqual(["replaced"]);
    const first = all[0]!.sipTrunkId;
    expect((await s.sip.listSipInboundTrunk({ page: { afterId: first } as never })).map((t) => t.sipTrunkId)).toEqual([all[1]!.sipTrunkId]);
    const bin = await twirp(s.url, "ListSIPInboundTrunk", new ListSIPInboundTrunkRequest({ numbers: ["+15550100"] }).toBinary());
    expect(ListSIPInboundTrunkResponse.fromBinary(new Uint8Array(await bin.arrayBuffer())).items.map((t) => t.sipTrunkId)).toEqual([main.sipTrunkId]);
  });
});

describe("outbound and legacy trunks", () => {
  test("CreateSIPOutboundTrunk, Get, List, Update and replace; LiveKit's checks", async () => {
    const out = await s.sip.createSipOutboundTrunk("carrier", "sip.example.com", ["+15550300"], { transport: SIPTransport.SIP_TRANSPORT_TCP });
    expect(out.sipTrunkId).toMatch(/^ST_/);
    const got = await twirp(s.url, "GetSIPOutboundTrunk", { sipTrunkId: out.sipTrunkId });
    expect((await got.json()).trunk.address).toBe("sip.example.com");
    expect((await s.sip.listSipOutboundTrunk({ numbers: ["+15550300"] })).map((t) => t.sipTrunkId)).toEqual([out.sipTrunkId]);
    expect(await s.sip.listSipOutboundTrunk({ numbers: ["+19999"] })).toEqual([]);
    const renamed = await s.sip.updateSipOutboundTrunkFields(out.sipTrunkId, { name: "carrier b", address: "sip2.example.com" } as never);
    expect(renamed).toMatchObject({ name: "carrier b", address: "sip2.example.com", numbers: ["+15550300"] });
    const replaced = await s.sip.updateSipOutboundTrunk(out.sipTrunkId, new SIPOutboundTrunkInfo({ name: "r", address: "10.0.0.1", numbers: ["+1"] }));
    expect(replaced).toMatchObject({ sipTrunkId: out.sipTrunkId, name: "r", address: "10.0.0.1" });
    expect((await failure(s.sip.createSipOutboundTrunk("x", "sip.example.com", []))).message).toBe("no trunk numbers specified");
    expect((await failure(s.sip.createSipOutboundTrunk("x", "", ["+1"]))).message).toBe("no outbound address specified");
    expect((await failure(s.sip.createSipOutboundTrunk("x", "sip:a@b.com", ["+1"]))).message).toBe("trunk address should be a hostname or IP, not SIP URI");
    expect(await failure(s.sip.updateSipOutboundTrunkFields("ST_nope", { name: "x" }))).toMatchObject({ status: 404, code: "not_found" });
    // As LiveKit: the request is validated before the trunk is looked up.
    const badUpdate = await twirp(s.url, "UpdateSIPOutboundTrunk", { sipTrunkId: "ST_nope", update: { numbers: { set: ["+1"], add: ["+2"] } } });
    expect(await badUpdate.json()).toEqual({ code: "invalid_argument", msg: "cannot set and change the list at the same time" });
    const noId = await twirp(s.url, "GetSIPOutboundTrunk", {});
    expect(await noId.json()).toEqual({ code: "invalid_argument", msg: "trunk ID is required" });
  });

  test("CreateSIPTrunk (legacy) is listed by ListSIPTrunk and ListSIPInboundTrunk; regexes are refused", async () => {
    const legacy = await s.sip.createSipTrunk("+15550400", { name: "legacy", inbound_addresses: ["198.51.100.1"] });
    expect(legacy.sipTrunkId).toMatch(/^ST_/);
    const all = await s.sip.listSipTrunk();
    expect(all.map((t) => t.sipTrunkId)).toContain(legacy.sipTrunkId);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const inbound = await s.sip.listSipInboundTrunk({ trunkIds: [legacy.sipTrunkId] });
    expect(inbound[0]).toMatchObject({ numbers: ["+15550400"], allowedAddresses: ["198.51.100.1"] });
    const regex = await twirp(s.url, "CreateSIPTrunk", { inboundNumbersRegex: ["^1"] });
    expect(await regex.json()).toEqual({ code: "invalid_argument", msg: "Trunks with InboundNumbersRegex are deprecated. Use InboundNumbers instead." });
  });

  test("DeleteSIPTrunk removes a trunk of any kind; an empty id is refused", async () => {
    const t = await s.sip.createSipInboundTrunk("doomed", ["+15550500"]);
    const deleted = await s.sip.deleteSipTrunk(t.sipTrunkId);
    expect(deleted.sipTrunkId).toBe(t.sipTrunkId);
    expect(await s.sip.listSipInboundTrunk({ trunkIds: [t.sipTrunkId] })).toEqual([]);
    expect(await failure(s.sip.deleteSipTrunk(""))).toMatchObject({ code: "invalid_argument", message: "trunk ID is required" });
  });
});
