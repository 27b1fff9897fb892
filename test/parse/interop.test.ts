// Interop with LiveKit's own JS classes (@livekit/protocol 1.52, the protobuf-es v1 messages that
// livekit-server-sdk uses), over random rules and trunks:
// - their fromJson accepts our canonical JSON and their toJson writes back exactly the same JSON;
// - their message objects, and their snake_case `toJson({ useProtoFieldName: true })` output,
//   parse to the same models as ours.
// protobuf-es v1 drops a `__proto__` map key (to-json.test.ts pins that difference down), so the
// models here use ordinary map keys.
import {
  SIPDispatchRuleInfo as ProtoDispatchRuleInfo,
  SIPDispatchRuleUpdate as ProtoDispatchRuleUpdate,
  SIPInboundTrunkInfo as ProtoInboundTrunkInfo,
  SIPInboundTrunkUpdate as ProtoInboundTrunkUpdate,
} from "@livekit/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDispatchRule, parseDispatchRuleUpdate, parseInboundTrunk, parseInboundTrunkUpdate } from "../../src/parse/parse.js";
import { dispatchRuleToJson, dispatchRuleUpdateToJson, inboundTrunkToJson, inboundTrunkUpdateToJson } from "../../src/parse/to-json.js";
import { modelArbitraries } from "../arbitraries-models.js";

const models = modelArbitraries({ awkwardMapKeys: false });
const RUNS = { numRuns: 200 };
type ProtoJson = Parameters<typeof ProtoDispatchRuleInfo.fromJson>[0];
// type-fest's JsonObject has readonly arrays; protobuf-es wants mutable ones. Same data.
const asProtoJson = (json: object): ProtoJson => json as ProtoJson;

const valueOf = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe.each([
  { name: "SIPDispatchRuleInfo", arb: models.dispatchRule, toJson: dispatchRuleToJson, parse: parseDispatchRule, Proto: ProtoDispatchRuleInfo },
  { name: "SIPInboundTrunkInfo", arb: models.inboundTrunk, toJson: inboundTrunkToJson, parse: parseInboundTrunk, Proto: ProtoInboundTrunkInfo },
  {
    name: "SIPDispatchRuleUpdate",
    arb: models.dispatchRuleUpdate,
    toJson: dispatchRuleUpdateToJson,
    parse: parseDispatchRuleUpdate,
    Proto: ProtoDispatchRuleUpdate,
  },
  {
    name: "SIPInboundTrunkUpdate",
    arb: models.inboundTrunkUpdate,
    toJson: inboundTrunkUpdateToJson,
    parse: parseInboundTrunkUpdate,
    Proto: ProtoInboundTrunkUpdate,
  },
] as const)("$name and @livekit/protocol", ({ arb, toJson, parse, Proto }) => {
  const toOurJson = toJson as (model: unknown) => object;
  const parseAny = parse as (input: unknown) => { ok: true; value: unknown } | { ok: false; error: { message: string } };
  const fromJson = (json: object) => (Proto as { fromJson(json: ProtoJson): { toJson(options?: { useProtoFieldName?: boolean }): unknown } }).fromJson(asProtoJson(json));

  it("fromJson accepts our JSON and toJson writes back exactly the same JSON", () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<unknown>, (model) => {
        const json = toOurJson(model);
        expect(fromJson(json).toJson()).toEqual(json);
      }),
      RUNS,
    );
  });

  it("their message objects parse to the same model as ours", () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<unknown>, (model) => {
        expect(valueOf(parseAny(fromJson(toOurJson(model))))).toEqual(valueOf(parseAny(toOurJson(model))));
      }),
      RUNS,
    );
  });

  it("their snake_case toJson({ useProtoFieldName: true }) parses to the same model", () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<unknown>, (model) => {
        const snake = fromJson(toOurJson(model)).toJson({ useProtoFieldName: true });
        expect(valueOf(parseAny(snake))).toEqual(valueOf(parseAny(toOurJson(model))));
      }),
      RUNS,
    );
  });
});
