import * as core from "zod/v4/core";
import { DurationSchema, OpaqueMessageSchema, TimestampSchema, Uint32Schema } from "../model/protojson-scalars.js";
import type { Issue } from "../model/result.js";
import { describeValue } from "./plain-values.js";

// The state one decoding walk carries, and the issues every part of the walk reports the same way.

/** What the decoder cannot read from a zod schema: proto type names and oneofs. */
export interface ProtoSchemaInfo {
  /** Proto type names of message and enum schemas (e.g. `SIPDispatchRuleInfo`), for issue messages. */
  readonly typeNames: ReadonlyMap<core.$ZodType, string>;
  /** Message schemas whose fields are all members of one oneof, with that oneof's name. */
  readonly oneofs: ReadonlyMap<core.$ZodType, string>;
}

export const NO_INFO: ProtoSchemaInfo = { typeNames: new Map(), oneofs: new Map() };

/** One decoding walk: its settings and the issues found so far. */
export interface Walk {
  readonly info: ProtoSchemaInfo;
  readonly maxDepth: number;
  readonly modelNames: boolean;
  readonly issues: Issue[];
  /** Skip unknown fields, listing them in `warnings`, instead of failing on them. */
  readonly ignoreUnknown: boolean;
  readonly warnings: Issue[];
  opaqueBudget: number;
  /** Opaque objects and arrays being walked, to report a cycle instead of walking it. */
  readonly opaqueStack: Set<object>;
}

/** Where a value sits in the input: keys and array indexes from the top. */
export type Path = (string | number)[];

/** What a value of this schema looks like, for "expected ..." messages. */
export function expectedOf(schema: core.$ZodType, info: ProtoSchemaInfo): string {
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

export function typeIssue(walk: Walk, path: Path, where: string | undefined, expected: string, value: unknown): undefined {
  const prefix = where === undefined ? "" : `${where}: `;
  const field = path[path.length - 1];
  // "got the number 1234" would print a pin given as a JSON number.
  const secret = typeof field === "string" && SECRET_FIELDS.has(field);
  const got = secret && (typeof value === "number" || typeof value === "boolean") ? `a ${typeof value}` : describeValue(value);
  walk.issues.push({ path, code: "invalid_type", message: `${prefix}expected ${expected}, got ${got}` });
  return undefined;
}

/** Reports that `where` nests deeper than the walk allows. */
export function tooDeep(walk: Walk, path: Path, where: string): undefined {
  walk.issues.push({ path, code: "too_deep", message: `${where}: nested more than ${walk.maxDepth} levels deep` });
  return undefined;
}
