import type { DispatchResolution } from "../model/resolution.js";

// What a diff compares: a decision with nothing in it that changes from one resolution to the next.

/** What stands for the random parts of a decision: the room suffix and a generated call id. */
export const RANDOM_PLACEHOLDER = "{random}";

/** A resolution type without one key, kept a union (`Omit` over a union would merge its members). */
type WithoutKey<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A decision as the diff compares it: the resolution without `trace`, with its random parts
 * (room-name suffix, generated `sip.callID`) written as `{random}`.
 */
export type DecisionSummary = WithoutKey<DispatchResolution, "trace">;

/** The randomId a diff resolves with, so that random parts read as the placeholder. */
export const placeholderRandomId = (): string => RANDOM_PLACEHOLDER;

/** The resolution without its trace (the diff never asks for one; a copy keeps the caller's object intact). */
export function summarize(resolution: DispatchResolution): DecisionSummary {
  const { trace: _trace, ...summary } = resolution;
  return summary as DecisionSummary;
}

/** JSON with object keys sorted: two summaries are equal when these texts are. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(",")}}`;
}

/** The parts of a summary a change is reported by, in the order a reader cares about them. */
const FIELDS: ReadonlyArray<readonly [name: string, read: (s: Record<string, unknown>) => unknown]> = [
  ["result", (s) => [s.result, s.reason]],
  ["sipOutcome", (s) => s.sipOutcome],
  ["trunkId", (s) => s.trunkId],
  ["ruleId", (s) => s.ruleId],
  ["roomName", (s) => s.roomName],
  ["identity", (s) => participant(s)?.identity],
  ["name", (s) => participant(s)?.name],
  ["metadata", (s) => participant(s)?.metadata],
  ["attributes", (s) => participant(s)?.attributes],
  ["roomConfig", (s) => s.roomConfig],
  ["roomPreset", (s) => s.roomPreset],
  ["media", (s) => [s.media, s.mediaEncryption]],
  ["krispEnabled", (s) => s.krispEnabled],
  ["trunk", (s) => s.trunk],
  ["error", (s) => [s.error, s.sipStatus]],
];
const KNOWN_KEYS = new Set(["result", "sipOutcome", "trunkId", "ruleId", "roomName", "participant", "roomConfig", "roomPreset", "media", "mediaEncryption", "krispEnabled", "trunk", "error", "sipStatus", "reason"]);

const participant = (s: Record<string, unknown>): Record<string, unknown> | undefined =>
  s.participant as Record<string, unknown> | undefined;

/**
 * The names of what differs between two summaries: `result`, `sipOutcome`, `trunkId`, `ruleId`,
 * `roomName`, `identity`, `name`, `metadata`, `attributes`, `roomConfig`, `roomPreset`, `media`
 * (with `mediaEncryption`), `krispEnabled`, `trunk` (what the trunk passes through: headers,
 * timeouts), `error`; any other key by its own name. Empty when the summaries are equal.
 */
export function differingFields(before: DecisionSummary, after: DecisionSummary): string[] {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const fields: string[] = [];
  for (const [name, read] of FIELDS) if (stableJson(read(a)) !== stableJson(read(b))) fields.push(name);
  const others = new Set([...Object.keys(a), ...Object.keys(b)].filter((key) => !KNOWN_KEYS.has(key)));
  for (const key of [...others].sort()) if (stableJson(a[key]) !== stableJson(b[key])) fields.push(key);
  return fields;
}
