import { quote } from "./io.js";
import type { Expect } from "./policy-schema.js";
import type { DispatchResolution } from "../model/resolution.js";
import type { RoomConfiguration } from "../model/room-config.js";

// A policy case's `expect` against the resolution: one phrase per field that differs.

/** What differs between `expect` and `got`, one phrase per field. */
export function compare(expect: Expect, got: DispatchResolution): string[] {
  if (got.result !== expect.result) return [`result: expected ${expect.result}, got ${got.result} (${outcome(got)})`];
  const out: string[] = [];
  const check = (field: string, want: string | boolean | undefined, have: string | boolean | undefined, matches = want === have) => {
    if (want !== undefined && !matches) out.push(`${field}: expected ${quote(want)}, got ${have === undefined ? "none" : quote(have)}`);
  };
  check("sipOutcome", expect.sipOutcome, got.sipOutcome);
  check("trunkId", expect.trunkId, got.trunkId);
  check("ruleId", expect.ruleId, "ruleId" in got ? got.ruleId : undefined);
  const accept = got.result === "accept" ? got : undefined;
  const room = accept?.roomName;
  check("roomName", expect.roomName, room, expect.roomName !== undefined && room !== undefined && wildcardMatch(expect.roomName, room));
  const participant = accept?.participant;
  check("identity", expect.identity, participant?.identity);
  check("name", expect.name, participant?.name);
  check("participantName", expect.participantName, participant?.name);
  check("metadata", expect.metadata, participant?.metadata);
  check("errorCode", expect.errorCode, got.result === "error" ? got.error.code : undefined);
  check("krispEnabled", expect.krispEnabled, accept?.krispEnabled);
  check("mediaEncryption", expect.mediaEncryption, "mediaEncryption" in got ? got.mediaEncryption : undefined);
  for (const [key, want] of Object.entries(expect.attributes ?? {})) {
    const have = participant?.attributes[key];
    if (have !== want) out.push(`attributes[${quote(key)}]: expected ${quote(want)}, got ${have === undefined ? "no such attribute" : quote(have)}`);
  }
  if (expect.roomConfig !== undefined) out.push(...compareRoomConfig(expect.roomConfig, accept?.roomConfig));
  return out;
}

/** `roomConfig` as a subset check: each given setting equal, each listed agent matched by one agent. */
function compareRoomConfig(want: NonNullable<Expect["roomConfig"]>, have: RoomConfiguration | undefined): string[] {
  if (have === undefined) return ["roomConfig: expected one, got none (the rule sets no roomConfig)"];
  const out: string[] = [];
  for (const [key, value] of Object.entries(want)) {
    if (key === "agents" || key === "tags") continue;
    const actual = (have as unknown as Record<string, unknown>)[key];
    if (actual !== value) out.push(`roomConfig.${key}: expected ${quote(value)}, got ${quote(actual)}`);
  }
  for (const [key, value] of Object.entries(want.tags ?? {}))
    if (have.tags[key] !== value) out.push(`roomConfig.tags[${quote(key)}]: expected ${quote(value)}, got ${have.tags[key] === undefined ? "no such tag" : quote(have.tags[key])}`);
  for (const agent of want.agents ?? []) {
    const found = have.agents.some((a) => Object.entries(agent).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v));
    if (!found) {
      const names = have.agents.map((a) => quote(a.agentName)).join(", ");
      out.push(`roomConfig.agents: expected an agent ${quote(agent)}, got ${have.agents.length === 0 ? "no agents" : `agents ${names}`}`);
    }
  }
  return out;
}

function outcome(got: DispatchResolution): string {
  const on = got.trunkId === "" ? "with no trunk matched" : `on trunk ${got.trunkId}`;
  switch (got.result) {
    case "accept":
      return `room ${quote(got.roomName)} by rule ${got.ruleId} ${on}`;
    case "request_pin":
      return `rule ${got.ruleId} ${on} asks for a pin`;
    case "drop":
      return `no rule matched ${on}`;
    case "error":
      return `${got.error.code}: ${got.error.message}`;
  }
}

/**
 * `*` matches any run of characters, everything else itself. Linear: the pattern is split on `*`
 * and each segment is found at its leftmost place after the previous one (greedy is exact for a
 * glob with `*` alone), so no input backtracks.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === text;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
