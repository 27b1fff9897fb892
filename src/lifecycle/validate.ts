import { SIPDispatchRuleInfoSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { SIPMediaConfigSchema, type SIPMediaConfig } from "../model/media.js";
import { checkModelArgument } from "../parse/model-arguments.js";
import { fail, ok, type DispatchError, type Issue, type Result } from "../model/result.js";
import { INVALID_RULE_MESSAGE } from "../match/rule-conflicts.js";

// Create-time validation, as LiveKit's `SIPDispatchRuleInfo.Validate`,
// `CreateSIPDispatchRuleRequest.Validate` and `SIPInboundTrunkInfo.ValidateResult` run it.
// LiveKit stops at the first problem; we report every problem as an Issue, in LiveKit's order, and
// the first one is the error's code and message (what LiveKit would have answered).

type Path = (string | number)[];

const issue = (path: Path, code: string, message: string): Issue => ({ path, code, message });

/** A failed Result from a non-empty list of issues: the first one speaks for the whole. */
export function failWithIssues(issues: readonly Issue[]): { ok: false; error: DispatchError } {
  const first = issues[0]!;
  return fail(first.code, first.message, [...issues]);
}

// ---------------------------------------------------------------------------------------------
// Character sets of LiveKit's `sip_validation.go`.

const TOKEN = new Array<boolean>(128).fill(false);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = true;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = true;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = true;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = true;

const HEADER_VALUE = new Array<boolean>(128).fill(false);
for (let c = 0x20; c <= 0x7e; c++) HEADER_VALUE[c] = true;
HEADER_VALUE[0x09] = true;

/** Code points as Go's `range` over the UTF-8 form sees them: a lone surrogate becomes U+FFFD. */
function* codePoints(s: string): Generator<number> {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    yield cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
  }
}

/** Length in UTF-8 bytes, which is what Go's `len` counts. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const cp of codePoints(s)) n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  return n;
}

/**
 * `allowedCharacters.Validate`: the first character outside the set, as LiveKit words it
 * (code points in decimal; "explicilty" is LiveKit's spelling).
 */
function characterError(s: string, ascii: readonly boolean[], utf8: boolean): string | undefined {
  for (const cp of codePoints(s)) {
    if (cp >= 128) {
      if (utf8) continue;
      return `char ${cp} out of range, consider explicilty adding utf8 characters`;
    }
    if (!ascii[cp]) return `char ${cp} not allowed`;
  }
  return undefined;
}

/**
 * Header names LiveKit refuses in a trunk's `headers` (lower case): the headers its SIP stack owns,
 * and their compact forms.
 */
export const FORBIDDEN_SIP_HEADER_NAMES: ReadonlySet<string> = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "allow",
  "allow-events",
  "call-id",
  "contact",
  "content-encoding",
  "content-length",
  "content-type",
  "cseq",
  "event",
  "expires",
  "from",
  "max-forwards",
  "record-route",
  "refer-to",
  "reply-to",
  "k",
  "l",
  "m",
  "o",
  "r",
  "t",
  "u",
  "v",
]);

function headerNameError(name: string, restricted: boolean): string | undefined {
  if (name === "") return "header name cannot be empty";
  if (utf8Length(name) > 255) return "header name too long (max 255 characters)";
  const chars = characterError(name, TOKEN, false);
  if (chars !== undefined) return `header name ${name} contains invalid characters: ${chars}`;
  if (restricted && FORBIDDEN_SIP_HEADER_NAMES.has(name.toLowerCase())) return `header name ${name} not supported`;
  return undefined;
}

function headerValueError(name: string, value: string): string | undefined {
  if (value === "") return undefined;
  if (utf8Length(value) > 1024) return `header ${name}: value too long (max 1024 characters)`;
  const chars = characterError(value, HEADER_VALUE, true);
  if (chars !== undefined) return `header ${name}: value: ${chars}`;
  return undefined;
}

/**
 * LiveKit's `ValidateHeaderName`: 1 to 255 bytes of RFC 3261 token characters
 * (`A-Z a-z 0-9 - . ! % * _ + \` ' ~`) and, when `restricted` (the default, as for a trunk's
 * `headers`), not one of {@link FORBIDDEN_SIP_HEADER_NAMES} in any case.
 * Failure code `invalid_header`, with LiveKit's text.
 *
 * @example
 * validateHeaderName("X-Tenant")    // { ok: true, value: "X-Tenant" }
 * validateHeaderName("Contact")     // error "header name Contact not supported"
 * validateHeaderName("Contact", false) // ok: headersToAttributes keys may name any header
 */
