// Numbers as a configuration can tell them apart: the exact strings it lists (rule number filters
// compare exactly) and their normalised forms (trunks compare normalised numbers).

/**
 * A way to write the normalised number `normalized` that is not in `taken`: the number itself, or
 * its digits after as many dashes as needed (`-15550100` normalises to `+15550100`). `undefined`
 * when every spelling is taken (a non-number, such as `alice`, has only itself).
 */
export function spellingOf(normalized: string, taken: ReadonlySet<string>): string | undefined {
  if (!taken.has(normalized)) return normalized;
  if (!/^\+\d*$/.test(normalized)) return undefined;
  const digits = normalized.slice(1);
  for (let dashes = 1; ; dashes++) {
    const spelling = "-".repeat(dashes) + digits;
    if (!taken.has(spelling)) return spelling;
  }
}

/** A number (already in normal form) that `named` does not claim, built from `seed`: `+19995550100`. */
export function unnamedNumber(seed: number, named: (number: string) => boolean): string {
  for (let i = 0; ; i++) {
    const candidate = `+1999${String(seed + i).padStart(7, "0")}`;
    if (!named(candidate)) return candidate;
  }
}

/** A string none of `taken` is, built from `base`. */
export function unnamed(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}
