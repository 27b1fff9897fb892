import { describe, expect, it } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import type { DispatchResolution, InboundCall, TraceEntry } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callee, deepFreeze, direct, individual, media, randomId, resolve, rule, trunk } from "../fixtures.js";

const brief = (trace: TraceEntry[] | undefined) => (trace ?? []).map((e) => `${e.stage}:${e.id}:${e.verdict}:${e.reason}`);

describe("trace reasons per outcome", () => {
  const main = trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"] });
  const fallback = trunk({ sipTrunkId: "ST_fallback" });
  const vip = trunk({ sipTrunkId: "ST_vip", numbers: ["+15550100"], allowedNumbers: ["+15559999"] });
  const trunks = [vip, fallback, main];

  it("accept", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_main", trunkIds: ["ST_main"], rule: callee("main") }),
      rule({ sipDispatchRuleId: "SDR_default", rule: direct("lobby") }),
      rule({ sipDispatchRuleId: "SDR_vip", trunkIds: ["ST_vip"], rule: direct("vip") }),
    ];
    const result = resolve({ from: "+15551111", to: "+15550100" }, trunks, rules, { trace: true });
    expect(result.result).toBe("accept");
    expect(brief(result.trace)).toEqual([
      "trunk:ST_fallback:outranked:default_outranked_by_specific",
      "trunk:ST_main:selected:selected_specific",
      "trunk:ST_vip:skipped:caller_not_allowed",
      "rule:SDR_default:outranked:specific_rule_won",
      "rule:SDR_main:selected:selected",
      "rule:SDR_vip:skipped:trunk_mismatch",
    ]);
  });

  it("request_pin", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_open", rule: direct("lobby") }),
      rule({ sipDispatchRuleId: "SDR_pin", rule: direct("secret", "2580") }),
    ];
    const result = resolve({ from: "+15551111", to: "+15550100" }, [main], rules, { trace: true });
    expect(result.result).toBe("request_pin");
    expect(brief(result.trace)).toEqual([
      "trunk:ST_main:selected:selected_specific",
      "rule:SDR_open:outranked:lower_priority",
      "rule:SDR_pin:selected:selected",
    ]);
  });

  it("drop, with no trunk matched", () => {
    const rules = [rule({ sipDispatchRuleId: "SDR_main", trunkIds: ["ST_main"] }), rule({ sipDispatchRuleId: "SDR_num", numbers: ["+1999"] })];
    const result = resolve({ from: "+15551111", to: "+15550199" }, [main, vip], rules, { trace: true });
    expect(result).toMatchObject({ result: "drop", trunkId: "", reason: "no_rule" });
    expect(brief(result.trace)).toEqual([
      "trunk:ST_main:skipped:number_mismatch",
      "trunk:ST_vip:skipped:caller_not_allowed",
      "rule:SDR_main:skipped:trunk_mismatch",
      "rule:SDR_num:skipped:number_mismatch",
    ]);
  });

  it("rule_conflict traces trunks and rules; invalid_rule traces trunks only; trunk conflicts trace trunks only", () => {
    const conflict = resolve({ from: "+1", to: "+15550100" }, [main], [rule({ sipDispatchRuleId: "SDR_1" }), rule({ sipDispatchRuleId: "SDR_2" })], { trace: true });
    expect(conflict.result).toBe("error");
    expect(brief(conflict.trace)).toEqual([
      "trunk:ST_main:selected:selected_specific",
      "rule:SDR_1:selected:selected",
      "rule:SDR_2:outranked:lower_priority",
    ]);
    const invalid = resolve({ from: "+1", to: "+15550100" }, [main], [rule({ sipDispatchRuleId: "SDR_1", rule: {} })], { trace: true });
    expect(brief(invalid.trace)).toEqual(["trunk:ST_main:selected:selected_specific"]);
    const trunkConflict = resolve({ from: "+15559999", to: "+15550100" }, trunks, [rule()], { trace: true });
    expect(trunkConflict).toMatchObject({ result: "error", error: { code: "trunk_conflict" } });
    expect(brief(trunkConflict.trace)).toEqual([
      "trunk:ST_fallback:outranked:default_outranked_by_specific",
      "trunk:ST_main:selected:selected_specific",
      "trunk:ST_vip:selected:selected_specific",
    ]);
  });

  it("without trace: true there is no trace key at all", () => {
    const calls: InboundCall[] = [
      { from: "+15551111", to: "+15550100" },
      { from: "+15559999", to: "+15550100" },
      { from: "+15551111", to: "+15550100", sourceIp: "bad" },
    ];
    for (const c of calls)
      for (const rules of [[rule()], [], [rule({ rule: {} })], [rule({ rule: direct("x", "1") })]]) {
        expect("trace" in resolve(c, trunks, rules)).toBe(false);
        expect("trace" in resolve(c, trunks, rules, { trace: false })).toBe(false);
      }
  });

  it("every entry carries stage, id, verdict, reason (and detail only as a string)", () => {
    const rules = [rule({ sipDispatchRuleId: "SDR_1", inboundNumbers: ["+1"] }), rule({ sipDispatchRuleId: "SDR_2" })];
    const result = resolve({ from: "+15551111", to: "+15550100" }, trunks, rules, { trace: true });
    for (const entry of result.trace!) {
      expect(Object.keys(entry).sort()).toEqual(entry.detail === undefined ? ["id", "reason", "stage", "verdict"] : ["detail", "id", "reason", "stage", "verdict"]);
      if (entry.detail !== undefined) expect(typeof entry.detail).toBe("string");
    }
  });
});

