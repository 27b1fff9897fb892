import type { CallView } from "../match/call.js";
import { outranks, ruleConflictKeys, validateRuleSet, type PreparedRule, type RuleSetFailure } from "../match/rule-match.js";
import { admitTrunk, decideTrunk, rejectTrunk, type PreparedTrunk, type TrunkMatch } from "../match/trunk-match.js";

// The indexes behind compileDispatch. Each answers one of the pipeline's questions without
// scanning the configuration; the pipeline and its predicates are the ones resolveDispatch uses.

const NO_TRUNK: TrunkMatch = Object.freeze({ kind: "none" });

/**
 * A trunk with what a compiled dispatcher knows about it in advance: LiveKit's verdict on its
 * candidate set and its own rules, bucketed. Kept on the trunk object so that a call reaches them
 * without another lookup.
 */
export interface CompiledTrunk extends PreparedTrunk {
  failure: RuleSetFailure | undefined;
  rules: RuleBuckets | undefined;
  /** Built on the first strict-mode call that matches this trunk. */
  strictRules: RuleBuckets | undefined;
}

/**
 * A trunk under one of its numbers, with the trunk's rules for that same number written exactly:
 * a call that presents the number in its normal form (E.164, as most do) finds trunk and rules
 * in one lookup.
 */
export interface NumberEntry {
  trunk: CompiledTrunk;
  rules: RuleBucket | undefined;
}

/** Trunks by normalised called number, plus the default trunks. */
export class TrunkIndex {
  /** A number served by one trunk maps to its entry directly (no list to load); shared numbers to a list. */
  private readonly byNumber = new Map<string, NumberEntry | NumberEntry[]>();
  private readonly defaults: CompiledTrunk[] = [];

  constructor(trunksById: readonly CompiledTrunk[]) {
    for (const trunk of trunksById) {
      if (trunk.isDefault) {
        this.defaults.push(trunk);
        continue;
      }
      for (const number of trunk.numbers) {
        const entry: NumberEntry = { trunk, rules: trunk.rules?.bucketFor(number) };
        const served = this.byNumber.get(number);
        this.byNumber.set(number, served === undefined ? entry : Array.isArray(served) ? [...served, entry] : [served, entry]);
      }
    }
  }

  private trunksFor(number: string): readonly PreparedTrunk[] {
    const served = this.byNumber.get(number);
    return served === undefined ? [] : Array.isArray(served) ? served.map((entry) => entry.trunk) : [served.trunk];
  }

  /** Trunk matching over the only trunks that can serve the called number. */
  match(call: CallView): TrunkMatch {
    const served = this.byNumber.get(call.toNormalized);
    let specific: NumberEntry | undefined;
    // Found by their number: only the caller and address filters are left to check.
    if (served !== undefined && !Array.isArray(served)) {
      if (admitTrunk(served.trunk, call)) specific = served;
    } else if (served !== undefined) {
      for (const entry of served)
        if (admitTrunk(entry.trunk, call)) {
          if (specific !== undefined) return this.decide(call);
          specific = entry;
        }
    }
    if (specific !== undefined) return { kind: "matched", trunk: specific.trunk, specific: true, hint: specific };
    let fallback: PreparedTrunk | undefined;
    for (const trunk of this.defaults)
      if (rejectTrunk(trunk, call) === undefined) {
        if (fallback !== undefined) return this.decide(call);
        fallback = trunk;
      }
    return fallback === undefined ? NO_TRUNK : { kind: "matched", trunk: fallback, specific: false };
  }

  /** The general case, with every passing trunk collected: a conflict. */
  private decide(call: CallView): TrunkMatch {
    const pass = (trunk: PreparedTrunk): boolean => rejectTrunk(trunk, call) === undefined;
    const specific = this.trunksFor(call.toNormalized).filter(pass);
    return decideTrunk(specific, specific.length === 0 ? this.defaults.filter(pass) : [], call);
  }
}

/**
 * The rules sharing one called-number key: the best one per pin mode (first INVITE, a pin
 * entered, `#` alone) among those with no calling-number filter, and per calling number the same
 * again. Flat, because each hop is a likely cache miss on a large configuration.
 */
interface RuleBucket {
  any: PreparedRule | undefined;
  open: PreparedRule | undefined;
  byPin: Map<string, PreparedRule> | undefined;
  /** Created only when some rule filters callers: most buckets never need it. */
  byCaller: Map<string, RuleBucket> | undefined;
}

