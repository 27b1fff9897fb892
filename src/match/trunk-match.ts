import { addressAllowed, compileAddressAllowlist, type AddressAllowlist } from "./address.js";
import type { CallView } from "./call.js";
import { goQuote } from "./go-format.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { normalizeNumber } from "./number.js";
import { frozenCopy } from "../model/frozen.js";
import { objectProblem, stringListProblem, stringMapProblem, stringProblem } from "../model/shape.js";
import { preparedMedia, type SIPMediaConfig } from "../model/media.js";
import type { TraceEntry, TrunkPassthrough, TrunkTraceReason } from "../model/resolution.js";

/** A trunk with its number lists normalised and its address list compiled. */
export interface PreparedTrunk {
  readonly trunk: SIPInboundTrunkInfo;
  readonly id: string;
  /** No `numbers`: a default (wildcard) trunk. */
  readonly isDefault: boolean;
  /** Normalised `numbers`. Raw equality implies normalised equality, so this set decides alone. */
  readonly numbers: ReadonlySet<string>;
  /** Normalised `allowedNumbers`; `undefined` admits every caller. */
  readonly allowedCallers: ReadonlySet<string> | undefined;
  readonly addresses: AddressAllowlist | undefined;
  /** The trunk's media, upgraded as LiveKit upgrades it before merging. */
  readonly media: SIPMediaConfig;
  /** What an accept result passes through from the trunk (frozen, shared). */
  readonly passthrough: TrunkPassthrough;
  readonly krispEnabled: boolean;
}

function passthroughOf(t: SIPInboundTrunkInfo): TrunkPassthrough {
  const passthrough: TrunkPassthrough = {
    headers: t.headers ?? {},
    headersToAttributes: t.headersToAttributes ?? {},
    attributesToHeaders: t.attributesToHeaders ?? {},
    includeHeaders: t.includeHeaders ?? "SIP_NO_HEADERS",
  };
  if (t.ringingTimeout !== undefined) passthrough.ringingTimeout = t.ringingTimeout;
  if (t.maxCallDuration !== undefined) passthrough.maxCallDuration = t.maxCallDuration;
  return frozenCopy(passthrough);
}

/** Checks the fields the engine reads of a hand-built trunk (a wrong type is a programmer error). */
function checkTrunkShape(trunk: SIPInboundTrunkInfo): void {
  // A chain of `??`: nothing is built unless a field is wrong.
  const problem =
    stringProblem(trunk.sipTrunkId, "sipTrunkId") ??
    stringListProblem(trunk.numbers, "numbers") ??
    stringListProblem(trunk.allowedNumbers, "allowedNumbers") ??
    stringListProblem(trunk.allowedAddresses, "allowedAddresses") ??
    stringMapProblem(trunk.headers, "headers") ??
    stringMapProblem(trunk.headersToAttributes, "headersToAttributes") ??
    stringMapProblem(trunk.attributesToHeaders, "attributesToHeaders") ??
    stringProblem(trunk.includeHeaders, "includeHeaders") ??
    stringProblem(trunk.ringingTimeout, "ringingTimeout") ??
    stringProblem(trunk.maxCallDuration, "maxCallDuration") ??
    objectProblem(trunk.media, "media");
  if (problem !== undefined)
    throw new TypeError(`inbound trunk${typeof trunk.sipTrunkId === "string" ? ` ${JSON.stringify(trunk.sipTrunkId)}` : ""}: ${problem}`);
}

export function prepareTrunk(trunk: SIPInboundTrunkInfo): PreparedTrunk {
  checkTrunkShape(trunk);
  const numbers = trunk.numbers ?? [];
  const allowed = trunk.allowedNumbers ?? [];
  return {
    trunk,
    id: trunk.sipTrunkId ?? "",
    isDefault: numbers.length === 0,
    numbers: new Set(numbers.map(normalizeNumber)),
    allowedCallers: allowed.length === 0 ? undefined : new Set(allowed.map(normalizeNumber)),
    addresses: compileAddressAllowlist(trunk.allowedAddresses ?? []),
    media: preparedMedia(trunk.media, trunk.mediaEncryption),
    passthrough: passthroughOf(trunk),
    krispEnabled: trunk.krispEnabled === true,
  };
}

/** Why a trunk does not take the call; `undefined` when it passes (a default trunk always serves the number). */
export type TrunkRejection = "caller_not_allowed" | "address_not_allowed" | "number_mismatch";

const callerAllowed = (trunk: PreparedTrunk, call: CallView): boolean =>
  trunk.allowedCallers === undefined || trunk.allowedCallers.has(call.fromNormalized);
