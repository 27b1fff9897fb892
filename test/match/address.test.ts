import { describe, expect, it } from "vitest";
import {
  addressAllowed,
  compileAddressAllowlist,
  isValidAddressMask,
  parseIp,
  parsePrefix,
  prefixContains,
  type IpAddress,
} from "../../src/match/address.js";
import { direct, expectResult, resolve, rule, trunk } from "../fixtures.js";

const v4 = (value: number): IpAddress => ({ family: 4, value });
const v6 = (value: bigint, zone = ""): IpAddress => ({ family: 6, value, zone });

describe("parseIp (Go netip.ParseAddr)", () => {
  it.each<[string, IpAddress]>([
    ["1.2.3.4", v4(0x01020304)],
    ["0.0.0.0", v4(0)],
    ["255.255.255.255", v4(0xffffffff)],
    ["10.0.0.1", v4(0x0a000001)],
    ["::", v6(0n)],
    ["::1", v6(1n)],
    ["1::", v6(1n << 112n)],
    ["2001:db8::1", v6(0x20010db8000000000000000000000001n)],
    ["2001:DB8::1", v6(0x20010db8000000000000000000000001n)],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", v6(0x20010db8000000000000000000000001n)],
    ["1:2:3:4:5:6:7:8", v6(0x00010002000300040005000600070008n)],
    ["1:2:3:4:5:6:7::", v6(0x00010002000300040005000600070000n)],
    ["::2:3:4:5:6:7:8", v6(0x00000002000300040005000600070008n)],
    ["1:2::7:8", v6(0x00010002000000000000000000070008n)],
    ["::ffff:1.2.3.4", v6(0xffff01020304n)],
    ["::1.2.3.4", v6(0x01020304n)],
    ["1:2:3:4:5:6:1.2.3.4", v6(0x00010002000300040005000601020304n)],
    ["1::5:6:1.2.3.4", v6(0x00010000000000000005000601020304n)],
    ["fe80::1%eth0", v6(0xfe800000000000000000000000000001n, "eth0")],
    ["::%1", v6(0n, "1")],
    ["::ffff:1.2.3.4%eth0", v6(0xffff01020304n, "eth0")],
    // Hex digits at the edges of each range, either case.
    ["abcd:ef09::", v6(0xabcdef09n << 96n)],
    ["ABCD:EF09::", v6(0xabcdef09n << 96n)],
    ["fFaA::", v6(0xffaan << 112n)],
  ])("parses %j", (input, expected) => {
    expect(parseIp(input)).toEqual(expected);
  });

  it.each([
    // IPv4
    "",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "1.2.3.04",
    "1.02.3.4",
    "00.0.0.0",
    "256.1.1.1",
    "1.2.3.256",
    "1..2.3",
    ".1.2.3",
    "1.2.3.4.",
    "1.2.3.-4",
    " 1.2.3.4",
    "1.2.3.4 ",
    "1.2.3.4%eth0",
    "1.2.3.4:5060",
    "1.2.3.4/32",
    "1.2.3.a",
    "a.1.2.3",
    "1.2.3.4a",
    "1.2.:.4",
    "1.2./.4",
    // IPv6
    ":::",
    "1:::2",
    "1::2::3",
    ":1",
    "1:",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "1:2:3:4::5:6:7:8",
    "12345::",
    "00000::1",
    "::g",
    "::G",
    "::@",
    "::`",
    "::/",
    "[::1]",
    "[2001:db8::1]",
    "fe80::1%",
    "%eth0",
    "1:2:3:4:5:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::ffff:01.2.3.4",
    "::ffff:1.2.3",
    "::ffff:1.2.3.4.5",
    "::1.2.3.4:5",
    // a character that is neither a hex digit nor a separator ends the address, it is not skipped
    "::1/128",
    "1x2::",
    // a second "::" after a leading one
    "::1::2",
    // a trailing single colon after a full or an elided address
    "1:2:3:4:5:6:7:8:",
    "1::2:",
    // nine groups beside a "::": rejected before the elided zeros are counted (8 - 9 of them)
    "1::3:4:5:6:7:8:9:a",
    "1:2:3:4:5:6:7:8:9::",
    // junk
    "abc",
    "1234",
    "localhost",
    "pbx.example.com",
    "example",
  ])("rejects %j", (input) => {
    expect(parseIp(input)).toBeUndefined();
  });
});

