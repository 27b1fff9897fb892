// A whole configuration in any shape users have it: a `{trunks, rules}` config, what
// `lk sip inbound list --json` / `lk sip dispatch list --json` print (`{"items": [...]}`), a bare
// array, or one trunk or rule. Each element goes through parseInboundTrunk / parseDispatchRule, so
// it may be in any shape those accept; every problem is reported, with its path.
import { SIPDispatchRuleInfoSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, SIPTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { DispatchConfig } from "../model/resolution.js";
import { fail, okWithWarnings, type Issue, type Result } from "../model/result.js";
import { acceptedFieldNames } from "./field-names.js";
import {
  CreateSIPDispatchRuleRequestSchema,
  CreateSIPInboundTrunkRequestSchema,
  formatPath,
  parseDispatchRule,
  parseInboundTrunk,
  type ParseOptions,
} from "./parse.js";
import { errorText, isPlainObject } from "./plain-values.js";
import { fromProtobufMessage } from "./protobuf-message.js";

/** Options of {@link parseDispatchConfig}: those of every parse function, and what a list holds. */
export interface DispatchConfigParseOptions extends ParseOptions {
  /**
   * What a list holds, when the caller knows (a `--trunks` or `--rules` file). Without it each
   * element of a list or a single object is told apart by its fields.
   */
  only?: "trunks" | "rules";
}

type Path = (string | number)[];
type Kind = "trunk" | "rule";

/** A parsed configuration and where each element sat in the input, index for index. */
export interface LocatedConfig {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  trunkPaths: Path[];
  rulePaths: Path[];
}

const names = (...schemas: Parameters<typeof acceptedFieldNames>[0][]): Set<string> =>
  new Set(schemas.flatMap((schema) => [...acceptedFieldNames(schema).keys()]));
const ruleNames = names(SIPDispatchRuleInfoSchema, CreateSIPDispatchRuleRequestSchema);
const trunkNames = names(SIPInboundTrunkInfoSchema, CreateSIPInboundTrunkRequestSchema, SIPTrunkInfoSchema);
/** Fields only one of the two has: they tell a trunk from a rule (`name`, `numbers`… are shared). */
const RULE_ONLY = new Set([...ruleNames].filter((n) => !trunkNames.has(n)));
const TRUNK_ONLY = new Set([...trunkNames].filter((n) => !ruleNames.has(n)));

const CONFIG_KEYS = new Set(["trunks", "rules", "$schema"]);

function keysOf(value: unknown): string[] | undefined {
  try {
    return isPlainObject(value) ? Object.keys(value) : undefined;
  } catch {
    return undefined; // unreadable: the element parser reports it
  }
}

/** Whether one element is a trunk or a rule, by the fields only one of them has. */
function kindOf(value: unknown): Kind | undefined {
  const keys = keysOf(value) ?? [];
  const rule = keys.some((k) => RULE_ONLY.has(k));
  const trunk = keys.some((k) => TRUNK_ONLY.has(k));
  return rule === trunk ? undefined : rule ? "rule" : "trunk";
}

class Reader {
  readonly config: LocatedConfig = { trunks: [], rules: [], trunkPaths: [], rulePaths: [] };
  readonly issues: Issue[] = [];
  /** Unknown fields skipped (with `unknownFields: "ignore"`), paths from the top. */
  readonly warnings: Issue[] = [];

  constructor(private readonly options: ParseOptions) {}

  issue(path: Path, code: string, message: string): void {
    this.issues.push({ path, code, message });
  }

  element(value: unknown, path: Path, kind: Kind | undefined): void {
    const json = fromProtobufMessage(value);
    const known = kind ?? (json.ok ? kindOf(json.value) : undefined);
    if (known === undefined) {
      this.issue(path, "unknown_element", "cannot tell whether this is a trunk or a dispatch rule: it has no field only one of them has");
      return;
    }
    const parsed: Result<SIPInboundTrunkInfo | SIPDispatchRuleInfo> =
      known === "trunk" ? parseInboundTrunk(value, this.options) : parseDispatchRule(value, this.options);
    if (parsed.ok) for (const w of parsed.warnings ?? []) this.warnings.push({ ...w, path: [...path, ...w.path] });
    if (!parsed.ok) {
      const issues = parsed.error.issues ?? [{ path: [], code: parsed.error.code, message: parsed.error.message }];
      for (const i of issues) this.issues.push({ ...i, path: [...path, ...i.path] });
    } else if (known === "trunk") {
      this.config.trunks.push(parsed.value as SIPInboundTrunkInfo);
      this.config.trunkPaths.push(path);
    } else {
      this.config.rules.push(parsed.value as SIPDispatchRuleInfo);
      this.config.rulePaths.push(path);
    }
  }

  list(value: unknown, path: Path, kind: Kind | undefined): void {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      this.issue(path, "invalid_type", `expected an array of ${kind === undefined ? "trunks or rules" : kind + "s"}`);
      return;
    }
    value.forEach((element, index) => this.element(element, [...path, index], kind));
  }
}

