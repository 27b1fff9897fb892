import * as core from "zod/v4/core";
import { DurationSchema, OpaqueMessageSchema, TimestampSchema, Uint32Schema } from "../model/protojson-scalars.js";
import type { Issue } from "../model/result.js";
import { decodeOpaqueMessage, OPAQUE_VALUE_BUDGET } from "./decode-opaque.js";
import { decodeDuration, decodeEnum, decodeTimestamp, decodeUint32 } from "./decode-scalars.js";
import { acceptedFieldNames, modelFieldNames, suggestion } from "./field-names.js";
import { errorText, isPlainObject, setOwn } from "./plain-values.js";
import { fromProtobufMessage } from "./protobuf-message.js";
import { expectedOf, NO_INFO, tooDeep, typeIssue, type Path, type ProtoSchemaInfo, type Walk } from "./protojson-walk.js";

// A protojson decoder driven by the zod model schemas: the schema says which fields exist and
// what they hold; this file knows how protojson spells them (camelCase or proto snake_case,
// enum names or numbers, Duration/Timestamp strings, null = absent). It never throws on data.
// This file walks messages, repeated fields and maps; the scalars, opaque messages, field names
// and the walk's shared issue reporting live beside it.

export type { ProtoSchemaInfo } from "./protojson-walk.js";

export interface DecodeOptions {
  /** Type names and oneofs; without it messages are called "message" and no oneof is checked. */
  info?: ProtoSchemaInfo;
  /** Proto type name of the top-level schema, when `info` does not name it. */
  typeName?: string;
  /** How deep values may nest before the decoder gives up (default 64). */
  maxDepth?: number;
  /**
   * Read a canonical model rather than protojson: only JSON names are fields, so a proto
   * (snake_case) name is an unknown field, and a null field is of the wrong type. For checking
   * models handed to the API.
   */
  modelNames?: boolean;
  /**
   * `"reject"` (default): an unknown field is an issue. `"ignore"`: it is skipped and listed in
   * `warnings`, so that a field LiveKit adds later does not stop a reader.
   */
  unknownFields?: "reject" | "ignore";
}

/**
 * `value` is the canonical model when `issues` is empty, and `undefined` otherwise; `warnings`
 * lists the unknown fields skipped (only with `unknownFields: "ignore"`).
 */
export type Decoded<T> = { value: T; issues: []; warnings: Issue[] } | { value: undefined; issues: Issue[]; warnings: Issue[] };

const DEFAULT_MAX_DEPTH = 64;

/**
 * Decodes protojson (or a protobuf-es v1 message) into the canonical model that `schema` describes.
 * Never throws: every problem, including an exception from the input itself, becomes an issue.
 */
export function decodeProtoJson<S extends core.$ZodType>(
  schema: S,
  input: unknown,
  options: DecodeOptions = {},
): Decoded<core.output<S>> {
  const info = options.info ?? NO_INFO;
  const walk: Walk = {
    info,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    modelNames: options.modelNames === true,
    issues: [],
    ignoreUnknown: options.unknownFields === "ignore",
    warnings: [],
    opaqueBudget: OPAQUE_VALUE_BUDGET,
    opaqueStack: new Set(),
  };
  const topName = options.typeName ?? info.typeNames.get(schema) ?? "message";
  let value: unknown;
  try {
    value =
      schema instanceof core.$ZodObject
        ? decodeMessage(walk, schema, input, [], 0, topName, undefined)
        : decodeValue(walk, schema, input, [], 0, topName);
  } catch (error) {
    // Getters that throw, revoked proxies and the like: the input could not be read.
    walk.issues.push({ path: [], code: "unreadable_input", message: `the input could not be read: ${errorText(error)}` });
  }
  if (walk.issues.length > 0 || value === undefined) {
    if (walk.issues.length === 0) walk.issues.push({ path: [], code: "invalid_type", message: `expected ${topName}` });
    return { value: undefined, issues: walk.issues, warnings: walk.warnings };
  }
  // The walk builds exactly the shape the schema infers; zod cannot see that through `unknown`.
  return { value: value as core.output<S>, issues: [], warnings: walk.warnings };
}

