import { addressCells, type AddressCells } from "./address-cells.js";
import { parseIp } from "../match/address.js";
import { normalizeNumber } from "../match/number.js";
import type { PreparedRule } from "../match/rule-match.js";
import type { PreparedTrunk } from "../match/trunk-match.js";
import type { InboundCall } from "../model/resolution.js";
import { spellingOf, unnamed, unnamedNumber } from "./spelling.js";

// The space of calls as two configurations together can tell them apart. A call is a point in it:
// called number, calling number, From host, source address, the trunk the auth step named, and the
// pin state. Each coordinate is split into the values some trunk or rule of either configuration
// names, and one value standing for everything else. Which values matter depends on the called
// number (only the trunks that serve it, and the rules that can admit it, are ever consulted), so
// the calling-side coordinates are split per called number (a NumberContext).

/** Every trunk and rule of both configurations, prepared once. */
export interface BothConfigs {
  trunks: readonly PreparedTrunk[];
  rules: readonly PreparedRule[];
}

/** What the calls to one called number can be told apart by. */
export interface NumberContext {
  /** The called number (the class representative). */
  readonly to: string;
  /** Whether `to` stands for every number no configuration names. */
  readonly toUnnamed: boolean;
  /** The trunks that can take calls to it, and the rules that can admit them (both configurations). */
  readonly trunks: readonly PreparedTrunk[];
  readonly rules: readonly PreparedRule[];
  /** Calling numbers as the rules list them, and their normalised forms with the trunks' allowed numbers. */
  readonly fromExact: ReadonlySet<string>;
  readonly fromNormalized: ReadonlySet<string>;
  readonly hosts: ReadonlySet<string>;
  readonly pins: ReadonlySet<string>;
  readonly trunkIds: ReadonlySet<string>;
  readonly addresses: AddressCells;
  /** Whether an empty calling number is a class of its own (an Individual rule without prefix or random suffix; see emptyCalleeRoom). */
  readonly emptyCallerRoom: boolean;
  /** Stand-ins for what these trunks and rules do not name: a calling number, a From host, a pin. */
  readonly otherFrom: string;
  readonly otherHost: string;
  readonly wrongPin: string;
}

/** A pin state: not asked yet, `#` alone, a pin some rule has, or a pin no rule has. */
export type PinState = { kind: "none" } | { kind: "noPin" } | { kind: "pin"; pin: string; wrong: boolean };

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
};

export class CallSpace {
  private readonly trunksByNumber = new Map<string, PreparedTrunk[]>();
  private readonly defaultTrunks: PreparedTrunk[] = [];
  private readonly trunksById = new Map<string, PreparedTrunk[]>();
  private readonly rulesByExactNumber = new Map<string, PreparedRule[]>();
  private readonly rulesByNormalizedNumber = new Map<string, PreparedRule[]>();
  private readonly rulesForAnyNumber: PreparedRule[] = [];
  /** Called numbers as rules list them, by their normalised form; every named called number normalised. */
  private readonly toExactByNormalized = new Map<string, Set<string>>();
  private readonly toExact = new Set<string>();
  private readonly toNormalized = new Set<string>();
  private readonly contexts = new Map<string, NumberContext>();
  private allCalledNumbers: string[] | undefined;
  /** The called number that stands for every number no configuration names. */
  readonly otherTo: string;
  /**
   * Whether an empty called number is a class of its own: a Callee rule without prefix or random
   * suffix gives it an empty room, which a pin call hangs up on (sipOutcome). Elsewhere an empty
   * number is only copied into the result, like any other.
   */
  private readonly emptyCalleeRoom: boolean;

  constructor(both: BothConfigs) {
    for (const trunk of both.trunks) {
      push(this.trunksById, trunk.id, trunk);
      if (trunk.isDefault) this.defaultTrunks.push(trunk);
      for (const number of trunk.numbers) {
        push(this.trunksByNumber, number, trunk);
        this.toNormalized.add(number);
      }
    }
    this.emptyCalleeRoom = both.rules.some((rule) => rule.kind === "callee" && rule.room === "" && !rule.randomSuffix);
    for (const rule of both.rules) {
      if (rule.kind === undefined) continue; // never selected: it only fails candidate sets
      const numbers = rule.rule.numbers ?? [];
      if (numbers.length === 0) this.rulesForAnyNumber.push(rule);
      const normalizedSeen = new Set<string>();
      for (const number of numbers) {
        const normalized = normalizeNumber(number);
        if (!this.toExact.has(number)) {
          this.toExact.add(number);
          const spellings = this.toExactByNormalized.get(normalized);
          if (spellings === undefined) this.toExactByNormalized.set(normalized, new Set([number]));
          else spellings.add(number);
        }
        this.toNormalized.add(normalized);
        push(this.rulesByExactNumber, number, rule);
        if (!normalizedSeen.has(normalized)) push(this.rulesByNormalizedNumber, normalized, rule);
        normalizedSeen.add(normalized);
      }
    }
    this.otherTo = unnamedNumber(5550199, (n) => this.toExact.has(n) || this.toNormalized.has(n));
  }

