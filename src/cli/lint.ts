import { CONFIG_HELP, CONFIG_OPTIONS, type ConfigFlags, type LoadedConfig, loadConfigFromFlags, type ReadContext, warningLines } from "./config.js";
import { originLocator } from "./locate.js";
import { sarifLog } from "./sarif.js";
import { packageVersion } from "./version.js";
import { shellWord, type Style, usage } from "./io.js";
import { formatPath } from "../parse/parse.js";
import { PIN_MASK } from "./pins.js";
import { ruleTarget, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { type Finding, lintDispatch } from "../lint/lint.js";
import type { InboundCall } from "../model/resolution.js";

// `sip-dispatch lint`: findings, each with a `sip-dispatch resolve` command line that shows it.

export const LINT_HELP = `Usage: sip-dispatch lint [FILE | --config FILE | --trunks FILE --rules FILE | --example]
                         [--format text|json|sarif] [--max-warnings N]

Check a configuration for what breaks or surprises calls: conflicts, rule number filters in
a form calls never present, rules no call can reach, pins nobody can type, catch-all rules,
shared masked rooms, and more (docs/lint.md lists every code). Each finding about calls
comes with a ready-to-run \`sip-dispatch resolve\` command that shows the problem.

Configuration (required):
${CONFIG_HELP}

Output:
  --format FORMAT      text (the default), json or sarif
                       json: the findings as a JSON array (pins in witnesses masked), each
                       with the file and JSON path of the trunks and rules it names
                       sarif: a SARIF 2.1.0 log for code scanning (GitHub, Azure DevOps,
                       editors): each finding at the file, line and JSON path of what it
                       names, with the \`resolve\` command that shows it
  --json               the same as --format json
  --max-warnings N     also fail (exit 1) when there are more than N warnings
  -h, --help           show this help

Exit status: 0 when no finding is an error, 1 when one is (or warnings exceed
--max-warnings), 2 on bad usage or input.
`;

export const LINT_OPTIONS = {
  ...CONFIG_OPTIONS,
  json: { type: "boolean" },
  format: { type: "string" },
  "max-warnings": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export interface LintValues extends ConfigFlags {
  "max-warnings"?: string | undefined;
  json?: boolean | undefined;
  format?: string | undefined;
}

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

/** `--format`, with `--json` as `--format json`; they may not disagree. */
function formatOf(values: LintValues): Format {
  const format = values.format ?? (values.json === true ? "json" : "text");
  if (!(FORMATS as readonly string[]).includes(format)) throw usage(`lint: --format takes text, json or sarif, not ${JSON.stringify(format)}`);
  if (values.json === true && format !== "json") throw usage(`lint: --json and --format ${format} disagree; use one`);
  return format as Format;
}

/** Runs `lint`: the text to print, notes for stderr, and the exit code (1 when an error was found). */
export function runLint(
  values: LintValues,
  positionals: readonly string[],
  style: Style,
  width = 100,
  context: ReadContext = {},
): { stdout: string; stderr: string[]; exitCode: 0 | 1 } {
  const format = formatOf(values);
  const config = loadConfigFromFlags(values, "lint", positionals, context);
  const findings = showable(lintDispatch({ trunks: config.trunks, rules: config.rules }), config.rules);
  const stderr = warningLines(config.warnings);
  const maxWarnings = maxWarningsOf(values["max-warnings"]);
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const tooMany = maxWarnings !== undefined && warnings > maxWarnings;
  if (tooMany) stderr.push(`sip-dispatch: ${plural(warnings, "warning")}, more than --max-warnings ${maxWarnings}`);
  const exitCode = tooMany || findings.some((f) => f.severity === "error") ? 1 : 0;
  if (format === "json") {
    const locate = originLocator(config);
    const located = findings.map((f) => ({ ...f, locations: locate(f).map((o) => ({ file: o.file, path: formatPath(o.path) })) }));
    return { stdout: `${JSON.stringify(located, null, 2)}\n`, stderr, exitCode };
  }
  if (format === "sarif") {
    const locate = originLocator(config);
    const sarif = findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      origins: locate(f),
      command: f.witness === undefined ? undefined : witnessCommand(f.witness, config.flags, f.pinOf),
    }));
    return { stdout: `${JSON.stringify(sarifLog(sarif, packageVersion()), null, 2)}\n`, stderr, exitCode };
  }
  return { stdout: formatFindings(findings, config, style, width), stderr, exitCode };
}

