import * as z from "zod/mini";
import { SIPMediaConfigSchema, SIPMediaEncryptionSchema } from "./media.js";
import { TimestampSchema } from "./protojson-scalars.js";
import { RoomConfigurationSchema } from "./room-config.js";

/** Join one fixed room. */
export const SIPDispatchRuleDirectSchema = z.strictObject({
  roomName: z.string(),
  pin: z.string(),
});
/** A direct rule: every call joins `roomName`. */
export type SIPDispatchRuleDirect = z.infer<typeof SIPDispatchRuleDirectSchema>;

/** One room per caller ("Caller" rule). A random suffix is added unless `noRandomness`. */
export const SIPDispatchRuleIndividualSchema = z.strictObject({
  roomPrefix: z.string(),
  pin: z.string(),
  noRandomness: z.boolean(),
});
/** An individual (caller) rule: one room per caller, `prefix_<from>_<random>` unless `noRandomness`. */
export type SIPDispatchRuleIndividual = z.infer<typeof SIPDispatchRuleIndividualSchema>;

/** One room per called number. A random suffix is added only with `randomize`. */
export const SIPDispatchRuleCalleeSchema = z.strictObject({
  roomPrefix: z.string(),
  pin: z.string(),
  randomize: z.boolean(),
});
/** A callee rule: one room per called number, `prefix_<to>`, random suffix only with `randomize`. */
export type SIPDispatchRuleCallee = z.infer<typeof SIPDispatchRuleCalleeSchema>;

/**
 * `livekit.SIPDispatchRule`: a oneof, so at most one member is present. An empty wrapper
 * parses (as in LiveKit) and is rejected by validation and at resolve time.
 */
export const SIPDispatchRuleSchema = z.strictObject({
  dispatchRuleDirect: z.optional(SIPDispatchRuleDirectSchema),
  dispatchRuleIndividual: z.optional(SIPDispatchRuleIndividualSchema),
  dispatchRuleCallee: z.optional(SIPDispatchRuleCalleeSchema),
});
/** The kind of a dispatch rule: at most one of direct, individual (caller) or callee. */
export type SIPDispatchRule = z.infer<typeof SIPDispatchRuleSchema>;

/** `livekit.SIPDispatchRuleInfo`, in LiveKit's protojson camelCase shape. */
export const SIPDispatchRuleInfoSchema = z.strictObject({
  sipDispatchRuleId: z.string(),
  rule: z.optional(SIPDispatchRuleSchema),
  trunkIds: z.array(z.string()),
  hidePhoneNumber: z.boolean(),
  inboundNumbers: z.array(z.string()),
  numbers: z.array(z.string()),
  name: z.string(),
  metadata: z.string(),
  attributes: z.record(z.string(), z.string()),
  roomPreset: z.string(),
  roomConfig: z.optional(RoomConfigurationSchema),
  media: z.optional(SIPMediaConfigSchema),
  krispEnabled: z.boolean(),
  mediaEncryption: SIPMediaEncryptionSchema,
  createdAt: z.optional(TimestampSchema),
  updatedAt: z.optional(TimestampSchema),
});
/** A LiveKit dispatch rule, as the parsers return it: every scalar, list and map present. */
export type SIPDispatchRuleInfo = z.infer<typeof SIPDispatchRuleInfoSchema>;

/** The kind of a dispatch rule, or `undefined` when its oneof is empty. */
export type DispatchRuleKind = "direct" | "individual" | "callee";

/** The kind, pin and room string (room name or prefix) of a rule, as LiveKit's GetPinAndRoom reads them. */
export interface RuleTarget {
  kind: DispatchRuleKind;
  pin: string;
  room: string;
}

/** Reads the oneof. `undefined` for a rule with no kind. */
export function ruleTarget(rule: SIPDispatchRuleInfo): RuleTarget | undefined {
  const r = rule.rule;
  if (r === undefined) return undefined;
  if (r.dispatchRuleDirect) return { kind: "direct", pin: r.dispatchRuleDirect.pin, room: r.dispatchRuleDirect.roomName };
  if (r.dispatchRuleIndividual)
    return { kind: "individual", pin: r.dispatchRuleIndividual.pin, room: r.dispatchRuleIndividual.roomPrefix };
  if (r.dispatchRuleCallee) return { kind: "callee", pin: r.dispatchRuleCallee.pin, room: r.dispatchRuleCallee.roomPrefix };
  return undefined;
}
