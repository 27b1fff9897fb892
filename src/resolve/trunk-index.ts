import type { CallView } from "../match/call.js";
import { admitTrunk, decideTrunk, rejectTrunk, type PreparedTrunk, type TrunkMatch } from "../match/trunk-match.js";
import type { RuleBucket, RuleBuckets } from "./dispatch-index.js";
import type { Scope } from "./scopes.js";
import { ShardedMap, type MapEditor } from "./sharded-map.js";

// Trunks by normalised called number, for compileDispatch: trunk matching over the only trunks that
// can serve the number, with the predicates resolveDispatch uses. Persistent: a change rewrites the
// entries of the numbers it touches.

// Stryker disable next-line ObjectLiteral,StringLiteral: a result that is not "matched" or "conflict" reads as none (docs/testing.md lists it)
const NO_TRUNK: TrunkMatch = Object.freeze({ kind: "none" });

/**
 * A trunk with the rules that name its id, bucketed: kept on the trunk object so that a call
 * reaches them without another lookup. Rebuilt whenever those rules change.
 */
export interface CompiledTrunk extends PreparedTrunk {
  readonly rules: RuleBuckets | undefined;
  readonly scope: Scope | undefined;
}

/** A prepared trunk with its id's scope, every field spelled out (see below). */
export function compileTrunk(trunk: PreparedTrunk, scope: Scope | undefined): CompiledTrunk {
  // Not spread: a spread object keeps its fields out of line, and each extra hop is a likely
  // cache miss per call on a large configuration. What a call reads comes first.
  return {
    allowedCallers: trunk.allowedCallers,
    addresses: trunk.addresses,
    rules: scope?.buckets,
    scope,
    id: trunk.id,
    media: trunk.media,
    passthrough: trunk.passthrough,
    krispEnabled: trunk.krispEnabled,
    isDefault: trunk.isDefault,
    numbers: trunk.numbers,
    trunk: trunk.trunk,
  };
}

/**
 * A trunk under one of its numbers, with the trunk's rules for that same number written exactly:
 * a call that presents the number in its normal form (E.164, as most do) finds trunk and rules
 * in one lookup. The rules are looked up on the first call that needs them, not when compiling
 * (100,000 lookups a build would otherwise pay for numbers that may never ring); an entry is
 * rebuilt whenever its trunk's rules change, so the answer it keeps never goes stale.
 */
export class NumberEntry {
  private bucket: RuleBucket | null | undefined;
  constructor(
    readonly trunk: CompiledTrunk,
    private readonly number: string,
  ) {}

  get rules(): RuleBucket | undefined {
    // Stryker disable next-line ConditionalExpression,OptionalChaining: a cache; rules is only read when the trunk has buckets (docs/testing.md lists it)
    if (this.bucket === undefined) this.bucket = this.trunk.rules?.bucketFor(this.number) ?? null;
    return this.bucket ?? undefined;
  }
}

/** A number served by one trunk maps to its entry directly (no list to load); shared numbers to a list. */
type Served = NumberEntry | readonly NumberEntry[];

const entriesOf = (served: Served | undefined): readonly NumberEntry[] =>
  served === undefined ? [] : Array.isArray(served) ? (served as readonly NumberEntry[]) : [served as NumberEntry];

/** Puts `trunk` under `number`, after the trunks already there. */
function addEntry(map: Pick<MapEditor<Served>, "get" | "set">, trunk: CompiledTrunk, number: string): void {
  const entry = new NumberEntry(trunk, number);
  const served = map.get(number);
  // Stryker disable next-line ConditionalExpression: one entry alone or in a list: every reader goes through entriesOf (docs/testing.md lists it)
  map.set(number, served === undefined ? entry : [...entriesOf(served), entry]);
}

export class TrunkIndex {
  private constructor(
    private readonly byNumber: ShardedMap<Served>,
    private readonly defaults: readonly CompiledTrunk[],
  ) {}

