// API keys as LiveKit takes them: `LIVEKIT_KEYS` ("key: secret" lines, LiveKit's keys format),
// `LIVEKIT_API_KEY` + `LIVEKIT_API_SECRET`, `--keys KEY:SECRET[,KEY:SECRET...]`, or `--dev`
// (LiveKit's dev credentials devkey / secret).

export const DEV_KEYS: Readonly<Record<string, string>> = Object.freeze({ devkey: "secret" });

export class KeysError extends Error {}

function pair(text: string, separator: string, source: string): [string, string] {
  const at = text.indexOf(separator);
  const key = at < 0 ? "" : text.slice(0, at).trim();
  const secret = at < 0 ? "" : text.slice(at + 1).trim();
  if (key === "" || secret === "") throw new KeysError(`${source}: expected KEY${separator === ":" ? ":" : ": "}SECRET entries`);
  return [key, secret];
}

export function keysFromFlag(value: string): Record<string, string> {
  return Object.fromEntries(value.split(",").filter((x) => x.trim() !== "").map((entry) => pair(entry, ":", "--keys")));
}

export function keysFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const line of (env["LIVEKIT_KEYS"] ?? "").split(/\r?\n/)) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const [key, secret] = pair(line, ":", "LIVEKIT_KEYS");
    keys[key] = secret;
  }
  const key = env["LIVEKIT_API_KEY"];
  const secret = env["LIVEKIT_API_SECRET"];
  if ((key ?? "") !== "" || (secret ?? "") !== "") {
    if (!key || !secret) throw new KeysError("LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set together");
    keys[key] = secret;
  }
  return keys;
}
