import * as core from "zod/v4/core";
import { DurationSchema, OpaqueMessageSchema, TimestampSchema, Uint32Schema } from "../model/protojson-scalars.js";
import type { Issue } from "../model/result.js";

// A protojson decoder driven by the zod model schemas: the schema says which fields exist and
// what they hold; this file knows how protojson spells them (camelCase or proto snake_case,
// enum names or numbers, Duration/Timestamp strings, null = absent). It never throws on data.

/** What the decoder cannot read from a zod schema: proto type names and oneofs. */
export interface ProtoSchemaInfo {
  /** Proto type names of message and enum schemas (e.g. `SIPDispatchRuleInfo`), for issue messages. */
  readonly typeNames: ReadonlyMap<core.$ZodType, string>;
  /** Message schemas whose fields are all members of one oneof, with that oneof's name. */
  readonly oneofs: ReadonlyMap<core.$ZodType, string>;
}

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
}

/** `value` is the canonical model when `issues` is empty, and `undefined` otherwise. */
export type Decoded<T> = { value: T; issues: [] } | { value: undefined; issues: Issue[] };

const DEFAULT_MAX_DEPTH = 64;
/** Objects and arrays an opaque message may hold in all: stops shared sub-objects from exploding the walk. */
const OPAQUE_VALUE_BUDGET = 10_000;
const UINT32_MAX = 0xffffffff;
const MAX_DURATION_SECONDS = 315_576_000_000;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds: Timestamp's protojson range. */
const MIN_TIMESTAMP_SECONDS = -62_135_596_800;
const MAX_TIMESTAMP_SECONDS = 253_402_300_799;

const NO_INFO: ProtoSchemaInfo = { typeNames: new Map(), oneofs: new Map() };

interface Walk {
  readonly info: ProtoSchemaInfo;
  readonly maxDepth: number;
  readonly modelNames: boolean;
  readonly issues: Issue[];
  opaqueBudget: number;
  /** Opaque objects and arrays being walked, to report a cycle instead of walking it. */
  readonly opaqueStack: Set<object>;
}

type Path = (string | number)[];

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
    return { value: undefined, issues: walk.issues };
  }
  // The walk builds exactly the shape the schema infers; zod cannot see that through `unknown`.
  return { value: value as core.output<S>, issues: [] };
}

/**
 * A protobuf-es v1 message (anything with a `toJson` method) as protojson; other values unchanged.
 * `toJson()` runs with its defaults: camelCase names, enum names, defaults left out.
 */
export function fromProtobufMessage(
  value: unknown,
): { ok: true; value: unknown } | { ok: false; code: "unreadable_input" | "to_json_failed"; message: string } {
  if (typeof value !== "object" || value === null) return { ok: true, value };
  let toJson: unknown;
  try {
    // Inside the try: even Array.isArray throws on a revoked proxy.
    if (Array.isArray(value)) return { ok: true, value };
    toJson = (value as { toJson?: unknown }).toJson;
  } catch (error) {
    return { ok: false, code: "unreadable_input", message: `the input could not be read: ${errorText(error)}` };
  }
  if (typeof toJson !== "function") return { ok: true, value };
  try {
    return { ok: true, value: (toJson as () => unknown).call(value) };
  } catch (error) {
    return { ok: false, code: "to_json_failed", message: `toJson() failed: ${errorText(error)}` };
  }
}

const fieldNameCache = new WeakMap<core.$ZodObject, Map<string, string>>();
const modelNameCache = new WeakMap<core.$ZodObject, Map<string, string>>();

/** The field names of a message schema in a canonical model: JSON names only, each mapped to itself. */
function modelFieldNames(schema: core.$ZodObject): ReadonlyMap<string, string> {
  let names = modelNameCache.get(schema);
  if (names === undefined) {
    names = new Map(Object.keys(schema._zod.def.shape).map((jsonName) => [jsonName, jsonName]));
    modelNameCache.set(schema, names);
  }
  return names;
}

/** Field names a message schema accepts on input: JSON name and proto name, each mapped to the JSON name. */
export function acceptedFieldNames(schema: core.$ZodObject): ReadonlyMap<string, string> {
  let names = fieldNameCache.get(schema);
  if (names === undefined) {
    names = new Map();
    for (const jsonName of Object.keys(schema._zod.def.shape)) {
      names.set(jsonName, jsonName);
      names.set(protoFieldName(jsonName), jsonName);
    }
    fieldNameCache.set(schema, names);
  }
  return names;
}

/** The proto (snake_case) name of a field from its JSON name: `trunkIds` → `trunk_ids`. */
export function protoFieldName(jsonName: string): string {
  return jsonName.replace(/[A-Z]/g, (upper) => `_${upper.toLowerCase()}`);
}

