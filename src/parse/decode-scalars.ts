import type * as core from "zod/v4/core";
import { canonicalDuration, canonicalTimestamp, MAX_DURATION_SECONDS } from "./durations-timestamps.js";
import { describeValue } from "./plain-values.js";
import { typeIssue, type Path, type Walk } from "./protojson-walk.js";

// The protojson scalars with rules of their own: enums by name or number, uint32 as a number or a
// decimal string, Duration and Timestamp strings (written back in protobuf's canonical form).

const UINT32_MAX = 0xffffffff;

export function decodeEnum(walk: Walk, schema: core.$ZodEnum, value: unknown, path: Path, where: string): string | undefined {
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

export function decodeUint32(walk: Walk, value: unknown, path: Path, where: string): number | undefined {
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

export function decodeDuration(walk: Walk, value: unknown, path: Path, where: string): string | undefined {
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

export function decodeTimestamp(walk: Walk, value: unknown, path: Path, where: string): string | undefined {
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
