import type * as core from "zod/v4/core";
import { SIPDispatchRuleInfoSchema, SIPDispatchRuleSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, SIPTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { Result } from "../model/result.js";
import { acceptedFieldNames, modelFieldNames, suggestion } from "./field-names.js";
import { parseDispatchRule, parseInboundTrunk } from "./parse.js";

// resolveDispatch, compileDispatch and lintDispatch take models. Users also hold what
// livekit-server-sdk's SipClient returns: @livekit/protocol messages (protobuf-es v1 class
// instances). Those are recognised by their shape (a `toJson` method; the library never imports
// @livekit/protocol) and converted as the parse functions convert them. LiveKit's JSON handed over
// as if it were a model (snake_case names, a create request, a legacy trunk, `trunkIDs`) would be
// read as a rule or trunk without those fields, a silently wrong decision: it is a TypeError that
// names the parse function to use.

type Kind = "trunk" | "rule";

/**
 * A `@livekit/protocol` message (a protobuf-es v1 class instance), as `livekit-server-sdk`'s
 * `SipClient` returns them: `resolveDispatch`, `compileDispatch` and `lintDispatch` convert a
 * `SIPInboundTrunkInfo` or `SIPDispatchRuleInfo` message as the parse functions do.
 */
export interface ProtocolMessage {
  toJson(options?: object): unknown;
}

interface KindInfo {
  readonly list: string;
  readonly typeName: string;
  readonly parser: string;
  readonly parse: (input: unknown) => Result<SIPInboundTrunkInfo | SIPDispatchRuleInfo>;
  readonly schema: core.$ZodObject;
  /** Keys that say "this is a request wrapper or a legacy message", with what they say. */
  readonly foreign: ReadonlyMap<string, string>;
}

const legacyTrunkNames = [...acceptedFieldNames(SIPTrunkInfoSchema).keys()].filter((name) => !acceptedFieldNames(SIPInboundTrunkInfoSchema).has(name));

const KINDS: Record<Kind, KindInfo> = {
  rule: {
    list: "rules",
    typeName: "SIPDispatchRuleInfo",
    parser: "parseDispatchRule",
    parse: parseDispatchRule,
    schema: SIPDispatchRuleInfoSchema,
    foreign: new Map([
      ["dispatchRule", "a CreateSIPDispatchRuleRequest"],
      ["dispatch_rule", "a CreateSIPDispatchRuleRequest"],
    ]),
  },
  trunk: {
    list: "trunks",
    typeName: "SIPInboundTrunkInfo",
    parser: "parseInboundTrunk",
    parse: parseInboundTrunk,
    schema: SIPInboundTrunkInfoSchema,
    foreign: new Map([["trunk", "a CreateSIPInboundTrunkRequest"], ...legacyTrunkNames.map((name): [string, string] => [name, "a legacy SIPTrunkInfo"])]),
  },
};

/** A protobuf-es v1 message, as @livekit/protocol makes them: an object with a `toJson` method. */
function isProtobufMessage(value: object): boolean {
  try {
    return !Array.isArray(value) && typeof (value as { toJson?: unknown }).toJson === "function";
  } catch {
    return false; // unreadable: the engine's own checks report it
  }
}

const RULE_FIELDS = modelFieldNames(SIPDispatchRuleInfoSchema);
const TRUNK_FIELDS = modelFieldNames(SIPInboundTrunkInfoSchema);
const RULE_KIND_FIELDS = modelFieldNames(SIPDispatchRuleSchema);

/** Whether every key of `value` is a model field: the common case, checked without allocating. */
function onlyModelKeys(value: object, model: ReadonlyMap<string, string>): boolean {
  for (const key in value) if (!model.has(key)) return false;
  return true;
}

/** Why `value`'s own keys say it is LiveKit JSON rather than a model of `schema`, or `undefined`. */
function foreignKey(value: object, schema: core.$ZodObject, foreign: ReadonlyMap<string, string>, at: string): string | undefined {
  const model = modelFieldNames(schema);
  if (onlyModelKeys(value, model)) return undefined;
  for (const key of Object.keys(value)) {
    if (model.has(key)) continue;
    const field = acceptedFieldNames(schema).get(key);
    if (field !== undefined) return `${JSON.stringify(at + key)} is LiveKit's JSON spelling of ${JSON.stringify(at + field)}`;
    const wrapper = foreign.get(key);
    if (wrapper !== undefined) return `its field ${JSON.stringify(key)} makes it ${wrapper}`;
    const hint = suggestion(key, model);
    if (hint !== "") return `unknown field ${JSON.stringify(at + key)}${hint}`;
  }
  return undefined;
}

/** Why `value` is not a model of this kind, or `undefined`. Other extra keys are the caller's business. */
function notAModel(value: object, kind: Kind): string | undefined {
  try {
    const info = KINDS[kind];
    const top = onlyModelKeys(value, kind === "rule" ? RULE_FIELDS : TRUNK_FIELDS) ? undefined : foreignKey(value, info.schema, info.foreign, "");
    if (top !== undefined || kind === "trunk") return top;
    const rule = (value as { rule?: unknown }).rule;
    if (typeof rule !== "object" || rule === null || Array.isArray(rule) || onlyModelKeys(rule, RULE_KIND_FIELDS)) return undefined;
    return foreignKey(rule, SIPDispatchRuleSchema, new Map(), "rule.");
  } catch {
    return undefined; // unreadable: the engine's own checks report it
  }
}

/**
 * The models in `items`: @livekit/protocol messages converted as {@link parseDispatchRule} /
 * {@link parseInboundTrunk} convert them, models as given (the same array when it holds no
 * message). `strict`: LiveKit JSON passed as a model, or a message the parser rejects, is a
 * TypeError naming the parse function; otherwise such items are left as they are.
 */
function modelsOf<T extends object>(items: readonly T[], kind: Kind, fn: string, strict: boolean): readonly T[] {
  if (!Array.isArray(items)) return items; // the engine's argument check reports it
  const info = KINDS[kind];
  let out: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (typeof item !== "object" || item === null) continue;
    if (isProtobufMessage(item)) {
      const parsed = info.parse(item);
      if (parsed.ok) {
        (out ??= items.slice(0, i))[i] = parsed.value as T;
        continue;
      }
      if (strict)
        throw new TypeError(
          `${fn}: ${info.list}[${i}] is a @livekit/protocol message that ${info.parser} cannot read: ${parsed.error.message}. ` +
            `Read it with ${info.parser}(message, { unknownFields: "ignore" }) and pass the model it returns.`,
        );
    } else if (strict) {
      const problem = notAModel(item, kind);
      if (problem !== undefined)
        throw new TypeError(
          `${fn}: ${info.list}[${i}] must be a ${info.typeName} model (what ${info.parser} returns) or a @livekit/protocol message: ${problem}. ` +
            `Read LiveKit's JSON with ${info.parser} (or parseDispatchConfig for a whole configuration) and pass the model it returns.`,
        );
    }
    if (out !== undefined) out[i] = item as T;
  }
  return out ?? items;
}

/**
 * The trunks and rules a resolver or linter works on: @livekit/protocol messages among them
 * converted to models. With `strict` (resolveDispatch, compileDispatch), LiveKit JSON passed where
 * a model belongs is a TypeError that names the parse function to use.
 */
export function engineInputs(
  trunks: readonly (SIPInboundTrunkInfo | ProtocolMessage)[],
  rules: readonly (SIPDispatchRuleInfo | ProtocolMessage)[],
  fn: string,
  strict = true,
): { trunks: readonly SIPInboundTrunkInfo[]; rules: readonly SIPDispatchRuleInfo[] } {
  // What is left after conversion is a model, or something the engine's own checks judge.
  return {
    trunks: modelsOf(trunks, "trunk", fn, strict) as readonly SIPInboundTrunkInfo[],
    rules: modelsOf(rules, "rule", fn, strict) as readonly SIPDispatchRuleInfo[],
  };
}
