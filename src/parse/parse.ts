import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import {
  SIPDispatchRuleCalleeSchema,
  SIPDispatchRuleDirectSchema,
  SIPDispatchRuleIndividualSchema,
  type SIPDispatchRuleInfo,
  SIPDispatchRuleInfoSchema,
  SIPDispatchRuleSchema,
} from "../model/dispatch-rule.js";
import {
  SIPHeaderOptionsSchema,
  type SIPInboundTrunkInfo,
  SIPInboundTrunkInfoSchema,
  type SIPTrunkInfo,
  SIPTrunkInfoSchema,
  SIPTransportSchema,
  SIPTrunkKindSchema,
} from "../model/inbound-trunk.js";
import { SIPCodecSchema, SIPMediaConfigSchema, SIPMediaEncryptionSchema } from "../model/media.js";
import { acceptedFieldNames } from "./field-names.js";
import { isPlainObject } from "./plain-values.js";
import { fromProtobufMessage } from "./protobuf-message.js";
import { decodeProtoJson, type ProtoSchemaInfo } from "./protojson.js";
import { type DispatchError, fail, type Issue, okWithWarnings, type Result } from "../model/result.js";
import { JobRestartPolicySchema, RoomAgentDispatchSchema, RoomConfigurationSchema } from "../model/room-config.js";
import {
  ListUpdateSchema,
  type SIPDispatchRuleUpdate,
  SIPDispatchRuleUpdateSchema,
  type SIPInboundTrunkUpdate,
  SIPInboundTrunkUpdateSchema,
} from "../model/updates.js";

/**
 * `livekit.CreateSIPDispatchRuleRequest`: the current form (`dispatchRule`) and the deprecated
 * top-level fields 1–9. Accepted on input only.
 */
export const CreateSIPDispatchRuleRequestSchema = z.strictObject({
  dispatchRule: z.optional(SIPDispatchRuleInfoSchema),
  rule: z.optional(SIPDispatchRuleSchema),
  trunkIds: z.array(z.string()),
  hidePhoneNumber: z.boolean(),
  inboundNumbers: z.array(z.string()),
  name: z.string(),
  metadata: z.string(),
  attributes: z.record(z.string(), z.string()),
  roomPreset: z.string(),
  roomConfig: z.optional(RoomConfigurationSchema),
});
export type CreateSIPDispatchRuleRequest = z.infer<typeof CreateSIPDispatchRuleRequestSchema>;

/** `livekit.CreateSIPInboundTrunkRequest`. Accepted on input only. */
export const CreateSIPInboundTrunkRequestSchema = z.strictObject({
  trunk: z.optional(SIPInboundTrunkInfoSchema),
});
export type CreateSIPInboundTrunkRequest = z.infer<typeof CreateSIPInboundTrunkRequestSchema>;

/** Proto names of the model schemas, and the oneof, for the decoder. */
export const protoSchemaInfo: ProtoSchemaInfo = {
  typeNames: new Map<core.$ZodType, string>([
    [SIPDispatchRuleInfoSchema, "SIPDispatchRuleInfo"],
    [SIPDispatchRuleSchema, "SIPDispatchRule"],
    [SIPDispatchRuleDirectSchema, "SIPDispatchRuleDirect"],
    [SIPDispatchRuleIndividualSchema, "SIPDispatchRuleIndividual"],
    [SIPDispatchRuleCalleeSchema, "SIPDispatchRuleCallee"],
    [SIPInboundTrunkInfoSchema, "SIPInboundTrunkInfo"],
    [SIPTrunkInfoSchema, "SIPTrunkInfo"],
    [SIPMediaConfigSchema, "SIPMediaConfig"],
    [SIPCodecSchema, "SIPCodec"],
    [RoomConfigurationSchema, "RoomConfiguration"],
    [RoomAgentDispatchSchema, "RoomAgentDispatch"],
    [ListUpdateSchema, "ListUpdate"],
    [SIPDispatchRuleUpdateSchema, "SIPDispatchRuleUpdate"],
    [SIPInboundTrunkUpdateSchema, "SIPInboundTrunkUpdate"],
    [CreateSIPDispatchRuleRequestSchema, "CreateSIPDispatchRuleRequest"],
    [CreateSIPInboundTrunkRequestSchema, "CreateSIPInboundTrunkRequest"],
    [SIPMediaEncryptionSchema, "SIPMediaEncryption"],
    [SIPHeaderOptionsSchema, "SIPHeaderOptions"],
    [SIPTransportSchema, "SIPTransport"],
    [SIPTrunkKindSchema, "SIPTrunkInfo.TrunkKind"],
    [JobRestartPolicySchema, "JobRestartPolicy"],
  ]),
  oneofs: new Map<core.$ZodType, string>([[SIPDispatchRuleSchema, "rule"]]),
};

