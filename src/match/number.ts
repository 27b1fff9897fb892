/**
 * LiveKit's phone-number normalisation (`NormalizeNumber`).
 *
 * A string that is an optional `+` followed by digits, spaces, `-`, `(` and `)` loses its
 * formatting characters and gains a leading `+`. Anything else (SIP user names, `anonymous`,
 * `1-800-FLOWERS`) comes back unchanged, and `""` stays `""`.
 *
 * @example
 * normalizeNumber("(123) 456 7890") // "+1234567890"
 * normalizeNumber("anonymous")      // "anonymous"
 */
export function normalizeNumber(num: string): string {
  if (typeof num !== "string") throw new TypeError("normalizeNumber: num must be a string");
  if (num === "") return "";
  // A hand-written scan rather than a regular expression: linear, and it
  // allocates only when the number has formatting characters.
  let digitsOnly = true;
  const start = num.charCodeAt(0) === 0x2b /* + */ ? 1 : 0;
  if (start === num.length) return num; // "+" alone does not match the pattern
  for (let i = start; i < num.length; i++) {
    const c = num.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c === 0x20 || c === 0x2d || c === 0x28 || c === 0x29) {
      digitsOnly = false;
      continue;
    }
    return num;
  }
  if (digitsOnly) return start === 1 ? num : "+" + num;
  let out = "+";
  for (let i = start; i < num.length; i++) {
    const c = num.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) out += num[i];
  }
  return out;
}
