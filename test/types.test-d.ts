// Type tests of the public surface (issue 6, item 3), run by `vitest --typecheck`: narrowing a
// Result on `ok` and a DispatchResolution on `result`, the rule kinds, the call and option shapes,
// the trace reasons as literal unions, and no `any` leaking from any export.
import { SIPDispatchRuleInfo as ProtoRule, SIPInboundTrunkInfo as ProtoTrunk } from "@livekit/protocol";
import { describe, expectTypeOf, test } from "vitest";
import type { z } from "zod";
import {
  compileDispatch,
  lintDispatch,
  createDispatchStore,
  parseDispatchRule,
  parseInboundTrunk,
  resolveDispatch,
  validateDispatchRule,
  type DispatchAccept,
  type DispatchDrop,
  type DispatchError,
  type DispatchErrorCode,
  type DispatchFailure,
  type DispatchRequestPin,
  type DispatchResolution,
  type Dispatcher,
  type InboundCall,
  type Issue,
  type ResolveOptions,
  type Result,
  type SIPOutcome,
  type RuleTraceReason,
  type SIPDispatchRule,
  type SIPDispatchRuleCallee,
  type SIPDispatchRuleDirect,
  type SIPDispatchRuleIndividual,
  type SIPDispatchRuleInfo,
  type SIPDispatchRuleInfoSchema,
  type SIPInboundTrunkInfo,
  type SIPMediaConfig,
  type SIPMediaEncryption,
  type SIPParty,
  type TraceEntry,
  type TrunkPassthrough,
  type TrunkTraceReason,
  type ProtocolMessage,
} from "../src/index.js";
import type * as PublicApi from "../src/index.js";

declare const trunks: SIPInboundTrunkInfo[];
declare const rules: SIPDispatchRuleInfo[];
declare const call: InboundCall;

// ---------------------------------------------------------------------------------------------
// Result

describe("Result narrows on ok", () => {
  test("ok: true has value, ok: false has error with issues", () => {
    const parsed = parseDispatchRule({});
    expectTypeOf(parsed).toEqualTypeOf<Result<SIPDispatchRuleInfo>>();
    if (parsed.ok) {
      expectTypeOf(parsed.value).toEqualTypeOf<SIPDispatchRuleInfo>();
      // @ts-expect-error: a success has no error
      void parsed.error;
    } else {
      expectTypeOf(parsed.error).toEqualTypeOf<DispatchError>();
      expectTypeOf(parsed.error.code).toEqualTypeOf<string>();
      expectTypeOf(parsed.error.message).toEqualTypeOf<string>();
      expectTypeOf(parsed.error.issues).toEqualTypeOf<Issue[] | undefined>();
      expectTypeOf<NonNullable<typeof parsed.error.issues>[number]["path"]>().toEqualTypeOf<(string | number)[]>();
      // @ts-expect-error: a failure has no value
      void parsed.value;
    }
  });

  test("before narrowing neither value nor error is reachable", () => {
    const parsed = parseInboundTrunk({});
    // @ts-expect-error: value exists only on ok: true
    void parsed.value;
    // @ts-expect-error: error exists only on ok: false
    void parsed.error;
    expectTypeOf(parsed.ok).toEqualTypeOf<boolean>();
  });

  test("Result's error type is a parameter, DispatchError by default", () => {
    type Custom = Result<number, { reason: "x" }>;
    expectTypeOf<Extract<Custom, { ok: false }>["error"]>().toEqualTypeOf<{ reason: "x" }>();
    expectTypeOf<Extract<Result<number>, { ok: false }>["error"]>().toEqualTypeOf<DispatchError>();
    expectTypeOf<Extract<Result<number>, { ok: true }>["value"]>().toEqualTypeOf<number>();
  });

  test("validation returns the model it was given", () => {
    const valid = validateDispatchRule(rules[0]!);
    if (valid.ok) expectTypeOf(valid.value).toEqualTypeOf<SIPDispatchRuleInfo>();
  });
});

// ---------------------------------------------------------------------------------------------
// DispatchResolution

