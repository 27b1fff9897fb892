import type { SIPHeaderOptions } from "../model/inbound-trunk.js";

// What LiveKit's SIP service adds to the participant's attributes from the INVITE headers.

/** LiveKit SIP's built-in provider header map (header → attribute). */
export const PROVIDER_HEADER_ATTRIBUTES: ReadonlyArray<readonly [header: string, attribute: string]> = [
  ["X-Twilio-AccountSid", "sip.twilio.accountSid"],
  ["X-Twilio-CallSid", "sip.twilio.callSid"],
  ["X-call_leg_id", "sip.telnyx.callLegID"],
  ["X-call_session_id", "sip.telnyx.callSessionID"],
  ["X-Amzn-ConnectContactId", "sip.amazon.contactId"],
  ["X-Amzn-ConnectInitialContactId", "sip.amazon.initialContactId"],
  ["X-Amzn-SourceAccount", "sip.amazon.sourceAccount"],
  ["X-Amzn-SourceArn", "sip.amazon.sourceArn"],
  ["X-Amzn-TargetArn", "sip.amazon.targetArn"],
  ["X-Lk-Test-Id", "lktest.id"],
];

/** Sets an own data property: a key such as `__proto__` stays data and never reaches a prototype. */
export function setAttribute(target: Record<string, string>, key: string, value: string): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Adds the header-derived attributes in LiveKit's order: `sip.h.*` per `includeHeaders`, then the
 * trunk's `headersToAttributes`, then the provider map (which LiveKit applies again last, so it
 * wins over a mapping onto the same key).
 */
export function addHeaderAttributes(
  attributes: Record<string, string>,
  headers: Record<string, string>,
  includeHeaders: SIPHeaderOptions,
  headersToAttributes: Record<string, string>,
): void {
  // SIP header names are case-insensitive; lookups take the first header of a name.
  const firstByName = new Map<string, string>();
  for (const key of Object.keys(headers)) {
    const lower = key.toLowerCase();
    const value = headers[key];
    if (typeof value !== "string") continue; // a caller's junk is ignored, never thrown on
    if (!firstByName.has(lower)) firstByName.set(lower, value);
    if (includeHeaders === "SIP_ALL_HEADERS" || (includeHeaders === "SIP_X_HEADERS" && lower.startsWith("x-")))
      setAttribute(attributes, "sip.h." + lower, value); // the last header of a name wins here
  }
  for (const header of Object.keys(headersToAttributes)) {
    const value = firstByName.get(header.toLowerCase());
    if (value !== undefined) setAttribute(attributes, headersToAttributes[header]!, value);
  }
  for (const [header, attribute] of PROVIDER_HEADER_ATTRIBUTES) {
    const value = firstByName.get(header.toLowerCase());
    if (value !== undefined) setAttribute(attributes, attribute, value);
  }
}
