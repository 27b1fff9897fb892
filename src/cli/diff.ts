import { type LoadedConfig, loadConfigFromFlags, type ReadContext, warningLines } from "./config.js";
import { type Style, usage } from "./io.js";
import { witnessCommand } from "./lint.js";
import { callWithoutPin } from "./pins.js";
import { ruleTarget } from "../model/dispatch-rule.js";
import { diffDispatch, type DecisionChange, type DispatchDiff } from "../diff/diff.js";
import type { DecisionSummary } from "../diff/summary.js";
import type { DispatchConfig, InboundCall } from "../model/resolution.js";

// `sip-dispatch diff`: what changing a configuration does to calls, grouped by the trunk the
// calls came through, each change with a witness call to try against both files.

export const DIFF_HELP = `Usage: sip-dispatch diff --before FILE --after FILE [--strict] [--json]

Which calls a configuration change decides differently: who now lands in another room, hears a
pin prompt, is dropped or gets a 503. Every class of calls that changes is listed once, with a
witness call (a \`sip-dispatch resolve\` command that shows it) and what differs. Reordering
entries, or editing what no call reaches, is no change. docs/diff.md explains the classes.

  --before FILE        the configuration now: {"trunks": [...], "rules": [...]}, or
                       \`lk sip … list --json\` output, an array, or one trunk or rule
  --after FILE         the configuration proposed, in any of these shapes
                       Either FILE may be - for standard input.
  --ignore-unknown-fields
                       skip fields this version does not know, with a warning on stderr
  --strict             compare as \`resolve --strict\` decides (allowlist bypasses closed,
                       rule numbers normalised)
  --json               print {"changes": [...], "classes": N} (pins in witnesses masked)
  -h, --help           show this help

Exit status: 0 when no call is decided differently, 1 when some are (like \`git diff
--exit-code\`), 2 on bad usage or input.
`;

export const DIFF_OPTIONS = {
  before: { type: "string" },
  after: { type: "string" },
  strict: { type: "boolean" },
  json: { type: "boolean" },
  "ignore-unknown-fields": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface DiffValues {
  before?: string | undefined;
  after?: string | undefined;
  strict?: boolean | undefined;
  json?: boolean | undefined;
  "ignore-unknown-fields"?: boolean | undefined;
}

/** One side of the diff: a file in any shape `--config` reads (`-` for standard input). */
const loadConfig = (file: string, ignoreUnknownFields: boolean, context: ReadContext): LoadedConfig =>
  loadConfigFromFlags({ config: [file], "ignore-unknown-fields": ignoreUnknownFields }, "diff", [], context);

/** Runs `diff`: the text to print and the exit code (1 when some decision changes). */
export function runDiff(values: DiffValues, style: Style, context: ReadContext = {}): { stdout: string; stderr: string[]; exitCode: 0 | 1 } {
  if (values.before === undefined || values.after === undefined)
    throw usage("diff: --before FILE and --after FILE are both required (see sip-dispatch diff --help)");
  if (values.before === "-" && values.after === "-") throw usage("diff: standard input (-) can be read only once");
  const ignore = values["ignore-unknown-fields"] === true;
  const before = loadConfig(values.before, ignore, context);
  const after = loadConfig(values.after, ignore, context);
  const stderr = warningLines([...before.warnings, ...after.warnings]);
  const diff = diffDispatch(before, after, { strict: values.strict === true });
  const exitCode = diff.changes.length === 0 ? 0 : 1;
  // Summaries and messages carry no pin (the library names a pin by its rule); witness calls do.
  if (values.json === true) {
    const safe: DispatchDiff = { changes: diff.changes.map((change) => ({ ...change, call: callWithoutPin(change.call) })), classes: diff.classes };
    return { stdout: `${JSON.stringify(safe, null, 2)}\n`, stderr, exitCode };
  }
  const files = { before: values.before, after: values.after, strict: values.strict === true, ignore };
  return { stdout: formatDiff(diff, files, before, after, style), stderr, exitCode };
}

/** A decision in a few words: `accept: room "sales" (rule SDR_sales, trunk ST_main)`. */
export function decisionWords(summary: DecisionSummary): string {
  const trunk = summary.trunkId === "" ? "no trunk" : `trunk ${summary.trunkId}`;
  switch (summary.result) {
    case "accept":
      return `accept: room ${JSON.stringify(summary.roomName)} (rule ${summary.ruleId}, ${trunk})`;
    case "request_pin":
      return `request_pin (rule ${summary.ruleId}, ${trunk})`;
    case "drop":
      return `drop: no rule matches (${trunk})`;
    case "error":
      return `error ${summary.sipStatus} ${summary.error.code}`;
  }
}

/**
 * The `resolve` command for a witness against one file. A pin is named by its rule (`--pin-of`);
 * where no rule of that file has it, any other pin no rule there has shows the same decision.
 */
function commandFor(call: InboundCall, file: string, config: DispatchConfig, ignore: boolean): string {
  const flags = ["--config", file, ...(ignore ? ["--ignore-unknown-fields"] : [])];
  if (!call.pin || call.noPin) return witnessCommand(call, flags);
  const owner = config.rules.find((rule) => ruleTarget(rule)?.pin === call.pin);
  if (owner !== undefined) return witnessCommand(call, flags, owner.sipDispatchRuleId);
  const pins = new Set(config.rules.map((rule) => ruleTarget(rule)?.pin));
  let wrong = "0000";
  while (pins.has(wrong)) wrong += "0";
  const { pin: _pin, ...withoutPin } = call;
  return `${witnessCommand(withoutPin, flags)} --pin ${wrong}`;
}

const groupName = (change: DecisionChange): string => (change.before.trunkId === "" ? "calls no trunk takes" : `calls through ${change.before.trunkId}`);

function formatDiff(
  diff: DispatchDiff,
  files: { before: string; after: string; strict: boolean; ignore: boolean },
  before: DispatchConfig,
  after: DispatchConfig,
  style: Style,
): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
  const header = `${files.before} -> ${files.after}${files.strict ? " (strict)" : ""}`;
  if (diff.changes.length === 0) return `${header}: no call is decided differently (${plural(diff.classes, "call class")} compared)\n`;
  const groups = new Map<string, DecisionChange[]>();
  for (const change of diff.changes) {
    const name = groupName(change);
    groups.set(name, [...(groups.get(name) ?? []), change]);
  }
  const strictFlag = files.strict ? ["--strict"] : [];
  const lines: string[] = [];
  for (const [name, changes] of groups) {
    lines.push(style.bold(`${name} (${plural(changes.length, "change")})`), "");
    for (const change of changes) {
      lines.push(`  ${change.message}`);
      lines.push(`    ${style.dim("before:    ")} ${decisionWords(change.before)}`);
      lines.push(`    ${style.dim("after:     ")} ${decisionWords(change.after)}`);
      lines.push(`    ${style.dim("differs:   ")} ${change.fields.join(", ")}`);
      for (const [label, file, config] of [["try before:", files.before, before], ["try after: ", files.after, after]] as const)
        lines.push(`    ${style.dim(label)} ${[commandFor(change.call, file, config, files.ignore), ...strictFlag].join(" ")}`);
      lines.push("");
    }
  }
  lines.push(`${header}: ${plural(diff.changes.length, "change")} (${plural(diff.classes, "call class")} compared)`);
  return `${lines.join("\n")}\n`;
}
