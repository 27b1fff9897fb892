import { readFileSync } from "node:fs";
import { isAbsolute, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { bundledExamplePath, type Origin } from "./config.js";
import { jsonPositions, type TextPosition } from "./locate.js";
import { formatPath } from "../parse/parse.js";
import { LINT_CODES, type LintCode, type LintSeverity } from "../lint/lint.js";

// `lint --format sarif`: findings as a SARIF 2.1.0 log, the format code-scanning tools (GitHub
// code scanning, Azure DevOps, IDE viewers) read. One run; the driver lists every lint code as a
// rule; each finding is a result placed at the trunks and rules it names: the file's URI, the line
// and column where the element starts, and its JSON path as a logical location. Messages never hold
// a pin (the library never writes one), and witness commands name a pin by its rule.

const REPOSITORY = "https://github.com/sip-dispatch/sip-dispatch";

/**
 * Each code in a few words, as docs/lint.md's table says it (a test keeps the two the same). A code
 * the table does not have yet is described by its name.
 */
export const LINT_CODE_SUMMARIES: Partial<Record<LintCode, string>> = {
  "rule-conflict": "two rules share a conflict key: LiveKit rejects one, and 503s every call on the trunk",
  "self-conflict": "a rule repeats a trunk or a number",
  "trunk-conflict": "two trunks LiveKit refuses to hold together",
  "runtime-trunk-conflict": "two trunks LiveKit accepts, that both match one call",
  "kindless-rule": "a rule with no kind: every call on its trunks fails",
  "duplicate-id": "two trunks or two rules share an id",
  "invalid-trunk": "LiveKit's create-time validation rejects a trunk",
  "invalid-rule": "LiveKit's create-time validation rejects a rule",
  "invalid-address": "an `allowedAddresses` entry that never matches an address",
  "allowlist-bypassed": "the allowlist admits everyone, or any caller who writes the right From host",
  "number-format-mismatch": "a rule number not spelled as calls arrive (E.164)",
  "unreachable-pin": "a pin nobody can type",
  "empty-room-name": 'a Direct rule sending calls to room `""`',
  "pin-prompts-open-callers": "a pin rule and an open rule on one number: every caller is asked for the pin",
  "shadowed-rule": "a rule no call can select",
  "unknown-trunk": "a rule names a trunk that is not there",
  "shared-masked-room": "hidden numbers without randomness: strangers share a room",
  "open-catch-all": "a rule that accepts junk calls no trunk takes",
  "auth-half-configured": "a username without a password, or the reverse: no authentication",
};

/** A finding as SARIF needs it: already made safe to show (no pin), with where it points. */
export interface SarifFinding {
  code: LintCode;
  severity: LintSeverity;
  message: string;
  origins: readonly Origin[];
  /** The `sip-dispatch resolve` command that shows the finding, if it has a witness. */
  command?: string | undefined;
}

/** The parts of SARIF 2.1.0 this log uses (test/cli/sarif.test-d.ts checks them against `@types/sarif`). */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}
export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
  columnKind: "utf16CodeUnits";
  results: SarifResult[];
}
export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  helpUri: string;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: "error" | "warning" | "note";
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
}
export interface SarifLocation {
  id?: number;
  physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } };
  logicalLocations: { fullyQualifiedName: string; kind: string }[];
}

const LEVEL: Record<LintSeverity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/**
 * The SARIF log of `findings`; `version` is the package's. A result's location is the first
 * trunk or rule it names (the subject); the others are its related locations.
 */
export function sarifLog(findings: readonly SarifFinding[], version: string): SarifLog {
  const place = placer(findings.flatMap((f) => f.origins));
  const ruleIndex = new Map<string, number>(LINT_CODES.map((code, i) => [code, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "sip-dispatch",
            version,
            semanticVersion: version,
            informationUri: REPOSITORY,
            rules: LINT_CODES.map((code) => ({
              id: code,
              shortDescription: { text: LINT_CODE_SUMMARIES[code] ?? code },
              helpUri: `${REPOSITORY}/blob/main/docs/lint.md#${code}`,
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: findings.map((f) => {
          const [first, ...others] = f.origins.map(place);
          const result: SarifResult = {
            ruleId: f.code,
            ruleIndex: ruleIndex.get(f.code) ?? -1,
            level: LEVEL[f.severity],
            message: { text: f.command === undefined ? f.message : `${f.message} Try: ${f.command}` },
            locations: first === undefined ? [] : [first],
          };
          if (others.length > 0) result.relatedLocations = others.map((location, i) => ({ id: i + 1, ...location }));
          return result;
        }),
      },
    ],
  };
}

/**
 * A SARIF location for each origin: the file's URI (relative paths stay relative, as code
 * scanning resolves them against the repository), the element's line and column, and its JSON
 * path. Each file is read and scanned once. Standard input has no URI: only the JSON path is given.
 */
function placer(origins: readonly Origin[]): (origin: Origin) => SarifLocation {
  const byFile = new Map<string, Origin[]>();
  for (const origin of origins) byFile.set(origin.file, [...(byFile.get(origin.file) ?? []), origin]);
  const positions = new Map<string, Map<string, TextPosition>>();
  for (const [file, inFile] of byFile) {
    const path = sourcePath(file);
    if (path !== undefined) positions.set(file, jsonPositions(readText(path), inFile.map((o) => o.path)));
  }
  return (origin) => {
    const logicalLocations = [{ fullyQualifiedName: formatPath(origin.path) || "(the whole file)", kind: "element" }];
    const path = sourcePath(origin.file);
    if (path === undefined) return { logicalLocations };
    const at = positions.get(origin.file)?.get(JSON.stringify(origin.path));
    const region = at === undefined ? { startLine: 1 } : { startLine: at.line, startColumn: at.column };
    return { physicalLocation: { artifactLocation: { uri: fileUri(path) }, region }, logicalLocations };
  };
}

/** The file an origin's label names: the label itself, the bundled example's path, or none (stdin). */
function sourcePath(label: string): string | undefined {
  if (label === "stdin") return undefined;
  return label === "bundled example" ? bundledExamplePath() : label;
}

/** The file as read for the configuration; "" when it has gone since (the region is then line 1). */
function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** A relative path as a relative URI reference (`configs/dispatch%20a.json`), an absolute one as `file://`. */
export function fileUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .split(sep)
    .join("/")
    .split("/")
    .map((part) => encodeURIComponent(part))
    .join("/");
}
