import { normalizeNumber } from "../match/number.js";
import { buildCall, type CallPoint, type CallSpace, type NumberContext } from "./call-space.js";
import type { Region } from "./regions.js";
import type { InboundCall } from "../model/resolution.js";

// The call classes a diff compares: every point of the call space inside the regions where the two
// configurations can differ, one representative call per class.

export interface CallClass {
  call: InboundCall;
  context: NumberContext;
  point: CallPoint;
}

const covers = (set: ReadonlySet<string> | "any", number: string): boolean => set === "any" || set.has(normalizeNumber(number));

/** The called numbers some region covers, in order. */
function calledNumbersIn(space: CallSpace, regions: readonly Region[]): string[] {
  if (regions.some((region) => region.to === "any")) return [...space.calledNumbers()];
  const numbers = new Set<string>();
  for (const region of regions)
    for (const normalized of region.to as ReadonlySet<string>)
      for (const to of space.calledNumbersNormalizingTo(normalized)) numbers.add(to);
  return [...numbers].sort();
}

/** Every class inside `regions`: called number, then calling number, From host, source address, named trunk, pin. */
export function* classesIn(space: CallSpace, regions: readonly Region[]): Generator<CallClass> {
  for (const to of calledNumbersIn(space, regions)) {
    const around = regions.filter((region) => covers(region.to, to));
    const anyCaller = around.some((region) => region.from === "any");
    const context = space.context(to);
    const callers = space.callingNumbers(context).filter((from) => anyCaller || around.some((region) => covers(region.from, from)));
    if (callers.length === 0) continue;
    const sourceIps = space.sourceIpsOf(context);
    const trunkIds = space.fastPathTrunksOf(context);
    const pins = space.pinStatesOf(context);
    for (const from of callers)
      for (const sourceIp of sourceIps)
        for (const host of space.hostsOf(context, sourceIp))
          for (const trunkId of trunkIds)
            for (const pin of pins) {
              const point = { from, host, sourceIp, trunkId, pin };
              yield { call: buildCall(context, point), context, point };
            }
  }
}
