import { describe, expect, it } from "vitest";
import type { SIPDispatchRule, SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import { hiddenIdentity, maskNumber } from "../../src/resolve/evaluate.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { SIPMediaConfig, SIPMediaEncryption } from "../../src/model/media.js";
import type { InboundCall } from "../../src/model/resolution.js";
import type { RoomConfiguration } from "../../src/model/room-config.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callee, direct, expectResult, individual, media, resolve, rule, trunk } from "../fixtures.js";

const CALLER = "+15551234567";
const CALLED = "+15550100";
const trunkA = trunk({ sipTrunkId: "ST_a", numbers: [CALLED] });
const call = (extra: Partial<InboundCall> = {}): InboundCall => ({ from: CALLER, to: CALLED, callId: "SCL_call1", ...extra });
const accept = (r: SIPDispatchRuleInfo, c: InboundCall = call(), trunks: SIPInboundTrunkInfo[] = [trunkA]) =>
  expectResult(resolve(c, trunks, [r]), "accept");

describe("room names per kind", () => {
  it.each<[string, SIPDispatchRule, string]>([
    ["Direct: the room name exactly", direct("my-room"), "my-room"],
    ["Direct: an empty room name", direct(""), ""],
    ["Direct: no number or suffix added", direct("x_+1"), "x_+1"],
    ["Individual, no prefix: caller and random suffix, no leading _", individual(""), `${CALLER}_RANDOM123456`],
    ["Individual with prefix", individual("testPrefix"), `testPrefix_${CALLER}_RANDOM123456`],
    ["Individual, noRandomness, no prefix", individual("", { noRandomness: true }), CALLER],
    ["Individual, noRandomness, prefix", individual("testPrefix", { noRandomness: true }), `testPrefix_${CALLER}`],
    ["Individual: the separator is always added", individual("call-"), `call-_${CALLER}_RANDOM123456`],
    ["Callee, no prefix", callee(""), CALLED],
    ["Callee with prefix", callee("support"), `support_${CALLED}`],
    ["Callee, randomize", callee("support", { randomize: true }), `support_${CALLED}_RANDOM123456`],
    ["Callee, randomize, no prefix", callee("", { randomize: true }), `${CALLED}_RANDOM123456`],
  ])("%s", (_name, r, roomName) => {
    expect(accept(rule({ sipDispatchRuleId: "SDR_1", rule: r })).roomName).toBe(roomName);
  });

  it("numbers go in raw: not normalised, not escaped", () => {
    const c = call({ from: "1 (555) 123", to: "555-0100" });
    const t = [trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] })];
    expect(accept(rule({ rule: individual("p", { noRandomness: true }) }), c, t).roomName).toBe("p_1 (555) 123");
    expect(accept(rule({ rule: callee("q") }), c, t).roomName).toBe("q_555-0100");
  });

  it("the random suffix comes from options.randomId; LiveKit's alphabet by default", () => {
    const ids = ["FIRSTxxxxxxx", "SECONDxxxxxx"];
    const result = expectResult(
      resolve(call({ callId: undefined }), [trunkA], [rule({ rule: individual("p") })], { randomId: () => ids.shift()! }),
      "accept",
    );
    // sip.callID draws first, then the room suffix
    expect(result.participant.attributes["sip.callID"]).toBe("SCL_FIRSTxxxxxxx");
    expect(result.roomName).toBe(`p_${CALLER}_SECONDxxxxxx`);
    const real = expectResult(resolveDispatch(call(), [trunkA], [rule({ rule: individual("p") })]), "accept");
    expect(real.roomName).toMatch(new RegExp(`^p_\\${CALLER}_[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{12}$`));
  });
});