const INDENT = "         ";

function maxWarningsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw usage("lint: --max-warnings needs a whole number, such as 0");
  return Number(value);
}

const idList = (kind: string, ids: readonly string[] | undefined): string =>
  ids === undefined || ids.length === 0 ? "" : `${kind}${ids.length === 1 ? "" : "s"} ${ids.join(", ")}`;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      if (line !== "" && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    out.push(line);
  }
  return out;
}

function formatFindings(findings: readonly ShownFinding[], config: LoadedConfig, style: Style, width: number): string {
  const counts = { error: 0, warning: 0, info: 0 };
  const lines: string[] = [];
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
  for (const finding of sorted) {
    counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    const severity = finding.severity.padEnd(8);
    const coloured = finding.severity === "error" ? style.red(severity) : finding.severity === "warning" ? style.yellow(severity) : style.cyan(severity);
    const ids = [idList("rule", finding.ruleIds), idList("trunk", finding.trunkIds)].filter((s) => s !== "").join("; ");
    lines.push(`${coloured} ${style.bold(finding.code)}${ids === "" ? "" : `  ${ids}`}`);
    for (const line of wrap(finding.message, width - INDENT.length)) lines.push(`${INDENT}${line}`);
    if (finding.witness !== undefined) lines.push(`${INDENT}${style.dim("try:")} ${witnessCommand(finding.witness, config.flags, finding.pinOf)}`);
    lines.push("");
  }
  const summary = `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${counts.info} info`;
  if (findings.length === 0) lines.push(`${config.label}: no findings (${plural(config.trunks.length, "trunk")}, ${plural(config.rules.length, "rule")})`);
  else lines.push(`${config.label}: ${summary}`);
  return `${lines.join("\n")}\n`;
}

/**
 * A finding as the command shows it: the library never puts a pin in a message, and the witness's
 * pin is replaced here by the mask, with `pinOf` naming the rule whose pin it is (when one has it),
 * so that nothing formatted afterwards holds a pin.
 */
export type ShownFinding = Finding & { pinOf?: string };

export function showable(findings: readonly Finding[], rules: readonly SIPDispatchRuleInfo[]): ShownFinding[] {
  let owners: Map<string, string> | undefined;
  return findings.map((finding) => {
    const pin = finding.witness?.pin;
    if (finding.witness === undefined || pin === undefined || pin === "") return finding;
    owners ??= pinOwners(rules);
    const owner = owners.get(pin);
    const shown: ShownFinding = { ...finding, witness: { ...finding.witness, pin: PIN_MASK } };
    if (owner !== undefined) shown.pinOf = owner;
    return shown;
  });
}

/** The first rule (in file order) with each pin. */
function pinOwners(rules: readonly SIPDispatchRuleInfo[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const rule of rules) {
    const pin = ruleTarget(rule)?.pin ?? "";
    if (pin !== "" && !owners.has(pin)) owners.set(pin, rule.sipDispatchRuleId);
  }
  return owners;
}

/**
 * `sip-dispatch resolve --config dispatch.json --from … --to …`: a command that resolves the
 * witness. The witness's pin is already masked: `pinOf` names the rule whose pin to enter, and
 * `resolve --pin-of` looks it up.
 */
export function witnessCommand(call: InboundCall, flags: readonly string[], pinOf?: string): string {
  const words = ["sip-dispatch", "resolve", ...flags];
  const party = (flag: string, p: InboundCall["from"]) => {
    if (typeof p === "string") words.push(`--${flag}`, p);
    else {
      words.push(`--${flag}`, p.user);
      if (p.host) words.push(`--${flag}-host`, p.host);
    }
  };
  party("from", call.from);
  party("to", call.to);
  if (call.sourceIp) words.push("--ip", call.sourceIp);
  if (call.trunkId) words.push("--trunk-id", call.trunkId);
  if (call.noPin) words.push("--no-pin");
  else if (pinOf !== undefined) words.push("--pin-of", pinOf);
  else if (call.pin) words.push("--pin", PIN_MASK);
  for (const [name, value] of Object.entries(call.headers ?? {})) words.push("--header", `${name}: ${value}`);
  if (call.callId) words.push("--call-id", call.callId);
  return words.map((w, i) => (i < 2 ? w : shellWord(w))).join(" ");
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
