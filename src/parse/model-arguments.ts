import type * as core from "zod/v4/core";
import { formatPath, protoSchemaInfo } from "./parse.js";
import { isPlainObject } from "./plain-values.js";
import { decodeProtoJson } from "./protojson.js";

// The functions that take models (validation, updates, the store) read their fields directly and
// copy them with structuredClone (the store also freezes them). A field of the wrong JavaScript
// type, which only plain JS can pass, is a programmer error: a TypeError that names the field and
// what it expected (API.md), not a crash deep inside, a DataCloneError or a failed freeze.

/**
 * Decoder issue codes that mean a value the model's type does not allow (a wrong JavaScript type,
 * or an enum value outside its union), not a value the checks themselves judge.
 */
const WRONG_TYPE: ReadonlySet<string> = new Set(["invalid_type", "invalid_enum_value", "unreadable_input"]);

/** The value at `path` under `root`, or `undefined`. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const step of path) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  return value;
}

/**
 * Whether `value` is JSON-like data (strings, numbers, booleans, null, arrays, plain objects),
 * which the functions can copy with structuredClone and the store can freeze. A function, a
 * symbol, a typed array, a Map or a cycle is not.
 */
function plainData(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean") return true;
  if (type !== "object" || depth > 64) return false;
  try {
    if (Array.isArray(value)) return value.every((item: unknown) => plainData(item, depth + 1));
    if (!isPlainObject(value)) return false;
    return Object.keys(value).every((key) => plainData(value[key], depth + 1));
  } catch {
    return false; // unreadable
  }
}

/**
 * Throws `TypeError("<fn>: <argument> must be a <Type> object: <field>: expected …, got …")` when
 * `value`, handed to `fn` as a model of `schema`, holds a field of the wrong type, or an unknown
 * field whose value is not JSON-like data. Missing fields, other unknown fields, and values of the
 * right type that the checks themselves judge (an invalid Duration, an empty codec name) pass.
 * `value` must already be an object.
 */
export function checkModelArgument(schema: core.$ZodObject, value: object, fn: string, argument: string): void {
  const { issues } = decodeProtoJson(schema, value, { info: protoSchemaInfo, modelNames: true });
  const typeName = protoSchemaInfo.typeNames.get(schema) ?? "message";
  for (const issue of issues) {
    if (WRONG_TYPE.has(issue.code)) throw new TypeError(`${fn}: ${argument} must be a ${typeName} object: ${issue.message}`);
    if (issue.code === "unrecognized_key" && !plainData(valueAt(value, issue.path)))
      throw new TypeError(`${fn}: ${argument} must be a ${typeName} object of plain data: ${formatPath(issue.path)} is not JSON-like data`);
  }
}
