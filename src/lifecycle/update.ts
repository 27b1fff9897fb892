import { SIPDispatchRuleInfoSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { applyValidListUpdate, listUpdateIssues } from "./list-update.js";
import { upgradeMedia, type SIPMediaConfig, type SIPMediaEncryption } from "../model/media.js";
import { checkModelArgument } from "../parse/model-arguments.js";
import { ok, type Issue, type Result } from "../model/result.js";
import { SIPDispatchRuleUpdateSchema, SIPInboundTrunkUpdateSchema, type SIPDispatchRuleUpdate, type SIPInboundTrunkUpdate } from "../model/updates.js";
import { failWithIssues, mediaIssues, ruleIssues, trunkIssues } from "./validate.js";

// LiveKit's `update` and `replace` actions (P livekit/sip.go, livekit/types.go), as pure functions
// over copies: the stored value and the request are never mutated, and the result shares no
// object with either.

const clone = <T>(value: T): T => structuredClone(value);

/**
 * LiveKit's media step of an update (`updateMediaConfig`): `media` replaced whole when given, the
 * legacy `mediaEncryption` written when given, then Upgrade (a missing config becomes `{}`, an
 * unset `encryption` takes a non-DISABLE legacy value) and Downgrade (the legacy field mirrors
 * `media.encryption`, or DISABLE).
 */
function updateMedia(
  target: { media?: SIPMediaConfig | undefined; mediaEncryption: SIPMediaEncryption },
  media: SIPMediaConfig | undefined,
  mediaEncryption: SIPMediaEncryption | undefined,
): void {
  if (media !== undefined && media !== null) target.media = clone(media);
  if (mediaEncryption !== undefined && mediaEncryption !== null) target.mediaEncryption = mediaEncryption;
  const upgraded = upgradeMedia(target.media ?? undefined, target.mediaEncryption);
  target.media = upgraded;
  target.mediaEncryption = upgraded.encryption ?? "SIP_MEDIA_ENCRYPT_DISABLE";
}

/**
 * LiveKit's `applyMapDiff`: a non-empty value sets the key, an empty one deletes it, keys not
 * mentioned stay. Built from entries, so a key such as `__proto__` stays an own data property.
 */
function applyMapDiff(map: Record<string, string> | undefined, diff: Record<string, string> | undefined): Record<string, string> | undefined {
  const changes = diff === undefined || diff === null ? [] : Object.entries(diff);
  if (changes.length === 0) return map;
  const out = new Map(Object.entries(map ?? {}));
  for (const [key, value] of changes) {
    if (value !== "") out.set(key, value);
    else out.delete(key);
  }
  return Object.fromEntries(out);
}

/** `SIPDispatchRuleUpdate.Validate`: the `trunkIds` ListUpdate, then the new media config. */
export function dispatchRuleUpdateIssues(update: SIPDispatchRuleUpdate): Issue[] {
  return [
    ...(update.trunkIds === undefined || update.trunkIds === null ? [] : listUpdateIssues(update.trunkIds, ["trunkIds"])),
    ...mediaIssues(update.media),
  ];
}

/**
 * LiveKit's `update` action on a dispatch rule (`SIPDispatchRuleUpdate.Apply`), on a copy.
 *
 * 1. The update is validated: `trunkIds` as a ListUpdate (`invalid_list_update`), `media`
 *    (`invalid_media`).
 * 2. Fields, in LiveKit's order: `trunkIds` (ListUpdate); `rule` replaced whole (kind, room, pin
 *    and flags: no partial merge); `name` and `metadata` set when present, `""` clears them;
 *    `attributes` as a diff (a non-empty value sets, an empty value deletes, other keys stay);
 *    `media` replaced whole; the legacy `mediaEncryption` written.
 * 3. Upgrade, then Downgrade (see the media notes in docs/lifecycle.md): the result always has
 *    `media`, and encryption survives a `media` replacement that leaves it unset, unless the old
 *    value was DISABLE.
 * 4. The result is validated: a rule kind (`missing_rule`), valid media (`invalid_media`).
 *
 * `hidePhoneNumber`, `inboundNumbers`, `numbers`, `roomPreset`, `roomConfig` and `krispEnabled`
 * cannot be changed here; use {@link replaceDispatchRule}. Neither input is mutated.
 */
export function applyDispatchRuleUpdate(rule: SIPDispatchRuleInfo, update: SIPDispatchRuleUpdate): Result<SIPDispatchRuleInfo> {
  if (typeof rule !== "object" || rule === null) throw new TypeError("applyDispatchRuleUpdate: rule must be a SIPDispatchRuleInfo object");
  if (typeof update !== "object" || update === null)
    throw new TypeError("applyDispatchRuleUpdate: update must be a SIPDispatchRuleUpdate object");
  checkModelArgument(SIPDispatchRuleInfoSchema, rule, "applyDispatchRuleUpdate", "rule");
  checkModelArgument(SIPDispatchRuleUpdateSchema, update, "applyDispatchRuleUpdate", "update");
  const problems = dispatchRuleUpdateIssues(update);
  if (problems.length > 0) return failWithIssues(problems);

  const out = clone(rule);
  if (update.trunkIds !== undefined && update.trunkIds !== null) out.trunkIds = applyValidListUpdate(out.trunkIds ?? [], update.trunkIds);
  if (update.rule !== undefined && update.rule !== null) out.rule = clone(update.rule);
  if (update.name !== undefined && update.name !== null) out.name = update.name;
  if (update.metadata !== undefined && update.metadata !== null) out.metadata = update.metadata;
  const attributes = applyMapDiff(out.attributes, update.attributes);
  if (attributes !== undefined) out.attributes = attributes;
  updateMedia(out, update.media, update.mediaEncryption);

  const invalid = ruleIssues(out);
  return invalid.length > 0 ? failWithIssues(invalid) : ok(out);
}

/** `SIPInboundTrunkUpdate.Validate`: `numbers`, `allowedAddresses`, `allowedNumbers`, then media. */
export function inboundTrunkUpdateIssues(update: SIPInboundTrunkUpdate): Issue[] {
  const lists = (["numbers", "allowedAddresses", "allowedNumbers"] as const).flatMap((field) => {
    const list = update[field];
    return list === undefined || list === null ? [] : listUpdateIssues(list, [field]);
  });
  return [...lists, ...mediaIssues(update.media)];
}

/**
 * LiveKit's `update` action on an inbound trunk (`SIPInboundTrunkUpdate.ApplyResult`), on a copy.
 *
 * The update's ListUpdates (`numbers`, `allowedAddresses`, `allowedNumbers`) and media are
 * validated first; then the lists are applied, `authUsername`, `authPassword`, `authRealm`,
 * `name` and `metadata` set when present (`""` clears), `media` replaced whole and the legacy
 * `mediaEncryption` written, followed by Upgrade and Downgrade as for rules. The result must pass
 * the trunk checks of {@link validateInboundTrunk} other than the id (the security rule among
 * them: clearing the last of auth, addresses and numbers fails with `security`).
 *
 * Headers, header mappings, timeouts and krisp cannot be changed here; replace the trunk instead.
 * Neither input is mutated.
 */
export function applyInboundTrunkUpdate(trunk: SIPInboundTrunkInfo, update: SIPInboundTrunkUpdate): Result<SIPInboundTrunkInfo> {
  if (typeof trunk !== "object" || trunk === null) throw new TypeError("applyInboundTrunkUpdate: trunk must be a SIPInboundTrunkInfo object");
  if (typeof update !== "object" || update === null)
    throw new TypeError("applyInboundTrunkUpdate: update must be a SIPInboundTrunkUpdate object");
  checkModelArgument(SIPInboundTrunkInfoSchema, trunk, "applyInboundTrunkUpdate", "trunk");
  checkModelArgument(SIPInboundTrunkUpdateSchema, update, "applyInboundTrunkUpdate", "update");
  const problems = inboundTrunkUpdateIssues(update);
  if (problems.length > 0) return failWithIssues(problems);

  const out = clone(trunk);
  for (const field of ["numbers", "allowedAddresses", "allowedNumbers"] as const) {
    const list = update[field];
    if (list !== undefined && list !== null) out[field] = applyValidListUpdate(out[field] ?? [], list);
  }
  for (const field of ["authUsername", "authPassword", "authRealm", "name", "metadata"] as const) {
    const value = update[field];
    if (value !== undefined && value !== null) out[field] = value;
  }
  updateMedia(out, update.media, update.mediaEncryption);

  const invalid = trunkIssues(out);
  return invalid.length > 0 ? failWithIssues(invalid) : ok(out);
}

/**
 * LiveKit's `replace` action on a dispatch rule: the result is a copy of `replacement` carrying the
 * stored rule's id. The replacement's id must be empty or equal to the stored one (`id_mismatch`,
 * "rule id in the info must be empty or match the id in the update"), and the result must have a
 * kind (`missing_rule`) and valid media (`invalid_media`). Unlike `update`, no media Upgrade
 * happens: `media` may stay absent. Neither input is mutated.
 */
export function replaceDispatchRule(stored: SIPDispatchRuleInfo, replacement: SIPDispatchRuleInfo): Result<SIPDispatchRuleInfo> {
  if (typeof stored !== "object" || stored === null) throw new TypeError("replaceDispatchRule: stored must be a SIPDispatchRuleInfo object");
  if (typeof replacement !== "object" || replacement === null)
    throw new TypeError("replaceDispatchRule: replacement must be a SIPDispatchRuleInfo object");
  checkModelArgument(SIPDispatchRuleInfoSchema, stored, "replaceDispatchRule", "stored");
  checkModelArgument(SIPDispatchRuleInfoSchema, replacement, "replaceDispatchRule", "replacement");
  const storedId = stored.sipDispatchRuleId ?? "";
  const givenId = replacement.sipDispatchRuleId ?? "";
  const issues: Issue[] = [];
  if (givenId !== "" && givenId !== storedId)
    issues.push({ path: ["sipDispatchRuleId"], code: "id_mismatch", message: "rule id in the info must be empty or match the id in the update" });
  const out = clone(replacement);
  if (storedId !== "") out.sipDispatchRuleId = storedId;
  issues.push(...ruleIssues(out));
  return issues.length > 0 ? failWithIssues(issues) : ok(out);
}

/**
 * LiveKit's `replace` action on an inbound trunk: a copy of `replacement` carrying the stored id.
 * The replacement's id must be empty or equal (`id_mismatch`, "trunk id in the info must be empty
 * or match the id in the update"), and the result must pass the trunk checks of
 * {@link validateInboundTrunk} other than the id. No media Upgrade. Neither input is mutated.
 */
export function replaceInboundTrunk(stored: SIPInboundTrunkInfo, replacement: SIPInboundTrunkInfo): Result<SIPInboundTrunkInfo> {
  if (typeof stored !== "object" || stored === null) throw new TypeError("replaceInboundTrunk: stored must be a SIPInboundTrunkInfo object");
  if (typeof replacement !== "object" || replacement === null)
    throw new TypeError("replaceInboundTrunk: replacement must be a SIPInboundTrunkInfo object");
  checkModelArgument(SIPInboundTrunkInfoSchema, stored, "replaceInboundTrunk", "stored");
  checkModelArgument(SIPInboundTrunkInfoSchema, replacement, "replaceInboundTrunk", "replacement");
  const storedId = stored.sipTrunkId ?? "";
  const givenId = replacement.sipTrunkId ?? "";
  const issues: Issue[] = [];
  if (givenId !== "" && givenId !== storedId)
    issues.push({ path: ["sipTrunkId"], code: "id_mismatch", message: "trunk id in the info must be empty or match the id in the update" });
  const out = clone(replacement);
  if (storedId !== "") out.sipTrunkId = storedId;
  issues.push(...trunkIssues(out));
  return issues.length > 0 ? failWithIssues(issues) : ok(out);
}