describe("identity, name and hidePhoneNumber", () => {
  it("shown: sip_<caller>, Phone <caller>, metadata from the rule", () => {
    const p = accept(rule({ metadata: '{"tier":"gold"}' })).participant;
    expect(p).toMatchObject({ identity: `sip_${CALLER}`, name: `Phone ${CALLER}`, metadata: '{"tier":"gold"}' });
  });

  // [caller, identity, name, masked Individual room (prefix "p", noRandomness)]
  it.each<[string, string, string, string]>([
    ["+11112222", "sip_c15a31c71649a522", "Phone 2222", "p_2222"],
    ["+15551234567", "sip_8a59780bb8cd2ba0", "Phone 4567", "p_4567"],
    ["12345", `sip_${hiddenIdentity("12345").slice(4)}`, "Phone 2345", "p_2345"],
    ["1234", "sip_03ac674216f3e15c", "Phone 4", "p_4"],
    ["12", `sip_${hiddenIdentity("12").slice(4)}`, "Phone 2", "p_2"],
    ["7", `sip_${hiddenIdentity("7").slice(4)}`, "Phone 7", "p_7"],
    ["", "sip_e3b0c44298fc1c14", "Phone ", "p_"],
  ])("hidden caller %j", (from, identity, name, room) => {
    const result = accept(rule({ hidePhoneNumber: true, rule: individual("p", { noRandomness: true }) }), call({ from }), [trunk({ sipTrunkId: "ST_a" })]);
    expect(result.participant.identity).toBe(identity);
    expect(result.participant.name).toBe(name);
    expect(result.roomName).toBe(room);
  });

  it("an empty hidden caller in an Individual room without prefix", () => {
    const result = accept(rule({ hidePhoneNumber: true, rule: individual("") }), call({ from: "" }), [trunk({ sipTrunkId: "ST_a" })]);
    expect(result.roomName).toBe("_RANDOM123456");
    expect(result.participant.identity).toBe("sip_e3b0c44298fc1c14");
  });

  it.each([
    ["+11112222", "2222"],
    ["1234", "4"],
    ["", ""],
    ["abcdé", "cdé"], // LiveKit slices bytes: é is 2 of the last 4
  ])("maskNumber(%j) = %j", (from, masked) => {
    expect(maskNumber(from)).toBe(masked);
  });

  it("hiding leaves sip.phoneNumber, sip.hostname and sip.trunkPhoneNumber out; a rule attribute named sip.phoneNumber survives", () => {
    const hidden = accept(rule({ sipDispatchRuleId: "SDR_h", hidePhoneNumber: true, rule: direct("r") }), call({ from: { user: "+11112222", host: "pbx.example.com" } }));
    expect(hidden.participant.attributes).toEqual({ "sip.callID": "SCL_call1", "sip.trunkID": "ST_a", "sip.ruleID": "SDR_h" });
    const kept = accept(rule({ sipDispatchRuleId: "SDR_h", hidePhoneNumber: true, attributes: { "sip.phoneNumber": "from-rule" } }), call({ from: "+11112222" }));
    expect(kept.participant.attributes["sip.phoneNumber"]).toBe("from-rule");
    expect(kept.participant.attributes["sip.trunkPhoneNumber"]).toBeUndefined();
  });

  it("the Callee room is not masked (it shows the called number)", () => {
    expect(accept(rule({ hidePhoneNumber: true, rule: callee("c") }), call({ from: "+11112222" })).roomName).toBe(`c_${CALLED}`);
  });
});

