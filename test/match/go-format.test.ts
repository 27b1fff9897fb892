// goQuote is Go's fmt.Sprintf("%q", s) (strconv.Quote): LiveKit's error texts quote ids, names and
// numbers with it, and ours must match them byte for byte. Expected values are what Go prints.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { goQuote, goQuoteList } from "../../src/match/go-format.js";

describe("goQuote writes what Go's %q writes", () => {
  it.each([
    ["", '""'],
    ["+15550100", '"+15550100"'],
    ["SDR_a b~!#$%&'()*+,-./:;<=>?@[]^_`{|}", '"SDR_a b~!#$%&\'()*+,-./:;<=>?@[]^_`{|}"'],
    // Quotes and backslashes are escaped with a backslash.
    ['say "hi"', '"say \\"hi\\""'],
    ["C:\\dir\\", '"C:\\\\dir\\\\"'],
  ])("printable ASCII and escaped quotes: %j", (input, go) => {
    expect(goQuote(input)).toBe(go);
  });

  it("uses Go's named escapes for \\a \\b \\f \\n \\r \\t \\v", () => {
    expect(goQuote("\x07\b\f\n\r\t\v")).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
    expect(goQuote("line 1\nline 2")).toBe('"line 1\\nline 2"');
  });

  it("writes other ASCII control characters and DEL as \\xHH", () => {
    expect(goQuote("\x00")).toBe('"\\x00"');
    expect(goQuote("\x1b[31m")).toBe('"\\x1b[31m"');
    expect(goQuote("\x1f")).toBe('"\\x1f"');
    expect(goQuote("\x7f")).toBe('"\\x7f"');
  });

  it("keeps printable Unicode as it is: letters, marks, numbers, punctuation, symbols", () => {
    expect(goQuote("Zoë Ünal")).toBe('"Zoë Ünal"');
    expect(goQuote("e\u0301")).toBe('"e\u0301"'); // a combining mark (Mn)
    expect(goQuote("東京 ٣ «»")).toBe('"東京 ٣ «»"');
    expect(goQuote("€ ©")).toBe('"€ ©"');
    expect(goQuote("\u{1F600}")).toBe('"\u{1F600}"'); // an emoji outside the BMP (So)
    expect(goQuote("\u{20BB7}")).toBe('"\u{20BB7}"'); // a CJK letter outside the BMP
  });

  it("writes non-printable BMP characters as \\uHHHH: C1 controls, separators other than ASCII space, format characters", () => {
    expect(goQuote("\u0085")).toBe('"\\u0085"'); // NEL
    expect(goQuote("\u00a0")).toBe('"\\u00a0"'); // no-break space (Zs)
    expect(goQuote("\u00ad")).toBe('"\\u00ad"'); // soft hyphen (Cf)
    expect(goQuote("\u2028\u2029")).toBe('"\\u2028\\u2029"'); // line and paragraph separators
    expect(goQuote("\u3000")).toBe('"\\u3000"'); // ideographic space
    expect(goQuote("\u200b")).toBe('"\\u200b"'); // zero-width space (Cf)
    expect(goQuote("\ufeff")).toBe('"\\ufeff"'); // BOM
    expect(goQuote("\ue000")).toBe('"\\ue000"'); // private use
  });

  it("writes non-printable characters outside the BMP as \\UHHHHHHHH", () => {
    expect(goQuote("\u{E0001}")).toBe('"\\U000e0001"'); // LANGUAGE TAG (Cf)
    expect(goQuote("\u{F0000}")).toBe('"\\U000f0000"'); // supplementary private use
    expect(goQuote("\u{10FFFF}")).toBe('"\\U0010ffff"'); // noncharacter
  });

  it("escapes only what needs escaping in mixed text, in order", () => {
    expect(goQuote('a\tb"c\\d\u{1F600}\u2028é\x7fz')).toBe('"a\\tb\\"c\\\\d\u{1F600}\\u2028é\\x7fz"');
    expect(goQuote("\n\n")).toBe('"\\n\\n"');
    expect(goQuote("x\u00a0")).toBe('"x\\u00a0"');
    expect(goQuote("\u00a0x")).toBe('"\\u00a0x"');
  });

  it("gives the same answer when a character is seen again (verdicts are remembered per code point)", () => {
    for (let round = 0; round < 2; round++) {
      expect(goQuote("\u{E0001}\u{1F600}\u00a0é")).toBe('"\\U000e0001\u{1F600}\\u00a0é"');
    }
  });

  // Decodes a Go interpreted string literal, for the round trip below.
  const unquoteGo = (literal: string): string => {
    expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
    const named: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };
    return literal
      .slice(1, -1)
      .replace(/\\(?:([abfnrtv"\\])|x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8}))/g, (_, c, x, u, U) =>
        c !== undefined ? (named[c] as string) : String.fromCodePoint(Number.parseInt(x ?? u ?? U, 16)),
      );
  };

  test.prop([fc.string({ unit: "binary", maxLength: 40 })])("is a Go literal of the same text, with no raw control or separator character", (s) => {
    const quoted = goQuote(s);
    expect(unquoteGo(quoted)).toBe(s);
    // Inside the quotes, every " and \ belongs to an escape, and nothing invisible is left raw.
    const unescaped = quoted.slice(1, -1).replace(/\\(?:[abfnrtv"\\]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})/g, "");
    expect(unescaped).not.toMatch(/["\\\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u);
  });
});

describe("goQuoteList writes what Go's %q writes for a []string", () => {
  it("brackets the quoted elements, separated by spaces", () => {
    expect(goQuoteList([])).toBe("[]");
    expect(goQuoteList(["+15550100"])).toBe('["+15550100"]');
    expect(goQuoteList(["a b", 'c"d', "\t"])).toBe('["a b" "c\\"d" "\\t"]');
  });
});