describe("DispatchResolution narrows on result", () => {
  test("the union and its discriminant", () => {
    const decision = resolveDispatch(call, trunks, rules);
    expectTypeOf(decision).toEqualTypeOf<DispatchResolution>();
    expectTypeOf(decision.result).toEqualTypeOf<"accept" | "request_pin" | "drop" | "error">();
    expectTypeOf(decision.trunkId).toEqualTypeOf<string>();
    expectTypeOf(decision.trace).toEqualTypeOf<TraceEntry[] | undefined>();
    // @ts-expect-error: roomName exists only on accept
    void decision.roomName;
    expectTypeOf(compileDispatch(trunks, rules).resolve(call)).toEqualTypeOf<DispatchResolution>();
  });

  test("accept has roomName and participant", () => {
    const decision = resolveDispatch(call, trunks, rules);
    if (decision.result === "accept") {
      expectTypeOf(decision).toEqualTypeOf<DispatchAccept>();
      expectTypeOf(decision.roomName).toEqualTypeOf<string>();
      expectTypeOf(decision.ruleId).toEqualTypeOf<string>();
      expectTypeOf(decision.participant).toEqualTypeOf<{
        identity: string;
        name: string;
        metadata: string;
        attributes: Record<string, string>;
      }>();
      expectTypeOf(decision.media).toEqualTypeOf<SIPMediaConfig>();
      expectTypeOf(decision.mediaEncryption).toEqualTypeOf<SIPMediaEncryption>();
      expectTypeOf(decision.krispEnabled).toEqualTypeOf<boolean>();
      expectTypeOf(decision.roomPreset).toEqualTypeOf<string | undefined>();
      expectTypeOf(decision.trunk).toEqualTypeOf<TrunkPassthrough | undefined>();
      expectTypeOf<TrunkPassthrough["headersToAttributes"]>().toEqualTypeOf<Record<string, string>>();
      expectTypeOf<TrunkPassthrough["ringingTimeout"]>().toEqualTypeOf<string | undefined>();
    }
  });

  test("request_pin has no roomName", () => {
    const decision = resolveDispatch(call, trunks, rules);
    if (decision.result === "request_pin") {
      expectTypeOf(decision).toEqualTypeOf<DispatchRequestPin>();
      expectTypeOf(decision.ruleId).toEqualTypeOf<string>();
      expectTypeOf(decision.media).toEqualTypeOf<SIPMediaConfig>();
      // @ts-expect-error: no room before the pin is entered
      void decision.roomName;
      // @ts-expect-error: no participant either
      void decision.participant;
      expectTypeOf<DispatchRequestPin>().not.toHaveProperty("roomName");
    }
  });

  test("drop has reason no_rule", () => {
    const decision = resolveDispatch(call, trunks, rules);
    if (decision.result === "drop") {
      expectTypeOf(decision).toEqualTypeOf<DispatchDrop>();
      expectTypeOf(decision.reason).toEqualTypeOf<"no_rule">();
      // @ts-expect-error: a drop names no rule
      void decision.ruleId;
    }
  });

  test("error has sipStatus 503 and the error code union", () => {
    const decision = resolveDispatch(call, trunks, rules);
    if (decision.result === "error") {
      expectTypeOf(decision).toEqualTypeOf<DispatchFailure>();
      expectTypeOf(decision.sipStatus).toEqualTypeOf<503>();
      expectTypeOf(decision.error.code).toEqualTypeOf<DispatchErrorCode>();
      expectTypeOf(decision.error.message).toEqualTypeOf<string>();
      // @ts-expect-error: no roomName on an error
      void decision.roomName;
    }
    expectTypeOf<DispatchErrorCode>().toEqualTypeOf<
      "trunk_conflict" | "default_trunk_conflict" | "rule_conflict" | "invalid_rule" | "invalid_source_ip"
    >();
    // @ts-expect-error: not an error code
    const bad: DispatchErrorCode = "no_rule";
    void bad;
  });

  test("Extract by result finds exactly one member; a switch is exhaustive", () => {
    expectTypeOf<Extract<DispatchResolution, { result: "accept" }>>().toEqualTypeOf<DispatchAccept>();
    expectTypeOf<Extract<DispatchResolution, { result: "request_pin" }>>().toEqualTypeOf<DispatchRequestPin>();
    expectTypeOf<Extract<DispatchResolution, { result: "drop" }>>().toEqualTypeOf<DispatchDrop>();
    expectTypeOf<Extract<DispatchResolution, { result: "error" }>>().toEqualTypeOf<DispatchFailure>();
    const describe = (d: DispatchResolution): string => {
      switch (d.result) {
        case "accept":
          return d.roomName;
        case "request_pin":
          return d.ruleId;
        case "drop":
          return d.reason;
        case "error":
          return d.error.code;
        default:
          expectTypeOf(d).toBeNever();
          return d;
      }
    };
    void describe;
  });

  test("every resolution carries sipOutcome, narrowed by result", () => {
    const decision = resolveDispatch(call, trunks, rules);
    expectTypeOf(decision.sipOutcome).toEqualTypeOf<SIPOutcome>();
    expectTypeOf<SIPOutcome>().toEqualTypeOf<"join_room" | "prompt_pin" | "ignore" | "wrong_pin_hangup" | "reject">();
    expectTypeOf<DispatchAccept["sipOutcome"]>().toEqualTypeOf<"join_room" | "wrong_pin_hangup">();
    expectTypeOf<DispatchRequestPin["sipOutcome"]>().toEqualTypeOf<"prompt_pin">();
    expectTypeOf<DispatchDrop["sipOutcome"]>().toEqualTypeOf<"ignore" | "wrong_pin_hangup">();
    expectTypeOf<DispatchFailure["sipOutcome"]>().toEqualTypeOf<"reject">();
    // @ts-expect-error: a drop is never a join
    const joined: DispatchDrop["sipOutcome"] = "join_room";
    void joined;
  });
});

