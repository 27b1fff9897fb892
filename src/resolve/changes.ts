import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { DispatchChanges } from "../model/resolution.js";

/** An id-keyed change to one list: the ids to drop, and what each upserted id becomes (the last upsert wins). */
export interface ListChange<T> {
  /** Every id whose entries go: deleted or upserted. */
  readonly removed: ReadonlySet<string>;
  /** One entry per upserted id, in the order the ids were first upserted. */
  readonly added: readonly T[];
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null;

function checkList(value: unknown, field: string, element: string, isElement: (item: unknown) => boolean): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new TypeError(`Dispatcher.update: changes.${field} must be an array of ${element}`);
  for (const [i, item] of value.entries())
    if (!isElement(item)) throw new TypeError(`Dispatcher.update: changes.${field}[${i}] must be a ${element}`);
}

/** Checks the shape of a `DispatchChanges` from plain JS (a wrong type is a programmer error). */
export function checkChanges(changes: unknown): asserts changes is DispatchChanges {
  if (!isObject(changes)) throw new TypeError("Dispatcher.update: changes must be an object (DispatchChanges)");
  const c = changes as Record<string, unknown>;
  checkList(c.upsertTrunks, "upsertTrunks", "SIPInboundTrunkInfo object", isObject);
  checkList(c.upsertRules, "upsertRules", "SIPDispatchRuleInfo object", isObject);
  checkList(c.deleteTrunkIds, "deleteTrunkIds", "string", (id) => typeof id === "string");
  checkList(c.deleteRuleIds, "deleteRuleIds", "string", (id) => typeof id === "string");
}

function listChange<T>(upserts: readonly T[] | undefined, deletes: readonly string[] | undefined, idOf: (item: T) => string): ListChange<T> {
  const removed = new Set(deletes ?? []);
  const last = new Map<string, T>();
  for (const item of upserts ?? []) {
    const id = idOf(item);
    removed.add(id);
    last.delete(id); // re-inserted: keep the order of first mention out of it, the list is sorted later anyway
    last.set(id, item);
  }
  return { removed, added: [...last.values()] };
}

const trunkIdOf = (trunk: SIPInboundTrunkInfo): string => (typeof trunk.sipTrunkId === "string" ? trunk.sipTrunkId : "");
const ruleIdOf = (rule: SIPDispatchRuleInfo): string => (typeof rule.sipDispatchRuleId === "string" ? rule.sipDispatchRuleId : "");

export const trunkChange = (changes: DispatchChanges): ListChange<SIPInboundTrunkInfo> =>
  listChange(changes.upsertTrunks, changes.deleteTrunkIds, trunkIdOf);
export const ruleChange = (changes: DispatchChanges): ListChange<SIPDispatchRuleInfo> =>
  listChange(changes.upsertRules, changes.deleteRuleIds, ruleIdOf);
