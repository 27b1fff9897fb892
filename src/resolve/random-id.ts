import { customAlphabet } from "nanoid";

/** LiveKit's id alphabet: base57, without 0, 1, I, O and l. */
export const LIVEKIT_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** 12 characters over LiveKit's alphabet from a CSPRNG, like LiveKit's `guid.New("")`. */
export const defaultRandomId: () => string = customAlphabet(LIVEKIT_ID_ALPHABET, 12);
