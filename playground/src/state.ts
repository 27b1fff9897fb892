import { LIVEKIT_ID_ALPHABET } from "../../src/index.js";

// Everything the page shows follows from this state, and the state lives in the URL's hash
// (after `#`, which browsers never send to a server): deflated JSON in base64url. Opening a link
// therefore reproduces the configuration, the call and the options exactly.

/** One pasted or dropped input, as canonical protojson. */
export interface Source {
  name: string;
  trunks: object[];
  rules: object[];
}

/** The call form, as text fields. */
export interface CallFields {
  from: string;
  fromHost: string;
  to: string;
  toHost: string;
  sourceIp: string;
  trunkId: string;
  pin: string;
  noPin: boolean;
  /** `Name: value` lines. */
  headers: string;
}

export interface PlaygroundState {
  sources: Source[];
  call: CallFields;
  strict: boolean;
  /** The 12 "random" characters of room names and call ids, fixed so a link shows the same names. */
  seed: string;
}

export const EMPTY_CALL: CallFields = {
  from: "", fromHost: "", to: "", toHost: "", sourceIp: "", trunkId: "", pin: "", noPin: false, headers: "",
};

export function initialState(): PlaygroundState {
  return { sources: [], call: { ...EMPTY_CALL }, strict: false, seed: randomSeed() };
}

function randomSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => LIVEKIT_ID_ALPHABET[b % LIVEKIT_ID_ALPHABET.length]).join("");
}

const PREFIX = "#s=";

/** The hash for a state: `#s=z` + deflate-raw + base64url. */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return PREFIX + "z" + toBase64Url(bytes);
}

/** The state in a hash, `undefined` for an empty hash; an error text for a damaged link. */
export async function decodeState(hash: string): Promise<PlaygroundState | undefined | string> {
  if (hash === "" || hash === "#") return undefined;
  if (!hash.startsWith(PREFIX + "z")) return "this link does not hold a playground state";
  try {
    const bytes = fromBase64Url(hash.slice(PREFIX.length + 1));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    const text = await new Response(stream).text();
    return checkState(JSON.parse(text)) ?? "this link's state is damaged";
  } catch {
    return "this link's state is damaged";
  }
}

/** A link is input like any other: keep only fields of the right type. */
function checkState(value: unknown): PlaygroundState | undefined {
  if (!isObject(value) || !Array.isArray(value.sources) || !isObject(value.call)) return undefined;
  const sources: Source[] = [];
  for (const source of value.sources) {
    if (!isObject(source) || !Array.isArray(source.trunks) || !Array.isArray(source.rules)) return undefined;
    sources.push({ name: typeof source.name === "string" ? source.name : "link", trunks: source.trunks, rules: source.rules });
  }
  const call: CallFields = { ...EMPTY_CALL };
  for (const key of Object.keys(EMPTY_CALL) as (keyof CallFields)[]) {
    const field = value.call[key];
    if (typeof field === typeof EMPTY_CALL[key]) (call as unknown as Record<string, unknown>)[key] = field;
  }
  const seed = typeof value.seed === "string" && value.seed !== "" ? value.seed : randomSeed();
  return { sources, call, strict: value.strict === true, seed };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
