// Hostile input (issue 6, item 4): anything a caller, a config file or a plain-JS programmer can
// send. Parsers never throw; the other entry points throw only their own TypeError naming what
// they expected; prototype keys stay data; frozen inputs are never written; megabyte strings and
// 10,000-entry maps resolve in linear time; no regular expression backtracks catastrophically;
// and a pin never shows up in a trace, an error or a message.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  applyDispatchRuleUpdate,
  applyInboundTrunkUpdate,
  applyListUpdate,
  compileDispatch,
  createDispatchStore,
  dispatchRuleToJson,
  inboundTrunkToJson,
  normalizeNumber,
  parseDispatchRule,
  parseDispatchRuleUpdate,
  parseInboundTrunk,
  parseInboundTrunkUpdate,
  replaceDispatchRule,
  replaceInboundTrunk,
  resolveDispatch,
  validateDispatchRule,
  validateHeaderName,
  validateHeaderValue,
  validateInboundTrunk,
  validateMediaConfig,
  type DispatchResolution,
  type InboundCall,
  type ResolveOptions,
  type Result,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
} from "../src/index.js";
import { lintDispatch } from "../src/lint/lint.js";
import { arbDispatchRule, arbDispatchRuleUpdate, arbInboundTrunk, arbInboundTrunkUpdate } from "./arbitraries-models.js";
import { callArb, configArb, optionsArb, wildPools } from "./arbitraries.js";
import { callee, deepFreeze, direct, individual, randomId, rule, trunk } from "./fixtures.js";

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** fc.anything with every kind of value fast-check can make. */
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  maxDepth: 4,
});

/** Field names of the models, both spellings, so that `anything` reaches the decoder's depths. */
const RULE_KEYS = [
  "sipDispatchRuleId", "rule", "trunkIds", "trunk_ids", "hidePhoneNumber", "inboundNumbers", "numbers", "name", "metadata",
  "attributes", "roomPreset", "roomConfig", "room_config", "media", "krispEnabled", "mediaEncryption", "createdAt", "updatedAt",
  "dispatchRule", "dispatch_rule", "dispatchRuleDirect", "dispatchRuleIndividual", "dispatchRuleCallee", "roomName", "roomPrefix",
  "pin", "tags", "agents", "egress", "codecs", "mediaTimeout", "emptyTimeout", "toJson",
];
const TRUNK_KEYS = [
  "sipTrunkId", "trunk", "numbers", "allowedAddresses", "allowed_addresses", "allowedNumbers", "authUsername", "authPassword",
  "headers", "headersToAttributes", "attributesToHeaders", "includeHeaders", "ringingTimeout", "maxCallDuration", "krispEnabled",
  "mediaEncryption", "media", "kind", "inboundAddresses", "inboundNumbersRegex", "outboundNumber", "transport", "set", "add",
  "remove", "clear",
];

/** An object whose keys are model field names and whose values are anything at all. */
const fieldsOf = (keys: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(fc.constantFrom(...keys), anything, { maxKeys: 5 });

/** Any value, or an object of model field names holding any values, or one nested in another. */
const hostile = (keys: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    anything,
    fieldsOf(keys),
    fc.tuple(fc.constantFrom(...keys), fieldsOf(keys)).map(([key, inner]) => ({ [key]: inner })),
  );

/**
 * A value that is a Result: `{ ok: true, value }` or `{ ok: false, error: { code, message, issues? } }`.
 * `serializable`: the parsers return plain JSON data; functions that return their argument may not.
 */
function expectResult(result: unknown, serializable = false): asserts result is Result<unknown> {
  const r = result as Result<unknown>;
  const wellFormed =
    typeof r === "object" &&
    r !== null &&
    (r.ok === true
      ? "value" in r
      : r.ok === false &&
        typeof r.error.code === "string" &&
        typeof r.error.message === "string" &&
        (r.error.issues === undefined ||
          (Array.isArray(r.error.issues) &&
            r.error.issues.every(
              (issue) =>
                typeof issue.message === "string" &&
                typeof issue.code === "string" &&
                Array.isArray(issue.path) &&
                issue.path.every((step) => typeof step === "string" || typeof step === "number"),
            ))));
  expect(wellFormed, `not a Result: ${String(result)}`).toBe(true);
  if (serializable) expect(() => JSON.stringify(r)).not.toThrow();
}

/**
 * Runs `fn` with plain-JS garbage: it returns (and `check` inspects the value), or throws a
 * TypeError of its own, whose message starts with the function's name and says what it expected.
 * Anything else thrown (a TypeError from deep inside, a RangeError, a DataCloneError) fails.
 */
function returnsOrOwnTypeError(name: string, fn: () => unknown, check: (value: unknown) => void = () => {}): void {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    expect(error, `${name} threw ${String(error)}`).toBeInstanceOf(TypeError);
    const message = (error as TypeError).message;
    // The resolvers name the argument instead: "call.from must be a string or { user: string; host?: string }".
    const own = message.startsWith(`${name}:`) || message.startsWith(`${name} `) || (name === "resolveDispatch" && message.startsWith("call."));
    expect(own, `${name} threw a foreign TypeError: ${message}`).toBe(true);
    expect(message).toMatch(/must be|expect/);
    return;
  }
  check(value);
}

/** Both resolvers, which must agree. */
function resolveBoth(
  call: InboundCall,
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
  options: ResolveOptions = {},
): DispatchResolution {
  const linear = resolveDispatch(call, trunks, rules, { randomId, ...options });
  const compiled = compileDispatch(trunks, rules).resolve(call, { randomId, ...options });
  expect(compiled).toEqual(linear);
  return linear;
}

// The state of Object.prototype, to prove that nothing was polluted.
const prototypeSnapshot = (): string =>
  JSON.stringify(
    Reflect.ownKeys(Object.prototype).map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, key)!;
      return [String(key), typeof descriptor.value, descriptor.get === undefined ? "" : "get"];
    }),
  );
const PROTOTYPE_BEFORE = prototypeSnapshot();
function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.toString).toBe(Object.prototype.toString);
  expect(prototypeSnapshot()).toBe(PROTOTYPE_BEFORE);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

// ---------------------------------------------------------------------------------------------
// 1. Anything into every parser

