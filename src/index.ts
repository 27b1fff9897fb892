// The public surface, in pipeline order: models and parsing, numbers and addresses,
// resolution, compiled dispatch.
export type { DispatchError, Issue, Result } from "./model/result.js";
export {
  SIPMediaConfigSchema,
  SIPMediaEncryptionSchema,
  SIPCodecSchema,
  type SIPMediaConfig,
  type SIPMediaEncryption,
  type SIPCodec,
} from "./model/media.js";
export {
  RoomConfigurationSchema,
  RoomAgentDispatchSchema,
  JobRestartPolicySchema,
  type RoomConfiguration,
  type RoomAgentDispatch,
  type JobRestartPolicy,
} from "./model/room-config.js";
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
} from "./model/dispatch-rule.js";
export {
  SIPInboundTrunkInfoSchema,
  SIPHeaderOptionsSchema,
  SIPTrunkInfoSchema,
  type SIPInboundTrunkInfo,
  type SIPHeaderOptions,
  type SIPTrunkInfo,
} from "./model/inbound-trunk.js";
export {
  ListUpdateSchema,
  SIPDispatchRuleUpdateSchema,
  SIPInboundTrunkUpdateSchema,
  type ListUpdate,
  type SIPDispatchRuleUpdate,
  type SIPInboundTrunkUpdate,
} from "./model/updates.js";
export {
  parseDispatchRule,
  parseInboundTrunk,
  parseDispatchRuleUpdate,
  parseInboundTrunkUpdate,
  type ParseOptions,
} from "./parse/parse.js";
export { parseDispatchConfig, type DispatchConfigParseOptions } from "./parse/config.js";
export { dispatchRuleToJson, inboundTrunkToJson } from "./parse/to-json.js";
export { normalizeNumber } from "./match/number.js";
export { LIVEKIT_ID_ALPHABET } from "./resolve/random-id.js";
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
  SIPOutcome,
  DispatchParticipant,
  TrunkPassthrough,
  TraceEntry,
  TrunkTraceReason,
  RuleTraceReason,
  Dispatcher,
  DispatchChanges,
  DispatchConfig,
} from "./model/resolution.js";
export { resolveDispatch } from "./resolve/resolve.js";
export { compileDispatch } from "./resolve/compile.js";
export type { ProtocolMessage } from "./parse/engine-input.js";

// Rule lifecycle: create-time validation, conflicts, field-mask updates, an in-memory store.
export {
  validateDispatchRule,
  validateInboundTrunk,
  validateMediaConfig,
  validateHeaderName,
  validateHeaderValue,
  FORBIDDEN_SIP_HEADER_NAMES,
} from "./lifecycle/validate.js";
export {
  findDispatchRuleConflicts,
  findInboundTrunkConflicts,
  type DispatchRuleConflict,
  type InboundTrunkConflict,
} from "./lifecycle/conflicts.js";
export { applyListUpdate } from "./lifecycle/list-update.js";
export { applyDispatchRuleUpdate, applyInboundTrunkUpdate, replaceDispatchRule, replaceInboundTrunk } from "./lifecycle/update.js";
export {
  createDispatchStore,
  type DispatchStore,
  type DispatchStoreOptions,
  type StoreChange,
  type DispatchRuleListFilter,
  type InboundTrunkListFilter,
} from "./lifecycle/store.js";

// Lint: what is wrong with a configuration before any call is made (docs/lint.md).
export { lintDispatch, LINT_CODES, type Finding, type LintCode, type LintConfig, type LintSeverity } from "./lint/lint.js";

// Diff: what changing a configuration does to calls (docs/diff.md).
export { diffDispatch, type DispatchDiff, type DecisionChange, type DiffOptions } from "./diff/diff.js";
export type { DecisionSummary } from "./diff/summary.js";
