import type { JsonObject, JsonValue } from "type-fest";
import * as core from "zod/v4/core";
import { type SIPDispatchRuleInfo, SIPDispatchRuleInfoSchema } from "../model/dispatch-rule.js";
import { type SIPInboundTrunkInfo, SIPInboundTrunkInfoSchema } from "../model/inbound-trunk.js";
import { isPlainObject, setOwn } from "./plain-values.js";
import { OpaqueMessageSchema } from "../model/protojson-scalars.js";
import {
  type SIPDispatchRuleUpdate,
  SIPDispatchRuleUpdateSchema,
  type SIPInboundTrunkUpdate,
  SIPInboundTrunkUpdateSchema,
} from "../model/updates.js";

// The inverse of the decoder: canonical protojson as protobuf writes it. Fields at their proto3
// default are left out; fields with presence (messages, proto3 `optional` scalars — the zod
// `z.optional(…)` ones) are written whenever they are present, even when empty or at the default.

/** Canonical protojson of a dispatch rule: what `lk` and LiveKit's API print. */
export function dispatchRuleToJson(rule: SIPDispatchRuleInfo): JsonObject {
  return encodeTopLevel(SIPDispatchRuleInfoSchema, rule, "dispatchRuleToJson", "a SIPDispatchRuleInfo");
}

/** Canonical protojson of an inbound trunk. */
export function inboundTrunkToJson(trunk: SIPInboundTrunkInfo): JsonObject {
  return encodeTopLevel(SIPInboundTrunkInfoSchema, trunk, "inboundTrunkToJson", "a SIPInboundTrunkInfo");
}

/** Canonical protojson of a dispatch-rule `update` action. */
export function dispatchRuleUpdateToJson(update: SIPDispatchRuleUpdate): JsonObject {
  return encodeTopLevel(SIPDispatchRuleUpdateSchema, update, "dispatchRuleUpdateToJson", "a SIPDispatchRuleUpdate");
}

/** Canonical protojson of an inbound-trunk `update` action. */
export function inboundTrunkUpdateToJson(update: SIPInboundTrunkUpdate): JsonObject {
  return encodeTopLevel(SIPInboundTrunkUpdateSchema, update, "inboundTrunkUpdateToJson", "a SIPInboundTrunkUpdate");
}

/**
 * Canonical protojson of any model value described by a message schema. The value is trusted to
 * match the schema (it is a parsed model); keys follow the schema's field order.
 */
export function encodeProtoJson(schema: core.$ZodObject, value: Readonly<Record<string, unknown>>): JsonObject {
  const out: JsonObject = {};
  for (const [name, fieldSchema] of Object.entries(schema._zod.def.shape as Record<string, core.$ZodType>)) {
    const field = Object.hasOwn(value, name) ? value[name] : undefined;
    if (field === undefined || field === null) continue;
    if (fieldSchema instanceof core.$ZodOptional) {
      out[name] = encodeValue(fieldSchema._zod.def.innerType as core.$ZodType, field);
    } else if (!isDefault(fieldSchema, field)) {
      out[name] = encodeValue(fieldSchema, field);
    }
  }
  return out;
}

function encodeTopLevel(schema: core.$ZodObject, value: unknown, fn: string, expected: string): JsonObject {
  // Programmer error (plain JS passing something else), not bad data: throw as API.md says.
  if (!isPlainObject(value)) throw new TypeError(`${fn} expects ${expected} object`);
  return encodeProtoJson(schema, value);
}

function encodeValue(schema: core.$ZodType, value: unknown): JsonValue {
  if (schema === OpaqueMessageSchema) return copyJson(value);
  if (schema instanceof core.$ZodObject) return encodeProtoJson(schema, value as Record<string, unknown>);
  if (schema instanceof core.$ZodArray) return (value as readonly unknown[]).map((item) => encodeValue(schema._zod.def.element as core.$ZodType, item));
  if (schema instanceof core.$ZodRecord) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      setOwn(out, key, encodeValue(schema._zod.def.valueType as core.$ZodType, item));
    }
    return out;
  }
  if (typeof value === "number") return value === 0 ? 0 : value; // never -0
  // Strings (also enum names, Durations, Timestamps) and booleans are written as they are.
  return value as JsonValue;
}

/** proto3 implicit presence: the value protojson leaves out. */
function isDefault(schema: core.$ZodType, value: unknown): boolean {
  if (schema instanceof core.$ZodEnum) return value === Object.values(schema._zod.def.entries)[0];
  if (schema instanceof core.$ZodArray) return Array.isArray(value) && value.length === 0;
  if (schema instanceof core.$ZodRecord) return typeof value === "object" && value !== null && Object.keys(value).length === 0;
  return value === "" || value === false || value === 0;
}

/** A deep copy of an opaque JSON value, with keys kept as own data properties. */
function copyJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(copyJson);
  if (typeof value === "object" && value !== null) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, copyJson(item));
    return out;
  }
  if (typeof value === "number") return value === 0 ? 0 : value;
  return value as JsonValue;
}
