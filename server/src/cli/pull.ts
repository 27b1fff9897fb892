import { writeFileSync } from "node:fs";
import { UsageError, type Io } from "./io.js";

export const PULL_HELP = `Usage: sip-dispatch-server pull --url URL [--api-key K --api-secret S] [--out FILE]

Lists inbound trunks and dispatch rules through livekit-server-sdk's SipClient (LiveKit Cloud, a
LiveKit server, or sip-dispatch-server) and writes a {trunks, rules} file the sip-dispatch CLI
reads; standard output without --out. Keys default to LIVEKIT_API_KEY / LIVEKIT_API_SECRET.
Needs the livekit-server-sdk package (npm i livekit-server-sdk).
`;

export const PULL_OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
  "api-secret": { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export interface PullFlags {
  url?: string | undefined;
  "api-key"?: string | undefined;
  "api-secret"?: string | undefined;
  out?: string | undefined;
}

interface SdkMessage {
  toJson(): unknown;
}
interface SipClientLike {
  listSipInboundTrunk(): Promise<SdkMessage[]>;
  listSipDispatchRule(): Promise<SdkMessage[]>;
}

export async function pull(flags: PullFlags, io: Io): Promise<void> {
  const url = flags.url ?? io.env["LIVEKIT_URL"];
  if (url === undefined || url === "") throw new UsageError("pull needs --url (or LIVEKIT_URL)");
  const key = flags["api-key"] ?? io.env["LIVEKIT_API_KEY"];
  const secret = flags["api-secret"] ?? io.env["LIVEKIT_API_SECRET"];
  if (!key || !secret) throw new UsageError("pull needs --api-key and --api-secret (or LIVEKIT_API_KEY and LIVEKIT_API_SECRET)");
  let sdk: { SipClient: new (url: string, key: string, secret: string) => SipClientLike };
  try {
    sdk = (await import("livekit-server-sdk")) as unknown as typeof sdk;
  } catch {
    throw new UsageError("pull needs the livekit-server-sdk package: npm i livekit-server-sdk");
  }
  const client = new sdk.SipClient(url, key, secret);
  const [trunks, rules] = await Promise.all([client.listSipInboundTrunk(), client.listSipDispatchRule()]);
  const text = `${JSON.stringify({ trunks: trunks.map((t) => t.toJson()), rules: rules.map((r) => r.toJson()) }, null, 2)}\n`;
  if (flags.out === undefined) io.stdout(text.trimEnd());
  else writeFileSync(flags.out, text);
}