describe("parsePrefix (Go netip.ParsePrefix)", () => {
  it.each([
    ["10.0.0.0/8", { family: 4, bits: 8, network: 0x0a000000 }],
    ["192.168.0.10/24", { family: 4, bits: 24, network: 0xc0a80000 }], // host bits allowed
    ["1.2.3.4/32", { family: 4, bits: 32, network: 0x01020304 }],
    ["1.2.3.4/0", { family: 4, bits: 0, network: 0 }],
    ["0.0.0.0/0", { family: 4, bits: 0, network: 0 }],
    ["2001:db8::/32", { family: 6, bits: 32, network: 0x20010db8n << 96n }],
    ["2001:db8::1/32", { family: 6, bits: 32, network: 0x20010db8n << 96n }],
    ["::/0", { family: 6, bits: 0, network: 0n }],
    ["::1/128", { family: 6, bits: 128, network: 1n }],
    ["::ffff:1.2.3.4/104", { family: 6, bits: 104, network: 0xffff01000000n }], // 4-in-6 is IPv6: 128 bits
  ])("parses %j", (input, expected) => {
    expect(parsePrefix(input)).toEqual(expected);
  });

  it.each([
    "1.2.3.4",
    "1.2.3.4/",
    "1.2.3.4/33",
    "1.2.3.4/033",
    "1.2.3.4/08",
    "1.2.3.4/00",
    "1.2.3.4/-1",
    "1.2.3.4/+8",
    "1.2.3.4/ 8",
    "1.2.3.4/8 ",
    "1.2.3.4/x",
    "1.2.3.4/8/8",
    "01.2.3.4/8",
    "::1/129",
    "::/0128",
    "fe80::1%eth0/64",
    "[::]/8",
    "/8",
    "host.example/8",
  ])("rejects %j", (input) => {
    expect(parsePrefix(input)).toBeUndefined();
  });

  it.each<[string, string, boolean]>([
    ["10.0.0.0/8", "10.255.1.2", true],
    ["10.0.0.0/8", "11.0.0.0", false],
    ["192.168.0.10/24", "192.168.0.200", true],
    ["0.0.0.0/0", "203.0.113.7", true],
    ["0.0.0.0/0", "::1", false],
    ["0.0.0.0/0", "::ffff:1.2.3.4", false],
    ["1.2.3.0/24", "::ffff:1.2.3.4", false],
    ["::/0", "1.2.3.4", false],
    ["::/0", "::ffff:1.2.3.4", true],
    ["::ffff:0:0/96", "::ffff:1.2.3.4", true],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["fe80::/10", "fe80::1%eth0", false], // a zoned address is in no prefix
    ["fe80::/10", "fe80::1", true],
  ])("%s contains %s: %s", (prefix, ip, expected) => {
    expect(prefixContains(parsePrefix(prefix)!, parseIp(ip)!)).toBe(expected);
  });
});

describe("isValidAddressMask (masks LiveKit silently drops)", () => {
  it.each([
    "1.2.3.4,5.6.7.8",
    "(1.2.3.4)",
    "1.2.3.4)",
    "+1.2.3.4",
    "*",
    "1.2.3.*",
    "1.2.3.4;",
    "1.2.3.4 5.6.7.8",
    " 1.2.3.4",
    "\t1.2.3.4",
    "1.2.3.4\r",
    "1.2.3.4\n",
    "sip://1.2.3.4",
    "https://pbx.example.com",
  ])("drops %j", (mask) => {
    expect(isValidAddressMask(mask)).toBe(false);
  });

  it.each(["1.2.3.4", "1.2.3.0/24", "[::]", "[::]/8", "2001:db8::1", "pbx.example.com", "sip:/x", "a:/b", "1.2.3.4/033", ""])(
    "keeps %j",
    (mask) => {
      expect(isValidAddressMask(mask)).toBe(true);
    },
  );
});

/** allowedAddresses as matching reads it; `ip` "" = the call has no source address. */
function allowed(masks: string[], ip: string, host: string, strict: boolean): boolean {
  const parsed = ip === "" ? undefined : parseIp(ip);
  if (ip !== "" && parsed === undefined) throw new Error(`bad test ip ${ip}`);
  return addressAllowed(compileAddressAllowlist(masks), parsed, host, strict);
}