  /** One called number per class: each exact rule number, each other spelling of a named number, one unnamed number. */
  calledNumbers(): readonly string[] {
    if (this.allCalledNumbers === undefined) {
      const numbers = new Set(this.toExact);
      for (const normalized of this.toNormalized) {
        const spelling = spellingOf(normalized, this.toExact);
        if (spelling !== undefined) numbers.add(spelling);
      }
      numbers.add(this.otherTo);
      if (this.emptyCalleeRoom) numbers.add("");
      this.allCalledNumbers = [...numbers].sort();
    }
    return this.allCalledNumbers;
  }

  /** The called-number representatives whose normalised form is `normalized` (a named one). */
  calledNumbersNormalizingTo(normalized: string): string[] {
    if (!this.toNormalized.has(normalized)) return [];
    const numbers = [...(this.toExactByNormalized.get(normalized) ?? [])];
    const spelling = spellingOf(normalized, this.toExact);
    if (spelling !== undefined) numbers.push(spelling);
    return numbers;
  }

  /** The representative of a called number. */
  calledNumberOf(to: string): string {
    if ((to === "" && this.emptyCalleeRoom) || this.toExact.has(to)) return to;
    const normalized = normalizeNumber(to);
    return this.toNormalized.has(normalized) ? spellingOf(normalized, this.toExact)! : this.otherTo;
  }

  /** The trunks with this id, in either configuration. */
  trunksWithId(id: string): readonly PreparedTrunk[] {
    return this.trunksById.get(id) ?? [];
  }

  /** Every trunk id of either configuration. */
  trunkIds(): IterableIterator<string> {
    return this.trunksById.keys();
  }

  context(to: string): NumberContext {
    let context = this.contexts.get(to);
    if (context === undefined) {
      context = this.buildContext(to);
      this.contexts.set(to, context);
    }
    return context;
  }

  private buildContext(to: string): NumberContext {
    const normalized = normalizeNumber(to);
    const trunks = [...(this.trunksByNumber.get(normalized) ?? []), ...this.defaultTrunks];
    // A trunk without an id still takes calls (and rules may name ""); only the fast path skips it.
    const servingIds = new Set(trunks.map((trunk) => trunk.id));
    const trunkIds = new Set([...servingIds].filter((id) => id !== ""));
    const rules = [
      ...new Set([
        ...(this.rulesByExactNumber.get(to) ?? []),
        ...(this.rulesByNormalizedNumber.get(normalized) ?? []),
        ...this.rulesForAnyNumber,
      ]),
    ].filter((rule) => rule.isDefault || rule.trunkIds.some((id) => servingIds.has(id)));
    const fromExact = new Set<string>();
    const fromNormalized = new Set<string>();
    const pins = new Set<string>();
    const hosts = new Set<string>();
    for (const rule of rules) {
      for (const number of rule.rule.inboundNumbers ?? []) {
        fromExact.add(number);
        fromNormalized.add(normalizeNumber(number));
      }
      if (rule.pin !== "") pins.add(rule.pin);
    }
    for (const trunk of trunks) {
      for (const number of trunk.allowedCallers ?? []) fromNormalized.add(number);
      for (const host of trunk.addresses?.hosts ?? []) hosts.add(host);
    }
    return {
      to,
      toUnnamed: to === this.otherTo,
      trunks,
      rules,
      fromExact,
      fromNormalized,
      hosts,
      pins,
      trunkIds,
      addresses: addressCells(trunks.map((trunk) => trunk.trunk.allowedAddresses ?? [])),
      emptyCallerRoom: rules.some((rule) => rule.kind === "individual" && rule.room === "" && !rule.randomSuffix),
      otherFrom: unnamedNumber(5550100, (n) => n === to || fromExact.has(n) || fromNormalized.has(n)),
      otherHost: hosts.has("") ? unnamed("unlisted.invalid", hosts) : "",
      wrongPin: unnamed("0000", pins),
    };
  }

  /** One calling number per class, for calls to `context.to`. */
  callingNumbers(context: NumberContext): string[] {
    const numbers = new Set(context.fromExact);
    for (const normalized of context.fromNormalized) {
      const spelling = spellingOf(normalized, context.fromExact);
      if (spelling !== undefined) numbers.add(spelling);
    }
    numbers.add(context.otherFrom);
    if (context.emptyCallerRoom) numbers.add("");
    return [...numbers].sort();
  }

