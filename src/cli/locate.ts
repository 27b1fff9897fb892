import type { LoadedConfig, Origin } from "./config.js";
import { displayName } from "./names.js";
import type { Finding } from "../lint/lint.js";

// Where the trunks and rules a lint finding names sit: the file and JSON path of each (for
// `lint --json` and SARIF), and the line and column of a JSON path in a file's text (for SARIF,
// whose readers place a result by line).

/**
 * The origins of the rules and trunks a finding names: rules first (a finding's subject is its
 * first rule, or its first trunk when it names no rule), each in the order named. Positions
 * (`ruleIndexes`, in the lists given to lint, which are the files' entries in order) say it
 * exactly, also for entries without an id or with an id used twice; without them (a finding built
 * by hand) an entry is found by its id, an id-less one by its display name (its `name`, else
 * `rules[2]`), or by `""` when only one entry of its list has no id. Maps are built once.
 */
export function originLocator(config: LoadedConfig): (finding: Finding) => Origin[] {
  let trunks: Map<string, number> | undefined;
  let rules: Map<string, number> | undefined;
  const trunkIndex = () => (trunks ??= nameIndex(config.trunks.map((t) => t.sipTrunkId), config.trunks.map((t, i) => displayName("trunks", t.sipTrunkId, t.name, i))));
  const ruleIndex = () =>
    (rules ??= nameIndex(config.rules.map((r) => r.sipDispatchRuleId), config.rules.map((r, i) => displayName("rules", r.sipDispatchRuleId, r.name, i))));
  return (finding) => {
    const out: Origin[] = [];
    const add = (indexes: readonly number[] | undefined, names: readonly string[] | undefined, index: () => Map<string, number>, origins: readonly Origin[]) => {
      const at = indexes ?? (names ?? []).map((name) => index().get(name) ?? -1);
      for (const i of at) {
        const origin = origins[i];
        if (origin !== undefined) out.push(origin);
      }
    };
    add(finding.ruleIndexes, finding.ruleIds, ruleIndex, config.ruleOrigins);
    add(finding.trunkIndexes, finding.trunkIds, trunkIndex, config.trunkOrigins);
    return out;
  };
}

/** Each id, and each display name of an entry without an id, to the first entry it names. */
function nameIndex(ids: readonly string[], names: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  ids.forEach((id, i) => id !== "" && !map.has(id) && map.set(id, i));
  const idless = ids.flatMap((id, i) => (id === "" ? [i] : []));
  for (const i of idless) if (!map.has(names[i] as string)) map.set(names[i] as string, i);
  // An empty id names an entry only where it cannot be another one.
  if (idless.length === 1) map.set("", idless[0] as number);
  return map;
}

/** A place in a text: 1-based line, 1-based column in UTF-16 code units (SARIF's default). */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Where the value at each of `paths` starts in `text`, a JSON document (`JSON.parse` has already
 * accepted it): one pass, keyed by `JSON.stringify(path)`. A key repeated in an object is placed
 * where its last value starts, as `JSON.parse` keeps the last one. Paths not found are absent.
 */
export function jsonPositions(text: string, paths: readonly (readonly (string | number)[])[]): Map<string, TextPosition> {
  const wanted = new Set(paths.map((p) => JSON.stringify(p)));
  const maxDepth = paths.reduce((depth, p) => Math.max(depth, p.length), 0);
  const found = new Map<string, TextPosition>();
  const path: (string | number)[] = [];
  const arrays: boolean[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  const ws = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        line++;
        lineStart = i + 1;
      } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return;
    }
  };
  const string = (): string => {
    const start = i++;
    while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  /** A key and its colon: the next value's step. */
  const key = (): string => {
    const k = string();
    ws();
    i++; // ":"
    ws();
    return k;
  };
  for (;;) {
    // At the start of a value.
    if (path.length <= maxDepth) {
      const at = JSON.stringify(path);
      if (wanted.has(at)) found.set(at, { line, column: i - lineStart + 1 });
    }
    const c = text[i];
    if (c === "{" || c === "[") {
      i++;
      ws();
      if (text[i] === (c === "{" ? "}" : "]")) i++;
      else {
        arrays.push(c === "[");
        path.push(c === "[" ? 0 : key());
        continue;
      }
    } else if (c === '"') string();
    else while (i < n && !",]} \t\r\n".includes(text[i] as string)) i++;
    // After a value: the next element or key, or the end of containers.
    for (;;) {
      ws();
      if (arrays.length === 0 || i >= n) return found;
      const next = text[i++];
      if (next === ",") {
        ws();
        const last = path.length - 1;
        path[last] = arrays[arrays.length - 1] ? (path[last] as number) + 1 : key();
        break;
      }
      arrays.pop();
      path.pop();
    }
  }
}