describe("allowedAddresses matching", () => {
  // [masks, source ip, From host, LiveKit (default mode), strict]
  it.each<[string[], string, string, boolean, boolean]>([
    // empty list admits everyone
    [[], "1.2.3.4", "", true, true],
    [[], "", "", true, true],
    // IP entries
    [["1.2.3.4"], "1.2.3.4", "", true, true],
    [["1.2.3.4"], "1.2.3.5", "", false, false],
    [["01.2.3.4"], "1.2.3.4", "", false, false],
    [["1.2.3.4"], "::ffff:1.2.3.4", "", false, false],
    [["::ffff:1.2.3.4"], "1.2.3.4", "", false, false],
    [["2001:db8::1"], "2001:DB8:0:0:0:0:0:1", "", true, true],
    [["fe80::1%eth0"], "fe80::1%eth0", "", true, true],
    [["fe80::1%eth0"], "fe80::1", "", false, false],
    [["fe80::1"], "fe80::1%eth0", "", false, false],
    // the zone stays apart from the address: "::1" in zone "1" is not "::11"
    [["::11"], "::1%1", "", false, false],
    [["::1%1"], "::11", "", false, false],
    [["::1%1"], "::1%1", "", true, true],
    // CIDR entries
    [["1.2.3.0/24"], "1.2.3.200", "", true, true],
    [["1.2.3.10/24"], "1.2.3.200", "", true, true],
    [["1.2.4.0/24"], "1.2.3.4", "", false, false],
    [["0.0.0.0/0"], "203.0.113.7", "", true, true],
    [["0.0.0.0/0"], "2001:db8::1", "", false, false],
    [["0.0.0.0/0"], "::ffff:1.2.3.4", "", false, false],
    [["::/0"], "1.2.3.4", "", false, false],
    [["2001:db8::/32"], "2001:db8:1::5", "", true, true],
    [["fe80::/10"], "fe80::1%eth0", "", false, false],
    [["1.2.3.4/033"], "1.2.3.4", "", false, false],
    [["1.2.3.4/33"], "1.2.3.4", "", false, false],
    [["1.2.3.4/-1"], "1.2.3.4", "", false, false],
    // several IPv4 prefixes: each one is checked, not only the first or the last
    [["10.0.0.0/8", "192.168.0.0/16"], "10.1.2.3", "", true, true],
    [["10.0.0.0/8", "192.168.0.0/16"], "192.168.5.5", "", true, true],
    [["10.0.0.0/8", "192.168.0.0/16"], "172.16.0.1", "", false, false],
    [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], "192.168.5.5", "", true, true],
    [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], "172.31.255.255", "", true, true],
    [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], "172.32.0.1", "", false, false],
    // /31 and /32 prefixes
    [["1.2.3.4/32"], "1.2.3.4", "", true, true],
    [["1.2.3.4/32"], "1.2.3.5", "", false, false],
    [["1.2.3.4/31"], "1.2.3.5", "", true, true],
    [["1.2.3.4/31"], "1.2.3.6", "", false, false],
    // bracketed IPv6 is a valid mask but never an IP
    [["[2001:db8::1]"], "2001:db8::1", "", false, false],
    [["[2001:db8::1]/64"], "2001:db8::1", "", false, false],
    // invalid masks are dropped; a list with none left admits everyone (LiveKit), nobody (strict)
    [["1.2.3.4,5.6.7.8"], "9.9.9.9", "", true, false],
    [["1.2.3.4 "], "9.9.9.9", "", true, false],
    [["(1.2.3.4)"], "9.9.9.9", "", true, false],
    [["+1.2.3.4"], "9.9.9.9", "", true, false],
    [["*"], "9.9.9.9", "", true, false],
    [["1.2.3.4;"], "9.9.9.9", "", true, false],
    [["\t1.2.3.4"], "9.9.9.9", "", true, false],
    [["1.2.3.4\r\n"], "9.9.9.9", "", true, false],
    [["sip://1.2.3.4"], "9.9.9.9", "", true, false],
    [["1.2.3.4,5.6.7.8", "sip://x"], "9.9.9.9", "", true, false],
    // ... but a dropped entry never matches when a valid one remains
    [["1.2.3.4,5.6.7.8", "10.0.0.1"], "5.6.7.8", "", false, false],
    [["1.2.3.4,5.6.7.8", "10.0.0.1"], "10.0.0.1", "", true, true],
    // no source address: LiveKit bypasses the list, strict admits nobody
    [["1.2.3.4"], "", "", true, false],
    [["pbx.example.com"], "", "pbx.example.com", true, false],
    // From host (caller-controlled): LiveKit always trusts it; strict only without IP/CIDR entries
    [["pbx.example.com"], "9.9.9.9", "pbx.example.com", true, true],
    [["pbx.example.com"], "9.9.9.9", "PBX.example.com", false, false],
    [["pbx.example.com"], "9.9.9.9", "other.example.com", false, false],
    [["pbx.example.com", "1.2.3.4"], "9.9.9.9", "pbx.example.com", true, false],
    [["pbx.example.com", "10.0.0.0/8"], "9.9.9.9", "pbx.example.com", true, false],
    [["pbx.example.com", "1.2.3.4"], "1.2.3.4", "pbx.example.com", true, true],
    [["pbx.example.com", "1.2.3.4/32"], "9.9.9.9", "pbx.example.com", true, false],
    [["pbx.example.com", "2001:db8::1"], "9.9.9.9", "pbx.example.com", true, false],
    [["pbx.example.com", "2001:db8::/32"], "9.9.9.9", "pbx.example.com", true, false],
    [["1.2.3.4"], "9.9.9.9", "1.2.3.4", true, false],
    [["[::1]"], "9.9.9.9", "[::1]", true, true],
    [["pbx.example.com,x"], "9.9.9.9", "pbx.example.com,x", true, false], // dropped: bypass, not a host match
    // An empty entry equals an empty From host; with no IP entry beside it, strict point 2 lets it match too.
    [[""], "9.9.9.9", "", true, true],
    [["", "1.2.3.4"], "9.9.9.9", "", true, false],
    [[""], "9.9.9.9", "pbx", false, false],
  ])("%j from %j host %j: LiveKit %s, strict %s", (masks, ip, host, lk, strict) => {
    expect(allowed(masks, ip, host, false)).toBe(lk);
    expect(allowed(masks, ip, host, true)).toBe(strict);
  });
});

