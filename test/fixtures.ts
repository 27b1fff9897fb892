// Model factories for tests: every field the schemas require, filled with its proto3 default,
// then the overrides. Built directly (no parser); each object is checked against its schema so a
// fixture can never drift from the model.
import { SIPDispatchRuleInfoSchema, type SIPDispatchRule, type SIPDispatchRuleInfo } from "../src/model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../src/model/inbound-trunk.js";
import type { SIPMediaConfig } from "../src/model/media.js";
import type { DispatchResolution, InboundCall, ResolveOptions } from "../src/model/resolution.js";
import { resolveDispatch } from "../src/resolve/resolve.js";

/** The fixed random suffix every test uses. */
export const RANDOM = "RANDOM123456";
export const randomId = (): string => RANDOM;

/** Every field of a dispatch rule at its proto3 default, as the parsers fill them (no id, no kind). */
export const RULE_DEFAULTS: Omit<SIPDispatchRuleInfo, "sipDispatchRuleId"> = Object.freeze({
  trunkIds: [],
  hidePhoneNumber: false,
  inboundNumbers: [],
  numbers: [],
  name: "",
  metadata: "",
  attributes: {},
  roomPreset: "",
  krispEnabled: false,
  mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
});

/** Every field of an inbound trunk at its proto3 default, as the parsers fill them (no id). */
export const TRUNK_DEFAULTS: Omit<SIPInboundTrunkInfo, "sipTrunkId"> = Object.freeze({
  name: "",
  metadata: "",
  numbers: [],
  allowedAddresses: [],
  allowedNumbers: [],
  authUsername: "",
  authPassword: "",
  authRealm: "",
  headers: {},
  headersToAttributes: {},
  attributesToHeaders: {},
  includeHeaders: "SIP_NO_HEADERS",
  krispEnabled: false,
  mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
});

export function rule(overrides: Partial<SIPDispatchRuleInfo> = {}): SIPDispatchRuleInfo {
  const value: SIPDispatchRuleInfo = { ...RULE_DEFAULTS, sipDispatchRuleId: "SDR_default", rule: direct("room"), ...overrides };
  if (value.rule === undefined) delete value.rule;
  SIPDispatchRuleInfoSchema.parse(value);
  return value;
}

export function trunk(overrides: Partial<SIPInboundTrunkInfo> = {}): SIPInboundTrunkInfo {
  const value: SIPInboundTrunkInfo = { ...TRUNK_DEFAULTS, sipTrunkId: "ST_default", ...overrides };
  SIPInboundTrunkInfoSchema.parse(value);
  return value;
}

export const direct = (roomName: string, pin = ""): SIPDispatchRule => ({ dispatchRuleDirect: { roomName, pin } });

export const individual = (roomPrefix: string, opts: { pin?: string; noRandomness?: boolean } = {}): SIPDispatchRule => ({
  dispatchRuleIndividual: { roomPrefix, pin: opts.pin ?? "", noRandomness: opts.noRandomness ?? false },
});

export const callee = (roomPrefix: string, opts: { pin?: string; randomize?: boolean } = {}): SIPDispatchRule => ({
  dispatchRuleCallee: { roomPrefix, pin: opts.pin ?? "", randomize: opts.randomize ?? false },
});

export const media = (overrides: Partial<SIPMediaConfig> = {}): SIPMediaConfig => ({
  onlyListedCodecs: false,
  codecs: [],
  ...overrides,
});

/** resolveDispatch with the fixed random id (and any other options). */
export const resolve = (
  call: InboundCall,
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
  options: ResolveOptions = {},
): DispatchResolution => resolveDispatch(call, trunks, rules, { randomId, ...options });

/** Narrows a resolution, failing the test with the whole value when the kind differs. */
export function expectResult<K extends DispatchResolution["result"]>(
  resolution: DispatchResolution,
  kind: K,
): Extract<DispatchResolution, { result: K }> {
  if (resolution.result !== kind)
    throw new Error(`expected ${kind}, got ${JSON.stringify(resolution, null, 2)}`);
  return resolution as Extract<DispatchResolution, { result: K }>;
}

/** Object.freeze, all the way down. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
