// Lint checks about inbound trunks: address allowlists, half-configured digest auth, and what
// LiveKit's create-time validation rejects (also for rules, which share the reporting).
import { addressAllowed, isValidAddressMask, parseIp, parsePrefix } from "../match/address.js";
import {
  addressInside,
  callsVia,
  distinct,
  finding,
  findWitness,
  hostOnlyEntries,
  ipOutside,
  originsFor,
  q,
  quoteList,
  type Finding,
  type LintContext,
} from "./context.js";
import type { InboundCall } from "../model/resolution.js";
import type { Issue } from "../model/result.js";
import type { PreparedTrunk } from "../match/trunk-match.js";
import { ruleIssues, trunkIssues } from "../lifecycle/validate.js";

type EntryKind = "dropped" | "empty" | "ip" | "prefix" | "bad-prefix" | "bracketed" | "with-port" | "host" | "junk";

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DNS-style host name with at least one letter (an all-digit dotted string is a failed IPv4 address). */
function plausibleHost(s: string): boolean {
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  return name.length > 0 && name.length <= 253 && name.split(".").every((l) => LABEL.test(l)) && /[A-Za-z]/.test(name) && !/^[0-9A-Fa-f:]+$/.test(name);
}

/** The address an entry with a port (`10.0.0.1:5060`, `[2001:db8::1]:5060`) names, if it is one. */
function withoutPort(entry: string): string | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):\d{1,5}$/.exec(entry);
  const address = m?.[1] ?? m?.[2];
  return address !== undefined && parseIp(address) !== undefined ? address : undefined;
}

function classify(entry: string): EntryKind {
  if (!isValidAddressMask(entry)) return "dropped";
  if (entry === "") return "empty";
  if (entry.includes("/")) return parsePrefix(entry) !== undefined ? "prefix" : "bad-prefix";
  if (parseIp(entry) !== undefined) return "ip";
  if (/^\[[^\]]*\]$/.test(entry) && parseIp(entry.slice(1, -1)) !== undefined) return "bracketed";
  if (withoutPort(entry) !== undefined) return "with-port";
  return plausibleHost(entry) ? "host" : "junk";
}

/** The IP addresses an unusable entry seems to mean: `"1.2.3.4, 5.6.7.8"` means both. */
function intendedAddresses(entry: string, kind: EntryKind): string[] {
  if (kind === "bracketed") return [entry.slice(1, -1)];
  if (kind === "with-port") return [withoutPort(entry)!];
  if (kind !== "dropped") return [];
  const tokens = entry.split(/:\/\/|[\s,;()+*]+/).filter((t) => t !== "");
  return tokens.flatMap((t) => (parseIp(t) !== undefined ? [t] : t.includes("/") ? (addressInside(t) ?? []) : (withoutPort(t) ?? [])));
}

const DROP_REASON = (entry: string): string => {
  if (entry.includes("://")) return `contains "://"`;
  const ch = /[()+*;, \t\n\r]/.exec(entry)?.[0] ?? "";
  const names: Record<string, string> = { " ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break", ",": "a comma", ";": "a semicolon" };
  return `contains ${names[ch] ?? q(ch)}`;
};

function entryProblem(entry: string, kind: EntryKind): string {
  switch (kind) {
    case "dropped":
      return `${DROP_REASON(entry)}, so LiveKit silently drops it and admits nobody through it`;
    case "empty":
      return "is empty; it only matches calls whose From header has no host";
    case "bad-prefix":
      return "is not a valid CIDR prefix (the length must be 0-32 for IPv4 or 0-128 for IPv6, without leading zeros), so no source address ever matches it";
    case "bracketed":
      return "is in brackets, so LiveKit never reads it as an IP address; it only compares it with the From host, which the caller writes";
    case "with-port":
      return "carries a port, so LiveKit never reads it as an IP address (allowedAddresses has no ports)";
    default:
      return "is neither an IP address, a CIDR prefix nor a host name, so no source address ever matches it";
  }
}

/** A call that `trunk` takes from one of its admitted origins but not from `ip`, which it meant to admit. */
function rejectedIntendedWitness(ctx: LintContext, trunk: PreparedTrunk, ips: readonly string[]): InboundCall | undefined {
  const admitted = originsFor(trunk).find((o) => o.host === "");
  const missing = ips.filter((ip) => !addressAllowed(trunk.addresses, parseIp(ip), "", false));
  if (admitted === undefined || missing.length === 0) return undefined;
  return findWitness(
    ctx,
    callsVia(ctx, trunk, { origins: missing.map((ip) => ({ ip, host: "" })) }),
    (r, call) => r.trunkId !== trunk.id && ctx.resolve({ ...call, sourceIp: admitted.ip }).trunkId === trunk.id,
  );
}