  static build(trunks: readonly CompiledTrunk[]): TrunkIndex {
    const defaults: CompiledTrunk[] = [];
    let count = 0;
    // Stryker disable next-line AssignmentOperator: a size hint: fewer shards hold the same entries (docs/testing.md lists it)
    for (const trunk of trunks) count += trunk.isDefault ? 0 : trunk.numbers.size;
    const byNumber = ShardedMap.build<Served>(count, (shardOf) => {
      for (const trunk of trunks) {
        if (trunk.isDefault) defaults.push(trunk);
        else for (const number of trunk.numbers) addEntry(shardOf(number), trunk, number);
      }
    });
    return new TrunkIndex(byNumber, defaults);
  }

  /** How many called numbers have an entry: a number no trunk serves any more has none. */
  get numberCount(): number {
    return this.byNumber.size;
  }

  /** The index with the `removed` trunks taken out and the `added` ones put in. */
  edit(removed: readonly CompiledTrunk[], added: readonly CompiledTrunk[]): TrunkIndex {
    if (removed.length === 0 && added.length === 0) return this;
    const gone = new Set(removed);
    const byNumber = this.byNumber.with((map: MapEditor<Served>) => {
      for (const trunk of removed)
        for (const number of trunk.numbers) {
          const left = entriesOf(map.get(number)).filter((entry) => !gone.has(entry.trunk));
          // Stryker disable next-line ConditionalExpression: one entry alone or in a list: every reader goes through entriesOf (docs/testing.md lists it)
          const served = left.length === 1 ? left[0]! : left;
          if (left.length === 0) map.delete(number);
          else map.set(number, served);
        }
      for (const trunk of added)
        // Stryker disable next-line ConditionalExpression: a default trunk has no numbers (docs/testing.md lists it)
        if (!trunk.isDefault)
          for (const number of trunk.numbers) addEntry(map, trunk, number);
    });
    const defaults =
      // Stryker disable next-line ConditionalExpression: rebuilding the default list gives the same trunks (docs/testing.md lists it)
      removed.some((trunk) => trunk.isDefault) || added.some((trunk) => trunk.isDefault)
        ? this.defaults.filter((trunk) => !gone.has(trunk)).concat(added.filter((trunk) => trunk.isDefault))
        : this.defaults;
    return new TrunkIndex(byNumber, defaults);
  }

  private trunksFor(number: string): readonly PreparedTrunk[] {
    return entriesOf(this.byNumber.get(number)).map((entry) => entry.trunk);
  }

  /** Trunk matching over the only trunks that can serve the called number. */
  match(call: CallView): TrunkMatch {
    const served = this.byNumber.get(call.toNormalized);
    let specific: NumberEntry | undefined;
    // Found by their number: only the caller and address filters are left to check.
    if (served !== undefined && !Array.isArray(served)) {
      const entry = served as NumberEntry;
      if (admitTrunk(entry.trunk, call)) specific = entry;
    } else if (served !== undefined) {
      for (const entry of served as readonly NumberEntry[])
        // Stryker disable next-line ConditionalExpression: a shortcut: decide() filters every trunk itself (docs/testing.md lists it)
        if (admitTrunk(entry.trunk, call)) {
          // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut: decide() filters every trunk itself (docs/testing.md lists it)
          if (specific !== undefined) return this.decide(call);
          specific = entry;
        }
    }
    if (specific !== undefined) return { kind: "matched", trunk: specific.trunk, specific: true, hint: specific };
    let fallback: PreparedTrunk | undefined;
    for (const trunk of this.defaults)
      if (rejectTrunk(trunk, call) === undefined) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut: decide() filters every trunk itself (docs/testing.md lists it)
        if (fallback !== undefined) return this.decide(call);
        fallback = trunk;
      }
    // Stryker disable next-line ConditionalExpression: a match without a trunk reads as none (docs/testing.md lists it)
    return fallback === undefined ? NO_TRUNK : { kind: "matched", trunk: fallback, specific: false };
  }

  /** The general case, with every passing trunk collected: a conflict. */
  private decide(call: CallView): TrunkMatch {
    const pass = (trunk: PreparedTrunk): boolean => rejectTrunk(trunk, call) === undefined;
    const specific = this.trunksFor(call.toNormalized).filter(pass);
    // Stryker disable next-line ConditionalExpression,MethodExpression,ArrayDeclaration: decideTrunk ignores defaults beside a passing specific trunk, and the trace rejects failing ones first (docs/testing.md lists it)
    return decideTrunk(specific, specific.length === 0 ? this.defaults.filter(pass) : [], call);
  }
}
