import * as z from "zod/mini";
import { SIPMediaConfigSchema, SIPMediaEncryptionSchema } from "./media.js";
import { DurationSchema, TimestampSchema } from "./protojson-scalars.js";

/** `livekit.SIPHeaderOptions`: which INVITE headers become `sip.h.*` attributes. */
export const SIPHeaderOptionsSchema = z.enum(["SIP_NO_HEADERS", "SIP_X_HEADERS", "SIP_ALL_HEADERS"]);
/** Which INVITE headers become `sip.h.*` attributes: none, `X-` headers, or all. */
export type SIPHeaderOptions = z.infer<typeof SIPHeaderOptionsSchema>;

/** `livekit.SIPInboundTrunkInfo`, in LiveKit's protojson camelCase shape. */
export const SIPInboundTrunkInfoSchema = z.strictObject({
  sipTrunkId: z.string(),
  name: z.string(),
  metadata: z.string(),
  numbers: z.array(z.string()),
  allowedAddresses: z.array(z.string()),
  allowedNumbers: z.array(z.string()),
  authUsername: z.string(),
  authPassword: z.string(),
  authRealm: z.string(),
  headers: z.record(z.string(), z.string()),
  headersToAttributes: z.record(z.string(), z.string()),
  attributesToHeaders: z.record(z.string(), z.string()),
  includeHeaders: SIPHeaderOptionsSchema,
  ringingTimeout: z.optional(DurationSchema),
  maxCallDuration: z.optional(DurationSchema),
  krispEnabled: z.boolean(),
  mediaEncryption: SIPMediaEncryptionSchema,
  media: z.optional(SIPMediaConfigSchema),
  createdAt: z.optional(TimestampSchema),
  updatedAt: z.optional(TimestampSchema),
});
/** A LiveKit inbound trunk, as the parsers return it: every scalar, list and map present. */
export type SIPInboundTrunkInfo = z.infer<typeof SIPInboundTrunkInfoSchema>;

/** `livekit.SIPTransport`. */
export const SIPTransportSchema = z.enum([
  "SIP_TRANSPORT_AUTO",
  "SIP_TRANSPORT_UDP",
  "SIP_TRANSPORT_TCP",
  "SIP_TRANSPORT_TLS",
]);

/** `livekit.SIPTrunkInfo.TrunkKind`. */
export const SIPTrunkKindSchema = z.enum(["TRUNK_LEGACY", "TRUNK_INBOUND", "TRUNK_OUTBOUND"]);

/** The deprecated `livekit.SIPTrunkInfo`; accepted on input and converted to an inbound trunk. */
export const SIPTrunkInfoSchema = z.strictObject({
  sipTrunkId: z.string(),
  kind: SIPTrunkKindSchema,
  inboundAddresses: z.array(z.string()),
  outboundAddress: z.string(),
  outboundNumber: z.string(),
  transport: SIPTransportSchema,
  inboundNumbersRegex: z.array(z.string()),
  inboundNumbers: z.array(z.string()),
  inboundUsername: z.string(),
  inboundPassword: z.string(),
  outboundUsername: z.string(),
  outboundPassword: z.string(),
  name: z.string(),
  metadata: z.string(),
});
/** The deprecated combined trunk; the parsers convert it to an inbound trunk. */
export type SIPTrunkInfo = z.infer<typeof SIPTrunkInfoSchema>;
