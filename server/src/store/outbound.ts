import { SIPOutboundTrunkInfo as ProtoOutboundTrunk, type SIPOutboundTrunkUpdate } from "@livekit/protocol";
import { applyListUpdate, parseInboundTrunk, validateInboundTrunk, type Result } from "sip-dispatch";

// Outbound trunks play no part in dispatch; they are stored and checked as LiveKit checks them
// (livekit/protocol livekit/sip.go, SIPOutboundTrunkInfo.ValidateResult) so provisioning code runs
// end to end.

const fail = (message: string): { ok: false; error: { code: string; message: string } } => ({ ok: false, error: { code: "invalid_argument", message } });

function hostnameProblem(value: string, field: string): string | undefined {
  if (value.includes("transport=")) return `${field} should not contain transport parameter`;
  if (/[@;]/.test(value) || value.startsWith("sip:") || value.startsWith("sips:")) return `${field} should be a hostname or IP, not SIP URI`;
  return undefined;
}

/** Header and media checks are the inbound trunk's, in its words: run them on a stand-in trunk. */
function headerAndMediaProblem(trunk: ProtoOutboundTrunk): string | undefined {
  const json = trunk.toJson() as Record<string, unknown>;
  const standIn = parseInboundTrunk({
    numbers: ["+1"],
    headers: json["headers"] ?? {},
    headersToAttributes: json["headersToAttributes"] ?? {},
    attributesToHeaders: json["attributesToHeaders"] ?? {},
    ...(json["media"] === undefined ? {} : { media: json["media"] }),
  });
  if (!standIn.ok) return standIn.error.message;
  const valid = validateInboundTrunk(standIn.value);
  return valid.ok ? undefined : valid.error.message;
}

export function validateOutboundTrunk(trunk: ProtoOutboundTrunk): Result<ProtoOutboundTrunk> {
  if (trunk.numbers.length === 0) return fail("no trunk numbers specified");
  if (trunk.address === "") return fail("no outbound address specified");
  const problem = hostnameProblem(trunk.address, "trunk address") ?? hostnameProblem(trunk.fromHost, "from_host") ?? headerAndMediaProblem(trunk);
  return problem === undefined ? { ok: true, value: trunk } : fail(problem);
}

/** LiveKit's `SIPOutboundTrunkUpdate.ApplyResult`: the fields given replace the stored ones. */
export function applyOutboundTrunkUpdate(stored: ProtoOutboundTrunk, update: SIPOutboundTrunkUpdate): Result<ProtoOutboundTrunk> {
  const next = stored.clone();
  if (update.numbers !== undefined) {
    const numbers = applyListUpdate(next.numbers, update.numbers.toJson() as never);
    if (!numbers.ok) return fail(numbers.error.message);
    next.numbers = numbers.value;
  }
  if (update.address !== undefined) next.address = update.address;
  if (update.transport !== undefined) next.transport = update.transport;
  if (update.destinationCountry !== undefined) next.destinationCountry = update.destinationCountry;
  if (update.authUsername !== undefined) next.authUsername = update.authUsername;
  if (update.authPassword !== undefined) next.authPassword = update.authPassword;
  if (update.name !== undefined) next.name = update.name;
  if (update.metadata !== undefined) next.metadata = update.metadata;
  if (update.fromHost !== undefined) next.fromHost = update.fromHost;
  if (update.mediaEncryption !== undefined) next.mediaEncryption = update.mediaEncryption;
  if (update.media !== undefined) next.media = update.media.clone();
  return validateOutboundTrunk(next);
}
