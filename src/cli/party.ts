import { usage } from "./io.js";
import type { SIPParty } from "../model/resolution.js";

// `--from` / `--to` as users copy them from SIP traces: a plain number, or a SIP or tel URI
// (`sip:+15550100@carrier.example;user=phone`, `"Alice" <sips:alice@host:5061>`, `tel:+15550100`),
// read as LiveKit reads the From and To headers: the URI user is the number, the host (without
// port or parameters) the host allowedAddresses may match.

/** The party a flag names: its user, and its host when the value is a SIP URI with one. */
export function partyFromFlag(flag: string, value: string): SIPParty | string {
  const uri = /^\s*(?:"[^"]*"\s*|[^<"]*?)?<([^>]*)>/.exec(value)?.[1] ?? value.trim();
  const scheme = /^(sips?|tel):/i.exec(uri);
  if (scheme === null) return value;
  const rest = uri.slice(scheme[0].length);
  if (scheme[1]?.toLowerCase() === "tel") return withoutParams(rest);
  const at = rest.lastIndexOf("@");
  if (at < 0) return { user: "", host: hostOf(rest) };
  const user = withoutParams(rest.slice(0, at));
  const host = hostOf(rest.slice(at + 1));
  if (host === "") throw usage(`${flag}: no host after "@" in the SIP URI`);
  return { user, host };
}

const withoutParams = (text: string): string => text.split(/[;?]/)[0] as string;

/** `host`, `host:5060`, `[2001:db8::1]:5060`, each with `;params` or `?headers`, to the bare host. */
function hostOf(text: string): string {
  const hostPort = withoutParams(text);
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    return end < 0 ? hostPort : hostPort.slice(1, end);
  }
  return hostPort.split(":")[0] as string;
}
