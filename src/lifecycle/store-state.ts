import type * as core from "zod/v4/core";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { checkModelArgument } from "../parse/model-arguments.js";
import { protoSchemaInfo } from "../parse/parse.js";
import { fail, ok, type Result } from "../model/result.js";
import { compareBytes } from "../match/rule-match.js";

// What a store holds, and the small pieces every store operation shares: lookups by id, ids for
// new items, frozen copies, and the id-ordered lists LiveKit iterates.

/** The contents of one store. Operations never change it; they return a new one. */
export interface State {
  readonly trunks: readonly SIPInboundTrunkInfo[];
  readonly rules: readonly SIPDispatchRuleInfo[];
  readonly randomId: () => string;
}

/** A successful operation: the new contents, and the trunk or rule as stored (or deleted). */
export interface Changed<T> {
  state: State;
  value: T;
}

const ID_ATTEMPTS = 100;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

export const frozenCopy = <T>(value: T): T => deepFreeze(structuredClone(value));

export const ruleIdOf = (r: SIPDispatchRuleInfo): string => r.sipDispatchRuleId ?? "";
export const trunkIdOf = (t: SIPInboundTrunkInfo): string => t.sipTrunkId ?? "";

export const findTrunk = (state: State, id: string): SIPInboundTrunkInfo | undefined => state.trunks.find((t) => trunkIdOf(t) === id);
export const findRule = (state: State, id: string): SIPDispatchRuleInfo | undefined => state.rules.find((r) => ruleIdOf(r) === id);

/** `list` with `item` put in its id-order place (replacing the one with its id). */
export function withItem<T>(list: readonly T[], item: T, id: (x: T) => string): T[] {
  const out = list.filter((x) => id(x) !== id(item));
  const at = out.findIndex((x) => compareBytes(id(x), id(item)) > 0);
  out.splice(at < 0 ? out.length : at, 0, item);
  return out;
}

/** LiveKit's `iters.MultiIter` over a listing and one new item: the new one comes second. */
export const interleave = <T>(listing: readonly T[], item: T): T[] =>
  listing.length === 0 ? [item] : [listing[0]!, item, ...listing.slice(1)];

/**
 * The iteration LiveKit validates after an update: the listing with the updated item swapped in
 * by id. When the stored version is not in the listing LiveKit validates nothing (its bug); we
 * put the updated item in its id-order place instead.
 */
export function swapIn<T>(listing: readonly T[], item: T, id: (x: T) => string): T[] {
  const i = listing.findIndex((x) => id(x) === id(item));
  if (i < 0) return withItem(listing, item, id);
  const out = [...listing];
  out[i] = item;
  return out;
}

/** `prefix` and a random suffix not yet `taken`, or `id_collision` when the generator keeps repeating. */
export function newId(state: State, prefix: string, taken: (id: string) => boolean): Result<string> {
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const id = prefix + state.randomId();
    if (!taken(id)) return ok(id);
  }
  return fail("id_collision", `the id generator returned only ids already in use (${ID_ATTEMPTS} attempts with prefix ${prefix})`);
}

/** Throws a TypeError for arguments of the wrong type (a programming error, not bad data). */
export function checkArguments(fn: string, id: unknown, value?: unknown, schema?: core.$ZodObject, argument?: string): void {
  if (typeof id !== "string") throw new TypeError(`${fn}: id must be a string`);
  if (schema === undefined) return;
  if (typeof value !== "object" || value === null) throw new TypeError(`${fn}: expected a ${protoSchemaInfo.typeNames.get(schema)} object`);
  checkModelArgument(schema, value, fn, argument ?? "value");
}