// ---------------------------------------------------------------------------------------------
// Walking the schema

function decodeValue(walk: Walk, schema: core.$ZodType, value: unknown, path: Path, depth: number, where: string): unknown {
  if (depth > walk.maxDepth) return tooDeep(walk, path, where);
  if (schema instanceof core.$ZodOptional) return decodeValue(walk, schema._zod.def.innerType as core.$ZodType, value, path, depth, where);
  // The scalars with protojson rules of their own, recognised by identity before their zod kind.
  if (schema === DurationSchema) return decodeDuration(walk, value, path, where);
  if (schema === TimestampSchema) return decodeTimestamp(walk, value, path, where);
  if (schema === Uint32Schema) return decodeUint32(walk, value, path, where);
  if (schema === OpaqueMessageSchema) return decodeOpaqueMessage(walk, value, path, depth, where);
  if (schema instanceof core.$ZodObject) {
    return decodeMessage(walk, schema, value, path, depth, walk.info.typeNames.get(schema) ?? "message", where);
  }
  if (schema instanceof core.$ZodArray) return decodeRepeated(walk, schema._zod.def.element as core.$ZodType, value, path, depth, where);
  if (schema instanceof core.$ZodRecord) return decodeMap(walk, schema._zod.def.valueType as core.$ZodType, value, path, depth, where);
  if (schema instanceof core.$ZodEnum) return decodeEnum(walk, schema, value, path, where);
  if (schema instanceof core.$ZodString) {
    if (typeof value === "string") return value;
    return typeIssue(walk, path, where, "a string", value);
  }
  if (schema instanceof core.$ZodBoolean) {
    if (typeof value === "boolean") return value;
    return typeIssue(walk, path, where, "true or false", value);
  }
  if (schema instanceof core.$ZodNumber) {
    // No model field is a plain number today; check whatever the schema says.
    if (typeof value === "number" && core.safeParse(schema, value).success) return value === 0 ? 0 : value;
    return typeIssue(walk, path, where, "a number", value);
  }
  walk.issues.push({ path, code: "unsupported_schema", message: `${where}: the decoder does not know this kind of field` });
  return undefined;
}

function decodeMessage(
  walk: Walk,
  schema: core.$ZodObject,
  input: unknown,
  path: Path,
  depth: number,
  typeName: string,
  /** The field holding this message ("SIPDispatchRuleInfo.rule"); undefined at the top. */
  where: string | undefined,
): Record<string, unknown> | undefined {
  if (depth > walk.maxDepth) return tooDeep(walk, path, where ?? typeName);
  const converted = fromProtobufMessage(input);
  if (!converted.ok) {
    walk.issues.push({ path, code: converted.code, message: `${where ?? typeName}: ${converted.message}` });
    return undefined;
  }
  const value = converted.value;
  if (!isPlainObject(value)) return typeIssue(walk, path, where, `a ${typeName} object`, value);

  const { decoded, present } = decodeFields(walk, schema, value, path, depth, typeName);
  const oneof = walk.info.oneofs.get(schema);
  if (oneof !== undefined && present.length > 1) {
    walk.issues.push({
      path,
      code: "oneof_conflict",
      message: `${typeName} sets ${present.join(" and ")}, but only one member of its oneof "${oneof}" may be set`,
    });
  }
  return withDefaults(schema, decoded);
}

