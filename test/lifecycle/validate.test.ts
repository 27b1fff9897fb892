import { describe, expect, test } from "vitest";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { SIPMediaConfig } from "../../src/model/media.js";
import type { Result } from "../../src/model/result.js";
import {
  FORBIDDEN_SIP_HEADER_NAMES,
  validateDispatchRule,
  validateHeaderName,
  validateHeaderValue,
  validateInboundTrunk,
  validateMediaConfig,
} from "../../src/lifecycle/validate.js";
import { RULE_DEFAULTS, TRUNK_DEFAULTS } from "../fixtures.js";

const rule = (over: Partial<SIPDispatchRuleInfo> = {}): SIPDispatchRuleInfo => ({
  ...RULE_DEFAULTS,
  sipDispatchRuleId: "",
  rule: { dispatchRuleDirect: { roomName: "room", pin: "" } },
  ...over,
});

const trunk = (over: Partial<SIPInboundTrunkInfo> = {}): SIPInboundTrunkInfo => ({
  ...TRUNK_DEFAULTS,
  sipTrunkId: "",
  numbers: ["+15550100"],
  ...over,
});

const media = (over: Partial<SIPMediaConfig> = {}): SIPMediaConfig => ({ onlyListedCodecs: false, codecs: [], ...over });

/** The error of a failed result: code, message, and each issue as [path, code, message]. */
function errorOf<T>(result: Result<T>) {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error("expected a failure");
  return {
    code: result.error.code,
    message: result.error.message,
    issues: (result.error.issues ?? []).map((i) => [i.path, i.code, i.message]),
  };
}

