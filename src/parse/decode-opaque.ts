import { jsonFieldName } from "./field-names.js";
import { isPlainObject, setOwn } from "./plain-values.js";
import { fromProtobufMessage } from "./protobuf-message.js";
import { tooDeep, typeIssue, type Path, type Walk } from "./protojson-walk.js";

/** Objects and arrays an opaque message may hold in all: stops shared sub-objects from exploding the walk. */
export const OPAQUE_VALUE_BUDGET = 10_000;

/**
 * A message carried without its schema (`RoomConfiguration.egress`): any JSON object, keys turned
 * into JSON names, null fields dropped as protojson drops them. Values are not otherwise checked.
 */
export function decodeOpaqueMessage(walk: Walk, input: unknown, path: Path, depth: number, where: string): Record<string, unknown> | undefined {
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
  if (depth > walk.maxDepth) return tooDeep(walk, path, where);
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