/** Options of every parse function. */
export interface ParseOptions {
  /**
   * What a field the model does not have does. `"reject"` (the default, as LiveKit's protojson
   * does): it is an error whose path ends at the field, so a typo such as `trunkIDs` cannot
   * silently turn a rule into a default rule. `"ignore"`: the field is skipped, so that a field
   * LiveKit adds later does not stop the reader, and the result's `warnings` name each one
   * (code `ignored_field`, with its path).
   */
  unknownFields?: "reject" | "ignore";
}

/**
 * Decodes `input` as protojson of `schema` (either field spelling, enum names or numbers,
 * Duration strings, protobuf-es messages). `typeName` names the top-level message in messages.
 */
export function parseWith<S extends core.$ZodType>(schema: S, input: unknown, typeName?: string, options?: ParseOptions): Result<core.output<S>> {
  const name = typeName ?? protoSchemaInfo.typeNames.get(schema) ?? "message";
  const unknownFields = options?.unknownFields === "ignore" ? "ignore" : "reject";
  const decoded = decodeProtoJson(schema, input, { info: protoSchemaInfo, typeName: name, unknownFields });
  return decoded.issues.length === 0 ? okWithWarnings(decoded.value as core.output<S>, decoded.warnings) : invalidInput(name, decoded.issues);
}

/**
 * A dispatch rule from a `SIPDispatchRuleInfo`, a `CreateSIPDispatchRuleRequest` (`dispatchRule`,
 * or the deprecated top-level fields), or a protobuf-es message of either.
 */
export function parseDispatchRule(input: unknown, options?: ParseOptions): Result<SIPDispatchRuleInfo> {
  const json = fromProtobufMessage(input);
  if (!json.ok) return invalidInput("SIPDispatchRuleInfo", [{ path: [], code: json.code, message: json.message }]);
  const value = json.value;

  // The deprecated top-level fields of the request are the same fields, with the same names, as in
  // SIPDispatchRuleInfo; only `dispatchRule` tells the request apart.
  if (!hasAnyKey(value, acceptedNamesOf(CreateSIPDispatchRuleRequestSchema, ["dispatchRule"]))) {
    return parseWith(SIPDispatchRuleInfoSchema, value, undefined, options);
  }
  const request = parseWith(CreateSIPDispatchRuleRequestSchema, value, undefined, options);
  if (!request.ok) return request;
  // As LiveKit: a set `dispatchRule` wins and the deprecated fields are ignored.
  return okWithWarnings(request.value.dispatchRule ?? ruleFromDeprecatedRequest(request.value), request.warnings ?? []);
}

/**
 * An inbound trunk from a `SIPInboundTrunkInfo`, a `CreateSIPInboundTrunkRequest` (`trunk`), the
 * deprecated `SIPTrunkInfo` (converted as LiveKit's `AsInbound`), or a protobuf-es message of these.
 */
export function parseInboundTrunk(input: unknown, options?: ParseOptions): Result<SIPInboundTrunkInfo> {
  const json = fromProtobufMessage(input);
  if (!json.ok) return invalidInput("SIPInboundTrunkInfo", [{ path: [], code: json.code, message: json.message }]);
  const value = json.value;

  if (hasAnyKey(value, acceptedNamesOf(CreateSIPInboundTrunkRequestSchema, ["trunk"]))) {
    const request = parseWith(CreateSIPInboundTrunkRequestSchema, value, undefined, options);
    if (!request.ok) return request;
    if (request.value.trunk !== undefined) return okWithWarnings(request.value.trunk, request.warnings ?? []);
    return invalidInput("CreateSIPInboundTrunkRequest", [
      { path: ["trunk"], code: "missing_field", message: "CreateSIPInboundTrunkRequest has no trunk" },
    ]);
  }
  if (hasAnyKey(value, legacyTrunkOnlyNames)) return parseLegacyTrunk(value, options);
  return parseWith(SIPInboundTrunkInfoSchema, value, undefined, options);
}

/** The `update` action of `UpdateSIPDispatchRuleRequest`. */
export function parseDispatchRuleUpdate(input: unknown, options?: ParseOptions): Result<SIPDispatchRuleUpdate> {
  return parseWith(SIPDispatchRuleUpdateSchema, input, undefined, options);
}

/** The `update` action of `UpdateSIPInboundTrunkRequest`. */
export function parseInboundTrunkUpdate(input: unknown, options?: ParseOptions): Result<SIPInboundTrunkUpdate> {
  return parseWith(SIPInboundTrunkUpdateSchema, input, undefined, options);
}

