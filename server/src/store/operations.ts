import { SIPOutboundTrunkInfo as ProtoOutboundTrunk, SIPTrunkInfo as ProtoLegacyTrunk, type SIPOutboundTrunkUpdate } from "@livekit/protocol";
import type { DispatchStore, Result, SIPDispatchRuleInfo, SIPInboundTrunkInfo, StoreChange } from "sip-dispatch";
import type { Decision } from "./backend.js";
import { applyOutboundTrunkUpdate, validateOutboundTrunk } from "./outbound.js";
import { encodeDispatchRule, encodeInboundTrunk, HASH, legacyAsOutbound, type Records, type Write } from "./records.js";

// Each write the SIP API offers, as a decision over records: what to answer and what to write.
// Inbound trunks and rules are decided by `sip-dispatch`'s pure store (LiveKit's checks, order and
// words); outbound and legacy trunks by LiveKit's own checks for them.

export type PureStoreOf = (records: Records) => DispatchStore;

const setInbound = (t: SIPInboundTrunkInfo): Write => ({ key: HASH.inbound, id: t.sipTrunkId, set: { bytes: encodeInboundTrunk(t), record: t } });
const setRule = (r: SIPDispatchRuleInfo): Write => ({ key: HASH.rules, id: r.sipDispatchRuleId, set: { bytes: encodeDispatchRule(r), record: r } });
const setOutbound = (t: ProtoOutboundTrunk): Write => ({ key: HASH.outbound, id: t.sipTrunkId, set: { bytes: t.toBinary(), record: t } });
const setLegacy = (t: ProtoLegacyTrunk): Write => ({ key: HASH.legacy, id: t.sipTrunkId, set: { bytes: t.toBinary(), record: t } });

function decided<T>(change: Result<StoreChange<T>>, write: (value: T) => Write[]): Result<Decision<T>> {
  if (!change.ok) return change;
  return { ok: true, value: { value: change.value.value, writes: write(change.value.value), store: change.value.store } };
}

const TRUNK_NOT_FOUND = { ok: false as const, error: { code: "not_found", message: "requested sip trunk does not exist" } };

export const inboundOps = {
  create: (pure: PureStoreOf, trunk: SIPInboundTrunkInfo) => (r: Records) => decided(pure(r).createInboundTrunk(trunk), (t) => [setInbound(t)]),
  update: (pure: PureStoreOf, id: string, update: Parameters<DispatchStore["updateInboundTrunk"]>[1]) => (r: Records) =>
    decided(pure(r).updateInboundTrunk(id, update), (t) => [setInbound(t)]),
  replace: (pure: PureStoreOf, id: string, trunk: SIPInboundTrunkInfo) => (r: Records) => decided(pure(r).replaceInboundTrunk(id, trunk), (t) => [setInbound(t)]),
  delete: (pure: PureStoreOf, id: string) => (r: Records) =>
    decided(pure(r).deleteInboundTrunk(id), (t) => [{ key: HASH.inbound, id: t.sipTrunkId }, { key: HASH.legacy, id: t.sipTrunkId }]),
};

export const ruleOps = {
  create: (pure: PureStoreOf, rule: SIPDispatchRuleInfo) => (r: Records) => decided(pure(r).createDispatchRule(rule), (x) => [setRule(x)]),
  update: (pure: PureStoreOf, id: string, update: Parameters<DispatchStore["updateDispatchRule"]>[1]) => (r: Records) =>
    decided(pure(r).updateDispatchRule(id, update), (x) => [setRule(x)]),
  replace: (pure: PureStoreOf, id: string, rule: SIPDispatchRuleInfo) => (r: Records) => decided(pure(r).replaceDispatchRule(id, rule), (x) => [setRule(x)]),
  delete: (pure: PureStoreOf, id: string) => (r: Records) => decided(pure(r).deleteDispatchRule(id), (x) => [{ key: HASH.rules, id: x.sipDispatchRuleId }]),
};

/** LiveKit's DeleteSIPTrunk: removes the id from every trunk hash, found or not. */
export const deleteAnyTrunk =
  (id: string) =>
  (_r: Records): Result<Decision<string>> => ({
    ok: true,
    value: { value: id, writes: [HASH.inbound, HASH.outbound, HASH.legacy].map((key) => ({ key, id })) },
  });

export function outboundOf(records: Records, id: string): ProtoOutboundTrunk | undefined {
  const stored = records.outbound.get(id);
  if (stored !== undefined) return stored;
  const legacy = records.legacy.get(id);
  return legacy === undefined ? undefined : legacyAsOutbound(legacy);
}

export const outboundOps = {
  create:
    (trunk: ProtoOutboundTrunk, newId: () => string) =>
    (_r: Records): Result<Decision<ProtoOutboundTrunk>> => {
      const valid = validateOutboundTrunk(trunk);
      if (!valid.ok) return valid;
      const stored = trunk.clone();
      stored.sipTrunkId = newId();
      return { ok: true, value: { value: stored, writes: [setOutbound(stored)] } };
    },
  update:
    (id: string, update: SIPOutboundTrunkUpdate) =>
    (r: Records): Result<Decision<ProtoOutboundTrunk>> => {
      const stored = outboundOf(r, id);
      if (stored === undefined) return TRUNK_NOT_FOUND;
      const next = applyOutboundTrunkUpdate(stored, update);
      return next.ok ? { ok: true, value: { value: next.value, writes: [setOutbound(next.value)] } } : next;
    },
  replace:
    (id: string, trunk: ProtoOutboundTrunk) =>
    (r: Records): Result<Decision<ProtoOutboundTrunk>> => {
      if (outboundOf(r, id) === undefined) return TRUNK_NOT_FOUND;
      const next = trunk.clone();
      next.sipTrunkId = id;
      const valid = validateOutboundTrunk(next);
      return valid.ok ? { ok: true, value: { value: next, writes: [setOutbound(next)] } } : valid;
    },
};

/** LiveKit's deprecated CreateSIPTrunk: stored in the legacy hash once its inbound side passes the checks. */
export const createLegacyTrunk =
  (pure: PureStoreOf, trunk: ProtoLegacyTrunk, asInbound: SIPInboundTrunkInfo, newId: () => string) =>
  (r: Records): Result<Decision<ProtoLegacyTrunk>> => {
    const checked = pure(r).createInboundTrunk(asInbound);
    if (!checked.ok && checked.error.code === "trunk_conflict") return checked;
    const stored = trunk.clone();
    stored.sipTrunkId = newId();
    return { ok: true, value: { value: stored, writes: [setLegacy(stored)] } };
  };