export function validateHeaderName(name: string, restricted = true): Result<string> {
  if (typeof name !== "string") throw new TypeError("validateHeaderName: name must be a string");
  const error = headerNameError(name, restricted);
  return error === undefined ? ok(name) : fail("invalid_header", error, [issue([], "invalid_header", error)]);
}

/**
 * LiveKit's `ValidateHeaderValue`: at most 1024 bytes of printable ASCII, tab or UTF-8.
 * LiveKit only warns about a malformed name-addr value (From, To, Contact, ...); so do we, by
 * accepting it. Failure code `invalid_header`.
 */
export function validateHeaderValue(name: string, value: string): Result<string> {
  if (typeof name !== "string" || typeof value !== "string")
    throw new TypeError("validateHeaderValue: name and value must be strings");
  const error = headerValueError(name, value);
  return error === undefined ? ok(value) : fail("invalid_header", error, [issue([], "invalid_header", error)]);
}

// ---------------------------------------------------------------------------------------------
// Media.

const MAX_MEDIA_TIMEOUT_SECONDS = 600;

/** Compares a protojson Duration with LiveKit's bounds: -1 below zero, 1 above 10 min, 0 within. */
function mediaTimeoutRange(text: string): -1 | 0 | 1 | undefined {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (match === null) return undefined;
  const [, minus, whole = "", fraction = ""] = match;
  const seconds = Number(whole);
  const hasFraction = /[1-9]/.test(fraction);
  if (seconds === 0 && !hasFraction) return 0; // "-0s" is zero
  if (minus !== undefined) return -1;
  return seconds > MAX_MEDIA_TIMEOUT_SECONDS || (seconds === MAX_MEDIA_TIMEOUT_SECONDS && hasFraction) ? 1 : 0;
}

/** Problems of a media config, in LiveKit's order (codecs, then timeout), under `path`. */
export function mediaIssues(media: SIPMediaConfig | undefined, path: Path = ["media"]): Issue[] {
  if (media === undefined || media === null) return [];
  const issues: Issue[] = [];
  const bad = (p: Path, message: string): void => void issues.push(issue([...path, ...p], "invalid_media", message));
  (media.codecs ?? []).forEach((codec, i) => {
    const name = codec?.name ?? "";
    if (name === "") bad(["codecs", i, "name"], "missing codec name");
    else if (/[ \t\n\r]/.test(name)) bad(["codecs", i, "name"], "invalid codec name");
    else if (name.includes("/")) bad(["codecs", i, "name"], "codec name must not contain '/'");
  });
  if (media.mediaTimeout !== undefined) {
    const range = mediaTimeoutRange(media.mediaTimeout);
    if (range === undefined) bad(["mediaTimeout"], 'media_timeout must be a protojson Duration such as "10s"');
    else if (range < 0) bad(["mediaTimeout"], "media_timeout must not be negative");
    else if (range > 0) bad(["mediaTimeout"], "media_timeout must not exceed 10m0s");
  }
  return issues;
}

/**
 * LiveKit's `SIPMediaConfig.Validate`: every codec name non-empty, without whitespace and without
 * `/`; `mediaTimeout` between 0 and 10 minutes. An absent config is valid. Failure code
 * `invalid_media`, one issue per problem (paths relative to the config).
 */
export function validateMediaConfig(media: SIPMediaConfig | undefined): Result<SIPMediaConfig | undefined> {
  if (media !== undefined && (typeof media !== "object" || media === null))
    throw new TypeError("validateMediaConfig: media must be a SIPMediaConfig object or undefined");
  if (media !== undefined) checkModelArgument(SIPMediaConfigSchema, media, "validateMediaConfig", "media");
  const issues = mediaIssues(media, []);
  return issues.length === 0 ? ok(media) : failWithIssues(issues);
}

// ---------------------------------------------------------------------------------------------
// Dispatch rules.

const RULE_MEMBERS = ["dispatchRuleDirect", "dispatchRuleIndividual", "dispatchRuleCallee"] as const;

/** The rule-kind problem of a rule, if any: missing, an empty oneof, or (hand-built only) two kinds. */
export function ruleKindIssue(rule: SIPDispatchRuleInfo): Issue | undefined {
  const r = rule.rule;
  if (r === undefined || r === null) return issue(["rule"], "missing_rule", "missing rule");
  const set = RULE_MEMBERS.filter((m) => r[m] !== undefined && r[m] !== null);
  if (set.length === 0) return issue(["rule"], "missing_rule", INVALID_RULE_MESSAGE);
  if (set.length > 1)
    return issue(["rule"], "invalid_rule", `rule must set exactly one of ${RULE_MEMBERS.join(", ")}; it sets ${set.join(" and ")}`);
  return undefined;
}

