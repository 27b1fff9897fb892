// The hidden-number hash and mask use web-standard APIs (@noble/hashes, TextEncoder/TextDecoder)
// instead of node:crypto and Buffer; these laws hold them to what Node's own primitives give.
import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { hiddenIdentity, maskNumber } from "../../src/resolve/evaluate.js";
import { LIVEKIT_ID_ALPHABET, defaultRandomId, randomIdFrom } from "../../src/resolve/random-id.js";
import { runs } from "../runs.js";

const nodeIdentity = (s: string) => "sip_" + createHash("sha256").update(s, "utf8").digest("hex").slice(0, 16);
const nodeMask = (s: string) => {
  const bytes = Buffer.from(s, "utf8");
  return bytes.subarray(bytes.length - (bytes.length <= 4 ? 1 : 4)).toString("utf8");
};
// Any code point, lone surrogates included, and numbers as callers send them.
const callers = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.stringMatching(/^\+?[0-9]{0,15}$/));

describe("hidden numbers without node:crypto or Buffer", () => {
  test.prop([callers], runs(500))("hiddenIdentity equals sip_ + the first 8 bytes of node:crypto's SHA-256, in hex", (s) => {
    expect(hiddenIdentity(s)).toBe(nodeIdentity(s));
  });

  test.prop([callers], runs(500))("maskNumber equals Buffer's UTF-8 byte slice, decoded the way Buffer decodes it", (s) => {
    expect(maskNumber(s)).toBe(nodeMask(s));
  });

  it("lone surrogates hash as U+FFFD, as Buffer encodes them", () => {
    expect(hiddenIdentity("\ud800")).toBe(hiddenIdentity("\ufffd"));
    expect(hiddenIdentity("\ud800")).toBe(nodeIdentity("\ud800"));
  });
});

describe("random ids from crypto.getRandomValues", () => {
  const shape = new RegExp(`^[${LIVEKIT_ID_ALPHABET}]{12}$`);

  it("the default draws 12 characters over LiveKit's alphabet, different each time", () => {
    const ids = Array.from({ length: 50 }, () => defaultRandomId());
    for (const id of ids) expect(id).toMatch(shape);
    expect(new Set(ids).size).toBe(50);
  });

  it("byte b maps to alphabet[b % 57]; bytes of 228 and above are redrawn, so no character is favoured", () => {
    // 228 = 4 * 57: the first fill is all rejects, the second all 0..56 then 57 (wraps to "2").
    let fills = 0;
    const id = randomIdFrom((bytes) => {
      fills++;
      bytes.forEach((_, i) => (bytes[i] = fills === 1 ? 228 + (i % 28) : i === 11 ? 57 : i * 5));
    });
    expect(fills).toBe(2);
    expect(id).toBe([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 0].map((i) => LIVEKIT_ID_ALPHABET[i]).join(""));
  });

  test.prop([fc.uint8Array({ minLength: 24, maxLength: 24 })])("any bytes give an id of LiveKit's shape", (first) => {
    let next = first;
    const id = randomIdFrom((bytes) => {
      bytes.set(next);
      next = bytes.map((_, i) => i);
    });
    expect(id).toMatch(shape);
  });
});