const sourceAllowed = (trunk: PreparedTrunk, call: CallView): boolean =>
  addressAllowed(trunk.addresses, call.sourceIp, call.fromHost, call.strict);

/** LiveKit's per-trunk filters, in its order: calling number, source address, called number. */
export function rejectTrunk(trunk: PreparedTrunk, call: CallView): TrunkRejection | undefined {
  if (!callerAllowed(trunk, call)) return "caller_not_allowed";
  if (!sourceAllowed(trunk, call)) return "address_not_allowed";
  if (!trunk.isDefault && !trunk.numbers.has(call.toNormalized)) return "number_mismatch";
  return undefined;
}

/** The first two filters alone, for a trunk already known to serve the called number. */
export const admitTrunk = (trunk: PreparedTrunk, call: CallView): boolean => callerAllowed(trunk, call) && sourceAllowed(trunk, call);

export type TrunkConflictCode = "trunk_conflict" | "default_trunk_conflict";

/** The outcome of trunk matching. */
export type TrunkMatch =
  | {
      kind: "matched";
      trunk: PreparedTrunk;
      specific: boolean;
      /** What the source that matched the trunk may pass on to its own rule lookup (an index entry). */
      hint?: unknown;
    }
  | { kind: "none" }
  | { kind: "conflict"; code: TrunkConflictCode; message: string; trunks: PreparedTrunk[] };

export const trunkConflictMessage = (code: TrunkConflictCode, calledUser: string): string =>
  code === "trunk_conflict"
    ? `Multiple SIP Trunks matched for ${goQuote(calledUser)}`
    : `Multiple default SIP Trunks matched for ${goQuote(calledUser)}`;

/**
 * Chooses among the trunks that passed their filters: one specific trunk beats any number of
 * defaults; two specific trunks, or (with no specific one) two defaults, are conflicts.
 */
export function decideTrunk(specific: PreparedTrunk[], defaults: PreparedTrunk[], call: CallView): TrunkMatch {
  if (specific.length > 1)
    return { kind: "conflict", code: "trunk_conflict", message: trunkConflictMessage("trunk_conflict", call.toUser), trunks: specific };
  if (specific.length === 1) return { kind: "matched", trunk: specific[0]!, specific: true };
  if (defaults.length > 1)
    return {
      kind: "conflict",
      code: "default_trunk_conflict",
      message: trunkConflictMessage("default_trunk_conflict", call.toUser),
      trunks: defaults,
    };
  if (defaults.length === 1) return { kind: "matched", trunk: defaults[0]!, specific: false };
  return { kind: "none" };
}

const REJECTION_DETAIL: Record<TrunkRejection, string> = {
  caller_not_allowed: "the calling number is not in allowedNumbers",
  address_not_allowed: "the source address and From host are not in allowedAddresses",
  number_mismatch: "the called number is not in numbers",
};

/** A trunk-stage trace entry. */
export function trunkTraceEntry(id: string, reason: TrunkTraceReason, detail?: string): TraceEntry {
  const verdict =
    reason === "selected_specific" || reason === "selected_default" || reason === "fast_path"
      ? "selected"
      : reason === "default_outranked_by_specific"
        ? "outranked"
        : "skipped";
  return detail === undefined ? { stage: "trunk", id, verdict, reason } : { stage: "trunk", id, verdict, reason, detail };
}

/** The trunk stage of the trace for a full match over `trunks`, given each trunk's rejection. */
export function traceTrunks(
  trunks: readonly PreparedTrunk[],
  rejections: readonly (TrunkRejection | undefined)[],
  match: TrunkMatch,
): TraceEntry[] {
  const entries: TraceEntry[] = [];
  for (let i = 0; i < trunks.length; i++) {
    const trunk = trunks[i]!;
    const rejection = rejections[i];
    if (rejection !== undefined) {
      entries.push(trunkTraceEntry(trunk.id, rejection, REJECTION_DETAIL[rejection]));
    } else if (match.kind === "conflict") {
      const inConflict = match.trunks.includes(trunk);
      if (inConflict) entries.push(trunkTraceEntry(trunk.id, trunk.isDefault ? "selected_default" : "selected_specific", match.message));
      else entries.push(trunkTraceEntry(trunk.id, "default_outranked_by_specific"));
    } else if (match.kind === "matched" && match.trunk === trunk) {
      entries.push(trunkTraceEntry(trunk.id, match.specific ? "selected_specific" : "selected_default"));
    } else {
      // Passed its filters but was not chosen: only a default trunk beside a specific one.
      entries.push(trunkTraceEntry(trunk.id, "default_outranked_by_specific"));
    }
  }
  return entries;
}
