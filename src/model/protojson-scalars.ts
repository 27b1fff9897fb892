import * as z from "zod/mini";

// Scalars whose protojson form is a string with rules of its own. The decoder in
// protojson.ts recognises these exact schema objects and canonicalises their values.

/** `google.protobuf.Duration` as protojson writes it: `"10s"`, `"1.500s"` (0, 3, 6 or 9 fractional digits). */
export const DurationSchema = z
  .string()
  .check(z.regex(/^-?(?:0|[1-9]\d{0,11})(?:\.(?:\d{3}|\d{6}|\d{9}))?s$/, "a protojson Duration such as \"10s\""));

/** `google.protobuf.Timestamp` as protojson writes it: RFC 3339 in UTC, 0, 3, 6 or 9 fractional digits. */
export const TimestampSchema = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(?:\d{3}|\d{6}|\d{9}))?Z$/, "an RFC 3339 timestamp"));

/** A `uint32` field. */
export const Uint32Schema = z.int().check(z.minimum(0), z.maximum(0xffffffff));

/**
 * A message we carry without interpreting it (`RoomConfiguration.egress`). The decoder
 * only converts its keys to camelCase; LiveKit's dispatch never reads it either.
 */
export const OpaqueMessageSchema = z.record(z.string(), z.unknown());
