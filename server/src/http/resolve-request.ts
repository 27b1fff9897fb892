import type { InboundCall, ResolveOptions } from "sip-dispatch";

// `/v1/resolve` input, checked field by field and copied into fresh objects: nothing a caller sends
// reaches the engine except the fields below, as the types below.

export type ResolveInput = { ok: true; call: InboundCall; options: ResolveOptions } | { ok: false; message: string };

const bad = (message: string): ResolveInput => ({ ok: false, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

type Party = string | { user: string; host?: string };

function party(value: unknown, name: string): { party: Party } | { problem: string } {
  if (typeof value === "string") return { party: value };
  if (isObject(value) && typeof own(value, "user") === "string") {
    const user = own(value, "user") as string;
    const host = own(value, "host");
    if (host === undefined) return { party: { user } };
    if (typeof host !== "string") return { problem: `call.${name}.host must be a string` };
    return { party: { user, host } };
  }
  return { problem: `call.${name} must be a string or {"user", "host"?}` };
}

function stringMap(value: unknown, name: string): Record<string, string> | string {
  if (!isObject(value)) return `${name} must be an object of strings`;
  const entries: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") return `${name}.${k} must be a string`;
    entries.push([k, v]);
  }
  return Object.fromEntries(entries);
}

const STRING_FIELDS = ["sourceIp", "callId", "sipCallId", "trunkId", "pin"] as const;
const CALL_FIELDS = new Set<string>(["from", "to", "headers", "noPin", "extraAttributes", ...STRING_FIELDS]);

export function callFromJson(value: unknown): ResolveInput {
  if (!isObject(value)) return bad('the body must be {"call": {...}, "options"?: {...}}');
  const rawCall = own(value, "call");
  if (!isObject(rawCall)) return bad("call must be an object");
  for (const key of Object.keys(rawCall)) if (!CALL_FIELDS.has(key)) return bad(`call.${key} is not a call field`);
  const from = party(own(rawCall, "from"), "from");
  if ("problem" in from) return bad(from.problem);
  const to = party(own(rawCall, "to"), "to");
  if ("problem" in to) return bad(to.problem);
  const call: InboundCall = { from: from.party, to: to.party };
  for (const field of STRING_FIELDS) {
    const v = own(rawCall, field);
    if (v === undefined) continue;
    if (typeof v !== "string") return bad(`call.${field} must be a string`);
    call[field] = v;
  }
  const noPin = own(rawCall, "noPin");
  if (noPin !== undefined) {
    if (typeof noPin !== "boolean") return bad("call.noPin must be a boolean");
    call.noPin = noPin;
  }
  for (const field of ["headers", "extraAttributes"] as const) {
    const v = own(rawCall, field);
    if (v === undefined) continue;
    const map = stringMap(v, `call.${field}`);
    if (typeof map === "string") return bad(map);
    call[field] = map;
  }
  const rawOptions = own(value, "options") ?? {};
  if (!isObject(rawOptions)) return bad("options must be an object");
  const options: ResolveOptions = {};
  for (const key of Object.keys(rawOptions)) {
    const v = rawOptions[key];
    if (key !== "strict" && key !== "trace") return bad(`options.${key} is not an option (strict, trace)`);
    if (typeof v !== "boolean") return bad(`options.${key} must be a boolean`);
    options[key] = v;
  }
  return { ok: true, call, options };
}

const flag = (v: string | null): boolean => v === "1" || v === "true";

/** `GET /v1/resolve?from=..&to=..&ip=..&pin=..&noPin=1&strict=1&trace=1&header=Name:Value` */
export function callFromQuery(query: URLSearchParams): ResolveInput {
  const from = query.get("from");
  const to = query.get("to");
  if (from === null || to === null) return bad("from and to are required");
  const call: InboundCall = { from, to };
  const fromHost = query.get("fromHost");
  const toHost = query.get("toHost");
  if (fromHost !== null) call.from = { user: from, host: fromHost };
  if (toHost !== null) call.to = { user: to, host: toHost };
  const ip = query.get("ip");
  if (ip !== null) call.sourceIp = ip;
  for (const [param, field] of [["pin", "pin"], ["trunkId", "trunkId"], ["callId", "callId"], ["sipCallId", "sipCallId"]] as const) {
    const v = query.get(param);
    if (v !== null) call[field] = v;
  }
  if (flag(query.get("noPin"))) call.noPin = true;
  const headers: [string, string][] = [];
  for (const header of query.getAll("header")) {
    const colon = header.indexOf(":");
    if (colon <= 0) return bad(`header ${JSON.stringify(header)} must be Name:Value`);
    headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
  }
  if (headers.length > 0) call.headers = Object.fromEntries(headers);
  const options: ResolveOptions = {};
  if (flag(query.get("strict"))) options.strict = true;
  if (flag(query.get("trace"))) options.trace = true;
  return { ok: true, call, options };
}
