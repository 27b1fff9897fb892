import * as z from "zod/mini";
import { DurationSchema, Uint32Schema } from "./protojson-scalars.js";

/** `livekit.SIPMediaEncryption`, as protojson writes it. */
export const SIPMediaEncryptionSchema = z.enum([
  "SIP_MEDIA_ENCRYPT_DISABLE",
  "SIP_MEDIA_ENCRYPT_ALLOW",
  "SIP_MEDIA_ENCRYPT_REQUIRE",
]);
/** Media encryption: disabled, allowed or required. */
export type SIPMediaEncryption = z.infer<typeof SIPMediaEncryptionSchema>;

/** `livekit.SIPCodec`. */
export const SIPCodecSchema = z.strictObject({
  name: z.string(),
  rate: Uint32Schema,
});
/** One audio codec, by name and clock rate. */
export type SIPCodec = z.infer<typeof SIPCodecSchema>;

/**
 * `livekit.SIPMediaConfig`. `encryption` and `mediaTimeout` are proto3 optional:
 * present only when set, which is how LiveKit tells "unset" from DISABLE / zero.
 */
export const SIPMediaConfigSchema = z.strictObject({
  onlyListedCodecs: z.boolean(),
  codecs: z.array(SIPCodecSchema),
  encryption: z.optional(SIPMediaEncryptionSchema),
  mediaTimeout: z.optional(DurationSchema),
});
/** Codecs, encryption and media timeout of a trunk or rule. */
export type SIPMediaConfig = z.infer<typeof SIPMediaConfigSchema>;

const copyCodecs = (codecs: readonly SIPCodec[] | undefined): SIPCodec[] => {
  const copy: SIPCodec[] = [];
  if (codecs !== undefined) for (const codec of codecs) copy.push({ name: codec.name, rate: codec.rate });
  return copy;
};

const copyMedia = (media: SIPMediaConfig): SIPMediaConfig => {
  const copy: SIPMediaConfig = { onlyListedCodecs: media.onlyListedCodecs ?? false, codecs: copyCodecs(media.codecs) };
  if (media.encryption !== undefined) copy.encryption = media.encryption;
  if (media.mediaTimeout !== undefined) copy.mediaTimeout = media.mediaTimeout;
  return copy;
};

/**
 * LiveKit's `Upgrade`: a missing media config becomes `{}`, and an unset `encryption` takes the
 * legacy `mediaEncryption` unless that is DISABLE (the zero value, read as "unset"). Returns a copy.
 */
export function upgradeMedia(media: SIPMediaConfig | undefined, legacy: SIPMediaEncryption | undefined): SIPMediaConfig {
  const upgraded = copyMedia(media ?? { onlyListedCodecs: false, codecs: [] });
  if (upgraded.encryption === undefined && legacy !== undefined && legacy !== "SIP_MEDIA_ENCRYPT_DISABLE") upgraded.encryption = legacy;
  return upgraded;
}

/** Merges two encryption settings: one side alone wins; a rule cannot downgrade to DISABLE. */
function mergeEncryption(
  base: SIPMediaEncryption | undefined,
  over: SIPMediaEncryption | undefined,
): SIPMediaEncryption | undefined {
  if (base === undefined) return over;
  if (over === undefined) return base;
  return over === "SIP_MEDIA_ENCRYPT_DISABLE" ? base : over;
}

/**
 * LiveKit's media merge of a rule's config over a trunk's (both upgraded): the rule's codecs win
 * when it lists any, its timeout when set, and encryption merges as above. Returns a new object,
 * built in one go (a `delete` would push it into V8's slow dictionary mode).
 */
export function mergeMedia(base: SIPMediaConfig | undefined, over: SIPMediaConfig): SIPMediaConfig {
  const codecSource = base !== undefined && (over.codecs ?? []).length === 0 ? base : over;
  const merged: SIPMediaConfig = { onlyListedCodecs: codecSource.onlyListedCodecs ?? false, codecs: copyCodecs(codecSource.codecs) };
  const encryption = base === undefined ? over.encryption : mergeEncryption(base.encryption, over.encryption);
  if (encryption !== undefined) merged.encryption = encryption;
  const mediaTimeout = over.mediaTimeout ?? base?.mediaTimeout;
  if (mediaTimeout !== undefined) merged.mediaTimeout = mediaTimeout;
  return merged;
}

const SHARED_MEDIA = new Map<SIPMediaEncryption | undefined, SIPMediaConfig>(
  ([undefined, ...SIPMediaEncryptionSchema.options] as const).map((encryption) => [
    encryption,
    Object.freeze(encryption === undefined ? { onlyListedCodecs: false, codecs: [] } : { onlyListedCodecs: false, codecs: [], encryption }),
  ]),
);

/**
 * The upgraded media config a prepared trunk or rule keeps: a shared frozen object when it sets
 * nothing but encryption, as almost all do, so that resolving a call touches one object everyone
 * shares (and preparing a large configuration allocates nothing for it).
 */
export function preparedMedia(media: SIPMediaConfig | undefined, legacy: SIPMediaEncryption | undefined): SIPMediaConfig {
  const plain = media === undefined || (!media.onlyListedCodecs && (media.codecs ?? []).length === 0 && media.mediaTimeout === undefined);
  if (!plain) return upgradeMedia(media, legacy);
  const encryption = media?.encryption ?? (legacy === "SIP_MEDIA_ENCRYPT_DISABLE" ? undefined : legacy);
  return SHARED_MEDIA.get(encryption)!;
}
