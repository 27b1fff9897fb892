import {
  CreateSIPDispatchRuleRequest,
  CreateSIPInboundTrunkRequest,
  CreateSIPOutboundTrunkRequest,
  CreateSIPTrunkRequest,
  DeleteSIPDispatchRuleRequest,
  DeleteSIPTrunkRequest,
  GetSIPInboundTrunkRequest,
  GetSIPInboundTrunkResponse,
  GetSIPOutboundTrunkRequest,
  GetSIPOutboundTrunkResponse,
  ListSIPDispatchRuleRequest,
  ListSIPDispatchRuleResponse,
  ListSIPInboundTrunkRequest,
  ListSIPInboundTrunkResponse,
  ListSIPOutboundTrunkRequest,
  ListSIPOutboundTrunkResponse,
  ListSIPTrunkRequest,
  ListSIPTrunkResponse,
  SIPTrunkInfo,
  UpdateSIPDispatchRuleRequest,
  UpdateSIPInboundTrunkRequest,
  UpdateSIPOutboundTrunkRequest,
  type Pagination,
} from "@livekit/protocol";
import { applyListUpdate, parseDispatchRule, parseDispatchRuleUpdate, parseInboundTrunk, parseInboundTrunkUpdate, type Result } from "sip-dispatch";
import type { DispatchService } from "../service.js";
import { outboundOf } from "../store/operations.js";
import { dispatchRuleMessage, inboundAsLegacy, inboundTrunkMessage, legacyAsInbound, outboundAsLegacy, sortById } from "../store/records.js";
import type { MessageType, WireMessage } from "./codec.js";
import { fromStoreError, TwirpError } from "./errors.js";

// LiveKit's SIP service (livekit/livekit pkg/service/sip.go) over a DispatchService: the request
// checks LiveKit makes before it reaches its store, in its order and words; the store's own checks
// come from `sip-dispatch`.

export interface SipMethod<T extends WireMessage> {
  request: MessageType<T>;
  handle(service: DispatchService, request: T): Promise<WireMessage>;
}

const invalid = (message: string): TwirpError => new TwirpError("invalid_argument", message);

function value<T>(result: Result<T>): T {
  if (!result.ok) throw fromStoreError(result.error);
  return result.value;
}

/** A request's message as a `sip-dispatch` model; a shape the library refuses is bad input. */
function model<T>(result: Result<T>): T {
  if (!result.ok) throw invalid(result.error.message);
  return result.value;
}

/** LiveKit's pagination as its services apply it: everything after `afterId`, in id order. */
function paged<T>(items: T[], id: (x: T) => string, page: Pagination | undefined): T[] {
  const after = page?.afterId ?? "";
  return sortById(
    items.filter((x) => after === "" || id(x) === "" || id(x) > after),
    id,
  );
}

const method = <T extends WireMessage>(request: MessageType<T>, handle: (service: DispatchService, request: T) => Promise<WireMessage>): SipMethod<WireMessage> =>
  ({ request, handle }) as unknown as SipMethod<WireMessage>;