const emptyBucket = (): RuleBucket => ({ any: undefined, open: undefined, byPin: undefined, byCaller: undefined });
const better = (a: PreparedRule | undefined, b: PreparedRule): PreparedRule => (a === undefined || outranks(b, a) ? b : a);

function addRule(bucket: RuleBucket, rule: PreparedRule): void {
  bucket.any = better(bucket.any, rule);
  if (rule.pin === "") bucket.open = better(bucket.open, rule);
  else {
    bucket.byPin ??= new Map();
    bucket.byPin.set(rule.pin, better(bucket.byPin.get(rule.pin), rule));
  }
}

/** The bucket's best rule for the call's pin mode and caller, if it beats `best`. */
function probe(bucket: RuleBucket | undefined, caller: string, call: CallView, best: PreparedRule | undefined): PreparedRule | undefined {
  if (bucket === undefined) return best;
  if (bucket.byCaller !== undefined) best = probe(bucket.byCaller.get(caller), caller, call, best);
  const found = call.noPin ? bucket.open : call.pin !== "" ? bucket.byPin?.get(call.pin) : bucket.any;
  return found === undefined ? best : better(best, found);
}

/**
 * The rules of one scope (one trunk's specific rules, or the default rules) bucketed by called
 * number (or any) and calling number (or any). A bucket keeps only its best rule per pin mode,
 * because every rule in it passes the number filters for the calls that probe it.
 */
export class RuleBuckets {
  private readonly byNumber = new Map<string, RuleBucket>();
  private anyNumber: RuleBucket | undefined;

  add(rule: PreparedRule, numbers: readonly string[], callers: readonly string[]): void {
    const buckets: RuleBucket[] = [];
    if (numbers.length === 0) buckets.push((this.anyNumber ??= emptyBucket()));
    for (const number of numbers) {
      let bucket = this.byNumber.get(number);
      if (bucket === undefined) this.byNumber.set(number, (bucket = emptyBucket()));
      buckets.push(bucket);
    }
    for (const bucket of buckets) {
      if (callers.length === 0) addRule(bucket, rule);
      for (const caller of callers) {
        bucket.byCaller ??= new Map();
        let byCaller = bucket.byCaller.get(caller);
        if (byCaller === undefined) bucket.byCaller.set(caller, (byCaller = emptyBucket()));
        addRule(byCaller, rule);
      }
    }
  }

  /** The bucket of rules that list `number` exactly. */
  bucketFor(number: string): RuleBucket | undefined {
    return this.byNumber.get(number);
  }

  /** The best rule in `bucket` (from bucketFor) or among rules with no number filter. */
  bestIn(bucket: RuleBucket | undefined, caller: string, call: CallView): PreparedRule | undefined {
    return probe(this.anyNumber, caller, call, probe(bucket, caller, call, undefined));
  }

  /** The best rule whose filters admit a call presenting `number` and `caller`. */
  best(number: string, caller: string, call: CallView): PreparedRule | undefined {
    return this.bestIn(this.byNumber.get(number), caller, call);
  }
}

/** Buckets the rules of one scope, comparing numbers exactly or (strict mode) normalised. */
export function bucketRules(rules: readonly PreparedRule[], normalized: boolean): RuleBuckets | undefined {
  let buckets: RuleBuckets | undefined;
  for (const rule of rules) {
    if (rule.kind === undefined) continue; // never selected: its candidate sets fail validation
    // From sets: a rule listing a number twice lands in its bucket once.
    const numbers = [...((normalized ? rule.numbersNormalized : rule.numbers) ?? [])];
    const callers = [...((normalized ? rule.callersNormalized : rule.callers) ?? [])];
    (buckets ??= new RuleBuckets()).add(rule, numbers, callers);
  }
  return buckets;
}

/** Picks the winner: the trunk's own rules first, then the default rules. */
export class RuleSelector {
  private readonly defaults: RuleBuckets | undefined;
  private strictDefaults: RuleBuckets | undefined;

  /** Takes the grouping CandidateVerdicts already made: default rules, and each trunk id's own. */
  constructor(
    private readonly defaultRules: readonly PreparedRule[],
    private readonly specificRules: ReadonlyMap<string, readonly PreparedRule[]>,
  ) {
    this.defaults = bucketRules(defaultRules, false);
  }

