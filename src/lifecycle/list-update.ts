import { checkModelArgument } from "../parse/model-arguments.js";
import { fail, ok, type DispatchError, type Issue, type Result } from "../model/result.js";
import { ListUpdateSchema, type ListUpdate } from "../model/updates.js";

type Path = (string | number)[];

/**
 * The problems of a ListUpdate, in LiveKit's order (`ListUpdate.Validate`): first the one shape
 * error that applies (nothing requested; `clear` with changes; `set` with `add`/`remove`), then
 * every empty element of `set`, `add` and `remove`. Paths are under `path`.
 */
export function listUpdateIssues(update: ListUpdate, path: Path = []): Issue[] {
  const set = update.set ?? [];
  const add = update.add ?? [];
  const remove = update.remove ?? [];
  const clear = update.clear === true;
  const change = set.length + add.length + remove.length > 0;
  const issues: Issue[] = [];
  const bad = (p: Path, message: string): void => void issues.push({ path: [...path, ...p], code: "invalid_list_update", message });
  if (!clear && !change) bad([], "unsupported list update operation");
  else if (clear && change) bad(["clear"], "cannot clear and change the list at the same time");
  else if (set.length > 0 && add.length + remove.length > 0) bad(["set"], "cannot set and change the list at the same time");
  for (const [field, list] of [
    ["set", set],
    ["add", add],
    ["remove", remove],
  ] as const)
    list.forEach((value, i) => {
      if (value === "") bad([field, i], "empty element in the list");
    });
  return issues;
}

/** Applies a ListUpdate that passed {@link listUpdateIssues}. Returns a new array. */
export function applyValidListUpdate(list: readonly string[], update: ListUpdate): string[] {
  if (update.clear === true) return [];
  const set = update.set ?? [];
  if (set.length > 0) return [...set];
  const out = [...list];
  for (const value of update.remove ?? []) {
    const i = out.indexOf(value);
    if (i >= 0) out.splice(i, 1);
  }
  for (const value of update.add ?? []) if (!out.includes(value)) out.push(value);
  return out;
}

/**
 * LiveKit's `ListUpdate.Apply`. Validation first, in LiveKit's order and words (code
 * `invalid_list_update`):
 * 1. nothing requested: "unsupported list update operation";
 * 2. `clear` with `set`/`add`/`remove`: "cannot clear and change the list at the same time";
 * 3. `set` with `add`/`remove`: "cannot set and change the list at the same time";
 * 4. an empty string anywhere: "empty element in the list" (one issue per element).
 *
 * Then: `clear` gives `[]`; a non-empty `set` replaces the list verbatim (no dedup); otherwise each
 * `remove` value deletes its first occurrence (absent values are ignored), and then each `add`
 * value is appended unless already present. Comparison is exact. The input is not mutated.
 *
 * @example
 * applyListUpdate(["a", "b", "c"], { set: [], add: ["b", "d"], remove: ["c", "e"], clear: false })
 * // { ok: true, value: ["a", "b", "d"] }
 */
export function applyListUpdate(list: readonly string[], update: ListUpdate): Result<string[]> {
  if (!Array.isArray(list)) throw new TypeError("applyListUpdate: list must be an array of strings");
  if (typeof update !== "object" || update === null) throw new TypeError("applyListUpdate: update must be a ListUpdate object");
  checkModelArgument(ListUpdateSchema, update, "applyListUpdate", "update");
  const issues = listUpdateIssues(update);
  if (issues.length > 0) return failList(issues);
  return ok(applyValidListUpdate(list, update));
}

function failList(issues: Issue[]): { ok: false; error: DispatchError } {
  return fail("invalid_list_update", issues[0]!.message, issues);
}
