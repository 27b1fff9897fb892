import * as z from "zod/mini";
import { OpaqueMessageSchema, Uint32Schema } from "./protojson-scalars.js";

/** `livekit.JobRestartPolicy` (cloud only). */
export const JobRestartPolicySchema = z.enum(["JRP_ON_FAILURE", "JRP_NEVER"]);
/** What LiveKit Cloud does when a dispatched agent fails (`JRP_ON_FAILURE` or `JRP_NEVER`). */
export type JobRestartPolicy = z.infer<typeof JobRestartPolicySchema>;

/** `livekit.RoomAgentDispatch`: an agent to dispatch into the room. */
export const RoomAgentDispatchSchema = z.strictObject({
  agentName: z.string(),
  metadata: z.string(),
  restartPolicy: JobRestartPolicySchema,
  deployment: z.string(),
  attributes: z.record(z.string(), z.string()),
});
/** An agent dispatched into the room the caller joins. */
export type RoomAgentDispatch = z.infer<typeof RoomAgentDispatchSchema>;

/**
 * `livekit.RoomConfiguration`. The dispatch logic never reads it: it is copied from the rule
 * into the participant's join token. `egress` is carried as an opaque object.
 */
export const RoomConfigurationSchema = z.strictObject({
  name: z.string(),
  emptyTimeout: Uint32Schema,
  departureTimeout: Uint32Schema,
  maxParticipants: Uint32Schema,
  metadata: z.string(),
  egress: z.optional(OpaqueMessageSchema),
  minPlayoutDelay: Uint32Schema,
  maxPlayoutDelay: Uint32Schema,
  syncStreams: z.boolean(),
  agents: z.array(RoomAgentDispatchSchema),
  tags: z.record(z.string(), z.string()),
});
/** Room settings a rule passes into the caller's join token; dispatch itself never reads them. */
export type RoomConfiguration = z.infer<typeof RoomConfigurationSchema>;