describe("validateDispatchRule", () => {
  test("a rule with a kind, valid media and no id passes, returned as is", () => {
    const r = rule({ media: media({ codecs: [{ name: "PCMU", rate: 8000 }], mediaTimeout: "600s" }) });
    const result = validateDispatchRule(r);
    expect(result).toEqual({ ok: true, value: r });
    expect(result.ok && result.value).toBe(r);
  });

  test.each([
    { name: "an id is set", r: rule({ sipDispatchRuleId: "SDR_x" }), path: ["sipDispatchRuleId"], code: "id_must_be_empty", message: "rule id must not be set" },
    { name: "no rule", r: rule({ rule: undefined }), path: ["rule"], code: "missing_rule", message: "missing rule" },
    { name: "an empty rule wrapper", r: rule({ rule: {} }), path: ["rule"], code: "missing_rule", message: "unsupported SIP Dispatch Rule: <nil>" },
    { name: "an empty codec name", r: rule({ media: media({ codecs: [{ name: "", rate: 0 }] }) }), path: ["media", "codecs", 0, "name"], code: "invalid_media", message: "missing codec name" },
    { name: "a codec name with a space", r: rule({ media: media({ codecs: [{ name: "PCMU 8000", rate: 0 }] }) }), path: ["media", "codecs", 0, "name"], code: "invalid_media", message: "invalid codec name" },
    { name: "a codec name with a tab", r: rule({ media: media({ codecs: [{ name: "a\tb", rate: 0 }] }) }), path: ["media", "codecs", 0, "name"], code: "invalid_media", message: "invalid codec name" },
    { name: "a codec name with a newline", r: rule({ media: media({ codecs: [{ name: "a\nb", rate: 0 }] }) }), path: ["media", "codecs", 0, "name"], code: "invalid_media", message: "invalid codec name" },
    { name: "a codec name with a slash", r: rule({ media: media({ codecs: [{ name: "PCMU/8000", rate: 0 }] }) }), path: ["media", "codecs", 0, "name"], code: "invalid_media", message: "codec name must not contain '/'" },
    { name: "a negative media timeout", r: rule({ media: media({ mediaTimeout: "-1s" }) }), path: ["media", "mediaTimeout"], code: "invalid_media", message: "media_timeout must not be negative" },
    { name: "a negative fractional timeout", r: rule({ media: media({ mediaTimeout: "-0.001s" }) }), path: ["media", "mediaTimeout"], code: "invalid_media", message: "media_timeout must not be negative" },
    { name: "a timeout over 10 minutes", r: rule({ media: media({ mediaTimeout: "601s" }) }), path: ["media", "mediaTimeout"], code: "invalid_media", message: "media_timeout must not exceed 10m0s" },
    { name: "a timeout 1 ns over 10 minutes", r: rule({ media: media({ mediaTimeout: "600.000000001s" }) }), path: ["media", "mediaTimeout"], code: "invalid_media", message: "media_timeout must not exceed 10m0s" },
  ])("$name: $code", ({ r, path, code, message }) => {
    expect(errorOf(validateDispatchRule(r))).toEqual({ code, message, issues: [[path, code, message]] });
  });

  test.each(["0s", "-0s", "600s", "600.000s", "599.999999999s", "1.500s"])("media timeout %s is within bounds", (t) => {
    expect(validateDispatchRule(rule({ media: media({ mediaTimeout: t }) })).ok).toBe(true);
  });

  test("nothing else is checked: empty room, odd pin, unknown trunks, any number format", () => {
    const r = rule({
      rule: { dispatchRuleDirect: { roomName: "", pin: "not digits, and long: 12345678901234567890" } },
      trunkIds: ["nope", "nope"],
      numbers: ["1-800-FLOWERS"],
      inboundNumbers: ["anonymous"],
    });
    expect(validateDispatchRule(r).ok).toBe(true);
  });

  test("every problem is reported, in LiveKit's order; the first is the error", () => {
    const r = rule({
      sipDispatchRuleId: "SDR_x",
      rule: undefined,
      media: media({ codecs: [{ name: "ok", rate: 0 }, { name: "a/b", rate: 0 }, { name: "", rate: 0 }], mediaTimeout: "-5s" }),
    });
    expect(errorOf(validateDispatchRule(r))).toEqual({
      code: "id_must_be_empty",
      message: "rule id must not be set",
      issues: [
        [["sipDispatchRuleId"], "id_must_be_empty", "rule id must not be set"],
        [["rule"], "missing_rule", "missing rule"],
        [["media", "codecs", 1, "name"], "invalid_media", "codec name must not contain '/'"],
        [["media", "codecs", 2, "name"], "invalid_media", "missing codec name"],
        [["media", "mediaTimeout"], "invalid_media", "media_timeout must not be negative"],
      ],
    });
  });

  test("a hand-built rule with two kinds is rejected (protojson cannot express it)", () => {
    const r = rule({
      rule: { dispatchRuleDirect: { roomName: "a", pin: "" }, dispatchRuleCallee: { roomPrefix: "", pin: "", randomize: false } },
    });
    const e = errorOf(validateDispatchRule(r));
    expect(e.code).toBe("invalid_rule");
    expect(e.issues[0]![0]).toEqual(["rule"]);
  });

  test("programmer errors throw TypeError", () => {
    expect(() => validateDispatchRule(42 as unknown as SIPDispatchRuleInfo)).toThrow(TypeError);
    expect(() => validateDispatchRule(null as unknown as SIPDispatchRuleInfo)).toThrow(TypeError);
  });
});

describe("validateMediaConfig", () => {
  test("absent and empty configs pass", () => {
    expect(validateMediaConfig(undefined)).toEqual({ ok: true, value: undefined });
    expect(validateMediaConfig(media())).toEqual({ ok: true, value: media() });
  });

  test("paths are relative to the config", () => {
    expect(errorOf(validateMediaConfig(media({ codecs: [{ name: " ", rate: 0 }] })))).toEqual({
      code: "invalid_media",
      message: "invalid codec name",
      issues: [[["codecs", 0, "name"], "invalid_media", "invalid codec name"]],
    });
  });
});

