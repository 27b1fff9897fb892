import { parseIp, type IpAddress } from "./address.js";
import { normalizeNumber } from "./number.js";
import type { InboundCall, ResolveOptions } from "../model/resolution.js";

/** The call as every stage reads it: parts split out and numbers normalised once. */
export interface CallView {
  readonly call: InboundCall;
  readonly fromUser: string;
  readonly fromHost: string;
  readonly toUser: string;
  readonly fromNormalized: string;
  readonly toNormalized: string;
  /** The parsed source address; `undefined` when the call has none. */
  readonly sourceIp: IpAddress | undefined;
  /** The digits sent, `""` when none; `noPin` wins over `pin`. */
  readonly pin: string;
  readonly noPin: boolean;
  readonly strict: boolean;
}

function partOf(value: unknown, name: "from" | "to"): { user: string; host: string } {
  if (typeof value === "string") return { user: value, host: "" };
  if (typeof value === "object" && value !== null) {
    const { user, host } = value as { user?: unknown; host?: unknown };
    if (typeof user === "string" && (host === undefined || typeof host === "string")) return { user, host: host ?? "" };
  }
  throw new TypeError(`call.${name} must be a string or { user: string; host?: string }`);
}

const isOptionalString = (v: unknown): boolean => v === undefined || typeof v === "string";
const isOptionalMap = (v: unknown): boolean => v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v));

/**
 * The TypeError for a call that is not shaped as an InboundCall (a programmer error), saying which
 * field is wrong. Called only once viewCall's inline check has failed: that check runs on every
 * call, so it stays a flat expression.
 */
function badCall(call: InboundCall): TypeError {
  for (const key of ["sourceIp", "callId", "sipCallId", "trunkId", "pin"] as const)
    if (!isOptionalString(call[key])) return new TypeError(`call.${key} must be a string when given`);
  for (const key of ["headers", "extraAttributes"] as const)
    if (!isOptionalMap(call[key])) return new TypeError(`call.${key} must be an object of strings when given`);
  return new TypeError("call.noPin must be a boolean when given");
}

/**
 * Checks the argument shapes (a wrong shape is a programmer error: TypeError) and builds the view.
 * Returns the source address text separately when it is given but is not an IP address.
 */
export function viewCall(call: InboundCall, options: ResolveOptions | undefined): CallView | { invalidSourceIp: string } {
  if (typeof call !== "object" || call === null) throw new TypeError("resolveDispatch: call must be an InboundCall object");
  const record = call as unknown as Record<string, unknown>;
  const from = partOf(record.from, "from");
  const to = partOf(record.to, "to");
  if (
    !isOptionalString(call.sourceIp) ||
    !isOptionalString(call.callId) ||
    !isOptionalString(call.sipCallId) ||
    !isOptionalString(call.trunkId) ||
    !isOptionalString(call.pin) ||
    !isOptionalMap(call.headers) ||
    !isOptionalMap(call.extraAttributes) ||
    (call.noPin !== undefined && typeof call.noPin !== "boolean")
  )
    throw badCall(call);
  const sourceText = call.sourceIp ?? "";
  const sourceIp = sourceText === "" ? undefined : parseIp(sourceText);
  if (sourceText !== "" && sourceIp === undefined) return { invalidSourceIp: sourceText };
  const noPin = call.noPin === true;
  return {
    call,
    fromUser: from.user,
    fromHost: from.host,
    toUser: to.user,
    fromNormalized: normalizeNumber(from.user),
    toNormalized: normalizeNumber(to.user),
    sourceIp,
    pin: noPin ? "" : (call.pin ?? ""),
    noPin,
    strict: options?.strict === true,
  };
}