describe("attributes", () => {
  it("the whole map: rule attributes, extraAttributes overlay, then the evaluation's sip.* keys", () => {
    const r = rule({
      sipDispatchRuleId: "SDR_1",
      attributes: { a: "1", b: "2", "sip.trunkID": "rule-says", "sip.ruleID": "rule-says" },
    });
    const result = accept(
      r,
      call({ from: { user: CALLER, host: "pbx.example.com" }, extraAttributes: { b: "x", c: "3", "sip.callID": "extra-says" } }),
    );
    expect(result.participant.attributes).toEqual({
      a: "1",
      b: "x",
      c: "3",
      "sip.callID": "SCL_call1",
      "sip.trunkID": "ST_a",
      "sip.phoneNumber": CALLER,
      "sip.hostname": "pbx.example.com",
      "sip.trunkPhoneNumber": CALLED,
      "sip.ruleID": "SDR_1",
    });
  });

  it("sip.callID is SCL_ + randomId when the call has no callId; sip.hostname is \"\" without a From host", () => {
    const result = accept(rule({ sipDispatchRuleId: "SDR_1" }), { from: CALLER, to: CALLED });
    expect(result.participant.attributes).toEqual({
      "sip.callID": "SCL_RANDOM123456",
      "sip.trunkID": "ST_a",
      "sip.phoneNumber": CALLER,
      "sip.hostname": "",
      "sip.trunkPhoneNumber": CALLED,
      "sip.ruleID": "SDR_1",
    });
  });

  it("no trunk matched: sip.trunkID is \"\"", () => {
    expect(accept(rule(), call({ to: "+1999" })).participant.attributes["sip.trunkID"]).toBe("");
  });

  const headers = {
    "X-Custom": "custom",
    "x-lower": "lower",
    From: "<sip:+15551234567@pbx.example.com>;tag=abc",
    "User-Agent": "UA/1.0",
  };

  it.each<[string, SIPInboundTrunkInfo["includeHeaders"], Record<string, string>]>([
    ["SIP_NO_HEADERS", "SIP_NO_HEADERS", {}],
    ["SIP_X_HEADERS: only X- headers, lowercased", "SIP_X_HEADERS", { "sip.h.x-custom": "custom", "sip.h.x-lower": "lower" }],
    [
      "SIP_ALL_HEADERS: every header, lowercased",
      "SIP_ALL_HEADERS",
      {
        "sip.h.x-custom": "custom",
        "sip.h.x-lower": "lower",
        "sip.h.from": "<sip:+15551234567@pbx.example.com>;tag=abc",
        "sip.h.user-agent": "UA/1.0",
      },
    ],
  ])("sip.h.* per includeHeaders: %s", (_name, includeHeaders, expected) => {
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], includeHeaders });
    const result = accept(rule({ sipDispatchRuleId: "SDR_1" }), call({ headers }), [t]);
    const sipH = Object.fromEntries(Object.entries(result.participant.attributes).filter(([k]) => k.startsWith("sip.h.")));
    expect(sipH).toEqual(expected);
  });

  it("no trunk matched: no sip.h.* and no headersToAttributes", () => {
    const result = accept(rule(), call({ to: "+1999", headers }), [trunk({ sipTrunkId: "ST_a", numbers: [CALLED], includeHeaders: "SIP_ALL_HEADERS", headersToAttributes: { "X-Custom": "custom" } })]);
    expect(Object.keys(result.participant.attributes).filter((k) => k.startsWith("sip.h.") || k === "custom")).toEqual([]);
  });

  it.each<[string, string]>([
    ["X-Twilio-AccountSid", "sip.twilio.accountSid"],
    ["X-Twilio-CallSid", "sip.twilio.callSid"],
    ["X-call_leg_id", "sip.telnyx.callLegID"],
    ["X-call_session_id", "sip.telnyx.callSessionID"],
    ["X-Amzn-ConnectContactId", "sip.amazon.contactId"],
    ["X-Amzn-ConnectInitialContactId", "sip.amazon.initialContactId"],
    ["X-Amzn-SourceAccount", "sip.amazon.sourceAccount"],
    ["X-Amzn-SourceArn", "sip.amazon.sourceArn"],
    ["X-Amzn-TargetArn", "sip.amazon.targetArn"],
    ["X-Lk-Test-Id", "lktest.id"],
  ])("provider header %s → %s (any trunk, case-insensitive)", (header, attribute) => {
    for (const name of [header, header.toLowerCase(), header.toUpperCase()]) {
      const result = accept(rule(), call({ headers: { [name]: "value-1" } }));
      expect(result.participant.attributes[attribute]).toBe("value-1");
      expect(Object.keys(result.participant.attributes).some((k) => k.startsWith("sip.h."))).toBe(false);
    }
    // with no trunk matched too
    expect(accept(rule(), call({ to: "+1999", headers: { [header]: "v" } })).participant.attributes[attribute]).toBe("v");
  });

  it("headersToAttributes: header names case-insensitive; they override sip.* keys; missing headers set nothing", () => {
    const t = trunk({
      sipTrunkId: "ST_a",
      numbers: [CALLED],
      headersToAttributes: { "X-Customer-ID": "customer", "X-Fake-Number": "sip.phoneNumber", "X-Absent": "kept", "x-rule": "sip.ruleID" },
    });
    const r = rule({ sipDispatchRuleId: "SDR_1", attributes: { kept: "from-rule" } });
    const result = accept(r, call({ headers: { "x-customer-id": "42", "X-FAKE-NUMBER": "+19990000", "X-Rule": "forged" } }), [t]);
    expect(result.participant.attributes).toEqual({
      kept: "from-rule",
      customer: "42",
      "sip.callID": "SCL_call1",
      "sip.trunkID": "ST_a",
      "sip.phoneNumber": "+19990000",
      "sip.hostname": "",
      "sip.trunkPhoneNumber": CALLED,
      "sip.ruleID": "forged",
    });
  });

  it("headersToAttributes maps onto hidden keys too (the number leaks if configured)", () => {
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], headersToAttributes: { "X-Num": "sip.phoneNumber" } });
    const result = accept(rule({ hidePhoneNumber: true }), call({ headers: { "X-Num": "+15551234567" } }), [t]);
    expect(result.participant.attributes["sip.phoneNumber"]).toBe("+15551234567");
  });

  it("the provider map wins over a headersToAttributes mapping onto the same key", () => {
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], headersToAttributes: { "X-Other": "sip.twilio.accountSid" } });
    const both = accept(rule(), call({ headers: { "X-Other": "mine", "X-Twilio-AccountSid": "AC123" } }), [t]);
    expect(both.participant.attributes["sip.twilio.accountSid"]).toBe("AC123");
    const onlyMapped = accept(rule(), call({ headers: { "X-Other": "mine" } }), [t]);
    expect(onlyMapped.participant.attributes["sip.twilio.accountSid"]).toBe("mine");
  });

  it("headersToAttributes wins over sip.h.*", () => {
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], includeHeaders: "SIP_X_HEADERS", headersToAttributes: { "X-A": "sip.h.x-b" } });
    const result = accept(rule(), call({ headers: { "X-B": "b", "X-A": "a" } }), [t]);
    expect(result.participant.attributes["sip.h.x-b"]).toBe("a");
  });

  it("sip.callIDFull from call.sipCallId, with or without headers, over any mapping", () => {
    expect(accept(rule(), call({ sipCallId: "abc@pbx" })).participant.attributes["sip.callIDFull"]).toBe("abc@pbx");
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], headersToAttributes: { "Call-ID": "sip.callIDFull" } });
    expect(accept(rule(), call({ sipCallId: "abc@pbx", headers: { "Call-ID": "forged" } }), [t]).participant.attributes["sip.callIDFull"]).toBe("abc@pbx");
    expect(accept(rule(), call({ headers: { "X-A": "1" } })).participant.attributes["sip.callIDFull"]).toBeUndefined();
  });

  it("sip.callStatus and sip.callTag are never set", () => {
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], includeHeaders: "SIP_ALL_HEADERS" });
    const attrs = accept(rule(), call({ headers, sipCallId: "x" }), [t]).participant.attributes;
    expect(attrs["sip.callStatus"]).toBeUndefined();
    expect(attrs["sip.callTag"]).toBeUndefined();
  });

  it("hidePhoneNumber does not hide sip.h.from (LiveKit leaks it too)", () => {
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], includeHeaders: "SIP_ALL_HEADERS" });
    const result = accept(rule({ hidePhoneNumber: true }), call({ headers: { From: "<sip:+15551234567@x>" } }), [t]);
    expect(result.participant.attributes["sip.h.from"]).toBe("<sip:+15551234567@x>");
  });

  it("__proto__ keys stay plain data", () => {
    const attributes = JSON.parse('{"__proto__": "p"}') as Record<string, string>;
    const result = accept(rule({ attributes }), call({ headers: JSON.parse('{"__proto__": "h"}') }));
    expect(Object.getPrototypeOf(result.participant.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(result.participant.attributes, "__proto__")?.value).toBe("p");
  });
});

