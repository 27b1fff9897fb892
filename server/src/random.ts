import { randomFillSync } from "node:crypto";
import { LIVEKIT_ID_ALPHABET } from "sip-dispatch";

// 12-character suffixes over LiveKit's 57-character alphabet from the CSPRNG. Bytes are drawn from
// a pool refilled 4 KiB at a time (one system call per ~300 suffixes instead of 12 per suffix), and
// bytes at or above 228 (= 4 × 57) are skipped so every character is equally likely.

const POOL = new Uint8Array(4096);
const LIMIT = 4 * LIVEKIT_ID_ALPHABET.length;
let at = POOL.length;

function nextByte(): number {
  if (at === POOL.length) {
    randomFillSync(POOL);
    at = 0;
  }
  return POOL[at++]!;
}

/** A 12-character id suffix over LiveKit's 57-character alphabet, from the CSPRNG. */
export function randomSuffix(): string {
  let out = "";
  while (out.length < 12) {
    const byte = nextByte();
    if (byte < LIMIT) out += LIVEKIT_ID_ALPHABET[byte % LIVEKIT_ID_ALPHABET.length];
  }
  return out;
}
