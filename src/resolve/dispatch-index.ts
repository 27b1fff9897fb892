import type { CallView } from "../match/call.js";
import { outranks, type PreparedRule } from "../match/rule-match.js";

// The rule buckets behind compileDispatch: the best rule for a call's numbers and pin mode without
// scanning the rules; the predicates are the ones resolveDispatch uses.

/**
 * The rules sharing one called-number key: the best one per pin mode (first INVITE, a pin
 * entered, `#` alone) among those with no calling-number filter, and per calling number the same
 * again. Flat, because each hop is a likely cache miss on a large configuration.
 */
export interface RuleBucket {
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

  /** Files `rule` under each of its numbers (or any) and callers (or any); `undefined` lists are empty. */
  add(rule: PreparedRule, numbers: Iterable<string> | undefined, callers: Iterable<string> | undefined): void {
    if (numbers === undefined) this.addToBucket((this.anyNumber ??= emptyBucket()), rule, callers);
    else
      for (const number of numbers) {
        let bucket = this.byNumber.get(number);
        if (bucket === undefined) this.byNumber.set(number, (bucket = emptyBucket()));
        this.addToBucket(bucket, rule, callers);
      }
  }

  private addToBucket(bucket: RuleBucket, rule: PreparedRule, callers: Iterable<string> | undefined): void {
    if (callers === undefined) return addRule(bucket, rule);
    for (const caller of callers) {
      bucket.byCaller ??= new Map();
      let byCaller = bucket.byCaller.get(caller);
      if (byCaller === undefined) bucket.byCaller.set(caller, (byCaller = emptyBucket()));
      addRule(byCaller, rule);
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
    // From sets (undefined when empty): a rule listing a number twice lands in its bucket once.
    (buckets ??= new RuleBuckets()).add(rule, normalized ? rule.numbersNormalized : rule.numbers, normalized ? rule.callersNormalized : rule.callers);
  }
  return buckets;
}

