import type * as core from "zod/v4/core";

// Field names as protojson spells them: the JSON (lowerCamel) name and the proto (snake_case)
// name, and a "did you mean" for a name that is neither.

const fieldNameCache = new WeakMap<core.$ZodObject, Map<string, string>>();
const modelNameCache = new WeakMap<core.$ZodObject, Map<string, string>>();

/** The field names of a message schema in a canonical model: JSON names only, each mapped to itself. */
export function modelFieldNames(schema: core.$ZodObject): ReadonlyMap<string, string> {
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

/** ` (did you mean "roomPrefix"?)` for a key one or two edits away from a known name, else "". */
export function suggestion(key: string, names: ReadonlyMap<string, string>): string {
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