/** Which shape `value` is, and its elements read. Throws only on values that cannot be read (revoked proxies). */
function readShape(reader: Reader, value: unknown, only: Kind | undefined): void {
  const keys = keysOf(value);
  if (Array.isArray(value)) reader.list(value, [], only);
  else if (keys !== undefined && keys.length === 1 && keys[0] === "items" && Array.isArray((value as { items: unknown }).items))
    reader.list((value as { items: unknown }).items, ["items"], only);
  else if (keys !== undefined && only === undefined && keys.length > 0 && keys.every((k) => CONFIG_KEYS.has(k))) {
    const config = value as { trunks?: unknown; rules?: unknown };
    reader.list(config.trunks, ["trunks"], "trunk");
    reader.list(config.rules, ["rules"], "rule");
  } else if (keys === undefined || keys.length > 0) reader.element(value, [], only);
  // `{}` holds nothing: what `lk … list --json` prints for a project without any.
}

/** {@link parseDispatchConfig}, also saying where each trunk and rule sat in the input. */
export function readDispatchConfig(value: unknown, options: DispatchConfigParseOptions = {}): Result<LocatedConfig> {
  const reader = new Reader({ unknownFields: options.unknownFields === "ignore" ? "ignore" : "reject" });
  const only: Kind | undefined = options.only === "trunks" ? "trunk" : options.only === "rules" ? "rule" : undefined;
  try {
    readShape(reader, value, only);
  } catch (error) {
    reader.issue([], "unreadable_input", `the input could not be read: ${errorText(error)}`);
  }
  if (reader.issues.length === 0) return okWithWarnings(reader.config, reader.warnings);
  const first = reader.issues[0]!;
  const where = first.path.length === 0 ? "" : `${formatPath(first.path)}: `;
  return fail("invalid_input", `invalid configuration: ${where}${first.message}`, reader.issues);
}

/**
 * Reads a configuration in any shape users have one: `{ "trunks": [...], "rules": [...] }`, what
 * `lk sip inbound list --json` and `lk sip dispatch list --json` print (`{"items": [...]}`), a bare
 * array, or one trunk or rule; each element in any shape {@link parseInboundTrunk} or
 * {@link parseDispatchRule} accepts (also protobuf-es messages). Lists of mixed or unknown content
 * are told apart element by element, by the fields only a trunk or only a rule has; pass
 * `{ only: "trunks" }` or `{ only: "rules" }` when the caller knows. Every problem is an issue whose
 * path starts at `value` (`["rules", 2, "trunkIds"]`). With `{ unknownFields: "ignore" }` fields the
 * models do not have are skipped, and the result's `warnings` name each (`["rules", 0, "newField"]`).
 *
 * @example
 * const config = parseDispatchConfig(JSON.parse(text));
 * if (config.ok) compileDispatch(config.value.trunks, config.value.rules);
 */
export function parseDispatchConfig(value: unknown, options?: DispatchConfigParseOptions): Result<DispatchConfig> {
  const read = readDispatchConfig(value, options);
  return read.ok ? okWithWarnings({ trunks: read.value.trunks, rules: read.value.rules }, read.warnings ?? []) : read;
}
