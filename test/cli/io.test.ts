// What every sip-dispatch command shares (src/cli/io.ts): reading JSON files into one-line errors
// that name the line and column and never quote the file, shell quoting of suggested commands,
// masking pins, and when to colour.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CliError,
  COLOR_STYLE,
  inputError,
  isSecretPath,
  jsonErrorOffset,
  parseJsonText,
  PLAIN_STYLE,
  pickStyle,
  readJsonFile,
  shellWord,
  usage,
  withoutValue,
} from "../../src/cli/io.js";

// readFileSync stays real; single tests make it fail the way the operating system can.
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

afterEach(() => {
  vi.mocked(fs.readFileSync).mockClear();
});

/** The CliError `fn` throws. */
function cliError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a CliError, nothing was thrown");
}

describe("parseJsonText", () => {
  it("parses JSON, and ignores a leading byte-order mark", () => {
    expect(parseJsonText('{"trunks": []}', "a.json")).toEqual({ trunks: [] });
    expect(parseJsonText('\ufeff{"rules": [1]}', "a.json")).toEqual({ rules: [1] });
  });

  it("says an empty or blank file is empty, exit 2", () => {
    for (const text of ["", "   \n\t ", "\ufeff", "\ufeff\n"]) {
      const error = cliError(() => parseJsonText(text, "dispatch.json"));
      expect(error.message).toBe("dispatch.json: the file is empty, expected JSON");
      expect(error.exitCode).toBe(2);
    }
  });

  it.each([
    // V8 gives a position: it is turned into a line and column.
    ['{\n  "trunks": [],\n  "rules": [1 2]\n}', "invalid JSON at line 3, column 15: Expected ',' or ']' after array element"],
    ['{"a": 1,}', "invalid JSON at line 1, column 9: Expected double-quoted property name"],
    ['{"a": "b', "invalid JSON at line 1, column 9: Unterminated string"],
    ["[1]\n\nx", "invalid JSON at line 3, column 1: Unexpected non-whitespace character after JSON"],
    // V8 gives no position: our own scan finds it.
    ['{\n  "rules": [\n    {"a": }\n  ]\n}', "invalid JSON at line 3, column 11: unexpected character"],
    ['{"a": [true, tru]}', "invalid JSON at line 1, column 17: unexpected character"],
    ["[nul", "invalid JSON at line 1, column 5: Unexpected end of JSON input"],
    ["{\n", "invalid JSON at line 2, column 1: Expected property name or '}'"],
    ["\ufeff[,]", "invalid JSON at line 1, column 2: unexpected character"],
  ])("names the line and column of a syntax error: %j", (text, message) => {
    expect(cliError(() => parseJsonText(text, "dispatch.json")).message).toBe(`dispatch.json: ${message}`);
  });

  it("never quotes the file's text, which may hold a pin or a password", () => {
    const texts = [
      '{"rules": [{"rule": {"dispatchRuleDirect": {"pin": 4321x}}}]}',
      '{"rules": [{"pin": "4321"} {"pin": "4321"}]}',
      '{"authPassword": s3cr3t-4321}',
      '{"authPassword": "s3cr3t-4321\n"}',
      "[\"4321\", 4321-]",
    ];
    for (const text of texts) {
      const { message } = cliError(() => parseJsonText(text, "secret.json"));
      expect(message).toMatch(/^secret\.json: invalid JSON at line \d+, column \d+: /);
      expect(message).not.toContain("4321");
      expect(message).not.toContain("s3cr3t");
      expect(message).not.toContain("\n");
    }
  });

  // Texts one edit away from valid JSON: whatever V8 names (a position, a token, or the end),
  // the reported line and column point at that place.
  const brokenJson = fc
    .tuple(fc.json({ depthSize: "small" }), fc.nat(), fc.boolean(), fc.constantFrom(..."{}[],:\"\\tfn0-1. \nxe+u"))
    .map(([text, k, insert, ch]) => {
      const at = k % (text.length + (insert ? 1 : 0));
      return insert ? text.slice(0, at) + ch + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    })
    .filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return text.trim() !== "";
      }
    });

  test.prop([brokenJson], { numRuns: 300 })("the reported place is where JSON.parse stopped", (text) => {
    let v8 = "";
    try {
      JSON.parse(text);
    } catch (error) {
      v8 = (error as Error).message;
    }
    const where = /line (\d+), column (\d+)/.exec(cliError(() => parseJsonText(text, "f.json")).message);
    expect(where).not.toBeNull();
    const lines = text.split("\n");
    const offset = lines.slice(0, Number(where?.[1]) - 1).reduce((sum, line) => sum + line.length + 1, 0) + Number(where?.[2]) - 1;
    const position = /at position (\d+)/.exec(v8);
    const token = /^Unexpected token '([\s\S])'/.exec(v8);
    if (position !== null) expect(offset).toBe(Number(position[1]));
    else if (token !== null) expect(text[offset]).toBe(token[1]);
    else expect(offset).toBe(text.length);
    expect(jsonErrorOffset(text) === offset || position !== null).toBe(true);
  });
});

