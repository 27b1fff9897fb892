import type { SIPDispatchRuleInfo } from "./dispatch-rule.js";
import type { SIPHeaderOptions, SIPInboundTrunkInfo } from "./inbound-trunk.js";
import type { SIPMediaConfig, SIPMediaEncryption } from "./media.js";
import type { RoomConfiguration } from "./room-config.js";

/** A SIP party: the user part of the URI and, optionally, its host. */
export interface SIPParty {
  user: string;
  host?: string;
}

/** An inbound call, as LiveKit's SIP service presents it to dispatch. */
export interface InboundCall {
  /** Calling party: the From user (and host). A string is the user alone. */
  from: string | SIPParty;
  /** Called party: the To user (and host). */
  to: string | SIPParty;
  /** Signalling source address, without port. */
  sourceIp?: string;
  /** LiveKit call id for `sip.callID`; `"SCL_" + randomId()` when absent. */
  callId?: string;
  /** The SIP Call-ID header, for `sip.callIDFull`. */
  sipCallId?: string;
  /** INVITE headers, for header-derived attributes. */
  headers?: Record<string, string>;
  /** Trunk already identified by the auth step (LiveKit's fast path). */
  trunkId?: string;
  /** Digits entered by the caller; absent or `""` means not asked yet. */
  pin?: string;
  /** The caller pressed `#` without digits; wins over `pin`. */
  noPin?: boolean;
  /** Attributes added after the rule's own (LiveKit Cloud's `extra_attributes`). */
  extraAttributes?: Record<string, string>;
}

/** Options of {@link resolveDispatch} and {@link Dispatcher.resolve}. */
export interface ResolveOptions {
  /** The 12-character random suffix. Default: a CSPRNG over LiveKit's 57-character alphabet. */
  randomId?: () => string;
  /** Include `trace` in the resolution (default false). */
  trace?: boolean;
  /** Close LiveKit's pitfalls listed in docs/semantics.md (default false: LiveKit-exact). */
  strict?: boolean;
}

/** Trunk-stage trace reasons. */
export type TrunkTraceReason =
  | "caller_not_allowed"
  | "address_not_allowed"
  | "number_mismatch"
  | "selected_specific"
  | "selected_default"
  | "default_outranked_by_specific"
  | "fast_path";

/** Rule-stage trace reasons. */
export type RuleTraceReason =
  | "caller_mismatch"
  | "number_mismatch"
  | "pin_required_but_no_pin_mode"
  | "open_rule_after_pin"
  | "pin_mismatch"
  | "trunk_mismatch"
  | "specific_rule_won"
  | "lower_priority"
  | "selected";

/** One step of a decision: a trunk or rule and what happened to it. Never contains a pin. */
export interface TraceEntry {
  stage: "trunk" | "rule";
  id: string;
  verdict: "selected" | "skipped" | "outranked";
  reason: TrunkTraceReason | RuleTraceReason;
  detail?: string;
}

/** The participant that an accepted call joins as. */
export interface DispatchParticipant {
  identity: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
}

/** Trunk-level settings that LiveKit passes through to the call when a trunk matched. */
export interface TrunkPassthrough {
  headers: Record<string, string>;
  headersToAttributes: Record<string, string>;
  attributesToHeaders: Record<string, string>;
  includeHeaders: SIPHeaderOptions;
  ringingTimeout?: string;
  maxCallDuration?: string;
}

/**
 * What LiveKit's SIP service (livekit/sip, `pkg/sip/inbound.go`) does with a resolution; see
 * docs/semantics.md.
 * - `join_room`: the caller joins `roomName`.
 * - `prompt_pin`: the call is answered, "enter pin" plays, DTMF is read up to `#`.
 * - `ignore`: a first INVITE (no pin entered) that no rule takes gets no final response.
 * - `wrong_pin_hangup`: a pin was entered (`pin` or `noPin`) and no rule accepted it, or the
 *   accepted room name is empty: "wrong pin" plays and the answered call is hung up.
 * - `reject`: an error; the INVITE is answered with `sipStatus` (after a pin, the answered call
 *   is closed instead).
 */
