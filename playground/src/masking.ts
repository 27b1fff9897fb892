// Pins and trunk passwords are never shown. The library keeps them out of traces, errors and
// findings; the page keeps them out of what it draws itself: the configuration echo, the
// diagram and the call form (a password field).

export const MASK = "••••";

const SECRET_FIELDS = new Set(["pin", "authPassword", "auth_password"]);

/** A deep copy of a JSON value with every non-empty secret field replaced by the mask. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const masked = SECRET_FIELDS.has(key) && typeof field === "string" && field !== "" ? MASK : maskSecrets(field);
    Object.defineProperty(copy, key, { value: masked, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
