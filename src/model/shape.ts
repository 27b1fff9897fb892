// The engine's own guard against hand-built models of the wrong shape (plain JS only; TypeScript
// users cannot pass them). It runs once per trunk and rule where they are prepared, so it checks
// only what the engine reads, with typeof tests that allocate nothing on the common path: the
// decoder-based check of parse/model-arguments.ts would cost more than preparing a large configuration.

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;

/** What is wrong with a field that must be absent or a string, or `undefined`. */
export function stringProblem(value: unknown, field: string): string | undefined {
  return value === undefined || typeof value === "string" ? undefined : `${field} must be a string, got ${describe(value)}`;
}

/** What is wrong with a field that must be absent or an array of strings, or `undefined`. */
export function stringListProblem(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `${field} must be an array of strings, got ${describe(value)}`;
  for (const item of value) if (typeof item !== "string") return `${field} must be an array of strings, got ${describe(item)} in it`;
  return undefined;
}

/** What is wrong with a field that must be absent or an object of strings, or `undefined`. */
export function stringMapProblem(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `${field} must be an object of strings, got ${describe(value)}`;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item !== "string") return `${field}[${JSON.stringify(key)}] must be a string, got ${describe(item)}`;
  }
  return undefined;
}

/** What is wrong with a field that must be absent or an object, or `undefined`. */
export function objectProblem(value: unknown, field: string): string | undefined {
  return value === undefined || (typeof value === "object" && value !== null && !Array.isArray(value))
    ? undefined
    : `${field} must be an object, got ${describe(value)}`;
}
