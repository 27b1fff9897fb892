import { errorText } from "./plain-values.js";

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
