import {
  SIPDispatchRuleInfo as ProtoRule,
  SIPInboundTrunkInfo as ProtoInboundTrunk,
  SIPOutboundTrunkInfo as ProtoOutboundTrunk,
  SIPTrunkInfo as ProtoLegacyTrunk,
  SIPTrunkInfo_TrunkKind,
} from "@livekit/protocol";
import {
  dispatchRuleToJson,
  inboundTrunkToJson,
  parseDispatchRule,
  parseInboundTrunk,
  type Result,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
} from "sip-dispatch";

// What LiveKit keeps in Redis (livekit/livekit pkg/service/redisstore_sip.go): four hashes, field =
// id, value = the protobuf binary of the message. The memory backend holds the same records, so
// both backends share one code path.

export const HASH = {
  inbound: "sip_inbound_trunk",
  outbound: "sip_outbound_trunk",
  legacy: "sip_trunk",
  rules: "sip_dispatch_rule",
} as const;
export type HashKey = (typeof HASH)[keyof typeof HASH];
export const ALL_HASHES: readonly HashKey[] = [HASH.inbound, HASH.outbound, HASH.legacy, HASH.rules];

/** Every record, decoded: inbound trunks and rules as `sip-dispatch` models, the rest as messages. */
export interface Records {
  inbound: Map<string, SIPInboundTrunkInfo>;
  outbound: Map<string, ProtoOutboundTrunk>;
  legacy: Map<string, ProtoLegacyTrunk>;
  rules: Map<string, SIPDispatchRuleInfo>;
}

/** A record that could not be read, reported rather than served. */
export interface SkippedRecord {
  key: string;
  id: string;
  reason: string;
}

/** A decoded record of any hash. */
export type StoredRecord = SIPInboundTrunkInfo | SIPDispatchRuleInfo | ProtoOutboundTrunk | ProtoLegacyTrunk;

/** One change to persist: `set` a record (encoded as LiveKit encodes it), or delete it when absent. */
export interface Write {
  key: HashKey;
  id: string;
  set?: { bytes: Uint8Array; record: StoredRecord };
}

export const emptyRecords = (): Records => ({ inbound: new Map(), outbound: new Map(), legacy: new Map(), rules: new Map() });

export const copyRecords = (r: Records): Records => ({
  inbound: new Map(r.inbound),
  outbound: new Map(r.outbound),
  legacy: new Map(r.legacy),
  rules: new Map(r.rules),
});

/** `records` with `writes` applied: a copy, sharing the maps no write touched; `records` stays as it was. */
export function applyWrites(records: Records, writes: readonly Write[]): Records {
  const next = { ...records };
  const copied = new Set<HashKey>();
  for (const w of writes) {
    if (!copied.has(w.key)) {
      copied.add(w.key);
      setMapOf(next, w.key, new Map(mapOf(next, w.key)));
    }
    const map = mapOf(next, w.key);
    if (w.set === undefined) map.delete(w.id);
    else map.set(w.id, w.set.record);
  }
  return next;
}

/** Puts `map` in place of the hash `key`'s map in `records`. */
export function setMapOf(records: Records, key: HashKey, map: Map<string, StoredRecord>): void {
  if (key === HASH.inbound) records.inbound = map as Records["inbound"];
  else if (key === HASH.outbound) records.outbound = map as Records["outbound"];
  else if (key === HASH.legacy) records.legacy = map as Records["legacy"];
  else records.rules = map as Records["rules"];
}