describe("media", () => {
  type Side = { media?: SIPMediaConfig; mediaEncryption?: SIPMediaEncryption };
  const ALLOW = "SIP_MEDIA_ENCRYPT_ALLOW" as const;
  const REQUIRE = "SIP_MEDIA_ENCRYPT_REQUIRE" as const;
  const DISABLE = "SIP_MEDIA_ENCRYPT_DISABLE" as const;
  const pcmu = { name: "PCMU", rate: 8000 };
  const opus = { name: "opus", rate: 48000 };

  // [case, trunk side, rule side, merged media, mediaEncryption]
  it.each<[string, Side, Side, SIPMediaConfig, SIPMediaEncryption]>([
    ["nothing set", {}, {}, media(), DISABLE],
    ["trunk only", { media: media({ encryption: ALLOW }) }, {}, media({ encryption: ALLOW }), ALLOW],
    ["rule only", {}, { media: media({ encryption: REQUIRE }) }, media({ encryption: REQUIRE }), REQUIRE],
    ["both equal", { media: media({ encryption: ALLOW }) }, { media: media({ encryption: ALLOW }) }, media({ encryption: ALLOW }), ALLOW],
    ["rule upgrades", { media: media({ encryption: ALLOW }) }, { media: media({ encryption: REQUIRE }) }, media({ encryption: REQUIRE }), REQUIRE],
    ["rule relaxes REQUIRE to ALLOW", { media: media({ encryption: REQUIRE }) }, { media: media({ encryption: ALLOW }) }, media({ encryption: ALLOW }), ALLOW],
    ["rule cannot downgrade to DISABLE", { media: media({ encryption: REQUIRE }) }, { media: media({ encryption: DISABLE }) }, media({ encryption: REQUIRE }), REQUIRE],
    ["rule DISABLE over an unset trunk", {}, { media: media({ encryption: DISABLE }) }, media({ encryption: DISABLE }), DISABLE],
    ["trunk DISABLE, rule unset", { media: media({ encryption: DISABLE }) }, {}, media({ encryption: DISABLE }), DISABLE],
    ["trunk DISABLE, rule ALLOW", { media: media({ encryption: DISABLE }) }, { media: media({ encryption: ALLOW }) }, media({ encryption: ALLOW }), ALLOW],
    ["legacy trunk mediaEncryption upgrades (media absent)", { mediaEncryption: REQUIRE }, {}, media({ encryption: REQUIRE }), REQUIRE],
    ["legacy rule mediaEncryption upgrades (media {})", {}, { media: media(), mediaEncryption: ALLOW }, media({ encryption: ALLOW }), ALLOW],
    ["legacy DISABLE is unset", { mediaEncryption: DISABLE }, { mediaEncryption: DISABLE }, media(), DISABLE],
    ["legacy ignored when media.encryption is set", { media: media({ encryption: ALLOW }), mediaEncryption: REQUIRE }, {}, media({ encryption: ALLOW }), ALLOW],
    ["legacy rule REQUIRE over trunk ALLOW", { media: media({ encryption: ALLOW }) }, { mediaEncryption: REQUIRE }, media({ encryption: REQUIRE }), REQUIRE],
    [
      "codecs from the trunk when the rule has none (onlyListedCodecs too)",
      { media: media({ codecs: [pcmu], onlyListedCodecs: true }) },
      { media: media({ onlyListedCodecs: false }) },
      media({ codecs: [pcmu], onlyListedCodecs: true }),
      DISABLE,
    ],
    [
      "a rule's onlyListedCodecs without codecs is ignored",
      { media: media({ codecs: [pcmu] }) },
      { media: media({ onlyListedCodecs: true }) },
      media({ codecs: [pcmu], onlyListedCodecs: false }),
      DISABLE,
    ],
    [
      "the rule's codecs (and onlyListedCodecs) win when it lists any",
      { media: media({ codecs: [pcmu], onlyListedCodecs: true }) },
      { media: media({ codecs: [opus] }) },
      media({ codecs: [opus], onlyListedCodecs: false }),
      DISABLE,
    ],
    ["timeout from the trunk when the rule has none", { media: media({ mediaTimeout: "10s" }) }, {}, media({ mediaTimeout: "10s" }), DISABLE],
    ["the rule's timeout wins", { media: media({ mediaTimeout: "10s" }) }, { media: media({ mediaTimeout: "1.500s" }) }, media({ mediaTimeout: "1.500s" }), DISABLE],
    ["a rule timeout of 0s is set and wins", { media: media({ mediaTimeout: "10s" }) }, { media: media({ mediaTimeout: "0s" }) }, media({ mediaTimeout: "0s" }), DISABLE],
  ])("%s", (_name, t, r, expectedMedia, expectedEncryption) => {
    const tr = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], ...t });
    const ru = rule({ sipDispatchRuleId: "SDR_1", ...r });
    const result = accept(ru, call(), [tr]);
    expect(result.media).toEqual(expectedMedia);
    expect(result.mediaEncryption).toBe(expectedEncryption);
    // request_pin carries the same media
    const pin = resolve(call(), [tr], [rule({ ...ru, rule: direct("r", "1") })]);
    expect(pin).toMatchObject({ result: "request_pin", media: expectedMedia, mediaEncryption: expectedEncryption });
  });

  it("with no trunk matched only the rule's media counts", () => {
    const other = trunk({ sipTrunkId: "ST_other", numbers: ["+1999"], media: media({ encryption: REQUIRE, codecs: [pcmu], mediaTimeout: "9s" }) });
    const result = accept(rule({ mediaEncryption: ALLOW }), call(), [other]);
    expect(result.media).toEqual(media({ encryption: ALLOW }));
    expect(result.mediaEncryption).toBe(ALLOW);
  });

  it.each<[boolean, boolean, boolean]>([
    [false, false, false],
    [true, false, true],
    [false, true, true],
    [true, true, true],
  ])("krisp: trunk %s OR rule %s = %s", (t, r, expected) => {
    expect(accept(rule({ krispEnabled: r }), call(), [trunk({ sipTrunkId: "ST_a", numbers: [CALLED], krispEnabled: t })]).krispEnabled).toBe(expected);
  });

  it("krisp with no trunk matched is the rule's", () => {
    const krispTrunk = trunk({ sipTrunkId: "ST_a", numbers: ["+1999"], krispEnabled: true });
    expect(accept(rule({ krispEnabled: false }), call(), [krispTrunk]).krispEnabled).toBe(false);
    expect(accept(rule({ krispEnabled: true }), call(), [krispTrunk]).krispEnabled).toBe(true);
  });
});