function addressFindings(ctx: LintContext, trunk: PreparedTrunk): Finding[] {
  const entries = trunk.trunk.allowedAddresses ?? [];
  if (entries.length === 0 || trunk.addresses === undefined) return [];
  const out: Finding[] = [];
  const about = ctx.subjects({ trunks: [trunk] });
  if (!trunk.addresses.anyValid) {
    const witness = findWitness(ctx, callsVia(ctx, trunk), (r) => r.result !== "error" && r.trunkId === trunk.id);
    const fixes = distinct(entries.flatMap((e) => intendedAddresses(e, "dropped")));
    out.push(
      finding(
        "allowlist-bypassed",
        "error",
        `Trunk ${ctx.trunkName(trunk)} restricts allowedAddresses to ${quoteList(entries)}, but ${entries.length > 1 ? "every entry contains" : "the entry contains"} ` +
          `a character LiveKit rejects (space, comma, semicolon, parenthesis, "+", "*" or "://"), so LiveKit drops them all and then ` +
          `admits calls from every address. Fix: one IP address or CIDR prefix per entry` +
          (fixes.length > 0 ? `, e.g. ${quoteList(fixes)}.` : "."),
        { ...about, witness },
      ),
    );
    return out;
  }
  for (const entry of distinct(entries)) {
    const kind = classify(entry);
    if (kind === "ip" || kind === "prefix" || kind === "host") continue;
    const intended = intendedAddresses(entry, kind);
    const fix =
      kind === "empty"
        ? "remove it"
        : intended.length > 0
          ? `write ${intended.length > 1 ? "one entry per address: " : ""}${quoteList(intended)}`
          : "write an IP address (203.0.113.7) or a CIDR prefix (203.0.113.0/24)";
    out.push(
      finding("invalid-address", "warning", `Trunk ${ctx.trunkName(trunk)} allowedAddresses entry ${q(entry)} ${entryProblem(entry, kind)}. Fix: ${fix}.`, {
        ...about,
        witness: rejectedIntendedWitness(ctx, trunk, intended),
      }),
    );
  }
  const hosts = hostOnlyEntries(trunk).filter((e) => classify(e) === "host");
  const outside = ipOutside(trunk.addresses);
  if (hosts.length > 0 && outside !== undefined) {
    const witness = findWitness(
      ctx,
      callsVia(ctx, trunk, { origins: hosts.map((host) => ({ ip: outside, host })) }),
      (r, call) =>
        r.result !== "error" &&
        r.trunkId === trunk.id &&
        ctx.resolve({ ...call, from: typeof call.from === "string" ? call.from : call.from.user }).trunkId !== trunk.id,
    );
    out.push(
      finding(
        "allowlist-bypassed",
        "warning",
        `Trunk ${ctx.trunkName(trunk)} allowedAddresses lists host name${hosts.length > 1 ? "s" : ""} ${quoteList(hosts)}. LiveKit does not ` +
          `resolve names: it admits any call whose From header carries that host, and the caller writes the From header, so anyone ` +
          `can pass this entry from any address. Fix: list your carrier's IP addresses or CIDR prefixes instead, and set ` +
          `authUsername and authPassword if you need more than an address check.`,
        { ...about, witness },
      ),
    );
  }
  return out;
}

function authFinding(ctx: LintContext, trunk: PreparedTrunk): Finding | undefined {
  const user = (trunk.trunk.authUsername ?? "") !== "";
  const password = (trunk.trunk.authPassword ?? "") !== "";
  if (user === password) return undefined;
  const open = (trunk.trunk.allowedAddresses ?? []).length === 0 && (trunk.trunk.allowedNumbers ?? []).length === 0;
  return finding(
    "auth-half-configured",
    "error",
    `Trunk ${ctx.trunkName(trunk)} sets ${user ? "authUsername but no authPassword" : "authPassword but no authUsername"}. LiveKit's ` +
      `create-time check accepts either one alone, but it asks for digest credentials only when both are set, so this trunk ` +
      `takes calls without authentication` +
      (open ? `, and nothing else (allowedAddresses, allowedNumbers) limits who can call it` : "") +
      `. Fix: set both authUsername and authPassword, or clear the one that is set.`,
    ctx.subjects({ trunks: [trunk] }),
  );
}

const FIX_BY_ISSUE: Record<string, string> = {
  security: "set numbers, allowedAddresses, or both authUsername and authPassword",
  invalid_media: "correct the media settings named (codec names without spaces or '/', mediaTimeout between 0s and 10m)",
  invalid_header: "use header names made of token characters, not one LiveKit reserves (From, Contact, Call-ID, ...), and values of printable text up to 1024 bytes",
  invalid_rule: "keep exactly one rule kind",
};

function describeIssues(issues: readonly Issue[]): { problems: string; fixes: string } {
  const problems = issues.map((i) => (i.path.length === 0 ? i.message : `${i.path.join(".")}: ${i.message}`)).join("; ");
  const fixes = distinct(issues.map((i) => FIX_BY_ISSUE[i.code] ?? "correct the fields named")).join("; ");
  return { problems, fixes };
}

export function trunkFindings(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const trunk of ctx.trunks) {
    out.push(...addressFindings(ctx, trunk));
    const auth = authFinding(ctx, trunk);
    if (auth !== undefined) out.push(auth);
    const issues = trunkIssues(trunk.trunk);
    if (issues.length > 0) {
      const { problems, fixes } = describeIssues(issues);
      out.push(
        finding("invalid-trunk", "error", `LiveKit rejects inbound trunk ${ctx.trunkName(trunk)} when it is created or updated: ${problems}. Fix: ${fixes}.`, {
          ...ctx.subjects({ trunks: [trunk] }),
        }),
      );
    }
  }
  for (const rule of ctx.rules) {
    const issues = ruleIssues(rule.rule).filter((i) => i.code !== "missing_rule"); // kindless-rule reports those
    if (issues.length === 0) continue;
    const { problems, fixes } = describeIssues(issues);
    out.push(
      finding("invalid-rule", "error", `LiveKit rejects dispatch rule ${ctx.ruleName(rule)} when it is created or updated: ${problems}. Fix: ${fixes}.`, {
        ...ctx.subjects({ rules: [rule] }),
      }),
    );
  }
  return out;
}
