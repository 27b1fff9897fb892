import { z } from "zod";

// The routing-policy file format read by `sip-dispatch test`: calls, and what must happen to them.

const PartySchema = z.union([
  z.string(),
  z.strictObject({ user: z.string(), host: z.string().optional() }).describe("A SIP party: URI user and host"),
]);

const StringMap = z.record(z.string(), z.string());

export const PolicyCallSchema = z
  .strictObject({
    from: PartySchema.describe("Calling party: the From user, or {user, host}"),
    to: PartySchema.describe("Called party: the To user, or {user, host}"),
    sourceIp: z.string().optional().describe("Signalling source address, without port"),
    pin: z.string().optional().describe("Digits the caller entered (never printed)"),
    noPin: z.boolean().optional().describe("The caller pressed # without digits"),
    headers: StringMap.optional().describe("INVITE headers, for header-derived attributes"),
    trunkId: z.string().optional().describe("Trunk identified by the auth step (LiveKit's fast path)"),
    callId: z.string().optional().describe("LiveKit call id for sip.callID"),
    sipCallId: z.string().optional().describe("The SIP Call-ID header, for sip.callIDFull"),
    extraAttributes: StringMap.optional().describe("Attributes added after the rule's own"),
  })
  .describe("An inbound call, as sip-dispatch's InboundCall");

const ExpectAgentSchema = z
  .strictObject({
    agentName: z.string().optional().describe("The agent's name"),
    metadata: z.string().optional().describe("The job metadata the agent receives"),
    deployment: z.string().optional(),
  })
  .describe("An agent the room configuration must dispatch (the fields given must match)");

export const ExpectRoomConfigSchema = z
  .strictObject({
    agents: z.array(ExpectAgentSchema).optional().describe("Agents that must be dispatched (each must match one agent)"),
    name: z.string().optional(),
    emptyTimeout: z.number().optional(),
    departureTimeout: z.number().optional(),
    maxParticipants: z.number().optional(),
    metadata: z.string().optional(),
    minPlayoutDelay: z.number().optional(),
    maxPlayoutDelay: z.number().optional(),
    syncStreams: z.boolean().optional(),
    tags: StringMap.optional().describe("Tags the room must have, with these values (a subset)"),
  })
  .describe("Room configuration the rule must pass on (a subset check)");

export const PolicyExpectSchema = z
  .strictObject({
    result: z.enum(["accept", "request_pin", "drop", "error"]).describe("The decision"),
    sipOutcome: z
      .enum(["join_room", "prompt_pin", "ignore", "wrong_pin_hangup", "reject"])
      .optional()
      .describe("What LiveKit's SIP service does with the decision"),
    trunkId: z.string().optional().describe('The trunk that took the call ("" for none)'),
    ruleId: z.string().optional().describe("The winning dispatch rule (accept, request_pin)"),
    roomName: z.string().optional().describe('The room; "*" matches any run of characters (the random suffix)'),
    identity: z.string().optional().describe("The participant identity"),
    name: z.string().optional().describe("The participant name"),
    participantName: z.string().optional().describe("The participant name (the same as name)"),
    metadata: z.string().optional().describe("The participant metadata"),
    errorCode: z
      .enum(["trunk_conflict", "default_trunk_conflict", "rule_conflict", "invalid_rule", "invalid_source_ip"])
      .optional()
      .describe("The error code, for result error"),
    attributes: StringMap.optional().describe("Attributes the participant must have, with these values (a subset)"),
    roomConfig: ExpectRoomConfigSchema.optional(),
    krispEnabled: z.boolean().optional().describe("Krisp noise cancellation on the call"),
    mediaEncryption: z
      .enum(["SIP_MEDIA_ENCRYPT_DISABLE", "SIP_MEDIA_ENCRYPT_ALLOW", "SIP_MEDIA_ENCRYPT_REQUIRE"])
      .optional()
      .describe("The media encryption in effect"),
  })
  .describe("What must happen; every field but result is optional");

export const PolicyCaseSchema = z.strictObject({
  name: z.string().optional().describe("Shown when the case fails"),
  call: PolicyCallSchema,
  expect: PolicyExpectSchema,
  strict: z.boolean().optional().describe("Resolve this case in strict mode"),
});

/** The policy file format; `config` is described by `configSchema` (unchecked when validating: the parsers check it). */
export const policySchema = (configSchema: z.ZodType) =>
  z
    .strictObject({
      $schema: z.string().optional(),
      config: z.union([
        z.string().describe("A configuration file, relative to this policy file"),
        z.array(z.string()).describe("Configuration files, relative to this policy file; they add up"),
        configSchema,
      ]),
      strict: z.boolean().optional().describe("Resolve every case in strict mode"),
      cases: z.array(PolicyCaseSchema),
    })
    .describe("A sip-dispatch routing-policy file: calls and what must happen to them. Run with `sip-dispatch test`.");

export type PolicyCase = z.infer<typeof PolicyCaseSchema>;
export type Expect = z.infer<typeof PolicyExpectSchema>;