describe("allowedAddresses through resolveDispatch", () => {
  const rules = [rule({ sipDispatchRuleId: "SDR_1", rule: direct("lobby") })];
  const guarded = (allowedAddresses: string[]) => [trunk({ sipTrunkId: "ST_guarded", numbers: ["+15550100"], allowedAddresses })];
  const call = (sourceIp: string | undefined, host = "") => ({
    from: { user: "+15557777", host },
    to: "+15550100",
    ...(sourceIp === undefined ? {} : { sourceIp }),
  });

  it.each<[string, string[], string | undefined, string, string, string]>([
    // [case, masks, sourceIp, host, LiveKit trunkId, strict trunkId]
    ["listed IP", ["203.0.113.7"], "203.0.113.7", "", "ST_guarded", "ST_guarded"],
    ["unlisted IP", ["203.0.113.7"], "198.51.100.1", "", "", ""],
    ["no source IP (absent)", ["203.0.113.7"], undefined, "", "ST_guarded", ""],
    ["no source IP (empty)", ["203.0.113.7"], "", "", "ST_guarded", ""],
    ["all masks invalid", ["203.0.113.7, 203.0.113.8"], "198.51.100.1", "", "ST_guarded", ""],
    ["From host equals an IP entry", ["203.0.113.7"], "198.51.100.1", "203.0.113.7", "ST_guarded", ""],
    ["From host, host-only list", ["pbx.example.com"], "198.51.100.1", "pbx.example.com", "ST_guarded", "ST_guarded"],
  ])("%s", (_name, masks, sourceIp, host, lk, strict) => {
    expect(resolve(call(sourceIp, host), guarded(masks), rules).trunkId).toBe(lk);
    expect(resolve(call(sourceIp, host), guarded(masks), rules, { strict: true }).trunkId).toBe(strict);
  });

  it('a source address with nine groups beside "::" is invalid_source_ip, not a crash', () => {
    expect(resolve(call("1::3:4:5:6:7:8:9:a"), guarded(["1::/16"]), rules)).toMatchObject({
      result: "error",
      error: { code: "invalid_source_ip", message: 'invalid source IP address: "1::3:4:5:6:7:8:9:a"' },
    });
  });

  it("a filtered trunk is traced address_not_allowed and the call goes to default rules", () => {
    const result = expectResult(resolve(call("198.51.100.1"), guarded(["203.0.113.7"]), rules, { trace: true }), "accept");
    expect(result.trunkId).toBe("");
    expect(result.trace![0]).toMatchObject({ stage: "trunk", id: "ST_guarded", verdict: "skipped", reason: "address_not_allowed" });
  });
});
