import { quote, type Style } from "./io.js";
import type { DispatchResolution } from "../model/resolution.js";
import type { RoomAgentDispatch, RoomConfiguration } from "../model/room-config.js";

// The participant an accepted call becomes, and the room settings its token carries, in words:
// only what is set, said as what it means ("agent billing-agent, metadata …"), not a JSON dump
// of proto3 defaults.

type Accept = Extract<DispatchResolution, { result: "accept" }>;

/** The "Participant" block of an accepted call. */
export function participantBlock(resolution: Accept, style: Style): string[] {
  const p = resolution.participant;
  const rows: [string, string][] = [
    ["room", resolution.roomName],
    ["identity", p.identity],
    ["name", p.name],
  ];
  if (p.metadata !== "") rows.push(["metadata", p.metadata]);
  if (resolution.roomPreset) rows.push(["room preset", resolution.roomPreset]);
  if (resolution.roomConfig !== undefined) rows.push(...roomConfigRows(resolution.roomConfig));
  if (resolution.media.codecs.length > 0) rows.push(["codecs", resolution.media.codecs.map((c) => `${c.name}/${c.rate}`).join(", ")]);
  const encryption = resolution.media.encryption ?? resolution.mediaEncryption;
  if (encryption !== "SIP_MEDIA_ENCRYPT_DISABLE") rows.push(["encryption", encryption]);
  rows.push(["krisp", resolution.krispEnabled ? "on" : "off"]);
  const width = Math.max(...rows.map(([k]) => k.length), "attributes".length) + 2;
  const lines = [style.bold("Participant")];
  for (const [key, value] of rows) lines.push(`  ${key.padEnd(width)}${value}`);
  const attrs = Object.entries(p.attributes);
  if (attrs.length === 0) lines.push(`  ${"attributes".padEnd(width)}(none)`);
  else {
    const keyWidth = Math.max(...attrs.map(([k]) => k.length)) + 2;
    attrs.forEach(([k, v], i) => lines.push(`  ${(i === 0 ? "attributes" : "").padEnd(width)}${k.padEnd(keyWidth)}${v === "" ? style.dim('""') : v}`));
  }
  return lines;
}

/** One row per agent, then one row of the room settings that differ from LiveKit's defaults. */
export function roomConfigRows(config: RoomConfiguration): [string, string][] {
  const rows: [string, string][] = (config.agents ?? []).map((agent) => ["agent", agentWords(agent)]);
  const settings: string[] = [];
  if (config.name) settings.push(`name ${quote(config.name)}`);
  if (config.emptyTimeout) settings.push(`closes ${config.emptyTimeout} s after it empties`);
  if (config.departureTimeout) settings.push(`closes ${config.departureTimeout} s after the last participant leaves`);
  if (config.maxParticipants) settings.push(`at most ${config.maxParticipants} participants`);
  if (config.minPlayoutDelay || config.maxPlayoutDelay) settings.push(`playout delay ${config.minPlayoutDelay ?? 0}-${config.maxPlayoutDelay ?? 0} ms`);
  if (config.syncStreams) settings.push("streams synchronised");
  if (config.metadata) settings.push(`metadata ${quote(config.metadata)}`);
  const tags = Object.entries(config.tags ?? {});
  if (tags.length > 0) settings.push(`tags ${tags.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  if (config.egress !== undefined) settings.push("egress configured");
  if (settings.length > 0) rows.push(["room settings", settings.join("; ")]);
  if (rows.length === 0) rows.push(["room config", "set, all at LiveKit's defaults"]);
  return rows;
}

/** `billing-agent, metadata "{…}"`; an agent with no name is LiveKit's default agent. */
export function agentWords(agent: RoomAgentDispatch): string {
  const parts = [agent.agentName === "" ? "(no agentName: an agent registered without a name)" : agent.agentName];
  if (agent.metadata) parts.push(`metadata ${quote(agent.metadata)}`);
  if (agent.deployment) parts.push(`deployment ${quote(agent.deployment)}`);
  if (agent.restartPolicy && agent.restartPolicy !== "JRP_ON_FAILURE") parts.push(`restart policy ${agent.restartPolicy}`);
  const attributes = Object.entries(agent.attributes ?? {});
  if (attributes.length > 0) parts.push(`attributes ${attributes.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  return parts.join(", ");
}
