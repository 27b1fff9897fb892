import type { InboundCall } from "../../src/index.js";
import { EMPTY_CALL, type CallFields } from "./state.js";

// The call form's text fields to an InboundCall and back (for lint witnesses).

export function callFromFields(fields: CallFields): InboundCall {
  const call: InboundCall = {
    from: fields.fromHost === "" ? fields.from : { user: fields.from, host: fields.fromHost },
    to: fields.toHost === "" ? fields.to : { user: fields.to, host: fields.toHost },
  };
  if (fields.sourceIp.trim() !== "") call.sourceIp = fields.sourceIp.trim();
  if (fields.trunkId.trim() !== "") call.trunkId = fields.trunkId.trim();
  if (fields.noPin) call.noPin = true;
  else if (fields.pin !== "") call.pin = fields.pin;
  const headers = parseHeaderLines(fields.headers);
  if (Object.keys(headers).length > 0) call.headers = headers;
  return call;
}

export function fieldsFromCall(call: InboundCall): CallFields {
  const party = (p: InboundCall["from"]): { user: string; host: string } =>
    typeof p === "string" ? { user: p, host: "" } : { user: p.user, host: p.host ?? "" };
  const from = party(call.from);
  const to = party(call.to);
  return {
    ...EMPTY_CALL,
    from: from.user,
    fromHost: from.host,
    to: to.user,
    toHost: to.host,
    sourceIp: call.sourceIp ?? "",
    trunkId: call.trunkId ?? "",
    pin: call.pin ?? "",
    noPin: call.noPin === true,
    headers: Object.entries(call.headers ?? {}).map(([name, value]) => `${name}: ${value}`).join("\n"),
  };
}

/** `Name: value` per line; lines without a colon are ignored. */
export function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { ...headers };
}