export type SIPOutcome = "join_room" | "prompt_pin" | "ignore" | "wrong_pin_hangup" | "reject";

/**
 * The call is accepted into `roomName`. After an entered pin, an empty `roomName` makes LiveKit's
 * SIP service play "wrong pin" and hang up (`sipOutcome: "wrong_pin_hangup"`).
 */
export interface DispatchAccept {
  result: "accept";
  trunkId: string;
  ruleId: string;
  roomName: string;
  participant: DispatchParticipant;
  roomPreset?: string;
  roomConfig?: RoomConfiguration;
  media: SIPMediaConfig;
  mediaEncryption: SIPMediaEncryption;
  krispEnabled: boolean;
  trunk?: TrunkPassthrough;
  sipOutcome: "join_room" | "wrong_pin_hangup";
  trace?: TraceEntry[];
}

/** The winning rule has a pin and none was sent: LiveKit answers and prompts for DTMF. */
export interface DispatchRequestPin {
  result: "request_pin";
  trunkId: string;
  ruleId: string;
  media: SIPMediaConfig;
  mediaEncryption: SIPMediaEncryption;
  /** Only a call without an entered pin is asked for one. */
  sipOutcome: "prompt_pin";
  trace?: TraceEntry[];
}

/**
 * No rule matched. On a first INVITE LiveKit's SIP service sends no final response (`ignore`);
 * after an entered pin it plays "wrong pin" and hangs up (`wrong_pin_hangup`).
 */
export interface DispatchDrop {
  result: "drop";
  trunkId: string;
  reason: "no_rule";
  sipOutcome: "ignore" | "wrong_pin_hangup";
  trace?: TraceEntry[];
}

/** Error codes of a `result: "error"` resolution. */
export type DispatchErrorCode =
  | "trunk_conflict"
  | "default_trunk_conflict"
  | "rule_conflict"
  | "invalid_rule"
  | "invalid_source_ip";

/** The configuration cannot decide this call: LiveKit answers 503. */
export interface DispatchFailure {
  result: "error";
  trunkId: string;
  error: { code: DispatchErrorCode; message: string };
  sipStatus: 503;
  sipOutcome: "reject";
  trace?: TraceEntry[];
}

/** What LiveKit decides for an inbound call. Narrow on `result`. */
export type DispatchResolution = DispatchAccept | DispatchRequestPin | DispatchDrop | DispatchFailure;

/** A configuration compiled for repeated resolution. */
export interface Dispatcher {
  resolve(call: InboundCall, options?: ResolveOptions): DispatchResolution;
  /**
   * A new dispatcher with `changes` applied; this one keeps answering exactly as before. It
   * answers as `compileDispatch` of {@link Dispatcher.trunks} / {@link Dispatcher.rules} with every
   * entry whose id is deleted removed, then every entry whose id an upsert carries replaced by it.
   */
  update(changes: DispatchChanges): Dispatcher;
  /** The trunks it answers for, in id order. */
  readonly trunks: readonly SIPInboundTrunkInfo[];
  /** The rules it answers for, in id order. */
  readonly rules: readonly SIPDispatchRuleInfo[];
}

/**
 * Changes to a configuration, by id: deletes first, then upserts. An upsert replaces every entry
 * with its id (they become one), or adds it when there is none; of several upserts with one id,
 * the last wins. Deleting an id that is not there changes nothing.
 */
export interface DispatchChanges {
  upsertTrunks?: readonly SIPInboundTrunkInfo[];
  deleteTrunkIds?: readonly string[];
  upsertRules?: readonly SIPDispatchRuleInfo[];
  deleteRuleIds?: readonly string[];
}

/** The configuration a dispatcher is built from. */
export interface DispatchConfig {
  trunks: readonly SIPInboundTrunkInfo[];
  rules: readonly SIPDispatchRuleInfo[];
}
