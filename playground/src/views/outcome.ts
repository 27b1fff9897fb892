import type { DispatchResolution, InboundCall } from "../../../src/index.js";

// What LiveKit's SIP service does with a decision (docs/semantics.md, "What LiveKit's SIP service
// does with the decision").

export type SipOutcome = "join_room" | "prompt_pin" | "ignore" | "wrong_pin_hangup" | "reject";

export function outcomeOf(resolution: DispatchResolution, call: InboundCall): SipOutcome {
  const fromLibrary = (resolution as { sipOutcome?: SipOutcome }).sipOutcome;
  if (fromLibrary !== undefined) return fromLibrary;
  const pinEntered = call.noPin === true || (call.pin ?? "") !== "";
  switch (resolution.result) {
    case "accept":
      return resolution.roomName === "" && pinEntered ? "wrong_pin_hangup" : "join_room";
    case "request_pin":
      return "prompt_pin";
    case "drop":
      return pinEntered ? "wrong_pin_hangup" : "ignore";
    case "error":
      return "reject";
  }
}

export const OUTCOME_TEXT: Record<SipOutcome, string> = {
  join_room: "LiveKit answers and the caller joins the room.",
  prompt_pin: 'LiveKit answers, plays "enter pin" and reads digits up to #. Fill in a pin (or "no pin") to continue.',
  ignore: "LiveKit sends no final response: the INVITE is ignored and the caller's side times out.",
  wrong_pin_hangup: 'LiveKit plays "wrong pin" and hangs up.',
  reject: "LiveKit rejects the call with SIP 503 Service Unavailable.",
};
