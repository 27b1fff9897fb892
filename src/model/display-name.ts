// How every output names a trunk or rule. Configurations written before creation (the shapes in
// LiveKit's docs) have no ids, and an empty string names nothing: such an entry is named by its
// `name`, else by its position in the list it came from.

/** A trunk or rule as far as naming goes. */
interface Named {
  readonly name?: string;
}

/** How an entry is named: by its id, its `name`, or its position. */
export type DisplayNameSource = "id" | "name" | "position";

export interface DisplayName {
  readonly text: string;
  readonly by: DisplayNameSource;
}

function displayName(id: string | undefined, entry: Named, list: "trunks" | "rules", index: number): DisplayName {
  if (typeof id === "string" && id !== "") return { text: id, by: "id" };
  if (typeof entry.name === "string" && entry.name !== "") return { text: entry.name, by: "name" };
  return { text: `${list}[${index}]`, by: "position" };
}

/** `ST_main`; for a trunk without an id its name, else `trunks[0]`. */
export const trunkDisplayName = (trunk: Named & { readonly sipTrunkId?: string }, index: number): DisplayName =>
  displayName(trunk.sipTrunkId, trunk, "trunks", index);

/** `SDR_main`; for a rule without an id its name, else `rules[2]`. */
export const ruleDisplayName = (rule: Named & { readonly sipDispatchRuleId?: string }, index: number): DisplayName =>
  displayName(rule.sipDispatchRuleId, rule, "rules", index);

/** For a sentence: ids and names quoted (`"SDR_main"`, `"Main line"`), positions bare (`rules[2]`). */
export const quoteDisplayName = (name: DisplayName): string => (name.by === "position" ? name.text : JSON.stringify(name.text));
