import type { CallView } from "../match/call.js";
import type { DispatchResolution, SIPOutcome } from "../model/resolution.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A resolution before its `sipOutcome` is known (and before its trace is attached). */
export type Decided = DistributiveOmit<DispatchResolution, "sipOutcome" | "trace">;
/** Whether the caller has entered a pin: the view of a call, or none before the call was read. */
type PinState = Pick<CallView, "pin" | "noPin">;
const NOTHING_ENTERED: PinState = { pin: "", noPin: false };

/**
 * What LiveKit's SIP service (livekit/sip, `pkg/sip/inbound.go`) does with a decision.
 *
 * The first INVITE is dispatched without a pin: ACCEPT joins the room (even when its name is
 * empty: `handleInvite` has no check), REQUEST_PIN answers and prompts, DROP sends no final
 * response, an RPC error answers 503. After the caller ends the pin with `#` (a pin or `noPin`),
 * `pinPrompt` plays "wrong pin" and hangs up unless the result is ACCEPT with a non-empty room;
 * an RPC error there closes the answered call without the prompt (still `reject`).
 */
export function sipOutcomeOf(result: Decided, call: PinState = NOTHING_ENTERED): SIPOutcome {
  if (result.result === "error") return "reject";
  // evaluateRule asks for a pin only when none was entered, so request_pin is always a prompt.
  if (result.result === "request_pin") return "prompt_pin";
  if (!call.noPin && call.pin === "") return result.result === "accept" ? "join_room" : "ignore";
  return result.result === "accept" && result.roomName !== "" ? "join_room" : "wrong_pin_hangup";
}

/** Completes a decision with its `sipOutcome`. The one place every resolution gets it. */
export function withOutcome(result: Decided, call?: PinState): DispatchResolution {
  const done = result as DispatchResolution;
  done.sipOutcome = sipOutcomeOf(result, call);
  return done;
}
