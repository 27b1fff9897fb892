// The public surface, in pipeline order: models and parsing, numbers and addresses,
// resolution, compiled dispatch.
export type { DispatchError, Issue, Result } from "./result.js";
export {
  SIPMediaConfigSchema,
  SIPMediaEncryptionSchema,
  SIPCodecSchema,
  type SIPMediaConfig,
  type SIPMediaEncryption,
  type SIPCodec,
} from "./media.js";
export {
  RoomConfigurationSchema,
  RoomAgentDispatchSchema,
  JobRestartPolicySchema,
  type RoomConfiguration,
  type RoomAgentDispatch,
  type JobRestartPolicy,
} from "./room-config.js";
export {
  SIPDispatchRuleInfoSchema,
  SIPDispatchRuleSchema,
  SIPDispatchRuleDirectSchema,
  SIPDispatchRuleIndividualSchema,
  SIPDispatchRuleCalleeSchema,
  type SIPDispatchRuleInfo,
  type SIPDispatchRule,
  type SIPDispatchRuleDirect,
  type SIPDispatchRuleIndividual,
  type SIPDispatchRuleCallee,
} from "./dispatch-rule.js";
export {
  SIPInboundTrunkInfoSchema,
  SIPHeaderOptionsSchema,
  SIPTrunkInfoSchema,
  type SIPInboundTrunkInfo,
  type SIPHeaderOptions,
  type SIPTrunkInfo,
} from "./inbound-trunk.js";
export {
  ListUpdateSchema,
  SIPDispatchRuleUpdateSchema,
  SIPInboundTrunkUpdateSchema,
  type ListUpdate,
  type SIPDispatchRuleUpdate,
  type SIPInboundTrunkUpdate,
} from "./updates.js";
export { parseDispatchRule, parseInboundTrunk, parseDispatchRuleUpdate, parseInboundTrunkUpdate } from "./parse.js";
export { dispatchRuleToJson, inboundTrunkToJson } from "./to-json.js";
export { normalizeNumber } from "./number.js";
export { LIVEKIT_ID_ALPHABET } from "./random-id.js";
export type {
  InboundCall,
  SIPParty,
  ResolveOptions,
  DispatchResolution,
  DispatchAccept,
  DispatchRequestPin,
  DispatchDrop,
  DispatchFailure,
  DispatchErrorCode,
  DispatchParticipant,
  TrunkPassthrough,
  TraceEntry,
  TrunkTraceReason,
  RuleTraceReason,
  Dispatcher,
  DispatchConfig,
} from "./resolution.js";
export { resolveDispatch } from "./resolve.js";
export { compileDispatch } from "./compile.js";

// Rule lifecycle: create-time validation, conflicts, field-mask updates, an in-memory store.
export {
  validateDispatchRule,
  validateInboundTrunk,
  validateMediaConfig,
  validateHeaderName,
  validateHeaderValue,
  FORBIDDEN_SIP_HEADER_NAMES,
} from "./validate.js";
export {
  findDispatchRuleConflicts,
  findInboundTrunkConflicts,
  type DispatchRuleConflict,
  type InboundTrunkConflict,
} from "./conflicts.js";
export { applyListUpdate } from "./list-update.js";
export { applyDispatchRuleUpdate, applyInboundTrunkUpdate, replaceDispatchRule, replaceInboundTrunk } from "./update.js";
export {
  createDispatchStore,
  type DispatchStore,
  type DispatchStoreOptions,
  type StoreChange,
  type DispatchRuleListFilter,
  type InboundTrunkListFilter,
} from "./store.js";

// Lint: what is wrong with a configuration before any call is made (docs/lint.md).
export { lintDispatch, LINT_CODES, type Finding, type LintCode, type LintConfig, type LintSeverity } from "./lint.js";
