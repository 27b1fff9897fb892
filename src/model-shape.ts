// The engine's own guard against hand-built models of the wrong shape (plain JS only; TypeScript
// users cannot pass them). It runs once per trunk and rule where they are prepared, so it checks
// only what the engine reads, with typeof tests: the decoder-based check of model-arguments.ts
// would cost more than preparing a large configuration.

/** The model's name for a message: built only when a check fails, never on the common path. */
type ModelName = string | (() => string);
const nameOf = (model: ModelName): string => (typeof model === "string" ? model : model());

const describe = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`);

/** Throws a TypeError naming the model and field unless `value` is absent or a string. */
export function expectString(value: unknown, model: ModelName, field: string): void {
  if (value !== undefined && typeof value !== "string") throw new TypeError(`${nameOf(model)}: ${field} must be a string, got ${describe(value)}`);
}

/** Throws unless `value` is absent or an array of strings. */
export function expectStringList(value: unknown, model: ModelName, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new TypeError(`${nameOf(model)}: ${field} must be an array of strings, got ${describe(value)}`);
  for (const item of value) if (typeof item !== "string") throw new TypeError(`${nameOf(model)}: ${field} must be an array of strings, got ${describe(item)} in it`);
}

/** Throws unless `value` is absent or an object whose values are strings. */
export function expectStringMap(value: unknown, model: ModelName, field: string): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError(`${nameOf(model)}: ${field} must be an object of strings, got ${describe(value)}`);
  for (const key of Object.keys(value))
    if (typeof (value as Record<string, unknown>)[key] !== "string")
      throw new TypeError(`${nameOf(model)}: ${field}[${JSON.stringify(key)}] must be a string, got ${describe((value as Record<string, unknown>)[key])}`);
}

/** Throws unless `value` is absent or an object. */
export function expectObject(value: unknown, model: ModelName, field: string): void {
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value)))
    throw new TypeError(`${nameOf(model)}: ${field} must be an object, got ${describe(value)}`);
}