describe("a pin never appears in a resolution", () => {
  const PINS = ["*7319*", "A8D8C", "4815162342", "99887766554433221"];
  const trunks = [trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"] }), trunk({ sipTrunkId: "ST_other", numbers: ["+15550200"] })];
  const configs = [
    // pin rules of every kind, an open rule and a personal room
    [
      rule({ sipDispatchRuleId: "SDR_d", rule: direct("conf", PINS[0]) }),
      rule({ sipDispatchRuleId: "SDR_i", rule: individual("club", { pin: PINS[1] }), trunkIds: ["ST_main"] }),
      rule({ sipDispatchRuleId: "SDR_c", rule: callee("desk", { pin: PINS[2], randomize: true }), numbers: ["+15550100"] }),
      rule({ sipDispatchRuleId: "SDR_long", rule: direct("vault", PINS[3]), inboundNumbers: ["+15551111"] }),
      rule({ sipDispatchRuleId: "SDR_open", rule: direct("lobby") }),
    ],
    // a conflict between pin rules
    [
      rule({ sipDispatchRuleId: "SDR_a", name: "A", rule: direct("a", PINS[0]) }),
      rule({ sipDispatchRuleId: "SDR_b", name: "B", rule: callee("b", { pin: PINS[0] }) }),
    ],
    // a kind-less rule beside pin rules
    [rule({ sipDispatchRuleId: "SDR_a", rule: direct("a", PINS[1]) }), rule({ sipDispatchRuleId: "SDR_z", rule: {} })],
  ];
  const pinFields: Partial<InboundCall>[] = [
    {},
    { noPin: true },
    ...PINS.map((pin) => ({ pin })),
    { pin: "*7318*" },
    { pin: PINS[0], noPin: true },
  ];
  const callers = ["+15551111", "+15552222"];

  it.each(configs.map((rules, i) => [i, rules] as const))("config %i, every call, trace on and off, strict on and off", (_i, rules) => {
    const seen = new Set<string>();
    for (const from of callers)
      for (const to of ["+15550100", "+15550200", "+15550300"])
        for (const fields of pinFields)
          for (const trace of [true, false])
            for (const strict of [true, false]) {
              const c: InboundCall = { from, to, ...fields };
              const text = JSON.stringify(resolve(c, trunks, rules, { trace, strict }));
              seen.add(JSON.parse(text).result);
              for (const pin of [...PINS, "*7318*"]) expect(text).not.toContain(pin);
            }
    expect(seen.size).toBeGreaterThan(0);
  });

  it("covers accept, request_pin, drop and error", () => {
    const results = new Set<string>();
    for (const rules of configs)
      for (const fields of pinFields) results.add(resolve({ from: "+15551111", to: "+15550100", ...fields }, trunks, rules).result);
    expect([...results].sort()).toEqual(["accept", "drop", "error", "request_pin"]);
  });
});

describe("argument checks (programmer errors throw TypeError)", () => {
  const bad: [string, () => unknown][] = [
    ["call is a number", () => resolveDispatch(42 as never, [], [])],
    ["call is null", () => resolveDispatch(null as never, [], [])],
    ["from missing", () => resolveDispatch({ to: "+1" } as never, [], [])],
    ["from is a number", () => resolveDispatch({ from: 1, to: "+1" } as never, [], [])],
    ["to host is a number", () => resolveDispatch({ from: "+1", to: { user: "+1", host: 1 } } as never, [], [])],
    ["pin is a number", () => resolveDispatch({ from: "+1", to: "+1", pin: 1234 } as never, [], [])],
    ["noPin is a string", () => resolveDispatch({ from: "+1", to: "+1", noPin: "yes" } as never, [], [])],
    ["headers is an array", () => resolveDispatch({ from: "+1", to: "+1", headers: [] } as never, [], [])],
    ["trunks is not an array", () => resolveDispatch({ from: "+1", to: "+1" }, {} as never, [])],
    ["rules is not an array", () => resolveDispatch({ from: "+1", to: "+1" }, [], "x" as never)],
    ["a trunk is null", () => resolveDispatch({ from: "+1", to: "+1" }, [null] as never, [])],
    ["compileDispatch without arrays", () => compileDispatch(undefined as never, [])],
    ["compiled resolve with a bad call", () => compileDispatch([], []).resolve("call" as never)],
  ];
  it.each(bad)("%s", (_name, fn) => {
    expect(fn).toThrow(TypeError);
  });
});

describe("hand-built trunks and rules of the wrong shape: a TypeError naming the model and the field", () => {
  const call = { from: "+15551111", to: "+15550100" };
  const trunkCases: [Record<string, unknown>, string][] = [
    [{ sipTrunkId: 7 }, "inbound trunk: sipTrunkId must be a string, got a number"],
    [{ numbers: "+1" }, 'inbound trunk "ST_x": numbers must be an array of strings, got a string'],
    [{ allowedNumbers: [1] }, 'inbound trunk "ST_x": allowedNumbers must be an array of strings, got a number in it'],
    [{ allowedAddresses: null }, 'inbound trunk "ST_x": allowedAddresses must be an array of strings, got null'],
    [{ headers: [] }, 'inbound trunk "ST_x": headers must be an object of strings, got an array'],
    [{ headersToAttributes: { "X-A": 1 } }, 'inbound trunk "ST_x": headersToAttributes["X-A"] must be a string, got a number'],
    [{ attributesToHeaders: "a" }, 'inbound trunk "ST_x": attributesToHeaders must be an object of strings, got a string'],
    [{ includeHeaders: 1 }, 'inbound trunk "ST_x": includeHeaders must be a string, got a number'],
    [{ ringingTimeout: 30 }, 'inbound trunk "ST_x": ringingTimeout must be a string, got a number'],
    [{ maxCallDuration: false }, 'inbound trunk "ST_x": maxCallDuration must be a string, got a boolean'],
    [{ media: "none" }, 'inbound trunk "ST_x": media must be an object, got a string'],
  ];
  const ruleCases: [Record<string, unknown>, string][] = [
    [{ sipDispatchRuleId: 7 }, "dispatch rule: sipDispatchRuleId must be a string, got a number"],
    [{ rule: "direct" }, 'dispatch rule "SDR_x": rule must be an object, got a string'],
    [{ rule: { dispatchRuleDirect: [] } }, 'dispatch rule "SDR_x": rule.dispatchRuleDirect must be an object, got an array'],
    [{ rule: { dispatchRuleDirect: { roomName: "r", pin: 1 } } }, 'dispatch rule "SDR_x": rule.dispatchRuleDirect.pin must be a string, got a number'],
    [{ rule: { dispatchRuleDirect: { roomName: 1, pin: "" } } }, 'dispatch rule "SDR_x": rule.dispatchRuleDirect.roomName must be a string, got a number'],
    [{ rule: { dispatchRuleIndividual: { roomPrefix: null, pin: "" } } }, 'dispatch rule "SDR_x": rule.dispatchRuleIndividual.roomPrefix must be a string, got null'],
    [{ rule: { dispatchRuleCallee: 1 } }, 'dispatch rule "SDR_x": rule.dispatchRuleCallee must be an object, got a number'],
    [{ trunkIds: "ST_a" }, 'dispatch rule "SDR_x": trunkIds must be an array of strings, got a string'],
    [{ inboundNumbers: [true] }, 'dispatch rule "SDR_x": inboundNumbers must be an array of strings, got a boolean in it'],
    [{ numbers: {} }, 'dispatch rule "SDR_x": numbers must be an array of strings, got an object'],
    [{ name: 1 }, 'dispatch rule "SDR_x": name must be a string, got a number'],
    [{ metadata: {} }, 'dispatch rule "SDR_x": metadata must be a string, got an object'],
    [{ roomPreset: [] }, 'dispatch rule "SDR_x": roomPreset must be a string, got an array'],
    [{ attributes: { tier: 1 } }, 'dispatch rule "SDR_x": attributes["tier"] must be a string, got a number'],
    [{ media: 1 }, 'dispatch rule "SDR_x": media must be an object, got a number'],
    [{ roomConfig: "big" }, 'dispatch rule "SDR_x": roomConfig must be an object, got a string'],
  ];
  it.each(trunkCases)("trunk %j", (fields, message) => {
    const bad = { ...trunk({ sipTrunkId: "ST_x" }), ...fields } as never;
    expect(() => resolveDispatch(call, [bad], [])).toThrow(new TypeError(message));
    expect(() => compileDispatch([bad], [])).toThrow(new TypeError(message));
  });
  it.each(ruleCases)("rule %j", (fields, message) => {
    const bad = { ...rule({ sipDispatchRuleId: "SDR_x" }), ...fields } as never;
    expect(() => resolveDispatch(call, [], [bad])).toThrow(new TypeError(message));
    expect(() => compileDispatch([], [bad])).toThrow(new TypeError(message));
  });
});

describe("purity", () => {
  it("frozen inputs (with legacy media that LiveKit upgrades in place) resolve without being touched", () => {
    const trunks = deepFreeze([
      trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"], mediaEncryption: "SIP_MEDIA_ENCRYPT_REQUIRE", headersToAttributes: { "X-A": "a" } }),
    ]);
    const rules = deepFreeze([
      rule({ sipDispatchRuleId: "SDR_1", mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW", attributes: { k: "v" }, rule: individual("p") }),
    ]);
    const c = deepFreeze({ from: "+15551111", to: "+15550100", headers: { "X-A": "1" }, extraAttributes: { e: "1" } });
    const before = JSON.stringify([trunks, rules, c]);
    const result = resolve(c, trunks, rules, { trace: true });
    expect(result).toMatchObject({ result: "accept", mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW" });
    expect(compileDispatch(trunks, rules).resolve(c, { randomId, trace: true })).toEqual(result);
    expect(JSON.stringify([trunks, rules, c])).toBe(before);
  });

  it("changing a result never changes the configuration or a later result", () => {
    const trunks = [trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"], media: media({ codecs: [{ name: "PCMU", rate: 8000 }] }), headers: { h: "1" } })];
    const rules = [rule({ sipDispatchRuleId: "SDR_1", attributes: { k: "v" } })];
    const dispatcher = compileDispatch(trunks, rules);
    const first = dispatcher.resolve({ from: "+1", to: "+15550100" }, { randomId });
    if (first.result !== "accept") throw new Error("expected accept");
    // Parts of a result may be shared and frozen; writing to them must then throw, never leak.
    const attempt = (write: () => void) => {
      try {
        write();
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
      }
    };
    attempt(() => (first.participant.attributes.k = "changed"));
    attempt(() => (first.media.codecs[0]!.rate = 1));
    attempt(() => (first.trunk!.headers.h = "changed"));
    const second = dispatcher.resolve({ from: "+1", to: "+15550100" }, { randomId });
    expect(second).toMatchObject({ participant: { attributes: { k: "v" } }, media: { codecs: [{ rate: 8000 }] }, trunk: { headers: { h: "1" } } });
    expect(rules[0]!.attributes.k).toBe("v");
    expect(trunks[0]!.media!.codecs[0]!.rate).toBe(8000);
  });
});

describe("compileDispatch matches resolveDispatch on a fixed configuration", () => {
  const trunks = [
    trunk({ sipTrunkId: "ST_main", numbers: ["+15550100", "+15550101"] }),
    trunk({ sipTrunkId: "ST_vip", numbers: ["15550100"], allowedNumbers: ["+15559999"] }),
    trunk({ sipTrunkId: "ST_office", allowedAddresses: ["10.0.0.0/8", "pbx.example.com"] }),
    trunk({ sipTrunkId: "ST_bad", numbers: ["+15550300"], allowedAddresses: ["1.2.3.4,5.6.7.8"] }),
  ];
  const rules = [
    rule({ sipDispatchRuleId: "SDR_main", trunkIds: ["ST_main"], rule: callee("main") }),
    rule({ sipDispatchRuleId: "SDR_vip", trunkIds: ["ST_vip"], rule: direct("vip", "1234") }),
    rule({ sipDispatchRuleId: "SDR_personal", inboundNumbers: ["+15551111"], rule: individual("me", { noRandomness: true }) }),
    rule({ sipDispatchRuleId: "SDR_open", rule: direct("lobby") }),
    rule({ sipDispatchRuleId: "SDR_bad1", trunkIds: ["ST_bad"] }),
    rule({ sipDispatchRuleId: "SDR_bad2", trunkIds: ["ST_bad"] }),
  ];
  const calls: InboundCall[] = [
    { from: "+15551111", to: "+15550100" },
    { from: "+15559999", to: "+15550100" },
    { from: "+15559999", to: "+15550100", trunkId: "ST_vip" },
    { from: "+15559999", to: "+15550100", trunkId: "ST_vip", pin: "1234" },
    { from: { user: "+15552222", host: "pbx.example.com" }, to: "+15550999", sourceIp: "203.0.113.1" },
    { from: "+15552222", to: "+15550999", sourceIp: "10.1.1.1" },
    { from: "+15552222", to: "+15550999", sourceIp: "203.0.113.1" },
    { from: "+15552222", to: "+15550300", sourceIp: "203.0.113.1" },
    { from: "+15552222", to: "+15550300", sourceIp: "not-an-ip" },
    { from: "+15552222", to: "+15550101", noPin: true },
  ];
  it.each(calls.map((c) => [JSON.stringify(c), c] as const))("%s", (_name, c) => {
    const dispatcher = compileDispatch(trunks, rules);
    for (const options of [{ randomId }, { randomId, trace: true }, { randomId, strict: true }, { randomId, trace: true, strict: true }]) {
      const expected: DispatchResolution = resolveDispatch(c, trunks, rules, options);
      expect(dispatcher.resolve(c, options)).toEqual(expected);
      // and again, from the dispatcher's caches
      expect(dispatcher.resolve(c, options)).toEqual(expected);
    }
  });
});

describe("the trace is built when first read", () => {
  it("is an accessor until read, then a plain array property, and keeps nothing else behind", () => {
    const rules = [rule({ sipDispatchRuleId: "SDR_a", rule: direct("lobby") })];
    for (const result of [
      resolveDispatch({ from: "+15550100", to: "+15550199" }, [], rules, { trace: true, randomId }),
      compileDispatch([], rules).resolve({ from: "+15550100", to: "+15550199" }, { trace: true, randomId }),
    ]) {
      expect(typeof Object.getOwnPropertyDescriptor(result, "trace")?.get).toBe("function");
      const trace = result.trace;
      expect(trace).toEqual([{ stage: "rule", id: "SDR_a", verdict: "selected", reason: "selected" }]);
      expect(Object.getOwnPropertyDescriptor(result, "trace")).toEqual({ value: trace, writable: true, enumerable: true, configurable: true });
      // The builder held the prepared configuration; once the trace exists nothing keeps it alive.
      expect(Object.getOwnPropertySymbols(result)).toEqual([]);
      result.trace = undefined;
      expect(result.trace).toBeUndefined();
    }
  });
});

describe("a compiled dispatcher is a snapshot", () => {
  it("never sees later changes to the arrays and maps it was built from", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_a", rule: direct("lobby"), trunkIds: ["ST_a"], inboundNumbers: ["+15550100"], attributes: { tier: "gold" } }),
    ];
    const trunks = [trunk({ sipTrunkId: "ST_a", numbers: ["+15550199"], allowedAddresses: ["203.0.113.0/24"], headers: { "X-A": "1" } })];
    const call: InboundCall = { from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7", callId: "SCL_x" };
    const dispatcher = compileDispatch(trunks, rules);
    const before = dispatcher.resolve(call, { trace: true, randomId });
    const expected = JSON.parse(JSON.stringify(before));
    rules[0]!.attributes.tier = "CHANGED";
    rules[0]!.inboundNumbers[0] = "+19999999";
    rules[0]!.trunkIds[0] = "ST_other";
    trunks[0]!.numbers[0] = "+10000000";
    trunks[0]!.allowedAddresses[0] = "192.0.2.1";
    trunks[0]!.headers["X-A"] = "2";
    expect(JSON.parse(JSON.stringify(dispatcher.resolve(call, { trace: true, randomId })))).toEqual(expected);
    expect(expected.result).toBe("accept");
  });

  it("lets a frozen result's trace be read, again and again", () => {
    const result = Object.freeze(resolveDispatch({ from: "+15550100", to: "+15550199" }, [], [rule({ sipDispatchRuleId: "SDR_a" })], { trace: true, randomId }));
    const trace = result.trace;
    expect(trace).toEqual([{ stage: "rule", id: "SDR_a", verdict: "selected", reason: "selected" }]);
    expect(result.trace).toBe(trace);
  });
});