describe("jsonErrorOffset: the first character that makes a text invalid JSON", () => {
  it.each([
    // [text, offset]
    ["", 0],
    ["{", 1],
    ["}", 0],
    ["[1,]", 3],
    ["[1 2]", 3],
    ["[1,2", 4],
    ['{"a" 1}', 5],
    ['{"a":1,}', 7],
    ['{"a":1 "b":2}', 7],
    ["{1:2}", 1],
    ["[1}", 2],
    ['{"a":[1,{"b":2]}', 14],
    ['["x" , "y" ]  ', 14],
    ["[] x", 3],
    ["[{}, [], {\"a\": []}, -1.5e+3, false, null, true]", 47],
    ["tru", 3],
    ["tre", 2],
    ["[nul]", 4],
    ["fals", 4],
    ["-", 0],
    ["01", 1],
    ['"abc', 4],
    ['"a\nb"', 2],
    ['"\\x"', 2],
    ['"\\', 2],
    ['"\\u12g4"', 2],
    ['"\\u0041\\n\\t\\/\\"" x', 17],
    ['[\t"a"\r\n]', 8],
  ])("%j: %d", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it("scans deep nesting without recursion", () => {
    const deep = `${"[".repeat(100_000)}1${"]".repeat(99_999)}`;
    expect(jsonErrorOffset(deep)).toBe(deep.length);
  });
});

describe("readJsonFile", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sip-dispatch-io-"));
    writeFileSync(join(dir, "ok.json"), '{"trunks": [], "rules": []}');
    writeFileSync(join(dir, "broken.json"), '{\n  "pin": 1234,\n}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads and parses a file", () => {
    expect(readJsonFile(join(dir, "ok.json"))).toEqual({ trunks: [], rules: [] });
  });

  it("names the file (or the label given) in every error", () => {
    expect(cliError(() => readJsonFile(join(dir, "broken.json"), "my config")).message).toBe(
      "my config: invalid JSON at line 3, column 1: Expected double-quoted property name",
    );
    expect(cliError(() => readJsonFile(join(dir, "broken.json"))).message).toBe(
      `${join(dir, "broken.json")}: invalid JSON at line 3, column 1: Expected double-quoted property name`,
    );
  });

  it("says why a file cannot be read: missing, a directory, not a directory", () => {
    expect(cliError(() => readJsonFile(join(dir, "nope.json"))).message).toBe(`${join(dir, "nope.json")}: cannot read the file (no such file)`);
    expect(cliError(() => readJsonFile(dir, "config")).message).toBe("config: cannot read the file (it is a directory)");
    expect(cliError(() => readJsonFile(join(dir, "ok.json", "x.json"), "config")).message).toBe("config: cannot read the file (ENOTDIR)");
  });

  it("says permission denied for EACCES and EPERM, and the message of an error without a code", () => {
    const failWith = (error: unknown) =>
      vi.mocked(fs.readFileSync).mockImplementationOnce(() => {
        throw error;
      });
    failWith(Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: "EACCES" }));
    expect(cliError(() => readJsonFile("x.json")).message).toBe("x.json: cannot read the file (permission denied)");
    failWith(Object.assign(new Error("EPERM: operation not permitted, open 'x'"), { code: "EPERM" }));
    expect(cliError(() => readJsonFile("x.json")).message).toBe("x.json: cannot read the file (permission denied)");
    failWith(new Error("disk on fire"));
    expect(cliError(() => readJsonFile("x.json")).message).toBe("x.json: cannot read the file (disk on fire)");
    failWith("not an Error");
    expect(cliError(() => readJsonFile("x.json")).message).toBe("x.json: cannot read the file (not an Error)");
  });
});

