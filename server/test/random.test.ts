import { expect, test } from "vitest";
import { randomSuffix } from "../src/random.js";
import { ID_SUFFIX } from "./helpers.js";

test("suffixes are 12 characters of LiveKit's alphabet, every character in use, none repeated in 10,000", () => {
  const seen = new Set<string>();
  const chars = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const s = randomSuffix();
    expect(s).toMatch(ID_SUFFIX);
    seen.add(s);
    for (const c of s) chars.add(c);
  }
  expect(seen.size).toBe(10_000);
  expect(chars.size).toBe(57);
});