/** `rule.dispatchRuleIndividual.roomPrefix`, `trunkIds[2]`, `attributes["a b"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out === "" ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

function invalidInput(typeName: string, issues: Issue[]): { ok: false; error: DispatchError } {
  const first = issues[0];
  if (first === undefined) return fail("invalid_input", `invalid ${typeName}`, issues);
  const at = first.path.length > 0 ? ` (at ${formatPath(first.path)})` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "issue" : "issues"})` : "";
  return fail("invalid_input", `invalid ${typeName}: ${first.message}${at}${more}`, issues);
}

/** The info LiveKit builds from the deprecated top-level fields of a create request (no Upgrade). */
function ruleFromDeprecatedRequest(request: CreateSIPDispatchRuleRequest): SIPDispatchRuleInfo {
  return {
    sipDispatchRuleId: "",
    ...(request.rule === undefined ? {} : { rule: request.rule }),
    trunkIds: request.trunkIds,
    hidePhoneNumber: request.hidePhoneNumber,
    inboundNumbers: request.inboundNumbers,
    numbers: [],
    name: request.name,
    metadata: request.metadata,
    attributes: request.attributes,
    roomPreset: request.roomPreset,
    ...(request.roomConfig === undefined ? {} : { roomConfig: request.roomConfig }),
    krispEnabled: false,
    mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
  };
}

/** Input names (both spellings) of SIPTrunkInfo fields that SIPInboundTrunkInfo lacks. */
const legacyTrunkOnlyNames: ReadonlySet<string> = new Set(
  [...acceptedFieldNames(SIPTrunkInfoSchema)].filter(([, jsonName]) => !(jsonName in SIPInboundTrunkInfoSchema.shape)).map(([input]) => input),
);

function parseLegacyTrunk(value: Record<string, unknown>, options: ParseOptions | undefined): Result<SIPInboundTrunkInfo> {
  const parsed = parseWith(SIPTrunkInfoSchema, value, undefined, options);
  if (!parsed.ok) return parsed;
  const legacy = parsed.value;
  const issues: Issue[] = [];
  if (legacy.kind === "TRUNK_OUTBOUND") {
    issues.push({
      path: [writtenKey(value, SIPTrunkInfoSchema, "kind")],
      code: "outbound_trunk",
      message: "this SIPTrunkInfo is an outbound trunk (kind TRUNK_OUTBOUND); LiveKit never matches inbound calls against it",
    });
  }
  if (legacy.inboundNumbersRegex.length > 0) {
    issues.push({
      path: [writtenKey(value, SIPTrunkInfoSchema, "inboundNumbersRegex")],
      code: "unsupported_field",
      message:
        "inboundNumbersRegex is not supported: LiveKit ignores it when it converts a legacy trunk, so the trunk would admit every caller, and rejects it when a trunk is created; list the allowed callers in inboundNumbers instead",
    });
  }
  return issues.length > 0 ? invalidInput("SIPTrunkInfo", issues) : okWithWarnings(inboundFromLegacyTrunk(legacy), parsed.warnings ?? []);
}

/** LiveKit's `SIPTrunkInfo.AsInbound`: everything it does not copy is left at its default. */
function inboundFromLegacyTrunk(legacy: SIPTrunkInfo): SIPInboundTrunkInfo {
  return {
    sipTrunkId: legacy.sipTrunkId,
    name: legacy.name,
    metadata: legacy.metadata,
    numbers: legacy.outboundNumber === "" ? [] : [legacy.outboundNumber],
    allowedAddresses: legacy.inboundAddresses,
    allowedNumbers: legacy.inboundNumbers,
    authUsername: legacy.inboundUsername,
    authPassword: legacy.inboundPassword,
    authRealm: "",
    headers: {},
    headersToAttributes: {},
    attributesToHeaders: {},
    includeHeaders: "SIP_NO_HEADERS",
    krispEnabled: false,
    mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
  };
}

/** Both input spellings of the given fields of a message schema. */
function acceptedNamesOf(schema: core.$ZodObject, jsonNames: readonly string[]): ReadonlySet<string> {
  return new Set([...acceptedFieldNames(schema)].filter(([, jsonName]) => jsonNames.includes(jsonName)).map(([input]) => input));
}

function hasAnyKey(value: unknown, names: ReadonlySet<string>): value is Record<string, unknown> {
  try {
    return isPlainObject(value) && Object.keys(value).some((key) => names.has(key));
  } catch {
    return false; // unreadable: let the decoder report it
  }
}

/** The key the input used for a field: its JSON name or its proto name. */
function writtenKey(value: Record<string, unknown>, schema: core.$ZodObject, jsonName: string): string {
  for (const [input, name] of acceptedFieldNames(schema)) {
    if (name === jsonName && Object.hasOwn(value, input)) return input;
  }
  return jsonName;
}