describe("errors", () => {
  it("usage errors and input errors exit 2; input errors name the file, then the JSON path when there is one", () => {
    expect(usage("bad flag")).toMatchObject({ message: "bad flag", exitCode: 2 });
    expect(new CliError("check failed", 1).exitCode).toBe(1);
    expect(inputError("d.json", [], "expected an object").message).toBe("d.json: expected an object");
    expect(inputError("d.json", ["rules", 2, "rule"], "unknown field").message).toBe("d.json: rules[2].rule: unknown field");
  });

  it("fold a multi-line message into one line", () => {
    expect(inputError("d.json", ["trunks", 0], "first line\n  second line\r\nthird").message).toBe("d.json: trunks[0]: first line second line third");
  });

  it("recognise secret fields anywhere in a path, and drop the value from their messages", () => {
    expect(isSecretPath(["rules", 0, "rule", "dispatchRuleDirect", "pin"])).toBe(true);
    expect(isSecretPath(["trunks", 1, "auth_password"])).toBe(true);
    expect(isSecretPath(["cases", 0, "call", "pin"])).toBe(true);
    expect(isSecretPath(["rules", 0, "name"])).toBe(false);
    expect(isSecretPath([])).toBe(false);
    expect(withoutValue("SIPDispatchRuleDirect.pin: expected a string, got the number 4321")).toBe(
      "SIPDispatchRuleDirect.pin: expected a string, got another value (not shown)",
    );
    expect(withoutValue("expected a string, got the text\n4321")).toBe("expected a string, got another value (not shown)");
    expect(withoutValue("unknown field")).toBe("unknown field");
  });
});

describe("shellWord", () => {
  it("leaves words that need no quoting alone", () => {
    for (const word of ["resolve", "--from", "+15550100", "192.0.2.10", "dir/file.json", "a=b", "x@y:z", "50%", "A,B"]) expect(shellWord(word)).toBe(word);
  });

  it("single-quotes anything else, with ' written as '\\''", () => {
    expect(shellWord("")).toBe("''");
    expect(shellWord("X-Ticket: T-9")).toBe("'X-Ticket: T-9'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord("$HOME")).toBe("'$HOME'");
  });

  it("gives back exactly the word through a POSIX shell", () => {
    const shellSpecial = fc.constantFrom(..."aZ09+-_=.,:/@% '\"\\$`!*?~#&;|<>(){}[]^\t\né😀");
    const words = fc.sample(fc.string({ unit: shellSpecial, maxLength: 12 }), { numRuns: 200, seed: 42 });
    words.push("", "'", "''", "a'b'c", "\\", "!", "*", "~", "$(id)", "`id`", "a\nb", " lead", "-n");
    const printed = execFileSync("sh", ["-c", `printf '%s\\0' ${words.map(shellWord).join(" ")}`], { encoding: "utf8" });
    expect(printed.split("\0").slice(0, -1)).toEqual(words);
  });
});

describe("pickStyle: colour on a terminal, unless NO_COLOR; FORCE_COLOR forces it either way", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [false, { FORCE_COLOR: "1" }, true],
    [undefined, { FORCE_COLOR: "" }, true],
    [true, { FORCE_COLOR: "0" }, false],
    [true, { FORCE_COLOR: "false" }, false],
    [false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
  ] as const)("isTTY %s, env %j: colour %s", (isTTY, env, colour) => {
    expect(pickStyle(isTTY, env)).toBe(colour ? COLOR_STYLE : PLAIN_STYLE);
  });

  it("colours with ANSI SGR codes, each closed by its own reset", () => {
    expect(COLOR_STYLE.bold("x")).toBe("\u001b[1mx\u001b[22m");
    expect(COLOR_STYLE.dim("x")).toBe("\u001b[2mx\u001b[22m");
    expect(COLOR_STYLE.red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(COLOR_STYLE.green("x")).toBe("\u001b[32mx\u001b[39m");
    expect(COLOR_STYLE.yellow("x")).toBe("\u001b[33mx\u001b[39m");
    expect(COLOR_STYLE.cyan("x")).toBe("\u001b[36mx\u001b[39m");
    for (const style of ["bold", "dim", "red", "green", "yellow", "cyan"] as const) expect(PLAIN_STYLE[style]("x")).toBe("x");
  });
});
