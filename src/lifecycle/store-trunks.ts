import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { fail, ok, type Result } from "../model/result.js";
import { SIPInboundTrunkUpdateSchema, type SIPInboundTrunkUpdate } from "../model/updates.js";
import { checkTrunk } from "./store-checks.js";
import { listInboundTrunks } from "./store-list.js";
import { checkArguments, findTrunk, frozenCopy, interleave, newId, swapIn, trunkIdOf, withItem, type Changed, type State } from "./store-state.js";
import { applyInboundTrunkUpdate, inboundTrunkUpdateIssues, replaceInboundTrunk } from "./update.js";
import { failWithIssues, validateInboundTrunk } from "./validate.js";

// The store's inbound trunk operations, as LiveKit's SIP API runs them (S pkg/service/sip.go).

const TRUNK_NOT_FOUND = "requested sip trunk does not exist";

function storeTrunk(state: State, trunk: SIPInboundTrunkInfo): Result<Changed<SIPInboundTrunkInfo>> {
  const value = frozenCopy(trunk);
  return ok({ state: { ...state, trunks: Object.freeze(withItem(state.trunks, value, trunkIdOf)) }, value });
}

function checkedTrunkChange(state: State, updated: SIPInboundTrunkInfo): Result<Changed<SIPInboundTrunkInfo>> {
  const iteration = swapIn(listInboundTrunks(state, { numbers: updated.numbers ?? [] }), updated, trunkIdOf);
  return checkTrunk(state, updated, iteration) ?? storeTrunk(state, updated);
}

export function createTrunk(state: State, trunk: SIPInboundTrunkInfo): Result<Changed<SIPInboundTrunkInfo>> {
  checkArguments("createInboundTrunk", "", trunk, SIPInboundTrunkInfoSchema, "trunk");
  const valid = validateInboundTrunk(trunk);
  if (!valid.ok) return valid;
  const candidate = structuredClone(trunk);
  const conflict = checkTrunk(state, candidate, interleave(listInboundTrunks(state, { numbers: candidate.numbers ?? [] }), candidate));
  if (conflict !== undefined) return conflict;
  const id = newId(state, "ST_", (x) => findTrunk(state, x) !== undefined);
  if (!id.ok) return id;
  candidate.sipTrunkId = id.value;
  return storeTrunk(state, candidate);
}

export function updateTrunk(state: State, id: string, update: SIPInboundTrunkUpdate): Result<Changed<SIPInboundTrunkInfo>> {
  checkArguments("updateInboundTrunk", id, update, SIPInboundTrunkUpdateSchema, "update");
  if (id === "") return fail("id_required", "trunk id must be set");
  const problems = inboundTrunkUpdateIssues(update);
  if (problems.length > 0) return failWithIssues(problems);
  const stored = findTrunk(state, id);
  if (stored === undefined) return fail("not_found", TRUNK_NOT_FOUND);
  const applied = applyInboundTrunkUpdate(stored, update);
  return applied.ok ? checkedTrunkChange(state, applied.value) : applied;
}

export function replaceTrunk(state: State, id: string, replacement: SIPInboundTrunkInfo): Result<Changed<SIPInboundTrunkInfo>> {
  checkArguments("replaceInboundTrunk", id, replacement, SIPInboundTrunkInfoSchema, "replacement");
  if (id === "") return fail("id_required", "trunk id must be set");
  const replaced = replaceInboundTrunk({ ...replacement, sipTrunkId: id }, replacement); // request checks first
  if (!replaced.ok) return replaced;
  if (findTrunk(state, id) === undefined) return fail("not_found", TRUNK_NOT_FOUND);
  return checkedTrunkChange(state, replaced.value);
}

export function deleteTrunk(state: State, id: string): Result<Changed<SIPInboundTrunkInfo>> {
  checkArguments("deleteInboundTrunk", id);
  if (id === "") return fail("id_required", "trunk ID is required");
  const stored = findTrunk(state, id);
  if (stored === undefined) return fail("not_found", TRUNK_NOT_FOUND);
  return ok({ state: { ...state, trunks: Object.freeze(state.trunks.filter((t) => t !== stored)) }, value: stored });
}
