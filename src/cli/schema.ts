import { z } from "zod";
import { policySchema } from "./policy.js";
import { usage } from "./io.js";
import { SIPDispatchRuleInfoSchema } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, SIPTrunkInfoSchema } from "../model/inbound-trunk.js";
import { CreateSIPDispatchRuleRequestSchema, CreateSIPInboundTrunkRequestSchema, protoSchemaInfo } from "../parse/parse.js";
import { protoFieldName } from "../parse/field-names.js";

// `sip-dispatch schema`: JSON Schema (draft 2020-12) generated from the zod models, for editors.
// The zod models are the canonical output shape (camelCase, every field present); files people
// write are input, so the generated schema is loosened to what the parsers accept: no field is
// required, every message field may also be spelled in snake_case (its proto name), and enums
// may be given by name or number.

export const SCHEMA_HELP = `Usage: sip-dispatch schema [rule|trunk|config|policy]

Print a JSON Schema (draft 2020-12) generated from sip-dispatch's zod models, so editors can
validate and complete your files. Point a file at it with "$schema", or map it in your editor.

  rule      a dispatch rule: SIPDispatchRuleInfo, {"dispatch_rule": ...}, the legacy request
            form, or a list of them (an array, or \`lk sip dispatch list --json\` output)
  trunk     an inbound trunk: SIPInboundTrunkInfo, {"trunk": ...}, the legacy SIPTrunkInfo,
            or a list of them (an array, or \`lk sip inbound list --json\` output)
  config    {"trunks": [...], "rules": [...]} (the default; --config also reads the
            rule and trunk forms above)
  policy    a routing-policy file, as \`sip-dispatch test\` reads it

Field names may be camelCase (LiveKit's JSON names) or snake_case (proto names); the schema
lists both. It checks shape and types; \`sip-dispatch lint\` checks meaning.
`;

export const SCHEMA_OPTIONS = { help: { type: "boolean", short: "h" } } as const;

export const SCHEMA_KINDS = ["rule", "trunk", "config", "policy"] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

const CAMEL_AND_SNAKE =
  "Field names are accepted in camelCase (LiveKit's protojson JSON names) and in snake_case (proto names); both spellings are listed. No field is required, as in proto3.";

/** The JSON Schema of `kind`, as a plain object. */
export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  const registry = z.registry<{ id?: string; description?: string }>();
  for (const [schema, name] of protoSchemaInfo.typeNames) registry.add(schema, { id: name.replace(/\./g, "_") });

  const anyRule = z.union([SIPDispatchRuleInfoSchema, CreateSIPDispatchRuleRequestSchema]);
  const anyTrunk = z.union([SIPInboundTrunkInfoSchema, CreateSIPInboundTrunkRequestSchema, SIPTrunkInfoSchema]);
  const listOf = (item: z.ZodType) => z.union([item, z.array(item), z.strictObject({ items: z.array(item) })]);
  const config = z
    .strictObject({ $schema: z.string().optional(), trunks: z.array(anyTrunk).optional(), rules: z.array(anyRule).optional() })
    .describe(`A sip-dispatch configuration: inbound trunks and dispatch rules. ${CAMEL_AND_SNAKE}`);

  let root: z.ZodType;
  let title: string;
  switch (kind) {
    case "rule":
      root = listOf(anyRule).describe(`A LiveKit SIP dispatch rule, or a list of them. ${CAMEL_AND_SNAKE}`);
      title = "LiveKit SIP dispatch rule";
      break;
    case "trunk":
      root = listOf(anyTrunk).describe(`A LiveKit SIP inbound trunk, or a list of them. ${CAMEL_AND_SNAKE}`);
      title = "LiveKit SIP inbound trunk";
      break;
    case "config":
      root = config;
      title = "sip-dispatch configuration";
      break;
    case "policy":
      root = policySchema(config);
      title = "sip-dispatch routing policy";
      break;
  }
  registry.add(config, { id: "DispatchConfig", description: describedAs(config) });
  copyDescriptions(root, registry, new Set());
  const generated = z.toJSONSchema(root, { metadata: registry, reused: "inline", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const modelDefs = new Set([...protoSchemaInfo.typeNames.values()].map((n) => n.replace(/\./g, "_")));
  const defs = (generated.$defs ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, def] of Object.entries(defs)) if (modelDefs.has(name)) loosen(def);
  return { $schema: generated.$schema, title, ...withoutKey(generated, "$schema") };
}

const describedAs = (schema: z.ZodType): string | undefined => z.globalRegistry.get(schema)?.description;

/**
 * A custom metadata registry replaces zod's global one (where \`.describe()\` writes) for
 * toJSONSchema, so copy every description under \`root\` into \`registry\`.
 */
function copyDescriptions(root: z.ZodType, registry: z.core.$ZodRegistry<{ id?: string; description?: string }>, seen: Set<unknown>): void {
  if (seen.has(root)) return;
  seen.add(root);
  const description = describedAs(root);
  if (description !== undefined && !registry.has(root)) registry.add(root, { description });
  const def = (root as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const children: unknown[] = [def.innerType, def.element, def.valueType, def.keyType];
  if (Array.isArray(def.options)) children.push(...def.options);
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape !== undefined) children.push(...Object.values(shape));
  for (const child of children) if (child instanceof z.core.$ZodType) copyDescriptions(child as z.ZodType, registry, seen);
}

/** Makes a model definition accept input: snake_case aliases, no `required`, enums by number too. */
function loosen(node: Record<string, unknown>): void {
  if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === "string")) {
    const names = node.enum as string[];
    delete node.type;
    delete node.enum;
    node.anyOf = [
      { type: "string", enum: names },
      { type: "integer", minimum: 0, maximum: names.length - 1 },
    ];
    return;
  }
  const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties !== undefined) {
    delete node.required;
    for (const [name, value] of Object.entries(properties)) {
      loosenNested(value);
      const alias = protoFieldName(name);
      if (alias !== name && !(alias in properties)) properties[alias] = value;
    }
  }
  for (const key of ["items", "additionalProperties"] as const) {
    const child = node[key];
    if (child !== null && typeof child === "object") loosenNested(child as Record<string, unknown>);
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const children = node[key];
    if (Array.isArray(children)) for (const child of children) loosenNested(child as Record<string, unknown>);
  }
}

/** Inline (non-$ref) sub-schemas of a model are loosened the same way; `$ref`s are loosened as defs. */
function loosenNested(node: Record<string, unknown>): void {
  if (typeof node.$ref !== "string") loosen(node);
}

const withoutKey = (object: Record<string, unknown>, key: string): Record<string, unknown> => {
  const copy = { ...object };
  delete copy[key];
  return copy;
};

/** `schema [kind]`: the JSON text. */
export function runSchema(positionals: readonly string[]): string {
  if (positionals.length > 1) throw usage("schema takes one kind: rule, trunk, config or policy");
  const kind = positionals[0] ?? "config";
  if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) throw usage(`unknown schema ${JSON.stringify(kind)}; expected rule, trunk, config or policy`);
  return `${JSON.stringify(jsonSchema(kind as SchemaKind), null, 2)}\n`;
}