/**
 * protoc's JSON name of a proto field name: underscores dropped, a lower-case letter after one
 * upper-cased (`room_name` → `roomName`). A name already in camelCase is unchanged.
 */
export function jsonFieldName(protoName: string): string {
  let out = "";
  let afterUnderscore = false;
  for (const char of protoName) {
    if (char === "_") {
      afterUnderscore = true;
      continue;
    }
    out += afterUnderscore && char >= "a" && char <= "z" ? char.toUpperCase() : char;
    afterUnderscore = false;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Walking the schema

function decodeValue(walk: Walk, schema: core.$ZodType, value: unknown, path: Path, depth: number, where: string): unknown {
  if (depth > walk.maxDepth) {
    walk.issues.push({ path, code: "too_deep", message: `${where}: nested more than ${walk.maxDepth} levels deep` });
    return undefined;
  }
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
  if (depth > walk.maxDepth) {
    walk.issues.push({ path, code: "too_deep", message: `${where ?? typeName}: nested more than ${walk.maxDepth} levels deep` });
    return undefined;
  }
  const converted = fromProtobufMessage(input);
  if (!converted.ok) {
    walk.issues.push({ path, code: converted.code, message: `${where ?? typeName}: ${converted.message}` });
    return undefined;
  }
  const value = converted.value;
  if (!isPlainObject(value)) return typeIssue(walk, path, where, `a ${typeName} object`, value);

  const shape = schema._zod.def.shape as Record<string, core.$ZodType>;
  const names = walk.modelNames ? modelFieldNames(schema) : acceptedFieldNames(schema);
  const writtenAs = new Map<string, string>(); // JSON name → the key the input used
  const decoded = new Map<string, unknown>();
  const present: string[] = []; // keys given a non-null value, for the oneof check
  for (const key of Object.keys(value)) {
    const jsonName = names.get(key);
    if (jsonName === undefined) {
      walk.issues.push({
        path: [...path, key],
        code: "unrecognized_key",
        message: `unknown field ${JSON.stringify(key)} in ${typeName}${suggestion(key, names)}`,
      });
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
    const raw = (value as Record<string, unknown>)[key];
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

  const oneof = walk.info.oneofs.get(schema);
  if (oneof !== undefined && present.length > 1) {
    walk.issues.push({
      path,
      code: "oneof_conflict",
      message: `${typeName} sets ${present.join(" and ")}, but only one member of its oneof "${oneof}" may be set`,
    });
  }

  // Build the result in schema order, filling proto3 defaults; optional fields stay absent.
  const out: Record<string, unknown> = {};
  for (const [jsonName, fieldSchema] of Object.entries(shape)) {
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

function decodeEnum(walk: Walk, schema: core.$ZodEnum, value: unknown, path: Path, where: string): string | undefined {
  const names = Object.values(schema._zod.def.entries).map(String);
  if (typeof value === "string" && names.includes(value)) return value;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < names.length) return names[value];
  const enumName = walk.info.typeNames.get(schema) ?? "enum";
  const shown = typeof value === "string" || typeof value === "number" ? JSON.stringify(value) : describeValue(value);
  walk.issues.push({
    path,
    code: "invalid_enum_value",
    message: `${where}: ${shown} is not a ${enumName} value; expected one of ${names.join(", ")} (or 0 to ${names.length - 1})`,
  });
  return undefined;
}

function decodeUint32(walk: Walk, value: unknown, path: Path, where: string): number | undefined {
  // protojson writes uint32 as a number and also reads a decimal string.
  const number = typeof value === "number" ? value : typeof value === "string" && /^(?:0|[1-9]\d*)$/.test(value) ? Number(value) : undefined;
  if (number !== undefined && Number.isInteger(number) && number >= 0 && number <= UINT32_MAX) return number === 0 ? 0 : number;
  if (typeof value !== "number" && typeof value !== "string") return typeIssue(walk, path, where, "a uint32 number", value);
  walk.issues.push({
    path,
    code: "invalid_value",
    message: `${where}: ${JSON.stringify(value)} is not a uint32 (a whole number from 0 to ${UINT32_MAX})`,
  });
  return undefined;
}

function decodeDuration(walk: Walk, value: unknown, path: Path, where: string): string | undefined {
  if (typeof value !== "string") return typeIssue(walk, path, where, 'a Duration string such as "10s"', value);
  const canonical = canonicalDuration(value);
  if (canonical !== undefined) return canonical;
  walk.issues.push({
    path,
    code: "invalid_value",
    message: `${where}: ${JSON.stringify(value)} is not a Duration; write seconds with an "s" suffix and up to 9 decimals, such as "10s" or "1.5s" (at most ${MAX_DURATION_SECONDS}s either way)`,
  });
  return undefined;
}

function decodeTimestamp(walk: Walk, value: unknown, path: Path, where: string): string | undefined {
  if (typeof value !== "string") return typeIssue(walk, path, where, 'an RFC 3339 timestamp string such as "2024-05-01T12:00:00Z"', value);
  const canonical = canonicalTimestamp(value);
  if (canonical !== undefined) return canonical;
  walk.issues.push({
    path,
    code: "invalid_value",
    message: `${where}: ${JSON.stringify(value)} is not an RFC 3339 timestamp from 0001-01-01 to 9999-12-31, such as "2024-05-01T12:00:00Z"`,
  });
  return undefined;
}

/**
 * A message carried without its schema (`RoomConfiguration.egress`): any JSON object, keys turned
 * into JSON names, null fields dropped as protojson drops them. Values are not otherwise checked.
 */
function decodeOpaqueMessage(walk: Walk, input: unknown, path: Path, depth: number, where: string): Record<string, unknown> | undefined {
  const converted = fromProtobufMessage(input);
  if (!converted.ok) {
    walk.issues.push({ path, code: converted.code, message: `${where}: ${converted.message}` });
    return undefined;
  }
  const value = converted.value;
  if (!isPlainObject(value)) return typeIssue(walk, path, where, "an object", value);
  return withinOpaqueLimits(walk, value, path, depth, where, () => {
    const out: Record<string, unknown> = {};
    const writtenAs = new Map<string, string>();
    for (const key of Object.keys(value)) {
      const jsonName = jsonFieldName(key);
      const earlier = writtenAs.get(jsonName);
      if (earlier !== undefined) {
        walk.issues.push({
          path: [...path, key],
          code: "duplicate_field",
          message: `${where} gives the field ${jsonName} twice, as ${JSON.stringify(earlier)} and ${JSON.stringify(key)}`,
        });
        continue;
      }
      writtenAs.set(jsonName, key);
      const raw = value[key];
      if (raw === null || raw === undefined) continue;
      const field = decodeOpaqueValue(walk, raw, [...path, key], depth + 1, `${where}.${key}`);
      if (field !== undefined) setOwn(out, jsonName, field);
    }
    return out;
  });
}

function decodeOpaqueValue(walk: Walk, value: unknown, path: Path, depth: number, where: string): unknown {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value === 0 ? 0 : value;
    return typeIssue(walk, path, where, "a JSON value", value);
  }
  if (!Array.isArray(value)) return decodeOpaqueMessage(walk, value, path, depth, where);
  return withinOpaqueLimits(walk, value, path, depth, where, () => {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || item === undefined) {
        typeIssue(walk, [...path, i], `${where}[${i}]`, "a JSON value other than null", item);
        continue;
      }
      out.push(decodeOpaqueValue(walk, item, [...path, i], depth + 1, `${where}[${i}]`));
    }
    return out;
  });
}

/** Runs `walkChildren` unless `container` is too deep, cyclic, or over the size budget. */
function withinOpaqueLimits<T>(walk: Walk, container: object, path: Path, depth: number, where: string, walkChildren: () => T): T | undefined {
  if (depth > walk.maxDepth) {
    walk.issues.push({ path, code: "too_deep", message: `${where}: nested more than ${walk.maxDepth} levels deep` });
    return undefined;
  }
  if (walk.opaqueStack.has(container)) {
    walk.issues.push({ path, code: "cyclic", message: `${where}: refers back to an object that contains it` });
    return undefined;
  }
  walk.opaqueBudget -= 1;
  if (walk.opaqueBudget < 0) {
    // Report once: every later container is over the budget too.
    if (walk.opaqueBudget === -1) {
      walk.issues.push({ path, code: "too_large", message: `${where}: more than ${OPAQUE_VALUE_BUDGET} objects and arrays` });
    }
    return undefined;
  }
  walk.opaqueStack.add(container);
  try {
    return walkChildren();
  } finally {
    walk.opaqueStack.delete(container);
  }
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

/** What a value of this schema looks like, for "expected ..." messages. */
function expectedOf(schema: core.$ZodType, info: ProtoSchemaInfo): string {
  if (schema instanceof core.$ZodOptional) return expectedOf(schema._zod.def.innerType as core.$ZodType, info);
  if (schema === OpaqueMessageSchema) return "an object";
  if (schema instanceof core.$ZodArray) return "an array";
  if (schema instanceof core.$ZodRecord) return "an object (a map)";
  if (schema === DurationSchema) return "a Duration string";
  if (schema === TimestampSchema) return "a timestamp string";
  if (schema === Uint32Schema) return "a uint32 number";
  if (schema instanceof core.$ZodObject) return `a ${info.typeNames.get(schema) ?? "message"} object`;
  if (schema instanceof core.$ZodEnum) return `a ${info.typeNames.get(schema) ?? "enum"} name`;
  if (schema instanceof core.$ZodString) return "a string";
  if (schema instanceof core.$ZodBoolean) return "true or false";
  if (schema instanceof core.$ZodNumber) return "a number";
  return "a value";
}

/** Fields whose values are secrets: an issue about one names the type of the value, never the value. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "pin",
  "authPassword",
  "auth_password",
  "inboundPassword",
  "inbound_password",
  "outboundPassword",
  "outbound_password",
]);

function typeIssue(walk: Walk, path: Path, where: string | undefined, expected: string, value: unknown): undefined {
  const prefix = where === undefined ? "" : `${where}: `;
  const field = path[path.length - 1];
  // "got the number 1234" would print a pin given as a JSON number.
  const secret = typeof field === "string" && SECRET_FIELDS.has(field);
  const got = secret && (typeof value === "number" || typeof value === "boolean") ? `a ${typeof value}` : describeValue(value);
  walk.issues.push({ path, code: "invalid_type", message: `${prefix}expected ${expected}, got ${got}` });
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Duration and Timestamp, by hand: Date keeps milliseconds only and mishandles years < 100.

/** Seconds and nanos of a protojson Duration; both ≤ 0 for a negative one, as in protobuf. */
export function parseDuration(text: string): { seconds: number; nanos: number } | undefined {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (match === null) return undefined;
  const [, minus, whole = "", fraction = ""] = match;
  const digits = whole.replace(/^0+(?=\d)/, "");
  if (digits.length > 12) return undefined;
  const seconds = Number(digits);
  if (seconds > MAX_DURATION_SECONDS) return undefined;
  const nanos = Number(fraction.padEnd(9, "0"));
  const sign = minus === undefined ? 1 : -1;
  return { seconds: seconds === 0 ? 0 : sign * seconds, nanos: nanos === 0 ? 0 : sign * nanos };
}

/** A protojson Duration as protobuf writes it ("1.5s" → "1.500s", "-0s" → "0s"), or undefined. */
export function canonicalDuration(text: string): string | undefined {
  const duration = parseDuration(text);
  if (duration === undefined) return undefined;
  const negative = duration.seconds < 0 || duration.nanos < 0;
  return `${negative ? "-" : ""}${Math.abs(duration.seconds)}${fractionDigits(Math.abs(duration.nanos))}s`;
}

/** An RFC 3339 timestamp as protobuf writes it: UTC, `Z`, 0/3/6/9 fractional digits; or undefined. */
export function canonicalTimestamp(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", offsetSign, offsetHours = "0", offsetMinutes = "0"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const offset = (offsetSign === "-" ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  const unixSeconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  if (unixSeconds < MIN_TIMESTAMP_SECONDS || unixSeconds > MAX_TIMESTAMP_SECONDS) return undefined;

  const days = Math.floor(unixSeconds / 86_400);
  const secondOfDay = unixSeconds - days * 86_400;
  const date = civilFromDays(days);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  return (
    `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}` +
    `T${pad(Math.floor(secondOfDay / 3600))}:${pad(Math.floor((secondOfDay % 3600) / 60))}:${pad(secondOfDay % 60)}` +
    `${fractionDigits(Number(fraction.padEnd(9, "0")))}Z`
  );
}

/** ".500" / ".000001" / ".000000001" style: 0, 3, 6 or 9 digits, as protobuf writes nanos. */
function fractionDigits(nanos: number): string {
  if (nanos === 0) return "";
  const nine = String(nanos).padStart(9, "0");
  if (nine.endsWith("000000")) return `.${nine.slice(0, 3)}`;
  if (nine.endsWith("000")) return `.${nine.slice(0, 6)}`;
  return `.${nine}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z0 = days + 719_468;
  const era = Math.floor(z0 / 146_097);
  const dayOfEra = z0 - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** An object literal or `Object.create(null)`, from this realm or another; not an array, Map or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Sets `key` as an own data property, so `__proto__` is stored as data and never reaches the prototype setter. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** "a string", "null", "an array", "a Map", ... */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing (undefined)";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return Number.isFinite(value) ? `the number ${value}` : `the number ${String(value)}`;
    case "boolean":
      return `${value}`;
    case "bigint":
      return "a bigint";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default: {
      if (isPlainObject(value)) return "an object";
      const tag = Object.prototype.toString.call(value).slice(8, -1);
      return `a ${tag === "Object" ? "non-plain object" : tag}`;
    }
  }
}

/** ` (did you mean "roomPrefix"?)` for a key one or two edits away from a known name, else "". */
function suggestion(key: string, names: ReadonlyMap<string, string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names.keys()) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best === undefined ? "" : ` (did you mean ${JSON.stringify(best)}?)`;
}

/** Levenshtein distance, or `limit` as soon as it is known to be at least that. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit || a.length > 64 || b.length > 64) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? limit) + 1, (current[j - 1] ?? limit) + 1, (previous[j - 1] ?? limit) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "unknown error";
  }
}
