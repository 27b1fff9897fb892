import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { applyListUpdate } from "../../src/lifecycle/list-update.js";
import type { ListUpdate } from "../../src/model/updates.js";

const lu = (over: Partial<ListUpdate>): ListUpdate => ({ set: [], add: [], remove: [], clear: false, ...over });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("applyListUpdate: LiveKit's application rules", () => {
  test.each([
    { name: "LiveKit's example: remove first, then add", list: ["a", "b", "c"], update: lu({ add: ["b", "d"], remove: ["c", "e"] }), out: ["a", "b", "d"] },
    { name: "set replaces verbatim, without dedup", list: ["x"], update: lu({ set: ["a", "a"] }), out: ["a", "a"] },
    { name: "clear gives []", list: ["a", "b"], update: lu({ clear: true }), out: [] },
    { name: "clear on an empty list", list: [], update: lu({ clear: true }), out: [] },
    { name: "remove deletes the first occurrence only", list: ["a", "b", "a"], update: lu({ remove: ["a"] }), out: ["b", "a"] },
    { name: "remove of a missing value is ignored", list: ["a"], update: lu({ remove: ["z"] }), out: ["a"] },
    { name: "add dedups within itself", list: [], update: lu({ add: ["a", "a", "b"] }), out: ["a", "b"] },
    { name: "add of a present value is a no-op", list: ["a", "b"], update: lu({ add: ["a"] }), out: ["a", "b"] },
    { name: "remove then add of the same value moves it to the end", list: ["a", "b"], update: lu({ add: ["a"], remove: ["a"] }), out: ["b", "a"] },
    { name: "comparison is exact: no number normalisation", list: ["+1555"], update: lu({ add: ["1555"], remove: ["+1 555"] }), out: ["+1555", "1555"] },
    { name: "remove runs once per value listed", list: ["a", "a", "a"], update: lu({ remove: ["a", "a"] }), out: ["a"] },
  ])("$name", ({ list, update, out }) => {
    const result = applyListUpdate(deepFreeze(list), deepFreeze(update));
    expect(result).toEqual({ ok: true, value: out });
  });

  test("never mutates, and returns a fresh array", () => {
    const list = ["a", "b"];
    const result = applyListUpdate(list, lu({ add: ["c"] }));
    expect(list).toEqual(["a", "b"]);
    expect(result.ok && result.value !== list).toBe(true);
    const same = applyListUpdate(list, lu({ add: ["a"] }));
    expect(same.ok && same.value !== list).toBe(true);
  });
});

describe("applyListUpdate: LiveKit's validation, in order", () => {
  test.each([
    { name: "nothing requested", update: lu({}), message: "unsupported list update operation", paths: [[]] },
    { name: "clear: false alone", update: lu({ clear: false }), message: "unsupported list update operation", paths: [[]] },
    { name: "clear with set", update: lu({ clear: true, set: ["a"] }), message: "cannot clear and change the list at the same time", paths: [["clear"]] },
    { name: "clear with add", update: lu({ clear: true, add: ["a"] }), message: "cannot clear and change the list at the same time", paths: [["clear"]] },
    { name: "clear with remove", update: lu({ clear: true, remove: ["a"] }), message: "cannot clear and change the list at the same time", paths: [["clear"]] },
    {
      name: "clear wins over set-and-add",
      update: lu({ clear: true, set: ["a"], add: ["b"] }),
      message: "cannot clear and change the list at the same time",
      paths: [["clear"]],
    },
    { name: "set with add", update: lu({ set: ["a"], add: ["b"] }), message: "cannot set and change the list at the same time", paths: [["set"]] },
    { name: "set with remove", update: lu({ set: ["a"], remove: ["b"] }), message: "cannot set and change the list at the same time", paths: [["set"]] },
    { name: "empty element in set", update: lu({ set: ["a", ""] }), message: "empty element in the list", paths: [["set", 1]] },
    { name: "empty element in add", update: lu({ add: [""] }), message: "empty element in the list", paths: [["add", 0]] },
    { name: "empty element in remove", update: lu({ remove: ["a", ""] }), message: "empty element in the list", paths: [["remove", 1]] },
    {
      name: "every empty element, set before add before remove",
      update: lu({ add: ["", "x", ""], remove: [""] }),
      message: "empty element in the list",
      paths: [
        ["add", 0],
        ["add", 2],
        ["remove", 0],
      ],
    },
    {
      name: "the shape error comes before empty elements",
      update: lu({ set: [""], add: ["x"] }),
      message: "cannot set and change the list at the same time",
      paths: [["set"], ["set", 0]],
    },
  ])("$name", ({ update, message, paths }) => {
    const result = applyListUpdate(["a"], update);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_list_update");
    expect(result.error.message).toBe(message);
    expect(result.error.issues?.map((i) => i.path)).toEqual(paths);
    expect(result.error.issues?.every((i) => i.code === "invalid_list_update")).toBe(true);
  });

  test("a partial ListUpdate from plain JS is read with defaults", () => {
    expect(applyListUpdate(["a"], { add: ["b"] } as unknown as ListUpdate)).toEqual({ ok: true, value: ["a", "b"] });
  });

  test.each([
    { name: "clear alone", list: ["a"], update: { clear: true }, out: [] },
    { name: "set alone", list: ["a"], update: { set: ["x"] }, out: ["x"] },
    { name: "remove alone", list: ["a", "b"], update: { remove: ["a"] }, out: ["b"] },
    { name: "add alone", list: ["a", "b"], update: { add: ["c"] }, out: ["a", "b", "c"] },
  ])("a partial ListUpdate from plain JS: $name (the absent lists are empty)", ({ list, update, out }) => {
    expect(applyListUpdate(list, update as unknown as ListUpdate)).toEqual({ ok: true, value: out });
  });

  test("wrong argument types throw a TypeError that names the argument", () => {
    const listError = new TypeError("applyListUpdate: list must be an array of strings");
    const updateError = new TypeError("applyListUpdate: update must be a ListUpdate object");
    expect(() => applyListUpdate(42 as unknown as string[], lu({ clear: true }))).toThrow(listError);
    expect(() => applyListUpdate({ length: 0 } as unknown as string[], lu({ clear: true }))).toThrow(listError);
    expect(() => applyListUpdate([], null as unknown as ListUpdate)).toThrow(updateError);
    expect(() => applyListUpdate([], "clear" as unknown as ListUpdate)).toThrow(updateError);
  });

  test("a field of the wrong type throws a TypeError naming the function, the argument and the field, word for word", () => {
    let message = "no error";
    try {
      applyListUpdate([], { add: "a" } as unknown as ListUpdate);
    } catch (error) {
      message = error instanceof TypeError ? error.message : String(error);
    }
    expect(message).toBe("applyListUpdate: update must be a ListUpdate object: ListUpdate.add: expected an array, got a string");
  });
});

