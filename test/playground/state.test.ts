import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { callFromFields, fieldsFromCall, parseHeaderLines } from "../../playground/src/call.js";
import { maskSecrets, MASK } from "../../playground/src/masking.js";
import { decodeState, EMPTY_CALL, encodeState, initialState, type PlaygroundState } from "../../playground/src/state.js";

// The playground's state survives the URL, a damaged link is named as such, and secrets are
// masked wherever the page echoes configuration.

const fields = fc.record({
  from: fc.string(), fromHost: fc.string(), to: fc.string(), toHost: fc.string(), sourceIp: fc.string(),
  trunkId: fc.string(), pin: fc.string(), noPin: fc.boolean(), headers: fc.string(),
});
const state: fc.Arbitrary<PlaygroundState> = fc.record({
  sources: fc.array(fc.record({ name: fc.string(), trunks: fc.array(fc.dictionary(fc.string(), fc.jsonValue())), rules: fc.array(fc.dictionary(fc.string(), fc.jsonValue())) }), { maxLength: 3 }),
  call: fields,
  strict: fc.boolean(),
  seed: fc.string({ minLength: 1 }),
});

describe("the URL state", () => {
  test.prop([state])("decode(encode(state)) is the state", async (s) => {
    const hash = await encodeState(s);
    expect(hash).toMatch(/^#s=z[A-Za-z0-9_-]*$/);
    expect(await decodeState(hash)).toEqual(JSON.parse(JSON.stringify(s)));
  });

  test("an empty hash is no state; other hashes are damaged links", async () => {
    expect(await decodeState("")).toBeUndefined();
    expect(await decodeState("#")).toBeUndefined();
    expect(await decodeState("#section")).toBe("this link does not hold a playground state");
    expect(await decodeState("#s=z!!!")).toBe("this link's state is damaged");
    expect(await decodeState("#s=zAAAA")).toBe("this link's state is damaged");
  });

  test("fields of the wrong type in a link fall back to their defaults", async () => {
    const crafted = { sources: [{ name: 7, trunks: [], rules: [] }], call: { from: 5, to: "+1", noPin: "yes", __proto__x: 1 }, strict: "true", seed: 3 };
    const bytes = new TextEncoder().encode(JSON.stringify(crafted));
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    const packed = Buffer.from(await new Response(stream).arrayBuffer()).toString("base64url");
    const decoded = await decodeState("#s=z" + packed);
    expect(decoded).toMatchObject({ sources: [{ name: "link", trunks: [], rules: [] }], call: { ...EMPTY_CALL, to: "+1" }, strict: false });
    expect(typeof (decoded as PlaygroundState).seed).toBe("string");
  });

  test("a fresh state has a 12-character seed from LiveKit's alphabet", () => {
    expect(initialState().seed).toMatch(/^[2-9A-HJ-NP-Za-km-z]{12}$/);
  });
});

describe("the call form", () => {
  test.prop([fields.filter((f) => !f.headers.includes(":") && f.sourceIp.trim() === f.sourceIp && f.trunkId.trim() === f.trunkId)])(
    "fieldsFromCall(callFromFields(f)) keeps what the call carries",
    (f) => {
      const back = fieldsFromCall(callFromFields(f));
      expect(back).toEqual({ ...f, headers: "", pin: f.noPin ? "" : f.pin });
    },
  );

  test("header lines", () => {
    expect(parseHeaderLines("X-Ticket: 1234\nbad line\n: no name\nX-A:b:c\r\n")).toEqual({ "X-Ticket": "1234", "X-A": "b:c" });
    expect(callFromFields({ ...EMPTY_CALL, from: "+1", to: "+2", headers: "X-Ticket: 7" })).toEqual({ from: "+1", to: "+2", headers: { "X-Ticket": "7" } });
    expect(callFromFields({ ...EMPTY_CALL, from: "a", fromHost: "h", to: "b", pin: "12", noPin: true })).toEqual({
      from: { user: "a", host: "h" },
      to: "b",
      noPin: true,
    });
  });
});

test("maskSecrets masks every non-empty pin and password, and nothing else", () => {
  const config = {
    trunks: [{ sipTrunkId: "ST", authPassword: "secret", numbers: ["4321"] }],
    rules: [{ rule: { dispatchRuleDirect: { roomName: "4321", pin: "4321" } } }, { rule: { dispatchRuleCallee: { pin: "" } } }],
  };
  expect(maskSecrets(config)).toEqual({
    trunks: [{ sipTrunkId: "ST", authPassword: MASK, numbers: ["4321"] }],
    rules: [{ rule: { dispatchRuleDirect: { roomName: "4321", pin: MASK } } }, { rule: { dispatchRuleCallee: { pin: "" } } }],
  });
  expect(Object.getPrototypeOf(maskSecrets(JSON.parse('{"__proto__": {"pin": "1"}}')))).toBe(Object.prototype);
});