/** `SIPDispatchRuleInfo.Validate` (a kind and valid media), without the id check. */
export function ruleIssues(rule: SIPDispatchRuleInfo): Issue[] {
  const kind = ruleKindIssue(rule);
  return [...(kind === undefined ? [] : [kind]), ...mediaIssues(rule.media)];
}

/**
 * The create-time checks of a dispatch rule: no id yet (`id_must_be_empty`, "rule id must not be
 * set"), a rule kind (`missing_rule`: "missing rule", or for an empty `rule: {}` wrapper LiveKit's
 * later "unsupported SIP Dispatch Rule: <nil>"), and a valid media config (`invalid_media`).
 * Conflicts with other rules are {@link findDispatchRuleConflicts}' business.
 *
 * Returns the rule itself when it passes; every problem is an issue with its path.
 */
export function validateDispatchRule(rule: SIPDispatchRuleInfo): Result<SIPDispatchRuleInfo> {
  if (typeof rule !== "object" || rule === null) throw new TypeError("validateDispatchRule: rule must be a SIPDispatchRuleInfo object");
  checkModelArgument(SIPDispatchRuleInfoSchema, rule, "validateDispatchRule", "rule");
  const issues: Issue[] = [];
  if ((rule.sipDispatchRuleId ?? "") !== "") issues.push(issue(["sipDispatchRuleId"], "id_must_be_empty", "rule id must not be set"));
  issues.push(...ruleIssues(rule));
  return issues.length === 0 ? ok(rule) : failWithIssues(issues);
}

// ---------------------------------------------------------------------------------------------
// Inbound trunks.

export const SECURITY_MESSAGE =
  "for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers";

const entries = (map: Record<string, string> | undefined): [string, string][] =>
  map === undefined || map === null ? [] : Object.entries(map);

/** `SIPInboundTrunkInfo.ValidateResult`, without the id check, in LiveKit's order. */
export function trunkIssues(trunk: SIPInboundTrunkInfo): Issue[] {
  const issues: Issue[] = [];
  const hasAuth = (trunk.authUsername ?? "") !== "" || (trunk.authPassword ?? "") !== "";
  if (!hasAuth && (trunk.allowedAddresses ?? []).length === 0 && (trunk.numbers ?? []).length === 0)
    issues.push(issue([], "security", SECURITY_MESSAGE));
  issues.push(...mediaIssues(trunk.media));
  for (const [name, value] of entries(trunk.headers)) {
    const nameError = headerNameError(name, true);
    if (nameError !== undefined) {
      issues.push(issue(["headers", name], "invalid_header", `invalid header name: ${nameError}`));
      continue; // LiveKit checks the value only after the name passed
    }
    const valueError = headerValueError(name, value);
    if (valueError !== undefined) issues.push(issue(["headers", name], "invalid_header", `invalid header value for ${name}: ${valueError}`));
  }
  for (const [attribute, header] of entries(trunk.attributesToHeaders)) {
    const error = headerNameError(header, false);
    if (error !== undefined) issues.push(issue(["attributesToHeaders", attribute], "invalid_header", `invalid header name: ${error}`));
  }
  for (const [header] of entries(trunk.headersToAttributes)) {
    const error = headerNameError(header, false);
    if (error !== undefined) issues.push(issue(["headersToAttributes", header], "invalid_header", `invalid header name: ${error}`));
  }
  return issues;
}

/**
 * The create-time checks of an inbound trunk, in LiveKit's order: no id yet (`id_must_be_empty`,
 * "trunk id must not be set"); the security rule (`security`: auth username or password, allowed
 * addresses or numbers); a valid media config (`invalid_media`); `headers` names (token
 * characters, 1-255 bytes, not forbidden) and values (at most 1024 bytes, printable or UTF-8);
 * `attributesToHeaders` values and `headersToAttributes` keys as header names (`invalid_header`).
 * Conflicts with other trunks are {@link findInboundTrunkConflicts}' business.
 *
 * Returns the trunk itself when it passes; every problem is an issue with its path.
 */
export function validateInboundTrunk(trunk: SIPInboundTrunkInfo): Result<SIPInboundTrunkInfo> {
  if (typeof trunk !== "object" || trunk === null)
    throw new TypeError("validateInboundTrunk: trunk must be a SIPInboundTrunkInfo object");
  checkModelArgument(SIPInboundTrunkInfoSchema, trunk, "validateInboundTrunk", "trunk");
  const issues: Issue[] = [];
  if ((trunk.sipTrunkId ?? "") !== "") issues.push(issue(["sipTrunkId"], "id_must_be_empty", "trunk id must not be set"));
  issues.push(...trunkIssues(trunk));
  return issues.length === 0 ? ok(trunk) : failWithIssues(issues);
}