describe("applyListUpdate: laws", () => {
  const element = fc.constantFrom<string>("a", "b", "c", "d", "+1555", "1555");
  const list = fc.array(element, { maxLength: 6 });
  const nonEmpty = fc.array(element, { minLength: 1, maxLength: 6 });

  test.prop([list, nonEmpty])("set then read gives the set", (l, s) => {
    expect(applyListUpdate(l, lu({ set: s }))).toEqual({ ok: true, value: s });
  });

  test.prop([list, nonEmpty])("add is idempotent", (l, a) => {
    const once = applyListUpdate(l, lu({ add: a }));
    expect(once.ok).toBe(true);
    if (!once.ok) return;
    expect(applyListUpdate(once.value, lu({ add: a }))).toEqual(once);
  });

  test.prop([list, element])("remove of an added absent element restores the list", (l, x) => {
    fc.pre(!l.includes(x));
    const added = applyListUpdate(l, lu({ add: [x] }));
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(applyListUpdate(added.value, lu({ remove: [x] }))).toEqual({ ok: true, value: l });
  });

  test.prop([list])("clear gives []", (l) => {
    expect(applyListUpdate(l, lu({ clear: true }))).toEqual({ ok: true, value: [] });
  });

  test.prop([list, list, list])("remove then add: no added value is missing, no value appears that was not there or added", (l, add, remove) => {
    fc.pre(add.length + remove.length > 0);
    const result = applyListUpdate(l, lu({ add, remove }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    for (const a of add) expect(result.value).toContain(a);
    for (const v of result.value) expect(l.includes(v) || add.includes(v)).toBe(true);
  });

  const maybeEmpty = fc.array(fc.constantFrom("a", "b", ""), { maxLength: 3 });
  const invalid = fc.oneof(
    fc.constant(lu({})),
    fc
      .record({ set: maybeEmpty, add: maybeEmpty, remove: maybeEmpty })
      .filter((u) => u.set.length + u.add.length + u.remove.length > 0)
      .map((u) => lu({ ...u, clear: true })),
    fc
      .record({ set: fc.array(fc.constantFrom("a", ""), { minLength: 1, maxLength: 3 }), add: maybeEmpty, remove: maybeEmpty })
      .filter((u) => u.add.length + u.remove.length > 0)
      .map((u) => lu(u)),
    fc
      .record({ set: maybeEmpty, add: maybeEmpty, remove: maybeEmpty })
      .filter((u) => [...u.set, ...u.add, ...u.remove].includes(""))
      .map((u) => lu(u)),
  );

  test.prop([list, invalid])("invalid combinations are always rejected", (l, update) => {
    const result = applyListUpdate(l, update);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("invalid_list_update");
  });
});