export function mapOf(records: Records, key: HashKey): Map<string, StoredRecord> {
  switch (key) {
    case HASH.inbound:
      return records.inbound;
    case HASH.outbound:
      return records.outbound;
    case HASH.legacy:
      return records.legacy;
    default:
      return records.rules;
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function decodeModel<T>(decode: () => { toJson(): unknown }, parse: (json: unknown) => Result<T>): Result<T> {
  let json: unknown;
  try {
    json = decode().toJson();
  } catch (error) {
    return { ok: false, error: { code: "undecodable", message: `not a protobuf record: ${message(error)}` } };
  }
  return parse(json);
}

export const decodeInboundTrunk = (bytes: Uint8Array): Result<SIPInboundTrunkInfo> =>
  decodeModel(() => ProtoInboundTrunk.fromBinary(bytes), parseInboundTrunk);

export const decodeDispatchRule = (bytes: Uint8Array): Result<SIPDispatchRuleInfo> =>
  decodeModel(() => ProtoRule.fromBinary(bytes), parseDispatchRule);

function decodeMessage<T>(decode: () => T): Result<T> {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    return { ok: false, error: { code: "undecodable", message: `not a protobuf record: ${message(error)}` } };
  }
}

export const decodeOutboundTrunk = (bytes: Uint8Array): Result<ProtoOutboundTrunk> => decodeMessage(() => ProtoOutboundTrunk.fromBinary(bytes));
export const decodeLegacyTrunk = (bytes: Uint8Array): Result<ProtoLegacyTrunk> => decodeMessage(() => ProtoLegacyTrunk.fromBinary(bytes));

export const inboundTrunkMessage = (trunk: SIPInboundTrunkInfo): ProtoInboundTrunk => ProtoInboundTrunk.fromJson(inboundTrunkToJson(trunk) as Parameters<typeof ProtoInboundTrunk.fromJson>[0]);
export const dispatchRuleMessage = (rule: SIPDispatchRuleInfo): ProtoRule => ProtoRule.fromJson(dispatchRuleToJson(rule) as Parameters<typeof ProtoRule.fromJson>[0]);

export const encodeInboundTrunk = (trunk: SIPInboundTrunkInfo): Uint8Array => inboundTrunkMessage(trunk).toBinary();
export const encodeDispatchRule = (rule: SIPDispatchRuleInfo): Uint8Array => dispatchRuleMessage(rule).toBinary();

/**
 * LiveKit's `SIPTrunkInfo.AsInbound`, by `parseInboundTrunk` (which converts legacy trunks);
 * undefined for an outbound-only legacy trunk. LiveKit's conversion drops `inboundNumbersRegex`,
 * so the trunk admits every caller; the parser refuses that field in configurations people write,
 * but a record LiveKit stored is served as LiveKit serves it, so the field is dropped here.
 */
export function legacyAsInbound(legacy: ProtoLegacyTrunk): SIPInboundTrunkInfo | undefined {
  if (legacy.kind === SIPTrunkInfo_TrunkKind.TRUNK_OUTBOUND) return undefined;
  const json = legacy.toJson({ emitDefaultValues: true }) as Record<string, unknown>;
  delete json["inboundNumbersRegex"];
  const parsed = parseInboundTrunk(json);
  return parsed.ok ? parsed.value : undefined;
}

/** LiveKit's `SIPTrunkInfo.AsOutbound`. */
export function legacyAsOutbound(legacy: ProtoLegacyTrunk): ProtoOutboundTrunk | undefined {
  if (legacy.kind === SIPTrunkInfo_TrunkKind.TRUNK_INBOUND) return undefined;
  return new ProtoOutboundTrunk({
    sipTrunkId: legacy.sipTrunkId,
    name: legacy.name,
    metadata: legacy.metadata,
    address: legacy.outboundAddress,
    transport: legacy.transport,
    numbers: legacy.outboundNumber === "" ? [] : [legacy.outboundNumber],
    authUsername: legacy.outboundUsername,
    authPassword: legacy.outboundPassword,
  });
}

/** LiveKit's `SIPInboundTrunkInfo.AsTrunkInfo`. */
export function inboundAsLegacy(trunk: SIPInboundTrunkInfo): ProtoLegacyTrunk {
  return new ProtoLegacyTrunk({
    sipTrunkId: trunk.sipTrunkId,
    kind: SIPTrunkInfo_TrunkKind.TRUNK_INBOUND,
    name: trunk.name,
    metadata: trunk.metadata,
    outboundNumber: trunk.numbers[0] ?? "",
    inboundAddresses: [...trunk.allowedAddresses],
    inboundNumbers: [...trunk.allowedNumbers],
    inboundUsername: trunk.authUsername,
    inboundPassword: trunk.authPassword,
  });
}

/** LiveKit's `SIPOutboundTrunkInfo.AsTrunkInfo`. */
export function outboundAsLegacy(trunk: ProtoOutboundTrunk): ProtoLegacyTrunk {
  return new ProtoLegacyTrunk({
    sipTrunkId: trunk.sipTrunkId,
    kind: SIPTrunkInfo_TrunkKind.TRUNK_OUTBOUND,
    name: trunk.name,
    metadata: trunk.metadata,
    outboundAddress: trunk.address,
    transport: trunk.transport,
    outboundNumber: trunk.numbers[0] ?? "",
    outboundUsername: trunk.authUsername,
    outboundPassword: trunk.authPassword,
  });
}

/**
 * The inbound trunks dispatch sees, in id order: `sip_inbound_trunk` and the inbound side of
 * legacy `sip_trunk` records (LiveKit's ListSIPInboundTrunk lists both). An inbound record wins
 * over a legacy one with the same id.
 */
export function inboundView(records: Records): SIPInboundTrunkInfo[] {
  const all = new Map(records.inbound);
  for (const [id, legacy] of records.legacy) {
    if (all.has(id)) continue;
    const inbound = legacyAsInbound(legacy);
    if (inbound !== undefined) all.set(id, inbound);
  }
  return sortById([...all.values()], (t) => t.sipTrunkId);
}

export const rulesView = (records: Records): SIPDispatchRuleInfo[] => sortById([...records.rules.values()], (r) => r.sipDispatchRuleId);

export function sortById<T>(items: T[], id: (x: T) => string): T[] {
  return items.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}