/** The fields of one message object, by JSON name, and the keys given a non-null value (for the oneof check). */
function decodeFields(
  walk: Walk,
  schema: core.$ZodObject,
  value: Record<string, unknown>,
  path: Path,
  depth: number,
  typeName: string,
): { decoded: Map<string, unknown>; present: string[] } {
  const shape = schema._zod.def.shape as Record<string, core.$ZodType>;
  const names = walk.modelNames ? modelFieldNames(schema) : acceptedFieldNames(schema);
  const writtenAs = new Map<string, string>(); // JSON name → the key the input used
  const decoded = new Map<string, unknown>();
  const present: string[] = [];
  for (const key of Object.keys(value)) {
    const jsonName = names.get(key);
    if (jsonName === undefined) {
      const unknown = `unknown field ${JSON.stringify(key)} in ${typeName}${suggestion(key, names)}`;
      if (walk.ignoreUnknown) walk.warnings.push({ path: [...path, key], code: "ignored_field", message: `${unknown}: ignored` });
      else walk.issues.push({ path: [...path, key], code: "unrecognized_key", message: unknown });
      continue;
    }
    const earlier = writtenAs.get(jsonName);
    if (earlier !== undefined) {
      walk.issues.push({
        path: [...path, key],
        code: "duplicate_field",
        message: `${typeName} gives the field ${jsonName} twice, as ${JSON.stringify(earlier)} and ${JSON.stringify(key)}`,
      });
      continue;
    }
    writtenAs.set(jsonName, key);
    const raw = value[key];
    const fieldSchema = shape[jsonName];
    if (fieldSchema === undefined) continue; // unreachable: names come from the shape
    // protojson: null means the field is absent; so does undefined, which only JS callers can write.
    // A model's types have no null: there it is a value of the wrong type.
    if (raw === null && walk.modelNames) typeIssue(walk, [...path, key], `${typeName}.${key}`, expectedOf(fieldSchema, walk.info), raw);
    if (raw === null || raw === undefined) continue;
    present.push(key);
    const field = decodeValue(walk, fieldSchema, raw, [...path, key], depth + 1, `${typeName}.${key}`);
    if (field !== undefined) decoded.set(jsonName, field);
  }
  return { decoded, present };
}

/** The message in schema order, with proto3 defaults for fields not given; optional fields stay absent. */
function withDefaults(schema: core.$ZodObject, decoded: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [jsonName, fieldSchema] of Object.entries(schema._zod.def.shape as Record<string, core.$ZodType>)) {
    if (decoded.has(jsonName)) out[jsonName] = decoded.get(jsonName);
    else if (!(fieldSchema instanceof core.$ZodOptional)) out[jsonName] = defaultValue(fieldSchema);
  }
  return out;
}

function decodeRepeated(walk: Walk, element: core.$ZodType, value: unknown, path: Path, depth: number, where: string): unknown[] | undefined {
  if (!Array.isArray(value)) return typeIssue(walk, path, where, "an array", value);
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const itemWhere = `${where}[${i}]`;
    if (item === null || item === undefined) {
      typeIssue(walk, [...path, i], itemWhere, expectedOf(element, walk.info), item);
      continue;
    }
    out.push(decodeValue(walk, element, item, [...path, i], depth + 1, itemWhere));
  }
  return out;
}

function decodeMap(walk: Walk, valueSchema: core.$ZodType, value: unknown, path: Path, depth: number, where: string): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return typeIssue(walk, path, where, "an object (a map)", value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const raw = (value as Record<string, unknown>)[key];
    const entryWhere = `${where}[${JSON.stringify(key)}]`;
    if (raw === null || raw === undefined) {
      typeIssue(walk, [...path, key], entryWhere, expectedOf(valueSchema, walk.info), raw);
      continue;
    }
    setOwn(out, key, decodeValue(walk, valueSchema, raw, [...path, key], depth + 1, entryWhere));
  }
  return out;
}

function defaultValue(schema: core.$ZodType): unknown {
  if (schema === DurationSchema) return "0s";
  if (schema === TimestampSchema) return "1970-01-01T00:00:00Z";
  if (schema === OpaqueMessageSchema) return {};
  if (schema instanceof core.$ZodString) return "";
  if (schema instanceof core.$ZodBoolean) return false;
  if (schema instanceof core.$ZodNumber) return 0;
  if (schema instanceof core.$ZodEnum) return String(Object.values(schema._zod.def.entries)[0]);
  if (schema instanceof core.$ZodArray) return [];
  if (schema instanceof core.$ZodRecord) return {};
  if (schema instanceof core.$ZodObject) {
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(schema._zod.def.shape as Record<string, core.$ZodType>)) {
      if (!(field instanceof core.$ZodOptional)) out[name] = defaultValue(field);
    }
    return out;
  }
  return undefined;
}