export const SIP_METHODS: Record<string, SipMethod<WireMessage>> = {
  CreateSIPInboundTrunk: method(CreateSIPInboundTrunkRequest, async (service, req) => {
    if (req.trunk === undefined) throw invalid("missing trunk");
    if (req.trunk.sipTrunkId !== "") throw invalid("trunk id must not be set");
    return inboundTrunkMessage(value(await service.createInboundTrunk(model(parseInboundTrunk(req.trunk.toJson())))));
  }),

  UpdateSIPInboundTrunk: method(UpdateSIPInboundTrunkRequest, async (service, req) => {
    if (req.sipTrunkId === "") throw invalid("trunk id must be set");
    const action = req.action;
    if (action.case === "replace") {
      if (action.value.sipTrunkId !== "" && action.value.sipTrunkId !== req.sipTrunkId) throw invalid("trunk id in the info must be empty or match the id in the update");
      return inboundTrunkMessage(value(await service.replaceInboundTrunk(req.sipTrunkId, model(parseInboundTrunk(action.value.toJson())))));
    }
    if (action.case === "update") {
      return inboundTrunkMessage(value(await service.updateInboundTrunk(req.sipTrunkId, model(parseInboundTrunkUpdate(action.value.toJson())))));
    }
    throw invalid("missing or unsupported update action");
  }),

  GetSIPInboundTrunk: method(GetSIPInboundTrunkRequest, async (service, req) => {
    if (req.sipTrunkId === "") throw invalid("trunk ID is required");
    const records = await service.records();
    const legacy = records.legacy.get(req.sipTrunkId);
    const trunk = records.inbound.get(req.sipTrunkId) ?? (legacy === undefined ? undefined : legacyAsInbound(legacy));
    if (trunk === undefined) throw new TwirpError("not_found", "requested sip trunk does not exist");
    return new GetSIPInboundTrunkResponse({ trunk: inboundTrunkMessage(trunk) });
  }),

  ListSIPInboundTrunk: method(ListSIPInboundTrunkRequest, async (service, req) => {
    const trunks = await service.listInboundTrunks({ ids: req.trunkIds, numbers: req.numbers });
    const items = paged(trunks, (t) => t.sipTrunkId, req.page).map(inboundTrunkMessage);
    return new ListSIPInboundTrunkResponse({ items });
  }),

  CreateSIPOutboundTrunk: method(CreateSIPOutboundTrunkRequest, async (service, req) => {
    if (req.trunk === undefined) throw invalid("missing trunk");
    if (req.trunk.sipTrunkId !== "") throw invalid("trunk id must not be set");
    return value(await service.createOutboundTrunk(req.trunk));
  }),

  UpdateSIPOutboundTrunk: method(UpdateSIPOutboundTrunkRequest, async (service, req) => {
    if (req.sipTrunkId === "") throw invalid("trunk id must be set");
    const action = req.action;
    if (action.case === "replace") {
      if (action.value.sipTrunkId !== "" && action.value.sipTrunkId !== req.sipTrunkId) throw invalid("trunk id in the info must be empty or match the id in the update");
      return value(await service.replaceOutboundTrunk(req.sipTrunkId, action.value));
    }
    if (action.case === "update") {
      // LiveKit validates the request (its numbers' list update) before it loads the trunk, so a bad
      // update of an unknown id is invalid_argument, not not_found.
      const numbers = action.value.numbers === undefined ? undefined : applyListUpdate([], action.value.numbers.toJson() as never);
      if (numbers !== undefined && !numbers.ok) throw invalid(numbers.error.message);
      return value(await service.updateOutboundTrunk(req.sipTrunkId, action.value));
    }
    throw invalid("missing or unsupported update action");
  }),

  GetSIPOutboundTrunk: method(GetSIPOutboundTrunkRequest, async (service, req) => {
    if (req.sipTrunkId === "") throw invalid("trunk ID is required");
    const trunk = outboundOf(await service.records(), req.sipTrunkId);
    if (trunk === undefined) throw new TwirpError("not_found", "requested sip trunk does not exist");
    return new GetSIPOutboundTrunkResponse({ trunk });
  }),

  ListSIPOutboundTrunk: method(ListSIPOutboundTrunkRequest, async (service, req) => {
    const records = await service.records();
    const ids = new Set([...records.outbound.keys(), ...records.legacy.keys()]);
    const all = [...ids].flatMap((id) => outboundOf(records, id) ?? []);
    const wanted = all.filter(
      (t) => (req.trunkIds.length === 0 || req.trunkIds.includes(t.sipTrunkId)) && (req.numbers.length === 0 || t.numbers.length === 0 || t.numbers.some((n) => req.numbers.includes(n))),
    );
    return new ListSIPOutboundTrunkResponse({ items: paged(wanted, (t) => t.sipTrunkId, req.page) });
  }),

  DeleteSIPTrunk: method(DeleteSIPTrunkRequest, async (service, req) => {
    if (req.sipTrunkId === "") throw invalid("trunk ID is required");
    return new SIPTrunkInfo({ sipTrunkId: value(await service.deleteTrunk(req.sipTrunkId)) });
  }),

  ListSIPTrunk: method(ListSIPTrunkRequest, async (service, req) => {
    const records = await service.records();
    const items = [
      ...records.legacy.values(),
      ...[...records.inbound.values()].map(inboundAsLegacy),
      ...[...records.outbound.values()].map(outboundAsLegacy),
    ];
    return new ListSIPTrunkResponse({ items: paged(items, (t) => t.sipTrunkId, req.page) });
  }),

  CreateSIPTrunk: method(CreateSIPTrunkRequest, async (service, req) => {
    if (req.inboundNumbersRegex.length !== 0) throw invalid("Trunks with InboundNumbersRegex are deprecated. Use InboundNumbers instead.");
    const info = new SIPTrunkInfo({
      inboundAddresses: req.inboundAddresses,
      outboundAddress: req.outboundAddress,
      outboundNumber: req.outboundNumber,
      inboundNumbers: req.inboundNumbers,
      inboundUsername: req.inboundUsername,
      inboundPassword: req.inboundPassword,
      outboundUsername: req.outboundUsername,
      outboundPassword: req.outboundPassword,
      name: req.name,
      metadata: req.metadata,
    });
    const asInbound = legacyAsInbound(info);
    if (asInbound === undefined) throw invalid("missing trunk");
    return value(await service.createLegacyTrunk(info, asInbound));
  }),

  CreateSIPDispatchRule: method(CreateSIPDispatchRuleRequest, async (service, req) => {
    if (req.dispatchRule !== undefined && req.dispatchRule.sipDispatchRuleId !== "") throw invalid("rule id must not be set");
    return dispatchRuleMessage(value(await service.createDispatchRule(model(parseDispatchRule(req.toJson())))));
  }),

  UpdateSIPDispatchRule: method(UpdateSIPDispatchRuleRequest, async (service, req) => {
    if (req.sipDispatchRuleId === "") throw invalid("rule id must be set");
    const action = req.action;
    if (action.case === "replace") {
      if (action.value.sipDispatchRuleId !== "" && action.value.sipDispatchRuleId !== req.sipDispatchRuleId)
        throw invalid("rule id in the info must be empty or match the id in the update");
      return dispatchRuleMessage(value(await service.replaceDispatchRule(req.sipDispatchRuleId, model(parseDispatchRule(action.value.toJson())))));
    }
    if (action.case === "update") {
      return dispatchRuleMessage(value(await service.updateDispatchRule(req.sipDispatchRuleId, model(parseDispatchRuleUpdate(action.value.toJson())))));
    }
    throw invalid("missing or unsupported update action");
  }),

  ListSIPDispatchRule: method(ListSIPDispatchRuleRequest, async (service, req) => {
    const rules = await service.listDispatchRules({ ids: req.dispatchRuleIds, trunkIds: req.trunkIds });
    return new ListSIPDispatchRuleResponse({ items: paged(rules, (r) => r.sipDispatchRuleId, req.page).map(dispatchRuleMessage) });
  }),

  DeleteSIPDispatchRule: method(DeleteSIPDispatchRuleRequest, async (service, req) => {
    if (req.sipDispatchRuleId === "") throw invalid("dispatch rule ID is required");
    return dispatchRuleMessage(value(await service.deleteDispatchRule(req.sipDispatchRuleId)));
  }),
};

/** Methods of `livekit.SIP` this server does not serve: they place and move live calls. */
export const UNIMPLEMENTED_SIP_METHODS: readonly string[] = ["CreateSIPParticipant", "TransferSIPParticipant"];
