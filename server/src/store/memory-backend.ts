import { applyWrites, emptyRecords, type Records } from "./records.js";
import type { Backend } from "./backend.js";

/** The default backend: records in this process, one writer, nothing to watch. */
export function memoryBackend(initial: Records = emptyRecords()): Backend {
  let records = initial;
  return {
    load: async () => ({ records, skipped: [] }),
    transact: async (_keys, decide) => {
      const decision = decide(records);
      if (!decision.ok) return decision;
      records = applyWrites(records, decision.value.writes);
      return { ok: true, value: { decision: decision.value, records } };
    },
    close: async () => undefined,
  };
}