describe("fc.anything() into the parsers", () => {
  const parsers = [
    ["parseDispatchRule", parseDispatchRule, RULE_KEYS],
    ["parseInboundTrunk", parseInboundTrunk, TRUNK_KEYS],
    ["parseDispatchRuleUpdate", parseDispatchRuleUpdate, RULE_KEYS],
    ["parseInboundTrunkUpdate", parseInboundTrunkUpdate, TRUNK_KEYS],
  ] as const;

  for (const [name, parse, keys] of parsers) {
    test(`${name} never throws and always returns a Result`, () => {
      fc.assert(
        fc.property(hostile(keys), (input) => {
          const result = parse(input);
          expectResult(result, true);
          // Whatever it accepted is a plain JSON object.
          if (result.ok) expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
        }),
        { numRuns: 400 },
      );
      expectNoPollution();
    });
  }

  test("inputs that fight back: throwing getters and toJson, revoked proxies, cycles, deep nesting", () => {
    const throwingGetter = Object.defineProperty({}, "name", { enumerable: true, get: () => { throw new Error("boom"); } });
    const throwingToJson = { toJson: () => { throw new RangeError("nope"); } };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.roomConfig = { egress: { self: cyclic } };
    cyclic.roomConfig = { egress: { a: {} } };
    (cyclic.roomConfig as { egress: { a: Record<string, unknown> } }).egress.a.loop = (cyclic.roomConfig as { egress: unknown }).egress;
    let deep: Record<string, unknown> = {};
    const deepRoot = { roomConfig: { egress: deep } };
    for (let i = 0; i < 10_000; i++) deep = deep.x = {};
    const nestedArrays = { trunkIds: JSON.parse("[".repeat(5000) + "]".repeat(5000)) };
    const hugeArray = { trunkIds: new Array(20_000) }; // 20,000 holes: 20,000 issues
    for (const input of [throwingGetter, throwingToJson, proxy, cyclic, deepRoot, nestedArrays, hugeArray, { rule: proxy }, { toJson: 1 }]) {
      for (const parse of [parseDispatchRule, parseInboundTrunk, parseDispatchRuleUpdate, parseInboundTrunkUpdate]) {
        const result = parse(input);
        expectResult(result, true);
        expect(result.ok).toBe(false);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Plain-JS misuse of the other entry points: a Result, or our own TypeError

describe("plain-JS misuse: a Result or a TypeError that says what was expected", () => {
  test("validateDispatchRule, validateInboundTrunk, validateMediaConfig", () => {
    fc.assert(
      fc.property(hostile(RULE_KEYS), hostile(TRUNK_KEYS), (rule, trunk) => {
        returnsOrOwnTypeError("validateDispatchRule", () => validateDispatchRule(rule as SIPDispatchRuleInfo), expectResult);
        returnsOrOwnTypeError("validateInboundTrunk", () => validateInboundTrunk(trunk as SIPInboundTrunkInfo), expectResult);
        returnsOrOwnTypeError("validateMediaConfig", () => validateMediaConfig(rule as never), expectResult);
      }),
      { numRuns: 400 },
    );
  });

  test("validateInboundTrunk with wrongly typed header maps and values", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("headers", "headersToAttributes", "attributesToHeaders", "media", "numbers", "allowedAddresses"),
        fc.oneof(anything, fc.dictionary(fc.string({ maxLength: 4 }), anything, { maxKeys: 3 })),
        (field, value) => {
          returnsOrOwnTypeError("validateInboundTrunk", () => validateInboundTrunk({ ...trunk({ sipTrunkId: "" }), [field]: value }), expectResult);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("applyListUpdate", () => {
    fc.assert(
      fc.property(anything, hostile(["set", "add", "remove", "clear"]), (list, update) => {
        returnsOrOwnTypeError("applyListUpdate", () => applyListUpdate(list as string[], update as never), expectResult);
        returnsOrOwnTypeError("applyListUpdate", () => applyListUpdate(["a"], update as never), expectResult);
      }),
      { numRuns: 300 },
    );
  });

  test("update and replace functions", () => {
    fc.assert(
      fc.property(hostile(RULE_KEYS), hostile(TRUNK_KEYS), fc.boolean(), (a, b, wellFormedFirst) => {
        const r = wellFormedFirst ? rule() : (a as SIPDispatchRuleInfo);
        const t = wellFormedFirst ? trunk() : (b as SIPInboundTrunkInfo);
        returnsOrOwnTypeError("applyDispatchRuleUpdate", () => applyDispatchRuleUpdate(r, a as never), expectResult);
        returnsOrOwnTypeError("applyInboundTrunkUpdate", () => applyInboundTrunkUpdate(t, b as never), expectResult);
        returnsOrOwnTypeError("replaceDispatchRule", () => replaceDispatchRule(r, a as SIPDispatchRuleInfo), expectResult);
        returnsOrOwnTypeError("replaceInboundTrunk", () => replaceInboundTrunk(t, b as SIPInboundTrunkInfo), expectResult);
      }),
      { numRuns: 300 },
    );
  });

  test("functions, symbols and WeakMaps inside a model: our TypeError, never a DataCloneError", () => {
    const uncopyable = [() => 1, Symbol("s"), new WeakMap()];
    for (const value of uncopyable) {
      const r = { ...rule(), extra: value } as SIPDispatchRuleInfo;
      const t = { ...trunk(), extra: value } as SIPInboundTrunkInfo;
      const nested = { attributes: {}, rule: { dispatchRuleDirect: { roomName: "a", pin: "", extra: value } } } as never;
      returnsOrOwnTypeError("applyDispatchRuleUpdate", () => applyDispatchRuleUpdate(r, { attributes: {} }), expectResult);
      returnsOrOwnTypeError("applyDispatchRuleUpdate", () => applyDispatchRuleUpdate(rule(), nested), expectResult);
      returnsOrOwnTypeError("replaceDispatchRule", () => replaceDispatchRule(rule(), r), expectResult);
      returnsOrOwnTypeError("applyInboundTrunkUpdate", () => applyInboundTrunkUpdate(t, {}), expectResult);
      returnsOrOwnTypeError("replaceInboundTrunk", () => replaceInboundTrunk(trunk(), t), expectResult);
      returnsOrOwnTypeError("createDispatchRule", () => createDispatchStore().createDispatchRule({ ...r, sipDispatchRuleId: "" }), expectResult);
      returnsOrOwnTypeError("createInboundTrunk", () => createDispatchStore().createInboundTrunk({ ...t, sipTrunkId: "" }), expectResult);
      // Where a known field holds one, the message names the field.
      expect(() => applyDispatchRuleUpdate({ ...rule(), roomConfig: { egress: { f: value } } } as never, { attributes: {} })).toThrow(
        /^applyDispatchRuleUpdate: rule must be a SIPDispatchRuleInfo object: RoomConfiguration\.egress\.f: expected/,
      );
    }
    expect(() => validateInboundTrunk({ ...trunk(), headers: { "X-A": 5 as never } })).toThrow(
      'validateInboundTrunk: trunk must be a SIPInboundTrunkInfo object: SIPInboundTrunkInfo.headers["X-A"]: expected a string, got the number 5',
    );
    // A model's types have no null (only protojson input reads null as absent).
    for (const [field, value] of [["numbers", null], ["media", null], ["media", { codecs: null }], ["rule", { dispatchRuleDirect: null }]] as const) {
      returnsOrOwnTypeError("createDispatchRule", () => createDispatchStore().createDispatchRule({ ...rule({ sipDispatchRuleId: "" }), [field]: value } as never), expectResult);
      returnsOrOwnTypeError("applyDispatchRuleUpdate", () => applyDispatchRuleUpdate(rule(), { attributes: {}, [field]: value } as never), expectResult);
    }
    expect(() => validateDispatchRule({ ...rule(), numbers: null as never })).toThrow(
      "validateDispatchRule: rule must be a SIPDispatchRuleInfo object: SIPDispatchRuleInfo.numbers: expected an array, got null",
    );
    // A model is read by its camelCase names: a snake_case twin does not hide a wrong camelCase field.
    expect(() => applyDispatchRuleUpdate(rule(), { attributes: {}, trunk_ids: {}, trunkIds: 5 } as never)).toThrow(
      "applyDispatchRuleUpdate: update must be a SIPDispatchRuleUpdate object: SIPDispatchRuleUpdate.trunkIds: expected a ListUpdate object, got the number 5",
    );
    expect(() => applyListUpdate([], { set: "a" as never, add: [], remove: [], clear: false })).toThrow(
      "applyListUpdate: update must be a ListUpdate object: ListUpdate.set: expected an array, got a string",
    );
  });

  test("the store's operations", () => {
    let store = createDispatchStore({ randomId: () => "ID" });
    const created = store.createDispatchRule({ ...rule(), sipDispatchRuleId: "" });
    if (created.ok) store = created.value.store;
    fc.assert(
      fc.property(hostile(RULE_KEYS), hostile(TRUNK_KEYS), (a, b) => {
        returnsOrOwnTypeError("createDispatchRule", () => store.createDispatchRule(a as SIPDispatchRuleInfo), expectResult);
        returnsOrOwnTypeError("createInboundTrunk", () => store.createInboundTrunk(b as SIPInboundTrunkInfo), expectResult);
        returnsOrOwnTypeError("updateDispatchRule", () => store.updateDispatchRule("SDR_ID", a as never), expectResult);
        returnsOrOwnTypeError("replaceDispatchRule", () => store.replaceDispatchRule("SDR_ID", a as SIPDispatchRuleInfo), expectResult);
      }),
      { numRuns: 200 },
    );
  });

  test("lintDispatch never throws on malformed models; LiveKit's JSON in their place is its own TypeError naming the parse function", () => {
    fc.assert(
      fc.property(anything, fc.array(hostile(TRUNK_KEYS), { maxLength: 3 }), fc.array(hostile(RULE_KEYS), { maxLength: 3 }), (raw, trunks, rules) => {
        for (const config of [raw, { trunks, rules }, { trunks: raw, rules: raw }]) {
          let findings: unknown;
          try {
            findings = lintDispatch(config as never);
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
            expect((error as Error).message).toMatch(/^lintDispatch: (trunks|rules)\[\d+\] must be .* Read LiveKit's JSON with (parseInboundTrunk|parseDispatchRule) /);
            continue;
          }
          expect(Array.isArray(findings)).toBe(true);
          expect(() => JSON.stringify(findings)).not.toThrow();
        }
      }),
      { numRuns: 200 },
    );
  });

  test("resolveDispatch, compileDispatch, normalizeNumber, toJson and header checks with wrong argument types", () => {
    fc.assert(
      fc.property(anything, fc.record({ from: anything, to: anything }, { requiredKeys: [] }), (value, party) => {
        returnsOrOwnTypeError("resolveDispatch", () => resolveDispatch(value as InboundCall, [], []));
        returnsOrOwnTypeError("resolveDispatch", () => resolveDispatch({ from: "1", to: "2" }, value as never, []));
        returnsOrOwnTypeError("resolveDispatch", () => resolveDispatch({ from: "1", to: "2" }, [], [value] as never));
        // call fields are named in the message: "call.from must be ..."
        try {
          resolveDispatch(party as InboundCall, [], []);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/^(resolveDispatch: )?call(\.\w+)? must be/);
        }
        returnsOrOwnTypeError("compileDispatch", () => compileDispatch(value as never, []));
        returnsOrOwnTypeError("normalizeNumber", () => normalizeNumber(value as string), (out) => expect(typeof out).toBe("string"));
        returnsOrOwnTypeError("dispatchRuleToJson", () => dispatchRuleToJson(value as SIPDispatchRuleInfo));
        returnsOrOwnTypeError("inboundTrunkToJson", () => inboundTrunkToJson(value as SIPInboundTrunkInfo));
        returnsOrOwnTypeError("validateHeaderName", () => validateHeaderName(value as string), expectResult);
        returnsOrOwnTypeError("validateHeaderValue", () => validateHeaderValue("X-A", value as string), expectResult);
      }),
      { numRuns: 300 },
    );
  });
});

describe("hand-built models of the wrong shape", () => {
  // Only plain JS can pass these; the engine names the model and field instead of crashing deep
  // inside, or deciding silently wrong (a string `trunkIds` would "contain" its substrings).
  test.each([
    [{ trunkIds: "ST_a" }, /dispatch rule "SDR_default": trunkIds must be an array of strings, got a string/],
    [{ numbers: [5550100] }, /numbers must be an array of strings, got a number in it/],
    [{ attributes: { tier: 1 } }, /attributes\["tier"\] must be a string, got a number/],
    [{ rule: { dispatchRuleDirect: { roomName: "r", pin: 1234 } } }, /rule\.dispatchRuleDirect\.pin must be a string, got a number/],
    [{ media: "none" }, /media must be an object, got a string/],
  ])("rule %j", (fields, message) => {
    const bad = { ...rule(), ...fields } as unknown as SIPDispatchRuleInfo;
    expect(() => resolveDispatch({ from: "1", to: "2" }, [], [bad])).toThrow(message);
    expect(() => compileDispatch([], [bad])).toThrow(message);
  });

  test.each([
    [{ numbers: "+15550100" }, /inbound trunk "ST_default": numbers must be an array of strings, got a string/],
    [{ allowedAddresses: [null] }, /allowedAddresses must be an array of strings, got null in it/],
    [{ headersToAttributes: [] }, /headersToAttributes must be an object of strings, got an array/],
  ])("trunk %j", (fields, message) => {
    const bad = { ...trunk(), ...fields } as unknown as SIPInboundTrunkInfo;
    expect(() => resolveDispatch({ from: "1", to: "2" }, [bad], [])).toThrow(message);
    expect(() => compileDispatch([bad], [])).toThrow(message);
  });

  test("missing fields are read as their defaults, as LiveKit reads absent proto fields", () => {
    const bare = { sipDispatchRuleId: "SDR_x", rule: { dispatchRuleDirect: { roomName: "lobby" } } } as unknown as SIPDispatchRuleInfo;
    const decision = resolveDispatch({ from: "+15550100", to: "+15550199" }, [], [bare], { randomId });
    expect(decision.result === "accept" && decision.roomName).toBe("lobby");
  });
});

// ---------------------------------------------------------------------------------------------
// 3. __proto__, constructor and prototype as keys

describe("prototype keys stay data", () => {
  beforeEach(expectNoPollution);
  afterEach(expectNoPollution);

  const PROTO_MAP = '{"__proto__":"p","constructor":"c","prototype":"r"}';

  test("rule attributes, roomConfig tags and agent attributes; call headers and extraAttributes", () => {
    const parsedRule = parseDispatchRule(
      JSON.parse(`{"sipDispatchRuleId":"SDR_1","rule":{"dispatchRuleDirect":{"roomName":"room"}},"attributes":${PROTO_MAP},
        "roomConfig":{"tags":${PROTO_MAP},"agents":[{"agentName":"a","attributes":${PROTO_MAP}}],
        "egress":{"room":{"roomName":"r"},"constructor":{"prototype":{"polluted":"yes"}}}}}`),
    );
    expect(parsedRule.ok).toBe(true);
    if (!parsedRule.ok) return;
    const r = parsedRule.value;
    for (const map of [r.attributes, r.roomConfig!.tags, r.roomConfig!.agents[0]!.attributes]) {
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(map, "__proto__")?.value).toBe("p");
      expect(Object.getOwnPropertyDescriptor(map, "constructor")?.value).toBe("c");
      expect(Object.getOwnPropertyDescriptor(map, "prototype")?.value).toBe("r");
    }

    const parsedTrunk = parseInboundTrunk(
      JSON.parse(`{"sipTrunkId":"ST_1","numbers":["+15550199"],"headers":${PROTO_MAP},
        "headersToAttributes":{"__proto__":"from.proto","constructor":"from.constructor","X-Map":"__proto__"},
        "attributesToHeaders":{"__proto__":"X-P","constructor":"X-C","prototype":"X-R"},"includeHeaders":"SIP_ALL_HEADERS"}`),
    );
    expect(parsedTrunk.ok).toBe(true);
    if (!parsedTrunk.ok) return;
    const t = parsedTrunk.value;
    for (const map of [t.headers, t.headersToAttributes, t.attributesToHeaders]) {
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
      expect(Object.hasOwn(map, "__proto__")).toBe(true);
    }

    // The rule's own `__proto__` attribute, with no header mapped onto it.
    const plain = resolveBoth({ from: "+15550100", to: "+15550199" }, [t], [r], { trace: true });
    expect(plain.result).toBe("accept");
    if (plain.result !== "accept") return;
    const plainAttributes = plain.participant.attributes;
    expect(Object.getPrototypeOf(plainAttributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(plainAttributes, "__proto__")?.value).toBe("p");
    expect(plainAttributes.constructor).toBe("c");
    expect(plainAttributes.prototype).toBe("r");

    const call: InboundCall = {
      from: "+15550100",
      to: "+15550199",
      headers: JSON.parse('{"__proto__":"h-proto","constructor":"h-constructor","prototype":"h-prototype","X-Map":"mapped","X-Obj":{"polluted":"yes"}}'),
      extraAttributes: JSON.parse('{"__proto__":"e-proto","constructor":"e-constructor","polluted":{"polluted":"yes"}}'),
    };
    const withHeaders = resolveBoth(call, [t], [r], { trace: true });
    expect(withHeaders.result).toBe("accept");
    if (withHeaders.result !== "accept") return;
    const a = withHeaders.participant.attributes;
    expect(Object.getPrototypeOf(withHeaders)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    // headersToAttributes maps X-Map onto `__proto__`, after extraAttributes set it.
    expect(Object.getOwnPropertyDescriptor(a, "__proto__")?.value).toBe("mapped");
    expect(a.constructor).toBe("e-constructor");
    expect(a["sip.h.__proto__"]).toBe("h-proto");
    expect(a["sip.h.constructor"]).toBe("h-constructor");
    expect(a["from.proto"]).toBe("h-proto");
    expect(a["from.constructor"]).toBe("h-constructor");
    expect(Object.hasOwn(a, "polluted")).toBe(false); // a non-string value is ignored
    expect(Object.values(a).every((v) => typeof v === "string")).toBe(true);
    // Result maps copied from the configuration keep their keys as data too.
    expect(Object.getOwnPropertyDescriptor(withHeaders.trunk!.headers, "__proto__")?.value).toBe("p");
    expect(Object.getOwnPropertyDescriptor(withHeaders.roomConfig!.tags, "__proto__")?.value).toBe("p");
    expect(Object.getPrototypeOf(withHeaders.roomConfig!.tags)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(withHeaders.roomConfig!.egress)).constructor).toEqual({ prototype: { polluted: "yes" } });

    // Canonical JSON keeps them as well.
    const json = dispatchRuleToJson(r);
    expect(Object.getOwnPropertyDescriptor(json.attributes as object, "__proto__")?.value).toBe("p");
  });

  test("a map value that is an object is rejected with an issue, not merged", () => {
    for (const input of [
      '{"attributes":{"__proto__":{"polluted":"yes"}}}',
      '{"roomConfig":{"tags":{"__proto__":{"polluted":"yes"}}}}',
      '{"roomConfig":{"agents":[{"attributes":{"constructor":{"prototype":{"polluted":"yes"}}}}]}}',
    ]) {
      const result = parseDispatchRule(JSON.parse(input));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.issues?.[0]?.code).toBe("invalid_type");
    }
    for (const input of ['{"headers":{"__proto__":{"polluted":"yes"}}}', '{"headersToAttributes":{"prototype":["x"]}}']) {
      const result = parseInboundTrunk(JSON.parse(input));
      expect(result.ok).toBe(false);
    }
    // A `__proto__` field of a message is an unknown field, reported where it is.
    const unknown = parseDispatchRule(JSON.parse('{"__proto__":{"polluted":"yes"},"name":"x"}'));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.issues?.[0]?.path).toEqual(["__proto__"]);
  });

  test("updates, replace, validate, store and lint keep them as data", () => {
    const base = rule({ attributes: JSON.parse('{"__proto__":"p","constructor":"c"}') });
    const update = parseDispatchRuleUpdate(JSON.parse('{"attributes":{"__proto__":"new","prototype":"added","constructor":""}}'));
    expect(update.ok).toBe(true);
    if (!update.ok) return;
    const updated = applyDispatchRuleUpdate(base, update.value);
    expect(updated.ok).toBe(true);
    if (!updated.ok) return;
    expect(Object.getPrototypeOf(updated.value.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(updated.value.attributes, "__proto__")?.value).toBe("new");
    expect(Object.hasOwn(updated.value.attributes, "constructor")).toBe(false); // "" deletes
    expect(updated.value.attributes.prototype).toBe("added");

    const replaced = replaceDispatchRule(base, { ...base, sipDispatchRuleId: "" });
    expect(replaced.ok && Object.getOwnPropertyDescriptor(replaced.value.attributes, "__proto__")?.value).toBe("p");

    const protoTrunk = trunk({ sipTrunkId: "", numbers: ["+1"], headers: JSON.parse('{"__proto__":"v","constructor":"w"}') });
    expect(validateInboundTrunk(protoTrunk).ok).toBe(true);

    let store = createDispatchStore({ randomId: () => "ID" });
    const t = store.createInboundTrunk(protoTrunk);
    expect(t.ok).toBe(true);
    if (t.ok) store = t.value.store;
    const r = store.createDispatchRule({ ...base, sipDispatchRuleId: "" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getOwnPropertyDescriptor(r.value.value.attributes, "__proto__")?.value).toBe("p");
    expect(Object.getOwnPropertyDescriptor(store.trunks[0]!.headers, "__proto__")?.value).toBe("v");
    const u = r.value.store.updateDispatchRule("SDR_ID", update.value);
    expect(u.ok && Object.getOwnPropertyDescriptor(u.value.value.attributes, "__proto__")?.value).toBe("new");

    expect(Array.isArray(lintDispatch({ trunks: store.trunks, rules: r.value.store.rules }))).toBe(true);
  });

  test("random maps of prototype keys, everywhere a map is, through parse and both resolvers", () => {
    const protoKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "polluted");
    const jsonMap = (values: fc.Arbitrary<string>) =>
      fc.uniqueArray(fc.tuple(protoKey, values), { selector: ([k]) => k, maxLength: 4 }).map((entries) =>
        JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`),
      );
    const value = fc.constantFrom("v", "__proto__", "constructor", "X-H");
    fc.assert(
      fc.property(
        fc.record({
          attributes: jsonMap(value),
          tags: jsonMap(value),
          agentAttributes: jsonMap(value),
          headers: jsonMap(value),
          headersToAttributes: jsonMap(value),
          attributesToHeaders: jsonMap(fc.constant("X-H")),
          callHeaders: jsonMap(value),
          extra: jsonMap(value),
          include: fc.constantFrom("SIP_NO_HEADERS", "SIP_X_HEADERS", "SIP_ALL_HEADERS"),
          trace: fc.boolean(),
        }),
        (m) => {
          const ruleInput = { sipDispatchRuleId: "SDR_1", rule: { dispatchRuleIndividual: { roomPrefix: "r" } }, attributes: m.attributes,
            roomConfig: { tags: m.tags, agents: [{ attributes: m.agentAttributes }] } };
          const trunkInput = { sipTrunkId: "ST_1", headers: m.headers, headersToAttributes: m.headersToAttributes,
            attributesToHeaders: m.attributesToHeaders, includeHeaders: m.include };
          const pr = parseDispatchRule(ruleInput);
          const pt = parseInboundTrunk(trunkInput);
          expect(pr.ok && pt.ok).toBe(true);
          if (!pr.ok || !pt.ok) return;
          for (const [input, model] of [
            [m.attributes, pr.value.attributes],
            [m.tags, pr.value.roomConfig!.tags],
            [m.headers, pt.value.headers],
            [m.headersToAttributes, pt.value.headersToAttributes],
          ] as const) {
            expect(Object.getPrototypeOf(model)).toBe(Object.prototype);
            expect(Object.keys(model)).toEqual(Object.keys(input));
            for (const key of Object.keys(input)) expect(Object.getOwnPropertyDescriptor(model, key)?.value).toBe(input[key]);
          }
          const call: InboundCall = { from: "+1", to: "+2", headers: m.callHeaders, extraAttributes: m.extra };
          const result = resolveBoth(call, [pt.value], [pr.value], { trace: m.trace });
          expect(result.result).toBe("accept");
          if (result.result !== "accept") return;
          const a = result.participant.attributes;
          expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
          expect(Object.values(a).every((v) => typeof v === "string")).toBe(true);
          // Each key of the rule's attributes is still there (no later step can remove one).
          for (const key of Object.keys(m.attributes)) expect(Object.hasOwn(a, key)).toBe(true);
          expectNoPollution();
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Deep-frozen inputs are never written

describe("deep-frozen inputs are never mutated", () => {
  test("resolveDispatch and compileDispatch (calls, options, trunks, rules)", () => {
    fc.assert(
      fc.property(configArb(wildPools), callArb(wildPools), optionsArb, (config, call, options) => {
        const snapshot = structuredClone({ config, call });
        const frozen = deepFreeze({ config, call, options });
        const linear = resolveDispatch(frozen.call, frozen.config.trunks, frozen.config.rules, frozen.options);
        const compiled = compileDispatch(frozen.config.trunks, frozen.config.rules).resolve(frozen.call, frozen.options);
        expect(compiled).toEqual(linear);
        JSON.stringify(linear); // builds the lazy trace
        // A result can be changed freely without touching the configuration.
        if (linear.result === "accept") {
          linear.participant.attributes.added = "x";
          linear.media.codecs.push({ name: "x", rate: 1 });
        }
        expect({ config, call }).toEqual(snapshot);
      }),
      { numRuns: 300 },
    );
  });

  test("resolving large parsed models, frozen: roomConfig, media, headers", () => {
    fc.assert(
      fc.property(arbInboundTrunk, arbDispatchRule, fc.boolean(), (t, r, strict) => {
        const tt = deepFreeze({ ...structuredClone(t), sipTrunkId: "ST_x", numbers: [], allowedAddresses: [], allowedNumbers: [] });
        const rr = deepFreeze({ ...structuredClone(r), trunkIds: [], inboundNumbers: [], numbers: [], rule: { dispatchRuleDirect: { roomName: "r", pin: "" } } });
        const call = deepFreeze({ from: "+1", to: "+2", headers: { "X-A": "1" }, extraAttributes: { a: "b" } });
        const result = resolveBoth(call, [tt], [rr], deepFreeze({ strict, trace: true }));
        expect(result.result).toBe("accept");
      }),
      { numRuns: 200 },
    );
  });

  test("update, replace and validate functions", () => {
    fc.assert(
      fc.property(arbDispatchRule, arbDispatchRuleUpdate, arbInboundTrunk, arbInboundTrunkUpdate, (r, ru, t, tu) => {
        const [fr, fru, ft, ftu] = [r, ru, t, tu].map((x) => deepFreeze(structuredClone(x))) as [typeof r, typeof ru, typeof t, typeof tu];
        const outs = [
          applyDispatchRuleUpdate(fr, fru),
          applyInboundTrunkUpdate(ft, ftu),
          replaceDispatchRule(fr, fr),
          replaceInboundTrunk(ft, ft),
          validateDispatchRule(fr),
          validateInboundTrunk(ft),
          ...(fru.trunkIds === undefined ? [] : [applyListUpdate(fr.trunkIds, fru.trunkIds)]),
        ];
        for (const out of outs) expectResult(out);
        expect([fr, fru, ft, ftu]).toEqual([r, ru, t, tu]);
      }),
      { numRuns: 200 },
    );
  });

  test("the store and lintDispatch", () => {
    fc.assert(
      fc.property(arbDispatchRule, arbDispatchRuleUpdate, arbInboundTrunk, arbInboundTrunkUpdate, (r, ru, t, tu) => {
        const fr = deepFreeze({ ...structuredClone(r), sipDispatchRuleId: "" });
        const ft = deepFreeze({ ...structuredClone(t), sipTrunkId: "", numbers: ["+15550100"] });
        const [fru, ftu] = [deepFreeze(structuredClone(ru)), deepFreeze(structuredClone(tu))];
        let ids = 0;
        let store = createDispatchStore(deepFreeze({ randomId: () => `ID${ids++}` }));
        const ct = store.createInboundTrunk(ft);
        if (ct.ok) store = ct.value.store;
        const cr = store.createDispatchRule(fr);
        if (cr.ok) store = cr.value.store;
        for (const trunkStored of store.trunks) {
          expectResult(store.updateInboundTrunk(trunkStored.sipTrunkId, ftu));
          expectResult(store.replaceInboundTrunk(trunkStored.sipTrunkId, ft));
        }
        for (const ruleStored of store.rules) {
          expectResult(store.updateDispatchRule(ruleStored.sipDispatchRuleId, fru));
          expectResult(store.replaceDispatchRule(ruleStored.sipDispatchRuleId, fr));
        }
        lintDispatch(deepFreeze({ trunks: [ft, ...store.trunks], rules: [fr, ...store.rules] }));
        expect(fr).toEqual({ ...r, sipDispatchRuleId: "" });
        expect([fru, ftu]).toEqual([ru, tu]);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Size: linear time on megabyte strings and 10,000-entry maps

/** Milliseconds `fn` takes, measured once. */
function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const MB = 1 << 20;
/**
 * Generous: these run in tens of milliseconds and quadratic behaviour takes minutes, so 10 s tells
 * the two apart even on a loaded two-core machine (1 s failed there at load 30).
 */
const LIMIT_MS = 10_000;

describe("megabyte strings and 10,000-entry maps resolve well under a second", () => {
  const trunks = [
    trunk({ sipTrunkId: "ST_main", numbers: ["+15550199"], allowedAddresses: ["10.0.0.0/8", "2001:db8::/32", "pbx.example.com", "1.2.3.4"],
      includeHeaders: "SIP_ALL_HEADERS", headersToAttributes: { "X-Customer": "customer" } }),
    trunk({ sipTrunkId: "ST_any", allowedNumbers: ["+15550100"] }),
  ];
  const rules = [
    rule({ sipDispatchRuleId: "SDR_ind", rule: individual("call-"), trunkIds: ["ST_main"] }),
    rule({ sipDispatchRuleId: "SDR_hide", rule: callee("support"), hidePhoneNumber: true, numbers: ["+15550199"] }),
    rule({ sipDispatchRuleId: "SDR_pin", rule: direct("vip", "1234"), inboundNumbers: ["+15550100"] }),
  ];
  /** Resolves once with each resolver, timed; `trace` is read, since resolving includes building it. */
  const both = (call: InboundCall, t = trunks, r = rules, options: ResolveOptions = {}): void => {
    const opts = { randomId, trace: true, ...options };
    const linear = timed(() => void resolveDispatch(call, t, r, opts).trace);
    const dispatcher = compileDispatch(t, r);
    const compiled = timed(() => void dispatcher.resolve(call, opts).trace);
    expect(linear).toBeLessThan(LIMIT_MS);
    expect(compiled).toBeLessThan(LIMIT_MS);
  };

  test("a 1 MB caller: digits, formatted digits, text, unicode; as a string and as { user, host }", () => {
    for (const from of ["1".repeat(MB), "+1 (" + "5 -".repeat(MB / 3) + ")", "☎a(".repeat(MB / 3)]) {
      both({ from, to: "+15550199", sourceIp: "10.1.2.3" });
      both({ from: { user: from, host: from }, to: "+15550199", sourceIp: "10.1.2.3" }, trunks, rules, { strict: true });
      both({ from, to: "+15550199" }, trunks, [rule({ sipDispatchRuleId: "SDR_h", rule: individual("x"), hidePhoneNumber: true })]);
      both({ from, to: "+15550199", pin: "1234" }, trunks, rules, { strict: true });
    }
  });

  test("a 1 MB called number, also in a trunk conflict message", () => {
    const conflicting = [trunk({ sipTrunkId: "ST_1" }), trunk({ sipTrunkId: "ST_2" })];
    for (const to of ["1".repeat(MB), "+1 555 ".repeat(MB / 7), "\u0001\"\\☎".repeat(MB / 4)]) {
      both({ from: "+15550100", to }, trunks, rules, { strict: true });
      both({ from: "+15550100", to }, conflicting);
      both({ from: "+15550100", to: { user: to, host: to } }, trunks, [rule({ rule: callee("p", { randomize: true }) })]);
    }
  });

  test("a 1 MB source IP text: not an address, and valid-looking prefixes of one", () => {
    const ips = [
      "1".repeat(MB),
      "1.".repeat(MB / 2),
      ":".repeat(MB),
      "1:".repeat(MB / 2),
      "::" + "f".repeat(MB),
      "fe80::1%" + "z".repeat(MB), // a valid zoned IPv6 address with a huge zone
      "10.1.2.3" + " ".repeat(MB),
      "%".repeat(MB),
    ];
    for (const sourceIp of ips) {
      both({ from: "+15550100", to: "+15550199", sourceIp });
      both({ from: { user: "+15550100", host: sourceIp }, to: "+15550199", sourceIp });
    }
  });

  test("10,000-entry header maps: on the call, and in the trunk's mappings", () => {
    const headers: Record<string, string> = {};
    const mapping: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) {
      headers[`X-Header-${i}`] = `value-${i}`;
      mapping[`x-header-${i}`] = `attr.${i}`;
    }
    const bigTrunk = trunk({ sipTrunkId: "ST_main", numbers: ["+15550199"], includeHeaders: "SIP_ALL_HEADERS", headers, headersToAttributes: mapping, attributesToHeaders: mapping });
    both({ from: "+15550100", to: "+15550199", headers });
    both({ from: "+15550100", to: "+15550199", headers, extraAttributes: headers }, [bigTrunk]);
    both({ from: "+15550100", to: "+15550199", headers: { ...headers, "X-Long": "v".repeat(MB) } }, [bigTrunk]);
    // The same maps through the parser and the create-time checks.
    expect(timed(() => expect(parseInboundTrunk({ ...bigTrunk, sipTrunkId: "" }).ok).toBe(true))).toBeLessThan(LIMIT_MS);
    expect(timed(() => validateInboundTrunk({ ...bigTrunk, sipTrunkId: "" }))).toBeLessThan(LIMIT_MS);
    expect(timed(() => lintDispatch({ trunks: [bigTrunk], rules }))).toBeLessThan(LIMIT_MS * 3);
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Regular expressions
//
// Every regular expression in src/ (grep -n "/.*/[gimsuy]*" src/*.ts; there is no `new RegExp`),
// with what can reach it. Engine:
//   address.ts       /^(?:0|[1-9]\d{0,2})$/             CIDR bits of allowedAddresses entries     bounded
//   address.ts       /[()+*;, \t\n\r]/                  allowedAddresses entries (invalid masks)  one char
//   evaluate.ts      /^[\x00-\x7f]*$/                   the caller, hidePhoneNumber masking       linear
//   go-format.ts     /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u    each character of a quoted id, name, number one char
//   parse.ts         /^[A-Za-z_$][\w$]*$/               each key of an issue path (formatPath)    linear
//   protojson-scalars.ts DurationSchema, TimestampSchema (zod .regex; lint's readModel)          bounded
//   protojson.ts     /[A-Z]/g                           schema field names only (protoFieldName)  not user input
//   protojson.ts     /^(?:0|[1-9]\d*)$/                 uint32 given as a string                  linear
//   protojson.ts     /^(-)?(\d+)(?:\.(\d{1,9}))?s$/     Duration strings                           linear
//   protojson.ts     /^0+(?=\d)/                        the seconds digits of a Duration          linear
//   protojson.ts     /^(\d{4})-...(\d{2}))$/            Timestamp strings                          bounded
//   validate.ts      /^(-)?(\d+)(?:\.(\d{1,9}))?s$/     media.mediaTimeout                         linear
//   validate.ts      /[1-9]/                            its fraction (at most 9 digits)           bounded
//   validate.ts      /[ \t\n\r]/                        codec names                                one char
// Linter (src/lint*.ts, reached through lintDispatch):
//   lint/rules.ts    /^[0-9*A-D]*$/                     pins                                       linear
//   lint/trunks.ts   /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/  host labels              bounded
//   lint/trunks.ts   /[A-Za-z]/, /^[0-9A-Fa-f:]+$/, /^\[[^\]]*\]$/, /[()+*;, \t\n\r]/          linear
//   lint/trunks.ts   /^(?:\[([^\]]+)\]|([^:]+)):\d{1,5}$/                                          linear
//   lint/trunks.ts   /:\/\/|[\s,;()+*]+/ (split)                                                   linear
// CLI (src/cli*.ts; the CLI's own tests cover its inputs), not exercised here:
//   cli/io.ts        /\s*[\r\n]+\s*/g (oneLine)         QUADRATIC on a long run of whitespace without a newline
//   cli/io.ts        /\s*(?:in JSON )?at position \d+[\s\S]*$/  QUADRATIC likewise (input: V8's JSON.parse message)
//   cli/io.ts        /, got .*$/s, /,\s*(?:\.\.\.)?"[\s\S]*$/, /^Unexpected token .*$/s, /at position (\d+)/,
//                    /^[0-9a-fA-F]{4}$/, /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/ (on ≤ 400 chars),
//                    /^[A-Za-z0-9_+.,:/@%=-]+$/, /'/g, /[A-Za-z0-9]/                                linear
//   cli/explain.ts /\s/; cli/lint.ts / +/; cli/resolve.ts /\s/; cli/schema.ts /\./g;
//   cli/main.ts /'(-{1,2}[^'=\s]*)/, /'(-{1,2}[^'\s]*)/                                             linear

describe("no regular expression backtracks catastrophically", () => {
  const N = 100_000;
  const adversarial = [
    "1".repeat(N),
    "1".repeat(N) + "x",
    " ".repeat(N),
    " ".repeat(N) + "x",
    "(".repeat(N),
    "+".repeat(N),
    ":".repeat(N),
    "0".repeat(N) + "s",
    "0".repeat(N) + ".5s!",
    "1.".repeat(N / 2),
    "1.1.1.1.".repeat(N / 8) + "/" + "9".repeat(N),
    "1:".repeat(N / 2) + "/" + "1".repeat(N),
    "X-" + "a".repeat(N),
    "a-".repeat(N / 2) + "!",
    "[" + ":".repeat(N) + "]",
    "9999-12-31T23:59:59." + "9".repeat(N) + "Z",
    "\t".repeat(N) + "\n",
    "-".repeat(N) + "1",
  ];

  test("each engine and linter pattern that sees user input, directly", () => {
    const patterns: RegExp[] = [
      /^(?:0|[1-9]\d{0,2})$/,
      /[()+*;, \t\n\r]/,
      /^[\x00-\x7f]*$/,
      /^[A-Za-z_$][\w$]*$/,
      /^-?(?:0|[1-9]\d{0,11})(?:\.(?:\d{3}|\d{6}|\d{9}))?s$/,
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(?:\d{3}|\d{6}|\d{9}))?Z$/,
      /^(?:0|[1-9]\d*)$/,
      /^(-)?(\d+)(?:\.(\d{1,9}))?s$/,
      /^0+(?=\d)/,
      /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/,
      /[1-9]/,
      /[ \t\n\r]/,
      /^[0-9*A-D]*$/,
      /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
      /^[0-9A-Fa-f:]+$/,
      /^(?:\[([^\]]+)\]|([^:]+)):\d{1,5}$/,
      /^\[[^\]]*\]$/,
      /:\/\/|[\s,;()+*]+/,
    ];
    for (const pattern of patterns)
      for (const input of adversarial) {
        const ms = timed(() => {
          pattern.exec(input);
          input.split(pattern);
        });
        expect(ms, `${pattern} on ${JSON.stringify(input.slice(0, 20))}…`).toBeLessThan(LIMIT_MS / 4);
      }
  });

  test("numbers: normalizeNumber, trunk and rule number filters, strict and not", () => {
    for (const number of adversarial) {
      expect(timed(() => normalizeNumber(number))).toBeLessThan(LIMIT_MS / 4);
      const t = [trunk({ sipTrunkId: "ST_n", numbers: [number], allowedNumbers: [number] })];
      const r = [rule({ sipDispatchRuleId: "SDR_n", numbers: [number], inboundNumbers: [number], rule: direct("r", number) })];
      for (const strict of [false, true]) {
        expect(timed(() => resolveDispatch({ from: number, to: number, pin: number }, t, r, { strict, trace: true }).trace)).toBeLessThan(LIMIT_MS);
        expect(timed(() => compileDispatch(t, r).resolve({ from: number, to: number }, { strict }))).toBeLessThan(LIMIT_MS);
      }
    }
  });

  test("masks and CIDRs: allowedAddresses entries and source addresses", () => {
    for (const mask of adversarial) {
      const t = [trunk({ sipTrunkId: "ST_m", allowedAddresses: [mask, "10.0.0.0/8", mask + "/" + mask] })];
      for (const sourceIp of ["10.1.2.3", "2001:db8::1", mask]) {
        const call = { from: { user: "+1", host: mask }, to: "+2", sourceIp };
        expect(timed(() => resolveDispatch(call, t, [rule()], { strict: true, trace: true }).trace)).toBeLessThan(LIMIT_MS);
        expect(timed(() => compileDispatch(t, [rule()]).resolve(call))).toBeLessThan(LIMIT_MS);
      }
      expect(timed(() => lintDispatch({ trunks: t, rules: [rule()] }))).toBeLessThan(LIMIT_MS * 3);
    }
  });

  test("durations, timestamps and uint32 strings through the parsers; media timeouts through validation", () => {
    for (const text of adversarial) {
      const ms = timed(() => {
        parseInboundTrunk({ ringingTimeout: text, maxCallDuration: text, createdAt: text, media: { mediaTimeout: text } });
        parseDispatchRule({ updatedAt: text, roomConfig: { emptyTimeout: text, egress: { [text]: text } }, [text]: 1 });
        validateMediaConfig({ onlyListedCodecs: false, codecs: [{ name: text, rate: 0 }], mediaTimeout: text });
        validateDispatchRule({ ...rule({ sipDispatchRuleId: "" }), media: { onlyListedCodecs: false, codecs: [], mediaTimeout: text } });
      });
      expect(ms, JSON.stringify(text.slice(0, 20))).toBeLessThan(LIMIT_MS);
    }
  });

  test("headers: names and values through validation, the call, and hidden numbers", () => {
    for (const text of adversarial) {
      const headers = { [text]: text, "X-Ok": text };
      const ms = timed(() => {
        validateHeaderName(text);
        validateHeaderValue(text, text);
        validateInboundTrunk(trunk({ sipTrunkId: "", numbers: ["+1"], headers, headersToAttributes: headers, attributesToHeaders: headers }));
        const t = [trunk({ sipTrunkId: "ST_h", includeHeaders: "SIP_ALL_HEADERS", headersToAttributes: headers })];
        resolveDispatch({ from: text, to: "+2", headers }, t, [rule({ hidePhoneNumber: true })]);
      });
      expect(ms, JSON.stringify(text.slice(0, 20))).toBeLessThan(LIMIT_MS);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Pins never appear in traces, errors or messages

describe("pins never appear in traces, errors or messages", () => {
  const PIN = "90210735";
  /** The pin as digits and as the number a JSON config might hold by mistake. */
  const expectNoPin = (label: string, value: unknown): void => {
    const text = JSON.stringify(value) ?? "";
    expect(text.includes(PIN), `${label} leaks the pin: ${text.slice(0, 400)}`).toBe(false);
  };
  const pinRule = (id: string, pin: string, overrides: Partial<SIPDispatchRuleInfo> = {}): SIPDispatchRuleInfo =>
    rule({ sipDispatchRuleId: id, rule: direct(`room-${id}`, pin), ...overrides });

  test("resolve with trace, every pin flow, both resolvers", () => {
    const rulesets = [
      [pinRule("SDR_a", PIN), pinRule("SDR_b", "1" + PIN), pinRule("SDR_open", "")],
      [pinRule("SDR_a", PIN), pinRule("SDR_dup", PIN)], // rule_conflict
      [pinRule("SDR_a", PIN, { trunkIds: ["ST_1"] }), rule({ sipDispatchRuleId: "SDR_none", rule: {} })], // invalid_rule
      [pinRule("SDR_a", PIN, { inboundNumbers: [PIN], numbers: ["+2"] })],
      [rule({ sipDispatchRuleId: "SDR_i", rule: individual("p", { pin: PIN }) }), rule({ sipDispatchRuleId: "SDR_c", rule: callee("c", { pin: PIN + "9" }) })],
    ];
    const trunks = [trunk({ sipTrunkId: "ST_1" })];
    for (const rules of rulesets)
      for (const call of [{}, { pin: PIN }, { pin: "0000" }, { pin: "1" + PIN }, { noPin: true }, { noPin: true, pin: PIN }])
        for (const t of [[], trunks])
          for (const strict of [false, true])
            expectNoPin("resolve", resolveBoth({ from: "+1", to: "+2", trunkId: "ST_1", ...call }, t, rules, { trace: true, strict }));
  });

  test("random configurations with pins, traced", () => {
    fc.assert(
      fc.property(configArb(), callArb(), optionsArb, (config, call, options) => {
        // Only a call that carries the pin itself, or a rule's own data, may hold it.
        const rules = config.rules.map((r, i) => (i % 2 === 0 ? { ...r, rule: direct("r", PIN) } : r));
        const result = resolveBoth(call, config.trunks, rules, { ...options, trace: true });
        expectNoPin("resolve", result.trace);
        if (result.result === "error") expectNoPin("error", result.error);
      }),
      { numRuns: 200 },
    );
  });

  test("lint findings", () => {
    const configs = [
      { trunks: [], rules: [pinRule("SDR_a", PIN), pinRule("SDR_b", PIN)] }, // rule-conflict
      { trunks: [], rules: [pinRule("SDR_a", PIN + "#")] }, // unreachable pin
      { trunks: [], rules: [pinRule("SDR_a", "12345678901234567" + PIN)] }, // too long to type
      { trunks: [], rules: [pinRule("SDR_a", PIN, { numbers: ["+1"] }), pinRule("SDR_b", "", { numbers: ["+1"] })] },
      { trunks: [], rules: [pinRule("SDR_a", PIN, { trunkIds: ["ST_gone"] }), pinRule("SDR_b", PIN, { trunkIds: ["ST_gone", "ST_gone"] })] },
      { trunks: [trunk({ sipTrunkId: "ST_1" })], rules: [pinRule("SDR_a", PIN, { trunkIds: ["ST_1"], rule: individual("", { pin: PIN }) })] },
      { trunks: [], rules: [{ ...pinRule("SDR_a", PIN), media: { onlyListedCodecs: false, codecs: [{ name: "", rate: 0 }] } }] },
    ];
    for (const config of configs) {
      const findings = lintDispatch(config);
      for (const finding of findings) {
        expectNoPin(`lint ${finding.code} message`, finding.message);
        expectNoPin(`lint ${finding.code}`, finding);
      }
    }
  });

  test("validation, update, replace and store errors", () => {
    const withPin = pinRule("SDR_a", PIN);
    const bad = { ...withPin, media: { onlyListedCodecs: false, codecs: [{ name: "a b", rate: 0 }], mediaTimeout: "-1s" } };
    expectNoPin("validate", validateDispatchRule(bad));
    expectNoPin("validate", validateDispatchRule(withPin));
    expectNoPin("update", applyDispatchRuleUpdate(withPin, { attributes: {}, trunkIds: { set: [""], add: [""], remove: [], clear: true } }));
    expectNoPin("update", applyDispatchRuleUpdate(bad, { attributes: {}, rule: {} }));
    expectNoPin("update", applyDispatchRuleUpdate(withPin, { attributes: {}, media: bad.media }));
    expectNoPin("replace", replaceDispatchRule(withPin, { ...bad, sipDispatchRuleId: "SDR_other" }));
    let store = createDispatchStore({ randomId: () => `ID${Math.random()}` });
    const created = store.createDispatchRule({ ...withPin, sipDispatchRuleId: "" });
    expect(created.ok).toBe(true);
    if (created.ok) store = created.value.store;
    expectNoPin("store conflict", store.createDispatchRule({ ...withPin, sipDispatchRuleId: "" }));
    expectNoPin("store update", store.updateDispatchRule(store.rules[0]!.sipDispatchRuleId, { attributes: {}, rule: {} }));
    expectNoPin("store replace", store.replaceDispatchRule(store.rules[0]!.sipDispatchRuleId, { ...bad, sipDispatchRuleId: "" }));
  });

  test("parse errors: a rule with a pin and something wrong next to it, or a pin of the wrong type", () => {
    const inputs: unknown[] = [
      { rule: { dispatchRuleDirect: { roomName: "r", pin: PIN, bogus: 1 } } },
      { rule: { dispatchRuleDirect: { roomName: "r", pin: PIN }, dispatchRuleCallee: { pin: PIN } } },
      { rule: { dispatch_rule_individual: { pin: PIN, roomPrefix: 5 } }, trunk_ids: "x" },
      { dispatchRule: { rule: { dispatchRuleDirect: { pin: PIN } } }, name: 1 },
      { rule: { dispatchRuleDirect: { roomName: "r", pin: Number(PIN) } } },
      { rule: { dispatchRuleDirect: { roomName: "r", pin: [PIN] } } },
      { rule: { dispatchRuleDirect: { roomName: "r", pin: { value: PIN } } } },
      { rule: { dispatchRuleIndividual: { pin: Number(PIN), pinn: PIN } } },
    ];
    for (const input of inputs) {
      const result = parseDispatchRule(input);
      expect(result.ok).toBe(false);
      expectNoPin("parse", result);
    }
    const update = parseDispatchRuleUpdate({ rule: { dispatchRuleCallee: { pin: Number(PIN) } }, bogus: PIN.length });
    expect(update.ok).toBe(false);
    expectNoPin("parse update", update);
    // A trunk's password is a secret as well.
    const trunkResult = parseInboundTrunk({ authPassword: Number(PIN) });
    expect(trunkResult.ok).toBe(false);
    expectNoPin("parse trunk", trunkResult);
    // And the TypeError of a hand-built model with a numeric pin.
    try {
      validateDispatchRule({ ...rule({ sipDispatchRuleId: "" }), rule: { dispatchRuleDirect: { roomName: "r", pin: Number(PIN) as never } } });
    } catch (error) {
      expectNoPin("validate TypeError", (error as Error).message);
    }
  });
});
