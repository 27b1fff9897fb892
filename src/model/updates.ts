import * as z from "zod/mini";
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
  trunkIds: z.optional(ListUpdateSchema),
  rule: z.optional(SIPDispatchRuleSchema),
  name: z.optional(z.string()),
  metadata: z.optional(z.string()),
  attributes: z.record(z.string(), z.string()),
  mediaEncryption: z.optional(SIPMediaEncryptionSchema),
  media: z.optional(SIPMediaConfigSchema),
});
/** The `update` action on a dispatch rule: which fields change and how. */
export type SIPDispatchRuleUpdate = z.infer<typeof SIPDispatchRuleUpdateSchema>;

/** `livekit.SIPInboundTrunkUpdate`: the `update` action of UpdateSIPInboundTrunk. */
export const SIPInboundTrunkUpdateSchema = z.strictObject({
  numbers: z.optional(ListUpdateSchema),
  allowedAddresses: z.optional(ListUpdateSchema),
  allowedNumbers: z.optional(ListUpdateSchema),
  authUsername: z.optional(z.string()),
  authPassword: z.optional(z.string()),
  authRealm: z.optional(z.string()),
  name: z.optional(z.string()),
  metadata: z.optional(z.string()),
  mediaEncryption: z.optional(SIPMediaEncryptionSchema),
  media: z.optional(SIPMediaConfigSchema),
});
/** The `update` action on an inbound trunk: which fields change and how. */
export type SIPInboundTrunkUpdate = z.infer<typeof SIPInboundTrunkUpdateSchema>;
