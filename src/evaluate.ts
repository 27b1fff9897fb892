import { createHash } from "node:crypto";
import type { CallView } from "./call.js";
import { mergeMedia, upgradeMedia } from "./media.js";
import type { DispatchAccept, DispatchRequestPin, TrunkPassthrough } from "./resolution.js";
import type { PreparedRule } from "./rule-match.js";
import { addHeaderAttributes, setAttribute } from "./sip-headers.js";
import type { PreparedTrunk } from "./trunk-match.js";

/** `sip_` + the first 8 bytes of SHA-256 of the caller, in hex: LiveKit's hidden identity. */
export function hiddenIdentity(fromUser: string): string {
  return "sip_" + createHash("sha256").update(fromUser, "utf8").digest("hex").slice(0, 16);
}

/**
 * The caller as a hidden number shows it: the last 4 bytes, or the last 1 when it has 4 or fewer.
 * LiveKit slices bytes; for non-ASCII input we slice the UTF-8 bytes too (a split character
 * decodes as U+FFFD). An empty caller, which crashes LiveKit, masks to `""`.
 */
export function maskNumber(fromUser: string): string {
  if (/^[\x00-\x7f]*$/.test(fromUser)) return fromUser.length <= 4 ? fromUser.slice(-1) : fromUser.slice(-4);
  const bytes = Buffer.from(fromUser, "utf8");
  return bytes.subarray(bytes.length - (bytes.length <= 4 ? 1 : 4)).toString("utf8");
}

/** The room name for a rule and caller, per kind. `from` is the caller as shown (masked or raw). */
export function roomNameFor(rule: PreparedRule, from: string, to: string, randomId: () => string): string {
  const r = rule.rule.rule;
  if (r?.dispatchRuleDirect) return r.dispatchRuleDirect.roomName ?? "";
  if (r?.dispatchRuleIndividual) {
    const { roomPrefix = "", noRandomness = false } = r.dispatchRuleIndividual;
    const room = roomPrefix === "" ? from : roomPrefix + "_" + from;
    return noRandomness ? room : room + "_" + randomId();
  }
  const { roomPrefix = "", randomize = false } = r?.dispatchRuleCallee ?? {};
  const room = roomPrefix === "" ? to : roomPrefix + "_" + to;
  return randomize ? room + "_" + randomId() : room;
}

function copyStringMap(source: Record<string, string> | undefined, into: Record<string, string> = {}): Record<string, string> {
  if (source === undefined) return into;
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === "string") setAttribute(into, key, value);
  }
  return into;
}

function trunkPassthrough(trunk: PreparedTrunk): TrunkPassthrough {
  const t = trunk.trunk;
  const passthrough: TrunkPassthrough = {
    headers: copyStringMap(t.headers),
    headersToAttributes: copyStringMap(t.headersToAttributes),
    attributesToHeaders: copyStringMap(t.attributesToHeaders),
    includeHeaders: t.includeHeaders ?? "SIP_NO_HEADERS",
  };
  if (t.ringingTimeout !== undefined) passthrough.ringingTimeout = t.ringingTimeout;
  if (t.maxCallDuration !== undefined) passthrough.maxCallDuration = t.maxCallDuration;
  return passthrough;
}

/**
 * LiveKit's `EvaluateDispatchRule` plus what its SIP service adds at join: the accept result, or
 * `request_pin` when the rule has a pin and none was sent.
 */
export function evaluateRule(
  trunk: PreparedTrunk | undefined,
  rule: PreparedRule,
  call: CallView,
  randomId: () => string,
): Omit<DispatchAccept, "trace"> | Omit<DispatchRequestPin, "trace"> {
  const info = rule.rule;
  const trunkId = trunk?.id ?? "";
  const trunkMedia = trunk === undefined ? undefined : upgradeMedia(trunk.trunk.media, trunk.trunk.mediaEncryption);
  const media = mergeMedia(trunkMedia, upgradeMedia(info.media, info.mediaEncryption));
  const mediaEncryption = media.encryption ?? "SIP_MEDIA_ENCRYPT_DISABLE";
  if (rule.pin !== "" && call.pin === "") return { result: "request_pin", trunkId, ruleId: rule.id, media, mediaEncryption };

  const source = call.call;
  const attributes = copyStringMap(info.attributes);
  copyStringMap(source.extraAttributes, attributes);
  setAttribute(attributes, "sip.callID", source.callId ?? "SCL_" + randomId());
  setAttribute(attributes, "sip.trunkID", trunk?.id ?? source.trunkId ?? "");
  let from = call.fromUser;
  let identity = "sip_" + from;
  if (info.hidePhoneNumber) {
    identity = hiddenIdentity(call.fromUser);
    from = maskNumber(call.fromUser);
  } else {
    setAttribute(attributes, "sip.phoneNumber", call.fromUser);
    setAttribute(attributes, "sip.hostname", call.fromHost);
    setAttribute(attributes, "sip.trunkPhoneNumber", call.toUser);
  }
  const roomName = roomNameFor(rule, from, call.toUser, randomId);
  setAttribute(attributes, "sip.ruleID", rule.id);
  if (source.headers !== undefined)
    addHeaderAttributes(
      attributes,
      source.headers,
      trunk?.trunk.includeHeaders ?? "SIP_NO_HEADERS",
      trunk?.trunk.headersToAttributes ?? {},
    );
  if (source.sipCallId !== undefined) setAttribute(attributes, "sip.callIDFull", source.sipCallId);

  const accept: Omit<DispatchAccept, "trace"> = {
    result: "accept",
    trunkId,
    ruleId: rule.id,
    roomName,
    participant: { identity, name: "Phone " + from, metadata: info.metadata ?? "", attributes },
    media,
    mediaEncryption,
    krispEnabled: trunk?.trunk.krispEnabled === true || info.krispEnabled === true,
  };
  if (info.roomPreset) accept.roomPreset = info.roomPreset;
  if (info.roomConfig !== undefined) accept.roomConfig = structuredClone(info.roomConfig);
  if (trunk !== undefined) accept.trunk = trunkPassthrough(trunk);
  return accept;
}
