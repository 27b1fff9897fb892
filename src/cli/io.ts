import { readFileSync } from "node:fs";
import { formatPath } from "../parse/parse.js";

// What every command shares: the error that ends a run with an exit code, reading JSON files
// into one-line errors, colour and shell quoting.

/** Ends the run: exit 2 for bad usage or input (one line on stderr), 1 for a failed check. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

/** Bad usage: exit 2 with `sip-dispatch: <message>`. */
export const usage = (message: string): CliError => new CliError(message, 2);

/**
 * Bad input in `file` at a JSON path: `dispatch.json: rules[2].rule: unknown field …`.
 * The path is left out when it is empty (the whole file).
 */
export function inputError(file: string, path: readonly (string | number)[], message: string): CliError {
  const where = path.length === 0 ? "" : `${formatPath(path)}: `;
  return new CliError(`${file}: ${where}${oneLine(message)}`, 2);
}

/**
 * Joins a message's lines with single spaces. A split and trims rather than one replace of
 * "spaces, line breaks, spaces": that pattern backtracks quadratically on a long run of spaces,
 * which a config file's key can hold.
 */
const oneLine = (text: string): string =>
  text
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");

/** Fields whose values are secrets: issues about them never quote the value. */
const SECRET_KEYS = new Set(["pin", "authPassword", "auth_password", "inboundPassword", "inbound_password", "outboundPassword", "outbound_password", "password"]);

/** True when an issue path goes through a secret field (a pin or a password). */
export const isSecretPath = (path: readonly (string | number)[]): boolean =>
  path.some((step) => typeof step === "string" && SECRET_KEYS.has(step));

/** An issue message with any quoted value removed, for secret fields ("got the number 1234"). */
export const withoutValue = (message: string): string => message.replace(/, got .*$/s, ", got another value (not shown)");

/** Reads and parses a JSON file; exit 2 naming the file when it cannot be read or is not JSON. */
export function readJsonFile(file: string, label = file): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw inputError(label, [], `cannot read the file (${fsReason(error)})`);
  }
  return parseJsonText(text, label);
}

/** JSON.parse with an error that names the line and column, and never quotes the text (it may hold a pin). */
export function parseJsonText(text: string, label: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    if (body.trim() === "") return failJson(label, "the file is empty, expected JSON");
    const message = error instanceof Error ? error.message : String(error);
    // V8 quotes the text in some messages (`Unexpected token 's', "{"pin": s…" is not valid JSON`),
    // so only its leading words are kept, and the position is found by our own scan when absent.
    const reason =
      message
        .replace(/,\s*(?:\.\.\.)?"[\s\S]*$/, "")
        .replace(/^Unexpected token .*$/s, "unexpected character")
        .replace(/\s*(?:in JSON )?at position \d+[\s\S]*$/, "")
        .trim() || "syntax error";
    const given = /at position (\d+)/.exec(message);
    const offset = given === null ? jsonErrorOffset(body) : Number(given[1]);
    const before = body.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    return failJson(label, `invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * The offset of the first character that makes `text` invalid JSON (or its length, when it ends
 * too early). Only used to place an error JSON.parse already found; iterative, so deep nesting is safe.
 */
export function jsonErrorOffset(text: string): number {
  const at = new JsonCursor(text);
  // An explicit stack of open containers: "{" expecting a key, or "[" expecting a value.
  const stack: string[] = [];
  at.skipSpace();
  for (;;) {
    if (stack[stack.length - 1] === "{" && !at.key()) return at.i;
    const open = text[at.i];
    if (open === "{" || open === "[") {
      at.i++;
      at.skipSpace();
      if (!at.closes(open)) {
        stack.push(open);
        continue;
      }
      at.i++;
    } else if (!at.value()) return at.i;
    const error = afterValue(at, stack);
    if (error !== undefined) return error;
  }
}

/**
 * After a value: closing brackets, then a comma (the cursor is left on the next value and
 * `undefined` returned) or the end of the text. Otherwise the offset of the error.
 */
function afterValue(at: JsonCursor, stack: string[]): number | undefined {
  for (;;) {
    at.skipSpace();
    const open = stack[stack.length - 1];
    if (open === undefined) return Math.min(at.i, at.text.length);
    if (at.text[at.i] === ",") {
      at.i++;
      at.skipSpace();
      return undefined;
    }
    if (!at.closes(open)) return at.i;
    at.i++;
    stack.pop();
  }
}

/** A position in a JSON text; each reader consumes one token and says whether it was well formed. */
class JsonCursor {
  i = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.i < this.text.length && " \t\r\n".includes(this.text[this.i] as string)) this.i++;
  }

  /** Whether the next character closes the container `open` ("{" or "["). */
  closes(open: string): boolean {
    return this.text[this.i] === (open === "{" ? "}" : "]");
  }

  /** An object key, its colon, and the space up to its value. */
  key(): boolean {
    if (!this.string()) return false;
    this.skipSpace();
    if (this.text[this.i] !== ":") return false;
    this.i++;
    this.skipSpace();
    return true;
  }

  /** A string, number or literal (containers are handled by the caller's stack). */
  value(): boolean {
    const c = this.text[this.i];
    if (c === '"') return this.string();
    if (c === "t") return this.literal("true");
    if (c === "f") return this.literal("false");
    if (c === "n") return this.literal("null");
    return this.number();
  }

  private literal(word: string): boolean {
    for (const c of word) {
      if (this.text[this.i] !== c) return false;
      this.i++;
    }
    return true;
  }

  private number(): boolean {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (m === null) return false;
    this.i += m[0].length;
    return true;
  }

  private string(): boolean {
    if (this.text[this.i] !== '"') return false;
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 0x5c) this.i++;
      else if (!this.escape()) return false;
    }
    return false;
  }

  /** A backslash escape; a bad one is placed on the character after the backslash. */
  private escape(): boolean {
    const next = this.text[this.i + 1] ?? "";
    if (next === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
      this.i += 6;
      return true;
    }
    if (next !== "u" && next !== "" && '"\\/bfnrt'.includes(next)) {
      this.i += 2;
      return true;
    }
    this.i += 1;
    return false;
  }
}

const failJson = (label: string, message: string): never => {
  throw inputError(label, [], message);
};

function fsReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}

/** A value as JSON for messages: `"+15550100"`. */
export const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A word for a shell command line, quoted only when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_+.,:/@%=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** ANSI styles, or identity functions when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
}

const ansi =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string): string => s;

export const COLOR_STYLE: Style = {
  enabled: true,
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  red: ansi(31, 39),
  cyan: ansi(36, 39),
};
export const PLAIN_STYLE: Style = { enabled: false, bold: plain, dim: plain, green: plain, yellow: plain, red: plain, cyan: plain };

/**
 * Colour when stdout is a terminal, or when FORCE_COLOR asks for it; never when NO_COLOR is set
 * (to anything but "") or FORCE_COLOR is "0" / "false".
 */
export function pickStyle(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return PLAIN_STYLE;
  const force = env.FORCE_COLOR;
  if (force === "0" || force === "false") return PLAIN_STYLE;
  if (force !== undefined) return COLOR_STYLE;
  return isTTY === true ? COLOR_STYLE : PLAIN_STYLE;
}