  winner(trunk: CompiledTrunk | undefined, call: CallView, hint: unknown): PreparedRule | undefined {
    if (!call.strict) {
      // The trunk's index entry already holds its rules for the number as the call spells it.
      const entry = hint as NumberEntry | undefined;
      const specific =
        entry !== undefined && entry.trunk === trunk && call.toUser === call.toNormalized
          ? trunk.rules?.bestIn(entry.rules, call.fromUser, call)
          : trunk?.rules?.best(call.toUser, call.fromUser, call);
      return specific ?? this.defaults?.best(call.toUser, call.fromUser, call);
    }
    if (trunk !== undefined && trunk.strictRules === undefined && this.specificRules.has(trunk.id))
      trunk.strictRules = bucketRules(this.specificRules.get(trunk.id)!, true);
    this.strictDefaults ??= bucketRules(this.defaultRules, true) ?? new RuleBuckets();
    const specific = trunk?.strictRules?.best(call.toNormalized, call.fromNormalized, call);
    return specific ?? this.strictDefaults.best(call.toNormalized, call.fromNormalized, call);
  }
}

/** The first of two failures in id order: the one LiveKit's validator meets first. */
function firstFailure(a: RuleSetFailure | undefined, b: RuleSetFailure | undefined): RuleSetFailure | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.rule.order <= b.rule.order ? a : b;
}

/**
 * LiveKit's match-time validation, computed per trunk at compile time: a trunk's candidate set is
 * fixed. Default rules hold keys with trunk `""` and specific rules keys with their trunk ids, so
 * the two groups can only collide through a rule that lists `""` as a trunk id; only then is the
 * whole candidate set validated together.
 */
export class CandidateVerdicts {
  private readonly defaultsFailure: RuleSetFailure | undefined;
  private readonly allFailure: RuleSetFailure | undefined;
  private readonly byTrunk = new Map<string, RuleSetFailure | undefined>();
  /** Each trunk id's specific rules, in id order. */
  readonly specificByTrunk = new Map<string, PreparedRule[]>();
  /** The rules with no trunkIds, in id order. */
  readonly defaultRules: PreparedRule[];

  constructor(rulesById: readonly PreparedRule[]) {
    this.defaultRules = rulesById.filter((rule) => rule.isDefault);
    for (const rule of rulesById)
      for (const [i, trunkId] of rule.trunkIds.entries()) {
        if (rule.trunkIds.indexOf(trunkId) !== i) continue; // listed twice: once is enough here
        const list = this.specificByTrunk.get(trunkId);
        if (list === undefined) this.specificByTrunk.set(trunkId, [rule]);
        else list.push(rule);
      }
    // Each rule's keys, built once for the many candidate sets it belongs to.
    const keys = rulesById.map(ruleConflictKeys);
    const keysOf = (rule: PreparedRule): readonly string[] => keys[rule.order]!;
    const validate = (rules: readonly PreparedRule[]) => validateRuleSet(rules, keysOf);
    this.defaultsFailure = validate(this.defaultRules);
    this.allFailure = validate(rulesById);
    for (const [trunkId, specific] of this.specificByTrunk) {
      const sharesDefaultKeys = specific.some((rule) => rule.trunkIds.includes("") && rule.kind !== undefined);
      const failure = sharesDefaultKeys
        ? validate(mergeInOrder(specific, this.defaultRules))
        : firstFailure(validate(specific), this.defaultsFailure);
      this.byTrunk.set(trunkId, failure);
    }
  }

  /** LiveKit's verdict on the candidate set of calls through `trunkId` (`undefined`: no trunk). */
  failure(trunkId: string | undefined): RuleSetFailure | undefined {
    if (trunkId === undefined) return this.allFailure;
    return this.specificByTrunk.has(trunkId) ? this.byTrunk.get(trunkId) : this.defaultsFailure;
  }

  candidates(trunkId: string | undefined, rulesById: readonly PreparedRule[]): readonly PreparedRule[] {
    if (trunkId === undefined) return rulesById; // with no trunk, every rule is a candidate
    const specific = this.specificByTrunk.get(trunkId);
    return specific === undefined ? this.defaultRules : mergeInOrder(specific, this.defaultRules);
  }
}

const mergeInOrder = (a: readonly PreparedRule[], b: readonly PreparedRule[]): PreparedRule[] =>
  [...new Set([...a, ...b])].sort((x, y) => x.order - y.order);

