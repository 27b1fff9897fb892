// The linter's view of a configuration, and its witness search: candidate calls built from the
// configuration's own numbers and addresses, each checked by resolving it with the compiled
// dispatcher. A witness is only ever a call that was resolved and showed the problem.
import { addressAllowed, parseIp, parsePrefix, type AddressAllowlist } from "../match/address.js";
import { compileDispatch } from "../resolve/compile.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { normalizeNumber } from "../match/number.js";
import type { Dispatcher, DispatchResolution, InboundCall } from "../model/resolution.js";
import { prepareConfig } from "../resolve/resolve.js";
import { compareBytes, type PreparedRule } from "../match/rule-match.js";
import type { PreparedTrunk } from "../match/trunk-match.js";
import { quoteDisplayName, type DisplayName } from "../model/display-name.js";
import { groupBy } from "../resolve/group-by.js";

/** Where a call comes from: its signalling address and its From host. */
export interface Origin {
  readonly ip: string;
  readonly host: string;
}

export interface LintContext {
  /** Trunks and rules in id order (ties by content), as LiveKit lists them. */
  readonly trunks: readonly PreparedTrunk[];
  readonly rules: readonly PreparedRule[];
  readonly trunkInfos: readonly SIPInboundTrunkInfo[];
  readonly ruleInfos: readonly SIPDispatchRuleInfo[];
  readonly knownTrunkIds: ReadonlySet<string>;
  /** Called and calling numbers that no list of the configuration names (even normalised). */
  readonly freshNumbers: readonly string[];
  readonly freshCallers: readonly string[];
  resolve(call: InboundCall, trace?: boolean): DispatchResolution;
  /** Trunks by id (several when ids repeat), each list in id order: lookups instead of scans. */
  readonly trunksWithId: ReadonlyMap<string, readonly PreparedTrunk[]>;
  /** Trunk-specific rules by the trunk ids they name, each list in id order. */
  readonly rulesForTrunk: ReadonlyMap<string, readonly PreparedRule[]>;
  /** A rule or trunk for a message: its id, else its name, else its position (`rules[2]`). */
  ruleName(rule: PreparedRule): string;
  trunkName(trunk: PreparedTrunk): string;
  /**
   * Whom a finding is about, for its `ruleIds`, `trunkIds`, `ruleIndexes` and `trunkIndexes`:
   * rules and trunks of the configuration, and trunk ids that may name none (`trunkIds`).
   */
  subjects(of: { rules?: readonly PreparedRule[]; trunks?: readonly PreparedTrunk[]; trunkIds?: readonly string[] }): Subjects;
}

/** Where a model sat in the lists given to lint, and how it is named. */
export interface ModelPlace {
  readonly name: DisplayName;
  readonly index: number;
}

/** The `ruleIds`, `trunkIds`, `ruleIndexes` and `trunkIndexes` of a finding. */
export interface Subjects {
  ruleIds?: string[];
  trunkIds?: string[];
  ruleIndexes?: number[];
  trunkIndexes?: number[];
}

/** Documentation ranges (RFC 5737, RFC 3849): addresses nobody's allowlist means. */
const FRESH_IPS = ["192.0.2.10", "198.51.100.10", "2001:db8:ffff::10"] as const;
const LINT_RANDOM_ID = (): string => "LINTRANDOM00";
/** How many calls one witness search may resolve. */
const PROBE_BUDGET = 400;
/** How many values of one list a candidate product takes. */
const WIDTH = 4;

function freshOf(used: ReadonlySet<string>, base: string, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const candidate = base + String(i).padStart(4, "0");
    if (!used.has(candidate)) out.push(candidate);
  }
  return out;
}

/** How a rule or trunk without an id is named when nothing else says: the id, quoted, or a phrase. */
const byId = (id: string, what: string): string => (id === "" ? `(${what} without an id)` : q(id));

/** Labels (ids, else names, else positions; each once) and input positions of the models named. */
function subjectsOf(
  models: readonly { readonly id: string; readonly model: object }[],
  placeOf: (model: object) => ModelPlace | undefined,
): { ids: string[]; indexes: number[] } {
  const ids: string[] = [];
  const indexes: number[] = [];
  for (const { id, model } of models) {
    const place = placeOf(model);
    const label = id !== "" || place === undefined ? id : place.name.text;
    if (!ids.includes(label)) ids.push(label);
    if (place !== undefined && !indexes.includes(place.index)) indexes.push(place.index);
  }
  return { ids, indexes };
}

