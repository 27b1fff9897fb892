/** LiveKit's id alphabet: base57, without 0, 1, I, O and l. */
export const LIVEKIT_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

const ID_LENGTH = 12;
// Bytes at or above the largest multiple of 57 are redrawn, so every character is equally likely.
const UNBIASED_BELOW = 256 - (256 % LIVEKIT_ID_ALPHABET.length);

/**
 * 12 characters over LiveKit's alphabet from a CSPRNG, like LiveKit's `guid.New("")`. It reads the
 * Web Crypto global `crypto.getRandomValues`, which Node 20+, Bun, Deno, workerd and browsers all
 * have, so the main entry needs neither `node:crypto` nor a per-runtime module.
 */
export function defaultRandomId(): string {
  return randomIdFrom((bytes) => crypto.getRandomValues(bytes));
}

/** A LiveKit id drawn from `fill`, which fills its array with random bytes (tests pass their own). */
export function randomIdFrom(fill: (bytes: Uint8Array) => void): string {
  let id = "";
  const bytes = new Uint8Array(2 * ID_LENGTH);
  while (id.length < ID_LENGTH) {
    fill(bytes);
    for (let i = 0; i < bytes.length && id.length < ID_LENGTH; i++) {
      const byte = bytes[i]!;
      if (byte < UNBIASED_BELOW) id += LIVEKIT_ID_ALPHABET[byte % LIVEKIT_ID_ALPHABET.length];
    }
  }
  return id;
}