  /** The representative of a calling number, for calls to `context.to`. */
  callingNumberOf(context: NumberContext, from: string): string {
    if ((from === "" && context.emptyCallerRoom) || context.fromExact.has(from)) return from;
    const normalized = normalizeNumber(from);
    return context.fromNormalized.has(normalized) ? spellingOf(normalized, context.fromExact)! : context.otherFrom;
  }

  /**
   * One From host per class, for calls from `sourceIp`: the hosts that can still admit such a call,
   * and one for all others. Without a source address the host decides nothing (allowlists are
   * passed, or in strict mode closed, before it is read).
   */
  hostsOf(context: NumberContext, sourceIp: string | undefined): string[] {
    if (sourceIp === undefined) return [context.otherHost];
    return [...new Set([...context.addresses.hostsDeciding(sourceIp), context.otherHost])].sort();
  }

  hostOf(context: NumberContext, sourceIp: string | undefined, host: string): string {
    return sourceIp !== undefined && context.addresses.hostsDeciding(sourceIp).has(host) ? host : context.otherHost;
  }

  /** `undefined` (no source address) and one address per cell. */
  sourceIpsOf(context: NumberContext): (string | undefined)[] {
    return [undefined, ...context.addresses.representatives];
  }

  /** The representative of a source address; an unparseable one is kept (it fails alike everywhere). */
  sourceIpOf(context: NumberContext, sourceIp: string | undefined): string | undefined {
    if (sourceIp === undefined || sourceIp === "") return undefined;
    const ip = parseIp(sourceIp);
    return ip === undefined ? sourceIp : context.addresses.representativeOf(ip);
  }

  /** `undefined` (no trunk named, or one that cannot take these calls) and each trunk that can. */
  fastPathTrunksOf(context: NumberContext): (string | undefined)[] {
    return [undefined, ...[...context.trunkIds].sort()];
  }

  fastPathTrunkOf(context: NumberContext, trunkId: string | undefined): string | undefined {
    return trunkId !== undefined && context.trunkIds.has(trunkId) ? trunkId : undefined;
  }

  pinStatesOf(context: NumberContext): PinState[] {
    return [
      { kind: "none" },
      { kind: "noPin" },
      ...[...context.pins].sort().map((pin): PinState => ({ kind: "pin", pin, wrong: false })),
      { kind: "pin", pin: context.wrongPin, wrong: true },
    ];
  }

  pinStateOf(context: NumberContext, call: InboundCall): PinState {
    if (call.noPin === true) return { kind: "noPin" };
    const pin = call.pin ?? "";
    if (pin === "") return { kind: "none" };
    return context.pins.has(pin) ? { kind: "pin", pin, wrong: false } : { kind: "pin", pin: context.wrongPin, wrong: true };
  }

  /**
   * The representative of `call`'s class: the call that a diff resolves for it. Resolving `call`
   * and its representative picks the same trunk and rule in any configuration of the two; the
   * results differ only where they echo values no configuration names (an unlisted caller shows as
   * the stand-in number) or values that never decide anything (headers, call ids, extra attributes,
   * which the representative leaves out).
   */
  representativeOf(call: InboundCall): InboundCall {
    const party = (p: InboundCall["from"]) => (typeof p === "string" ? { user: p, host: "" } : { user: p.user, host: p.host ?? "" });
    const from = party(call.from);
    const context = this.context(this.calledNumberOf(party(call.to).user));
    const sourceIp = this.sourceIpOf(context, call.sourceIp);
    return buildCall(context, {
      from: this.callingNumberOf(context, from.user),
      host: this.hostOf(context, sourceIp, from.host),
      sourceIp,
      trunkId: this.fastPathTrunkOf(context, call.trunkId),
      pin: this.pinStateOf(context, call),
    });
  }
}

/** The point of the call space a class stands for. */
export interface CallPoint {
  from: string;
  host: string;
  sourceIp: string | undefined;
  trunkId: string | undefined;
  pin: PinState;
}

/** The call for a point: only the keys that have a value. */
export function buildCall(context: NumberContext, point: CallPoint): InboundCall {
  const call: InboundCall = { from: point.host === "" ? point.from : { user: point.from, host: point.host }, to: context.to };
  if (point.sourceIp !== undefined) call.sourceIp = point.sourceIp;
  if (point.trunkId !== undefined) call.trunkId = point.trunkId;
  if (point.pin.kind === "noPin") call.noPin = true;
  else if (point.pin.kind === "pin") call.pin = point.pin.pin;
  return call;
}
