import { describe, expect, it } from "vitest";
import { normalizeNumber } from "../../src/match/number.js";

describe("normalizeNumber (reference section 2)", () => {
  it.each([
    // [input, expected]
    ["", ""],
    ["123", "+123"],
    ["+123", "+123"],
    ["(123) 456 7890", "+1234567890"],
    ["+1 (555) 010-0199", "+15550100199"],
    ["1-555-0100", "+15550100"],
    ["0044 20 7946 0000", "+00442079460000"],
    ["0044123", "+0044123"],
    // not a number: unchanged
    ["user", "user"],
    ["anonymous", "anonymous"],
    ["1-800-FLOWERS", "1-800-FLOWERS"],
    ["555.123.4567", "555.123.4567"],
    ["++1", "++1"],
    ["1+2", "1+2"],
    [" +1", " +1"],
    ["+1a", "+1a"],
    ["１２３", "１２３"], // full-width digits are not ASCII digits (Go's \d)
    ["٣", "٣"],
    // degenerate inputs
    ["   ", "+"],
    ["()", "+"],
    ["-", "+"],
    ["+", "+"],
    ["+ ", "+"],
    ["+()", "+"],
  ])("normalizeNumber(%j) = %j", (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it.each([
    ["+15550100", "15550100", true],
    ["+1 555 0100", "1-555-0100", true],
    ["+15550100", "+15550101", false],
    ["anonymous", "anonymous", true],
    ["anonymous", "Anonymous", false],
    ["", "+", false],
  ])("%j and %j are the same number: %j (raw or normalised equality, as trunk matching uses)", (a, b, expected) => {
    expect(a === b || normalizeNumber(a) === normalizeNumber(b)).toBe(expected);
  });

  it.each([undefined, null, 15550100, ["+1"]])("normalizeNumber(%j) throws a TypeError (a programmer error)", (input) => {
    expect(() => normalizeNumber(input as never)).toThrow(new TypeError("normalizeNumber: num must be a string"));
  });
});