// ---------------------------------------------------------------------------------------------
// Rule kinds

describe("rule kinds", () => {
  test("SIPDispatchRule is a oneof of three optional members", () => {
    expectTypeOf<SIPDispatchRule>().toEqualTypeOf<{
      dispatchRuleDirect?: SIPDispatchRuleDirect | undefined;
      dispatchRuleIndividual?: SIPDispatchRuleIndividual | undefined;
      dispatchRuleCallee?: SIPDispatchRuleCallee | undefined;
    }>();
    expectTypeOf<SIPDispatchRuleDirect>().toEqualTypeOf<{ roomName: string; pin: string }>();
    expectTypeOf<SIPDispatchRuleIndividual>().toEqualTypeOf<{ roomPrefix: string; pin: string; noRandomness: boolean }>();
    expectTypeOf<SIPDispatchRuleCallee>().toEqualTypeOf<{ roomPrefix: string; pin: string; randomize: boolean }>();
    // @ts-expect-error: Direct has a roomName, not a roomPrefix
    const wrong: SIPDispatchRuleDirect = { roomPrefix: "a", pin: "" };
    void wrong;
    // @ts-expect-error: Individual's flag is noRandomness; randomize belongs to Callee
    const swapped: SIPDispatchRuleIndividual = { roomPrefix: "a", pin: "", randomize: true };
    void swapped;
  });

  test("SIPDispatchRuleInfo fields", () => {
    expectTypeOf<SIPDispatchRuleInfo["sipDispatchRuleId"]>().toEqualTypeOf<string>();
    expectTypeOf<SIPDispatchRuleInfo["rule"]>().toEqualTypeOf<SIPDispatchRule | undefined>();
    expectTypeOf<SIPDispatchRuleInfo["trunkIds"]>().toEqualTypeOf<string[]>();
    expectTypeOf<SIPDispatchRuleInfo["inboundNumbers"]>().toEqualTypeOf<string[]>();
    expectTypeOf<SIPDispatchRuleInfo["numbers"]>().toEqualTypeOf<string[]>();
    expectTypeOf<SIPDispatchRuleInfo["hidePhoneNumber"]>().toEqualTypeOf<boolean>();
    expectTypeOf<SIPDispatchRuleInfo["attributes"]>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<SIPDispatchRuleInfo["mediaEncryption"]>().toEqualTypeOf<
      "SIP_MEDIA_ENCRYPT_DISABLE" | "SIP_MEDIA_ENCRYPT_ALLOW" | "SIP_MEDIA_ENCRYPT_REQUIRE"
    >();
    expectTypeOf<SIPDispatchRuleInfo["media"]>().toEqualTypeOf<SIPMediaConfig | undefined>();
    expectTypeOf<SIPDispatchRuleInfo["createdAt"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SIPDispatchRuleInfo>().toHaveProperty("roomConfig");
    expectTypeOf<SIPDispatchRuleInfo>().toHaveProperty("krispEnabled");
    // The exported type is the schema's inferred type.
    expectTypeOf<z.infer<typeof SIPDispatchRuleInfoSchema>>().toEqualTypeOf<SIPDispatchRuleInfo>();
    // @ts-expect-error: snake_case is an input spelling for the parser, not a model field
    const snake: SIPDispatchRuleInfo["trunk_ids"] = [];
    void snake;
  });

  test("SIPInboundTrunkInfo fields", () => {
    expectTypeOf<SIPInboundTrunkInfo["numbers"]>().toEqualTypeOf<string[]>();
    expectTypeOf<SIPInboundTrunkInfo["headers"]>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<SIPInboundTrunkInfo["includeHeaders"]>().toEqualTypeOf<"SIP_NO_HEADERS" | "SIP_X_HEADERS" | "SIP_ALL_HEADERS">();
    expectTypeOf<SIPInboundTrunkInfo["ringingTimeout"]>().toEqualTypeOf<string | undefined>();
  });
});

// ---------------------------------------------------------------------------------------------
// InboundCall and ResolveOptions

describe("InboundCall and ResolveOptions", () => {
  test("from and to: a string or { user, host? }", () => {
    expectTypeOf<InboundCall["from"]>().toEqualTypeOf<string | SIPParty>();
    expectTypeOf<InboundCall["to"]>().toEqualTypeOf<string | SIPParty>();
    expectTypeOf<SIPParty>().toEqualTypeOf<{ user: string; host?: string }>();
    expectTypeOf({ from: "+15550100", to: "+15550199" }).toExtend<InboundCall>();
    expectTypeOf({ from: { user: "+15550100" }, to: { user: "+15550199", host: "pbx" } }).toExtend<InboundCall>();
    // @ts-expect-error: a party needs a user
    const noUser: InboundCall = { from: { host: "pbx" }, to: "1" };
    // @ts-expect-error: from is required
    const noFrom: InboundCall = { to: "1" };
    // @ts-expect-error: a number is not a party
    const numeric: InboundCall = { from: 15550100, to: "1" };
    void [noUser, noFrom, numeric];
  });

  test("optional call fields", () => {
    expectTypeOf<InboundCall["sourceIp"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<InboundCall["pin"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<InboundCall["noPin"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<InboundCall["headers"]>().toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<InboundCall["extraAttributes"]>().toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<InboundCall["trunkId"]>().toEqualTypeOf<string | undefined>();
  });

  test("ResolveOptions", () => {
    expectTypeOf<ResolveOptions>().toEqualTypeOf<{ randomId?: () => string; trace?: boolean; strict?: boolean }>();
    expectTypeOf(resolveDispatch).parameter(3).toEqualTypeOf<ResolveOptions | undefined>();
    expectTypeOf<Dispatcher["resolve"]>().parameter(1).toEqualTypeOf<ResolveOptions | undefined>();
    // @ts-expect-error: randomId returns a string
    const badRandom: ResolveOptions = { randomId: () => 42 };
    // @ts-expect-error: unknown option
    const unknownOption: ResolveOptions = { tracing: true };
    void [badRandom, unknownOption];
  });

  test("resolveDispatch and compileDispatch parameters", () => {
    expectTypeOf(resolveDispatch).parameter(0).toEqualTypeOf<InboundCall>();
    // Models, or @livekit/protocol messages as SipClient returns them.
    expectTypeOf(resolveDispatch).parameter(1).toEqualTypeOf<readonly (SIPInboundTrunkInfo | ProtocolMessage)[]>();
    expectTypeOf(resolveDispatch).parameter(2).toEqualTypeOf<readonly (SIPDispatchRuleInfo | ProtocolMessage)[]>();
    expectTypeOf(compileDispatch).parameters.toEqualTypeOf<[readonly (SIPInboundTrunkInfo | ProtocolMessage)[], readonly (SIPDispatchRuleInfo | ProtocolMessage)[]]>();
    expectTypeOf(resolveDispatch).toBeCallableWith(call, [ProtoTrunk.fromJson({ sipTrunkId: "ST_a" })], [ProtoRule.fromJson({ sipDispatchRuleId: "SDR_a" })]);
    expectTypeOf(lintDispatch).toBeCallableWith({ trunks: [ProtoTrunk.fromJson({})], rules: rules });
    // @ts-expect-error: a half-written model is neither a model nor a message
    resolveDispatch(call, [{ sipTrunkId: "ST_a" }], rules);
    expectTypeOf(compileDispatch).returns.toEqualTypeOf<Dispatcher>();
    // @ts-expect-error: plain JS misuse is caught at compile time in TS
    resolveDispatch(42, trunks, rules);
  });
});

// ---------------------------------------------------------------------------------------------
// Trace

describe("trace entries", () => {
  test("reasons and verdicts are string-literal unions", () => {
    expectTypeOf<TrunkTraceReason>().toEqualTypeOf<
      | "caller_not_allowed"
      | "address_not_allowed"
      | "number_mismatch"
      | "selected_specific"
      | "selected_default"
      | "default_outranked_by_specific"
      | "fast_path"
    >();
    expectTypeOf<RuleTraceReason>().toEqualTypeOf<
      | "caller_mismatch"
      | "number_mismatch"
      | "pin_required_but_no_pin_mode"
      | "open_rule_after_pin"
      | "pin_mismatch"
      | "trunk_mismatch"
      | "specific_rule_won"
      | "lower_priority"
      | "selected"
    >();
    expectTypeOf<TraceEntry["reason"]>().toEqualTypeOf<TrunkTraceReason | RuleTraceReason>();
    expectTypeOf<TraceEntry["stage"]>().toEqualTypeOf<"trunk" | "rule">();
    expectTypeOf<TraceEntry["verdict"]>().toEqualTypeOf<"selected" | "skipped" | "outranked">();
    expectTypeOf<TraceEntry["detail"]>().toEqualTypeOf<string | undefined>();
    // Literal unions, not widened to string.
    expectTypeOf<string>().not.toExtend<TraceEntry["reason"]>();
    // @ts-expect-error: not a trace reason
    const reason: TraceEntry["reason"] = "because";
    void reason;
  });
});

// ---------------------------------------------------------------------------------------------
// No `any` leaks

type IsAny<T> = 0 extends 1 & T ? true : false;
type AnyFunction = (...args: never[]) => unknown;

/** True when any parameter of `F` is `any` (a rest parameter of `any[]` counts too). */
type HasAnyParameter<F extends AnyFunction> =
  IsAny<Parameters<F>> extends true ? true : true extends { [I in keyof Parameters<F>]: IsAny<Parameters<F>[I]> }[number] ? true : false;

/** True when `T` is `any`, or an object with an `any` property one level down. */
type AnyOrAnyMember<T> =
  IsAny<T> extends true ? true : T extends object ? (true extends { [K in keyof T]-?: IsAny<T[K]> }[keyof T] ? true : false) : false;

/** Why an export leaks `any`, or `never` when it does not. */
type AnyLeak<V> =
  IsAny<V> extends true
    ? "the export itself is any"
    : V extends AnyFunction
      ?
          | (HasAnyParameter<V> extends true ? "a parameter is any" : never)
          | (AnyOrAnyMember<ReturnType<V>> extends true ? "the return type is (or holds) any" : never)
      : never;

/** Every export of a module that leaks `any`, with the reason; `{}` when none does. */
type AnyLeaks<M> = { [K in keyof M as AnyLeak<M[K]> extends never ? never : K]: AnyLeak<M[K]> };

/** The names of a module's function exports. */
type FunctionExports<M> = { [K in keyof M]: M[K] extends AnyFunction ? K : never }[keyof M];

describe("no any leaks", () => {
  test("IsAny detects any and nothing else", () => {
    expectTypeOf<IsAny<any>>().toEqualTypeOf<true>();
    expectTypeOf<IsAny<unknown>>().toEqualTypeOf<false>();
    expectTypeOf<IsAny<never>>().toEqualTypeOf<false>();
    expectTypeOf<IsAny<string>>().toEqualTypeOf<false>();
    // The leak detector itself finds a planted leak.
    type Planted = { good: (x: string) => number; badParam: (x: any) => number; badReturn: () => any; badMember: () => { v: any } };
    expectTypeOf<keyof AnyLeaks<Planted>>().toEqualTypeOf<"badParam" | "badReturn" | "badMember">();
  });

  test("every function export of src/index.ts has typed parameters and return type", () => {
    // Iterates the module's exports, so a new export is checked without touching this test.
    expectTypeOf<AnyLeaks<typeof PublicApi>>().toEqualTypeOf<{}>();
    // The check really covers the API: the resolution and parsing functions are among its keys.
    expectTypeOf<"resolveDispatch" | "compileDispatch" | "parseDispatchRule" | "applyListUpdate">().toExtend<
      FunctionExports<typeof PublicApi>
    >();
  });

  test("the store's and the dispatcher's methods leak no any", () => {
    expectTypeOf<AnyLeaks<ReturnType<typeof createDispatchStore>>>().toEqualTypeOf<{}>();
    expectTypeOf<AnyLeaks<Dispatcher>>().toEqualTypeOf<{}>();
  });

  test("the model types inferred from the schemas are not any", () => {
    type Models = {
      rule: SIPDispatchRuleInfo;
      trunk: SIPInboundTrunkInfo;
      kind: SIPDispatchRule;
      media: SIPMediaConfig;
      update: PublicApi.SIPDispatchRuleUpdate;
      trunkUpdate: PublicApi.SIPInboundTrunkUpdate;
      list: PublicApi.ListUpdate;
      roomConfig: PublicApi.RoomConfiguration;
      agent: PublicApi.RoomAgentDispatch;
      resolution: DispatchResolution;
      call: InboundCall;
      entry: TraceEntry;
    };
    expectTypeOf<{ [K in keyof Models as AnyOrAnyMember<Models[K]> extends true ? K : never]: Models[K] }>().toEqualTypeOf<{}>();
  });
});
