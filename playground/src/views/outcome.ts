import type { SIPOutcome } from "../../../src/index.js";

// What LiveKit's SIP service does with a decision, in words (docs/semantics.md, "What LiveKit's
// SIP service does with the decision"); every resolution carries its `sipOutcome`.

export const OUTCOME_TEXT: Record<SIPOutcome, string> = {
  join_room: "LiveKit answers and the caller joins the room.",
  prompt_pin: 'LiveKit answers, plays "enter pin" and reads digits up to #. Fill in a pin (or "pressed #") to continue.',
  ignore: "LiveKit sends no final response: the INVITE is ignored and the caller's side times out.",
  wrong_pin_hangup: 'LiveKit plays "wrong pin" and hangs up.',
  reject: "LiveKit rejects the call with SIP 503 Service Unavailable.",
};