export function buildContext(
  trunkInfos: readonly SIPInboundTrunkInfo[],
  ruleInfos: readonly SIPDispatchRuleInfo[],
  placeOf: (model: object) => ModelPlace | undefined = () => undefined,
): LintContext {
  const { trunksById, rulesById } = prepareConfig(trunkInfos, ruleInfos);
  const used = new Set<string>();
  for (const t of trunkInfos) for (const n of [...(t.numbers ?? []), ...(t.allowedNumbers ?? [])]) used.add(normalizeNumber(n));
  for (const r of ruleInfos) for (const n of [...(r.numbers ?? []), ...(r.inboundNumbers ?? [])]) used.add(normalizeNumber(n));
  let dispatcher: Dispatcher | undefined;
  const trunksWithId = groupBy(trunksById, (t) => [t.id]);
  const nameOf = (model: object): DisplayName | undefined => placeOf(model)?.name;
  return {
    trunksWithId,
    rulesForTrunk: groupBy(rulesById, (r) => (r.isDefault ? [] : distinct(r.trunkIds))),
    trunks: trunksById,
    rules: rulesById,
    trunkInfos,
    ruleInfos,
    knownTrunkIds: new Set(trunksById.map((t) => t.id)),
    freshNumbers: freshOf(used, "+1999555", 2),
    freshCallers: freshOf(used, "+1888555", 2),
    ruleName: (rule) => {
      const name = nameOf(rule.rule);
      return name === undefined ? byId(rule.id, "a rule") : quoteDisplayName(name);
    },
    trunkName: (trunk) => {
      const name = nameOf(trunk.trunk);
      return name === undefined ? byId(trunk.id, "a trunk") : quoteDisplayName(name);
    },
    subjects({ rules = [], trunks = [], trunkIds = [] }) {
      const r = subjectsOf(rules.map((rule) => ({ id: rule.id, model: rule.rule })), placeOf);
      const byId = trunkIds.map((id) => trunksWithId.get(id)?.[0] ?? { id, trunk: {} });
      const t = subjectsOf([...trunks, ...byId].map((trunk) => ({ id: trunk.id, model: trunk.trunk })), placeOf);
      const out: Subjects = {};
      if (r.ids.length > 0) out.ruleIds = r.ids;
      if (t.ids.length > 0) out.trunkIds = t.ids;
      if (r.indexes.length > 0) out.ruleIndexes = r.indexes;
      if (t.indexes.length > 0) out.trunkIndexes = t.indexes;
      return out;
    },
    resolve(call, trace = false) {
      dispatcher ??= compileDispatch(trunkInfos, ruleInfos);
      return dispatcher.resolve(call, { randomId: LINT_RANDOM_ID, trace });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Calls.

export function makeCall(from: string, to: string, origin: Origin): InboundCall {
  return { from: origin.host === "" ? from : { user: from, host: origin.host }, to, sourceIp: origin.ip };
}

const take = <T>(list: Iterable<T>, n = WIDTH): T[] => {
  const out: T[] = [];
  for (const item of list) {
    if (out.length === n) break;
    if (!out.includes(item)) out.push(item);
  }
  return out;
};

function* product(froms: readonly string[], tos: readonly string[], origins: readonly Origin[]): Generator<InboundCall> {
  for (const origin of origins) for (const to of take(tos)) for (const from of take(froms)) yield makeCall(from, to, origin);
}

function formatIp(family: 4 | 6, value: number | bigint): string {
  if (family === 4) {
    const v = Number(value);
    return [24, 16, 8, 0].map((shift) => (v >>> shift) & 255).join(".");
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((BigInt(value) >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(":");
}

/** An address inside a CIDR prefix: the network address, or the one after it for wide prefixes. */
export function addressInside(entry: string): string | undefined {
  const prefix = parsePrefix(entry);
  if (prefix === undefined) return undefined;
  const width = prefix.family === 4 ? 32 : 128;
  if (prefix.bits >= width - 1) return formatIp(prefix.family, prefix.network);
  return prefix.family === 4 ? formatIp(4, (prefix.network as number) + 1) : formatIp(6, (prefix.network as bigint) + 1n);
}

/** A documentation address that `list` does not admit by its source address alone, if any. */
export function ipOutside(list: AddressAllowlist | undefined): string | undefined {
  return FRESH_IPS.find((ip) => !addressAllowed(list, parseIp(ip), "", false));
}

/** Entries that only ever match as a From host: valid masks that are neither an IP nor a CIDR prefix. */
export function hostOnlyEntries(trunk: PreparedTrunk): string[] {
  const list = trunk.addresses;
  if (list === undefined) return [];
  return [...list.hosts].filter((entry) => (entry.includes("/") ? parsePrefix(entry) === undefined : parseIp(entry) === undefined));
}

/**
 * Origins a trunk admits: one per IP or prefix entry, then the From-host path of host entries,
 * or a documentation address when the trunk does not filter addresses.
 */
export function originsFor(trunk: PreparedTrunk): Origin[] {
  const list = trunk.addresses;
  if (list === undefined || !list.anyValid) return [{ ip: FRESH_IPS[0], host: "" }];
  const out: Origin[] = [];
  for (const entry of list.hosts) {
    const ip = entry.includes("/") ? addressInside(entry) : parseIp(entry) === undefined ? undefined : entry;
    if (ip !== undefined) out.push({ ip, host: "" });
  }
  const outside = ipOutside(list) ?? FRESH_IPS[0];
  for (const host of hostOnlyEntries(trunk)) out.push({ ip: outside, host });
  return out;
}

/** Origins that no trunk's allowlist names. */
export const freshOrigins: readonly Origin[] = FRESH_IPS.map((ip) => ({ ip, host: "" }));

export const rawNumbers = (trunk: PreparedTrunk): string[] => trunk.trunk.numbers ?? [];
export const rawAllowed = (trunk: PreparedTrunk): string[] => trunk.trunk.allowedNumbers ?? [];

/** Calls that `trunk` admits: to its numbers (or fresh ones), from its allowed callers (or fresh ones). */
export function* callsVia(
  ctx: LintContext,
  trunk: PreparedTrunk,
  opts: { to?: readonly string[]; from?: readonly string[]; origins?: readonly Origin[] } = {},
): Generator<InboundCall> {
  const tos = opts.to ?? (trunk.isDefault ? ctx.freshNumbers : rawNumbers(trunk));
  const froms = opts.from ?? (trunk.allowedCallers === undefined ? ctx.freshCallers : rawAllowed(trunk));
  yield* product(froms, tos, opts.origins ?? originsFor(trunk));
}

/** Calls that no trunk's lists name: fresh numbers from documentation addresses. */
export function* callsFromNowhere(ctx: LintContext, opts: { to?: readonly string[]; from?: readonly string[] } = {}): Generator<InboundCall> {
  yield* product(opts.from ?? ctx.freshCallers, opts.to ?? ctx.freshNumbers, freshOrigins);
}

/** The trunks a rule applies to in this configuration (every trunk for a default rule). */
export const trunksOf = (ctx: LintContext, rule: PreparedRule): PreparedTrunk[] =>
  rule.isDefault ? [...ctx.trunks] : namedTrunks(ctx, rule.trunkIds);

/** The trunks with these ids, in id order (a lookup per id: lint must not scan every trunk per rule). */
export const namedTrunks = (ctx: LintContext, ids: readonly string[]): PreparedTrunk[] =>
  distinct(ids)
    .sort(compareBytes)
    .flatMap((id) => ctx.trunksWithId.get(id) ?? []);

/**
 * Calls that pass a rule's own filters, through each of its trunks, then (default rules) through
 * none; `calledNumbers` narrows them to some of the rule's called numbers.
 */
export function* callsForRule(ctx: LintContext, rule: PreparedRule, calledNumbers?: readonly string[]): Generator<InboundCall> {
  const numbers = calledNumbers ?? (rule.numbers === undefined ? undefined : [...rule.numbers]);
  const callers = rule.callers === undefined ? undefined : [...rule.callers];
  for (const trunk of trunksOf(ctx, rule)) {
    const to = numbers?.filter((n) => trunk.isDefault || trunk.numbers.has(normalizeNumber(n)));
    const from = callers?.filter((c) => trunk.allowedCallers === undefined || trunk.allowedCallers.has(normalizeNumber(c)));
    if (to?.length === 0 || from?.length === 0) continue;
    yield* callsVia(ctx, trunk, { to, from });
  }
  if (rule.isDefault) yield* callsFromNowhere(ctx, { to: numbers, from: callers });
}

/** The first call whose resolution `shows` the problem, within the probe budget. */
export function findWitness(
  ctx: LintContext,
  calls: Iterable<InboundCall>,
  shows: (resolution: DispatchResolution, call: InboundCall) => boolean,
  trace = false,
): InboundCall | undefined {
  let budget = PROBE_BUDGET;
  const seen = new Set<string>();
  for (const call of calls) {
    const key = JSON.stringify(call);
    if (seen.has(key)) continue;
    seen.add(key);
    if (budget-- === 0) return undefined;
    if (shows(ctx.resolve(call, trace), call)) return call;
  }
  return undefined;
}

/** The trunks a traced resolution marks as selected (for a conflict: every trunk in it). */
export function selectedTrunks(resolution: DispatchResolution): Set<string> {
  return new Set((resolution.trace ?? []).filter((e) => e.stage === "trunk" && e.verdict === "selected").map((e) => e.id));
}

// ---------------------------------------------------------------------------------------------
// Findings.

/** How bad a finding is: `error` (LiveKit rejects it, or calls certainly fail or go astray), `warning` (a likely mistake or exposure), `info`. */
export type LintSeverity = "error" | "warning" | "info";

/** Every code `lintDispatch` can report; docs/lint.md documents each one. */
export const LINT_CODES = [
  "rule-conflict",
  "self-conflict",
  "trunk-conflict",
  "runtime-trunk-conflict",
  "kindless-rule",
  "duplicate-id",
  "invalid-trunk",
  "invalid-rule",
  "invalid-address",
  "allowlist-bypassed",
  "number-format-mismatch",
  "unreachable-pin",
  "empty-room-name",
  "shadowed-rule",
  "unknown-trunk",
  "shared-masked-room",
  "open-catch-all",
  "auth-half-configured",
  "pin-prompts-open-callers",
] as const;
/** A finding's code; see docs/lint.md. */
export type LintCode = (typeof LINT_CODES)[number];

/**
 * One problem in a configuration. `message` says what is wrong and how to fix it, and never
 * contains a pin. `witness`, when present, is a call whose resolution shows the problem.
 */
export interface Finding {
  code: LintCode;
  severity: LintSeverity;
  message: string;
  /**
   * The rules the finding is about, by id; a rule without an id by its `name`, else by its
   * position (`rules[2]`), never by `""`.
   */
  ruleIds?: string[];
  /** The trunks the finding is about (and trunk ids rules name), named as in `ruleIds`. */
  trunkIds?: string[];
  /**
   * Where those rules sit: their indexes in the `rules` list given to `lintDispatch`, so that a
   * rule is found even without an id (or with an id used twice).
   */
  ruleIndexes?: number[];
  /** Where those trunks sit: their indexes in the `trunks` list given to `lintDispatch`. */
  trunkIndexes?: number[];
  witness?: InboundCall;
}

export function finding(code: LintCode, severity: LintSeverity, message: string, about: Subjects & { witness?: InboundCall | undefined } = {}): Finding {
  const out: Finding = { code, severity, message };
  if (about.ruleIds !== undefined && about.ruleIds.length > 0) out.ruleIds = [...about.ruleIds];
  if (about.trunkIds !== undefined && about.trunkIds.length > 0) out.trunkIds = [...about.trunkIds];
  if (about.ruleIndexes !== undefined && about.ruleIndexes.length > 0) out.ruleIndexes = [...about.ruleIndexes];
  if (about.trunkIndexes !== undefined && about.trunkIndexes.length > 0) out.trunkIndexes = [...about.trunkIndexes];
  if (about.witness !== undefined) out.witness = about.witness;
  return out;
}

/** Quotes a value for a message. */
export const q = (s: string): string => JSON.stringify(s);
/** `"a", "b" and "c"`. */
export function quoteList(items: readonly string[]): string {
  const quoted = items.map(q);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}
/** Names already quoted (or positions), joined: `"a", rules[2] and "c"`. */
export const joinNames = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
/** Distinct values in first-seen order. */
export const distinct = <T>(items: Iterable<T>): T[] => [...new Set(items)];
