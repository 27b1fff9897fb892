import { randomInt } from "node:crypto";
import { LIVEKIT_ID_ALPHABET } from "sip-dispatch";

/** A 12-character id suffix over LiveKit's 57-character alphabet, from the CSPRNG. */
export function randomSuffix(): string {
  let out = "";
  for (let i = 0; i < 12; i++) out += LIVEKIT_ID_ALPHABET[randomInt(LIVEKIT_ID_ALPHABET.length)];
  return out;
}
