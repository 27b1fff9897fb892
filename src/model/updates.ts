import { z } from "zod";
import { SIPDispatchRuleSchema } from "./dispatch-rule.js";
import { SIPMediaConfigSchema, SIPMediaEncryptionSchema } from "./media.js";

/** `livekit.ListUpdate`: `set`, or `remove` then `add`, or `clear`. */
export const ListUpdateSchema = z.strictObject({
  set: z.array(z.string()),
  add: z.array(z.string()),
  remove: z.array(z.string()),
  clear: z.boolean(),
});
/** A change to a list field: `set` it, or `remove` then `add`, or `clear` it. */
export type ListUpdate = z.infer<typeof ListUpdateSchema>;

/** `livekit.SIPDispatchRuleUpdate`: the `update` action of UpdateSIPDispatchRule. */
export const SIPDispatchRuleUpdateSchema = z.strictObject({
  trunkIds: ListUpdateSchema.optional(),
  rule: SIPDispatchRuleSchema.optional(),
  name: z.string().optional(),
  metadata: z.string().optional(),
  attributes: z.record(z.string(), z.string()),
  mediaEncryption: SIPMediaEncryptionSchema.optional(),
  media: SIPMediaConfigSchema.optional(),
});
/** The `update` action on a dispatch rule: which fields change and how. */
export type SIPDispatchRuleUpdate = z.infer<typeof SIPDispatchRuleUpdateSchema>;

/** `livekit.SIPInboundTrunkUpdate`: the `update` action of UpdateSIPInboundTrunk. */
export const SIPInboundTrunkUpdateSchema = z.strictObject({
  numbers: ListUpdateSchema.optional(),
  allowedAddresses: ListUpdateSchema.optional(),
  allowedNumbers: ListUpdateSchema.optional(),
  authUsername: z.string().optional(),
  authPassword: z.string().optional(),
  authRealm: z.string().optional(),
  name: z.string().optional(),
  metadata: z.string().optional(),
  mediaEncryption: SIPMediaEncryptionSchema.optional(),
  media: SIPMediaConfigSchema.optional(),
});
/** The `update` action on an inbound trunk: which fields change and how. */
export type SIPInboundTrunkUpdate = z.infer<typeof SIPInboundTrunkUpdateSchema>;
