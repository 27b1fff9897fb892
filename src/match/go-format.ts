// Go's `%q` verb, so that our error texts match LiveKit's byte for byte.

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
const NAMED: Record<number, string> = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };

/** How `%q` writes each ASCII character: itself, or its escape. */
const ASCII: readonly string[] = Array.from({ length: 0x80 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (ch === '"' || ch === "\\") return "\\" + ch;
  if (c >= 0x20 && c < 0x7f) return ch;
  return NAMED[c] ?? "\\x" + c.toString(16).padStart(2, "0");
});

/** PRINTABLE's verdict per code point, remembered: 1 printable, 2 escaped. */
const bmpPrintable = new Uint8Array(0x10000);
const astralPrintable = new Map<number, boolean>();

function isPrintable(cp: number): boolean {
  if (cp > 0xffff) {
    let known = astralPrintable.get(cp);
    if (known === undefined) astralPrintable.set(cp, (known = PRINTABLE.test(String.fromCodePoint(cp))));
    return known;
  }
  if (bmpPrintable[cp] === 0) bmpPrintable[cp] = PRINTABLE.test(String.fromCharCode(cp)) ? 1 : 2;
  return bmpPrintable[cp] === 1;
}

/**
 * `fmt.Sprintf("%q", s)`: a double-quoted Go string literal. Linear and table-driven, since the
 * text may be a caller's megabyte-long number: runs of characters written as they are are
 * copied in one slice, and only escapes are built one by one.
 */
export function goQuote(s: string): string {
  const parts: string[] = ['"'];
  let run = 0; // start of the pending run of characters written as they are
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    let width = 1;
    let escape: string;
    if (unit < 0x80) {
      if (unit >= 0x20 && unit < 0x7f && unit !== 0x22 && unit !== 0x5c) continue;
      escape = ASCII[unit]!;
    } else {
      const cp = s.codePointAt(i)!; // a lone surrogate is a code point of its own, and is escaped
      if (cp > 0xffff) width = 2;
      if (isPrintable(cp)) {
        i += width - 1;
        continue;
      }
      escape = cp < 0x10000 ? "\\u" + cp.toString(16).padStart(4, "0") : "\\U" + cp.toString(16).padStart(8, "0");
    }
    if (run < i) parts.push(s.slice(run, i));
    parts.push(escape);
    i += width - 1;
    run = i + 1;
  }
  if (run < s.length) parts.push(s.slice(run));
  parts.push('"');
  return parts.join("");
}

/** `fmt.Sprintf("%q", list)` for a `[]string`: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return "[" + list.map(goQuote).join(" ") + "]";
}
