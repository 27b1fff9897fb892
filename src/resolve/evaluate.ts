import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { CallView } from "../match/call.js";
import { mergeMedia } from "../model/media.js";
import type { DispatchAccept, DispatchRequestPin } from "../model/resolution.js";
import type { PreparedRule } from "../match/rule-match.js";
import { addHeaderAttributes, setAttribute } from "../match/sip-headers.js";
import type { PreparedTrunk } from "../match/trunk-match.js";

const NO_HEADERS: Record<string, string> = Object.freeze({});
// Web-standard UTF-8 (every JavaScript runtime has it), so the main entry needs no Node `Buffer`.
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

/** `sip_` + the first 8 bytes of SHA-256 of the caller, in hex: LiveKit's hidden identity. */
export function hiddenIdentity(fromUser: string): string {
  return "sip_" + bytesToHex(sha256(UTF8_ENCODER.encode(fromUser)).subarray(0, 8));
}

/**
 * The caller as a hidden number shows it: the last 4 bytes, or the last 1 when it has 4 or fewer.
 * LiveKit slices bytes; for non-ASCII input we slice the UTF-8 bytes too (a split character
 * decodes as U+FFFD). An empty caller, which crashes LiveKit, masks to `""`.
 */
export function maskNumber(fromUser: string): string {
  if (/^[\x00-\x7f]*$/.test(fromUser)) return fromUser.length <= 4 ? fromUser.slice(-1) : fromUser.slice(-4);
  const bytes = UTF8_ENCODER.encode(fromUser);
  return UTF8_DECODER.decode(bytes.subarray(bytes.length - (bytes.length <= 4 ? 1 : 4)));
}

/** The room name for a rule and caller, per kind. `from` is the caller as shown (masked or raw). */
export function roomNameFor(rule: PreparedRule, from: string, to: string, randomId: () => string): string {
  if (rule.kind === "direct") return rule.room;
  // Individual rooms are per caller, Callee rooms per called number; `_` joins a non-empty prefix.
  const party = rule.kind === "individual" ? from : to;
  const room = rule.room === "" ? party : rule.room + "_" + party;
  return rule.randomSuffix ? room + "_" + randomId() : room;
}

/** Copies a caller-supplied string map: keys such as `__proto__` stay data, non-strings are ignored. */
function copyStringMap(source: Record<string, string>, into: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === "string") setAttribute(into, key, value);
  }
  return into;
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
): Omit<DispatchAccept, "trace" | "sipOutcome"> | Omit<DispatchRequestPin, "trace" | "sipOutcome"> {
  const trunkId = trunk?.id ?? "";
  const media = mergeMedia(trunk?.media, rule.media);
  const mediaEncryption = media.encryption ?? "SIP_MEDIA_ENCRYPT_DISABLE";
  if (rule.pin !== "" && call.pin === "") return { result: "request_pin", trunkId, ruleId: rule.id, media, mediaEncryption };

  const source = call.call;
  const attributes: Record<string, string> = rule.attributesCopyWithAssign
    ? Object.assign({}, rule.attributes)
    : copyStringMap(rule.attributes, {});
  if (source.extraAttributes !== undefined) copyStringMap(source.extraAttributes, attributes);
  attributes["sip.callID"] = source.callId ?? "SCL_" + randomId();
  attributes["sip.trunkID"] = trunk?.id ?? source.trunkId ?? "";
  let from = call.fromUser;
  let identity = "sip_" + from;
  if (rule.hidePhoneNumber) {
    identity = hiddenIdentity(call.fromUser);
    from = maskNumber(call.fromUser);
  } else {
    attributes["sip.phoneNumber"] = call.fromUser;
    attributes["sip.hostname"] = call.fromHost;
    attributes["sip.trunkPhoneNumber"] = call.toUser;
  }
  const roomName = roomNameFor(rule, from, call.toUser, randomId);
  attributes["sip.ruleID"] = rule.id;
  if (source.headers !== undefined)
    addHeaderAttributes(
      attributes,
      source.headers,
      trunk?.passthrough.includeHeaders ?? "SIP_NO_HEADERS",
      trunk?.passthrough.headersToAttributes ?? NO_HEADERS,
    );
  if (source.sipCallId !== undefined) attributes["sip.callIDFull"] = source.sipCallId;

  const accept: Omit<DispatchAccept, "trace" | "sipOutcome"> = {
    result: "accept",
    trunkId,
    ruleId: rule.id,
    roomName,
    participant: { identity, name: "Phone " + from, metadata: rule.metadata, attributes },
    media,
    mediaEncryption,
    krispEnabled: trunk?.krispEnabled === true || rule.krispEnabled,
  };
  if (rule.roomPreset !== "") accept.roomPreset = rule.roomPreset;
  if (rule.roomConfig !== undefined) accept.roomConfig = rule.roomConfig;
  if (trunk !== undefined) accept.trunk = trunk.passthrough;
  return accept;
}