describe("result shapes", () => {
  const roomConfig: RoomConfiguration = {
    name: "",
    emptyTimeout: 30,
    departureTimeout: 10,
    maxParticipants: 3,
    metadata: "rc",
    minPlayoutDelay: 0,
    maxPlayoutDelay: 0,
    syncStreams: true,
    agents: [{ agentName: "receptionist", metadata: "m", restartPolicy: "JRP_ON_FAILURE", deployment: "", attributes: { a: "b" } }],
    tags: { t: "1" },
  };

  it("a complete accept", () => {
    const t = trunk({
      sipTrunkId: "ST_a",
      numbers: [CALLED],
      headers: { "X-Out": "1" },
      headersToAttributes: { "X-In": "in" },
      attributesToHeaders: { out: "X-Out-Attr" },
      includeHeaders: "SIP_X_HEADERS",
      ringingTimeout: "30s",
      maxCallDuration: "3600s",
      krispEnabled: true,
    });
    const r = rule({
      sipDispatchRuleId: "SDR_1",
      rule: direct("lobby"),
      metadata: "md",
      roomPreset: "preset-1",
      roomConfig,
      attributes: { tier: "gold" },
    });
    const result = resolve(call({ from: { user: CALLER, host: "pbx" }, headers: { "X-In": "v" } }), [t], [r]);
    expect(result).toEqual({
      result: "accept",
      trunkId: "ST_a",
      ruleId: "SDR_1",
      roomName: "lobby",
      participant: {
        identity: `sip_${CALLER}`,
        name: `Phone ${CALLER}`,
        metadata: "md",
        attributes: {
          tier: "gold",
          "sip.callID": "SCL_call1",
          "sip.trunkID": "ST_a",
          "sip.phoneNumber": CALLER,
          "sip.hostname": "pbx",
          "sip.trunkPhoneNumber": CALLED,
          "sip.ruleID": "SDR_1",
          "sip.h.x-in": "v",
          in: "v",
        },
      },
      roomPreset: "preset-1",
      roomConfig,
      media: media(),
      mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
      krispEnabled: true,
      trunk: {
        headers: { "X-Out": "1" },
        headersToAttributes: { "X-In": "in" },
        attributesToHeaders: { out: "X-Out-Attr" },
        includeHeaders: "SIP_X_HEADERS",
        ringingTimeout: "30s",
        maxCallDuration: "3600s",
      },
      sipOutcome: "join_room",
    });
    if (result.result === "accept") {
      expect(result.roomConfig).not.toBe(roomConfig);
      expect(result.trunk!.headers).not.toBe(t.headers);
    }
  });

  it("trunk passthrough: timeouts only when set; absent when no trunk matched", () => {
    const plain = accept(rule(), call(), [trunkA]);
    expect(plain.trunk).toEqual({ headers: {}, headersToAttributes: {}, attributesToHeaders: {}, includeHeaders: "SIP_NO_HEADERS" });
    const none = accept(rule(), call({ to: "+1999" }), [trunkA]);
    expect("trunk" in none).toBe(false);
  });

  it("roomPreset and roomConfig are absent when the rule has none", () => {
    const result = accept(rule());
    expect("roomPreset" in result).toBe(false);
    expect("roomConfig" in result).toBe(false);
  });

  it("request_pin carries nothing but trunkId, ruleId, media, mediaEncryption and its sipOutcome", () => {
    const r = rule({
      sipDispatchRuleId: "SDR_pin",
      rule: individual("p", { pin: "1357" }),
      metadata: "md",
      roomPreset: "x",
      roomConfig,
      attributes: { a: "b" },
      krispEnabled: true,
    });
    const t = trunk({ sipTrunkId: "ST_a", numbers: [CALLED], headers: { "X-Out": "1" }, ringingTimeout: "30s", media: media({ encryption: "SIP_MEDIA_ENCRYPT_ALLOW" }) });
    expect(resolve(call({ headers: { "X-Twilio-AccountSid": "AC" }, sipCallId: "c" }), [t], [r])).toEqual({
      result: "request_pin",
      trunkId: "ST_a",
      ruleId: "SDR_pin",
      media: media({ encryption: "SIP_MEDIA_ENCRYPT_ALLOW" }),
      mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW",
      sipOutcome: "prompt_pin",
    });
    // no trunk matched
    expect(resolve(call({ to: "+1999" }), [t], [r])).toEqual({
      result: "request_pin",
      trunkId: "",
      ruleId: "SDR_pin",
      media: media(),
      mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
      sipOutcome: "prompt_pin",
    });
  });

  it("request_pin never draws a random id", () => {
    let calls = 0;
    const randomId = () => {
      calls++;
      return "RANDOM123456";
    };
    resolve({ from: CALLER, to: CALLED }, [trunkA], [rule({ rule: individual("p", { pin: "1" }) })], { randomId });
    expect(calls).toBe(0);
  });

  it("a pin sent to an open winner is ignored", () => {
    // only reachable through noPin (a sent pin filters open rules out); the accept carries no pin trace
    const result = accept(rule({ rule: direct("open") }), call({ noPin: true, pin: "1234" }));
    expect(result.roomName).toBe("open");
  });
});