describe("validateInboundTrunk", () => {
  const SECURITY = "for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers";

  test("a trunk with numbers passes, returned as is", () => {
    const t = trunk();
    expect(validateInboundTrunk(t)).toEqual({ ok: true, value: t });
  });

  test.each([
    { name: "numbers", over: { numbers: ["+1"] } },
    { name: "allowed addresses", over: { numbers: [], allowedAddresses: ["10.0.0.0/8"] } },
    { name: "a username alone (LiveKit accepts half an auth)", over: { numbers: [], authUsername: "u" } },
    { name: "a password alone", over: { numbers: [], authPassword: "p" } },
  ])("the security rule is met by $name", ({ over }) => {
    expect(validateInboundTrunk(trunk(over)).ok).toBe(true);
  });

  test("the security rule: none of auth, addresses or numbers", () => {
    expect(errorOf(validateInboundTrunk(trunk({ numbers: [], allowedNumbers: ["+1"], authRealm: "r" })))).toEqual({
      code: "security",
      message: SECURITY,
      issues: [[[], "security", SECURITY]],
    });
  });

  test("an id is set", () => {
    expect(errorOf(validateInboundTrunk(trunk({ sipTrunkId: "ST_x" })))).toEqual({
      code: "id_must_be_empty",
      message: "trunk id must not be set",
      issues: [[["sipTrunkId"], "id_must_be_empty", "trunk id must not be set"]],
    });
  });

  test("invalid media", () => {
    const e = errorOf(validateInboundTrunk(trunk({ media: media({ mediaTimeout: "3600s" }) })));
    expect(e.issues).toEqual([[["media", "mediaTimeout"], "invalid_media", "media_timeout must not exceed 10m0s"]]);
  });

  test.each([...FORBIDDEN_SIP_HEADER_NAMES].flatMap((n) => [n, n.toUpperCase()]))("header %s is forbidden in headers", (name) => {
    expect(errorOf(validateInboundTrunk(trunk({ headers: { [name]: "x" } })))).toEqual({
      code: "invalid_header",
      message: `invalid header name: header name ${name} not supported`,
      issues: [[["headers", name], "invalid_header", `invalid header name: header name ${name} not supported`]],
    });
  });

  test("the forbidden list is LiveKit's", () => {
    expect([...FORBIDDEN_SIP_HEADER_NAMES].sort()).toEqual(
      [
        "accept", "accept-encoding", "accept-language", "allow", "allow-events", "call-id", "contact",
        "content-encoding", "content-length", "content-type", "cseq", "event", "expires", "from",
        "max-forwards", "record-route", "refer-to", "reply-to", "k", "l", "m", "o", "r", "t", "u", "v",
      ].sort(),
    );
  });

  test.each(["To", "Via", "X-Tenant", "P-Asserted-Identity", "a.b!c%d*e_f+g`h'i~j", "x".repeat(255)])(
    "header name %s is allowed (To and Via only warn in LiveKit)",
    (name) => {
      expect(validateInboundTrunk(trunk({ headers: { [name]: "v" } })).ok).toBe(true);
    },
  );

  test.each([
    { name: "", message: "invalid header name: header name cannot be empty" },
    { name: "x".repeat(256), message: "invalid header name: header name too long (max 255 characters)" },
    { name: "X Foo", message: "invalid header name: header name X Foo contains invalid characters: char 32 not allowed" },
    { name: "X:Foo", message: "invalid header name: header name X:Foo contains invalid characters: char 58 not allowed" },
    {
      name: "X-é",
      message: "invalid header name: header name X-é contains invalid characters: char 233 out of range, consider explicilty adding utf8 characters",
    },
  ])("header name $name is invalid", ({ name, message }) => {
    expect(errorOf(validateInboundTrunk(trunk({ headers: { [name]: "v" } })))).toEqual({
      code: "invalid_header",
      message,
      issues: [[["headers", name], "invalid_header", message]],
    });
  });

  test.each([
    { value: "x".repeat(1025), message: "invalid header value for X-A: header X-A: value too long (max 1024 characters)" },
    // LiveKit counts bytes (Go's len): 513 two-byte characters are 1026 bytes.
    { value: "é".repeat(513), message: "invalid header value for X-A: header X-A: value too long (max 1024 characters)" },
    { value: "a\nb", message: "invalid header value for X-A: header X-A: value: char 10 not allowed" },
    { value: "a\u007fb", message: "invalid header value for X-A: header X-A: value: char 127 not allowed" },
  ])("header value is invalid: $message", ({ value, message }) => {
    expect(errorOf(validateInboundTrunk(trunk({ headers: { "X-A": value } })))).toEqual({
      code: "invalid_header",
      message,
      issues: [[["headers", "X-A"], "invalid_header", message]],
    });
  });

  test.each(["", "x".repeat(1024), "é".repeat(512), "tab\tok", "ünïcødé ✓", '"Bob" <sip:bob@example.com>', "not a <name-addr"])(
    "header value %j is accepted",
    (value) => {
      expect(validateInboundTrunk(trunk({ headers: { From2: value, To: value } })).ok).toBe(true);
    },
  );

  test("header mappings: names must be tokens, the forbidden list does not apply", () => {
    expect(validateInboundTrunk(trunk({ attributesToHeaders: { a: "Contact" }, headersToAttributes: { From: "b" } })).ok).toBe(true);
    expect(errorOf(validateInboundTrunk(trunk({ attributesToHeaders: { "my.attr": "Bad Header" } })))).toEqual({
      code: "invalid_header",
      message: "invalid header name: header name Bad Header contains invalid characters: char 32 not allowed",
      issues: [
        [["attributesToHeaders", "my.attr"], "invalid_header", "invalid header name: header name Bad Header contains invalid characters: char 32 not allowed"],
      ],
    });
    expect(errorOf(validateInboundTrunk(trunk({ headersToAttributes: { "": "attr" } })))).toEqual({
      code: "invalid_header",
      message: "invalid header name: header name cannot be empty",
      issues: [[["headersToAttributes", ""], "invalid_header", "invalid header name: header name cannot be empty"]],
    });
  });

  test("every problem, in LiveKit's order: id, security, media, headers, attributesToHeaders, headersToAttributes", () => {
    const t = trunk({
      sipTrunkId: "ST_x",
      numbers: [],
      media: media({ codecs: [{ name: "", rate: 0 }] }),
      headers: { Contact: "x", "X-Ok": "bad\r\n", "X-Fine": "ok" },
      attributesToHeaders: { a: "a b" },
      headersToAttributes: { "c d": "c" },
    });
    const e = errorOf(validateInboundTrunk(t));
    expect(e.code).toBe("id_must_be_empty");
    expect(e.issues.map(([path, code]) => [path, code])).toEqual([
      [["sipTrunkId"], "id_must_be_empty"],
      [[], "security"],
      [["media", "codecs", 0, "name"], "invalid_media"],
      [["headers", "Contact"], "invalid_header"],
      [["headers", "X-Ok"], "invalid_header"],
      [["attributesToHeaders", "a"], "invalid_header"],
      [["headersToAttributes", "c d"], "invalid_header"],
    ]);
  });

  test("programmer errors throw TypeError", () => {
    expect(() => validateInboundTrunk("trunk" as unknown as SIPInboundTrunkInfo)).toThrow(TypeError);
  });
});

describe("validateHeaderName / validateHeaderValue", () => {
  test("restricted by default, unrestricted on request", () => {
    expect(errorOf(validateHeaderName("Call-ID"))).toEqual({
      code: "invalid_header",
      message: "header name Call-ID not supported",
      issues: [[[], "invalid_header", "header name Call-ID not supported"]],
    });
    expect(validateHeaderName("Call-ID", false)).toEqual({ ok: true, value: "Call-ID" });
    expect(validateHeaderName("X-Custom")).toEqual({ ok: true, value: "X-Custom" });
  });

  test("values: LiveKit's texts without the trunk prefix", () => {
    expect(errorOf(validateHeaderValue("X-A", "a\u0000")).message).toBe("header X-A: value: char 0 not allowed");
    expect(validateHeaderValue("X-A", "fine")).toEqual({ ok: true, value: "fine" });
  });
});
