// The persistent parts behind Dispatcher.update, against plain models: a sharded map against a Map,
// a chunked id-ordered list against a stably sorted array. Sizes reach several shards and chunks,
// and every older version must read as it did.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareBytes } from "../../src/match/rule-match.js";
import { ShardedMap } from "../../src/resolve/sharded-map.js";
import { SortedChunks } from "../../src/resolve/sorted-chunks.js";

const RUNS = { numRuns: Number(process.env.FC_UPDATE_RUNS ?? 60) };
const keyArb = fc.oneof(fc.integer({ min: 0, max: 3000 }).map((n) => `+1555${n}`), fc.string({ maxLength: 3 }));

describe("ShardedMap", () => {
  it("reads as a Map after any edits, and every earlier version still reads as it did", () => {
    const opArb = fc.array(fc.tuple(fc.boolean(), keyArb, fc.integer()), { maxLength: 400, size: "max" });
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 1500, size: "max" }), fc.array(opArb, { maxLength: 6 }), (initial, batches) => {
        let map = ShardedMap.from(initial, initial.length);
        let model = new Map(initial);
        const versions: [ShardedMap<number>, Map<string, number>][] = [[map, new Map(model)]];
        for (const batch of batches) {
          map = map.with((editor) => {
            for (const [remove, key, value] of batch) {
              if (remove) editor.delete(key);
              else editor.set(key, value);
              expect(editor.get(key)).toBe(remove ? undefined : value);
            }
          });
          for (const [remove, key, value] of batch) {
            if (remove) model.delete(key);
            else model.set(key, value);
          }
          versions.push([map, new Map(model)]);
          model = new Map(model);
        }
        for (const [version, expected] of versions) {
          expect(version.size).toBe(expected.size);
          expect(new Map(version.entries())).toEqual(expected);
          // Every key through get: a lookup must hash to the shard the key was put in.
          for (const [key, value] of expected) expect(version.get(key)).toBe(value);
          for (const [key] of batches.flat().slice(0, 50).map(([, k]) => [k])) expect(version.get(key!)).toBe(expected.get(key!));
        }
      }),
      RUNS,
    );
  });
  it("built in place or from entries, for any size hint, reads as a Map", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 300 }), fc.nat({ max: 5000 }), (entries, sizeHint) => {
        const expected = new Map(entries);
        const built = ShardedMap.build<number>(sizeHint, (shardOf) => {
          for (const [key, value] of entries) shardOf(key).set(key, value);
        });
        for (const map of [built, ShardedMap.from(entries, sizeHint)]) {
          expect(map.size).toBe(expected.size);
          for (const [key, value] of expected) expect(map.get(key)).toBe(value);
          expect(map.get("absent key")).toBeUndefined();
        }
      }),
      RUNS,
    );
  });
});

interface Item {
  id: string;
  n: number;
}

const sorted = (items: readonly Item[]): Item[] => [...items].sort((a, b) => compareBytes(a.id, b.id));

describe("SortedChunks", () => {
  it("edits as filter-then-append-then-stable-sort, keeping equal ids in order, and old versions unchanged", () => {
    const idArb = fc.integer({ min: 0, max: 900 }).map((n) => `ID_${n}`);
    const editArb = fc.record({
      removed: fc.array(idArb, { maxLength: 30 }),
      added: fc.array(fc.tuple(idArb, fc.integer()), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(fc.array(idArb, { maxLength: 2000, size: "max" }), fc.array(editArb, { maxLength: 5 }), (ids, edits) => {
        let list = SortedChunks.fromSorted(sorted(ids.map((id, n) => ({ id, n }))), (item: Item) => item.id);
        let model = list.toArray().slice();
        const versions: [SortedChunks<Item>, Item[]][] = [[list, model]];
        for (const edit of edits) {
          const added = edit.added.map(([id, n]) => ({ id, n }));
          const removed = new Set([...edit.removed, ...added.map((item) => item.id)]);
          list = list.edit(removed, added);
          model = sorted(model.filter((item) => !removed.has(item.id)).concat(added));
          versions.push([list, model]);
        }
        for (const [version, expected] of versions) expect(version.toArray()).toEqual(expected);
      }),
      RUNS,
    );
  });

  const byId = (item: Item): string => item.id;
  const items = (ids: readonly string[]): Item[] => ids.map((id, n) => ({ id, n }));
  const padded = (n: number): string => `ID_${String(n).padStart(4, "0")}`;

  it.each([0, 256, 512])("a list of %i entries (whole chunks): the last id removed, then found by id", (size) => {
    const all = items(Array.from({ length: size }, (_, n) => padded(n)));
    const list = SortedChunks.fromSorted(all, byId);
    const last = padded(size - 1);
    const edited = list.edit(new Set([last]), []);
    expect(edited.toArray()).toEqual(all.filter((item) => item.id !== last));
    expect(edited.withId(last)).toEqual([]);
    expect(list.withId(last)).toEqual(all.filter((item) => item.id === last));
  });

  it("entries with one id that run across a chunk boundary are all removed, and all found", () => {
    // 255 distinct ids, then three entries with one id: chunk 0 ends and chunk 1 starts with it.
    const all = items([...Array.from({ length: 255 }, (_, n) => padded(n)), "ID_9999", "ID_9999", "ID_9999"]);
    const list = SortedChunks.fromSorted(all, byId);
    expect(list.withId("ID_9999").map((item) => item.n)).toEqual([255, 256, 257]);
    expect(list.edit(new Set(["ID_9999"]), []).toArray()).toEqual(all.slice(0, 255));
  });
});
