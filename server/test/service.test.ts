import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { compileDispatch, parseDispatchRule, parseInboundTrunk, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "sip-dispatch";
import { createDispatchService, createServer } from "../src/index.js";

// createDispatchService in-process, as a Node SIP server embeds it.

const trunk = (json: unknown): SIPInboundTrunkInfo => {
  const r = parseInboundTrunk(json);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const rule = (json: unknown): SIPDispatchRuleInfo => {
  const r = parseDispatchRule(json);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe("createDispatchService", () => {
  test("a seeded service resolves synchronously, as compileDispatch of the seed does", async () => {
    const trunks = [trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] })];
    const rules = [rule({ sipDispatchRuleId: "SDR_a", rule: { dispatchRuleIndividual: { roomPrefix: "call" } } })];
    const service = await createDispatchService({ seed: { trunks, rules }, randomId: () => "abcdefghijkm" });
    const call = { from: "+15550123", to: "+15550100", callId: "SCL_x" };
    expect(service.resolve(call)).toEqual(compileDispatch(trunks, rules).resolve(call, { randomId: () => "abcdefghijkm" }));
    expect(service.status()).toMatchObject({ store: "memory", stale: false, skipped: [] });
    await service.close();
  });

  test("stored records that conflict (as LiveKit may hold them) are reported once a write rebuilds the checks; the rest keep guarding writes", async () => {
    const trunks = [trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] })];
    const rules = [
      rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "one" } } }),
      rule({ sipDispatchRuleId: "SDR_b", trunkIds: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "two" } } }),
      rule({ sipDispatchRuleId: "SDR_c", trunkIds: ["ST_a"], numbers: ["+15550100"], rule: { dispatchRuleDirect: { roomName: "three" } } }),
    ];
    const lines: string[] = [];
    const service = await createDispatchService({ seed: { trunks, rules }, randomId: () => "abcdefghijkm", log: (l) => lines.push(l) });
    // A write that collides with SDR_c (still checked) is refused; SDR_b (refused by the import) is reported.
    const again = await service.createDispatchRule(rule({ trunkIds: ["ST_a"], numbers: ["+15550100"], rule: { dispatchRuleDirect: { roomName: "four" } } }));
    expect(again).toMatchObject({ ok: false, error: { code: "rule_conflict" } });
    expect(service.status().skipped).toEqual([{ key: "rules", id: "SDR_b", reason: expect.stringContaining("SDR_a") }]);
    expect(lines.some((l) => l.includes("rules/SDR_b"))).toBe(true);
    const open = await service.createDispatchRule(rule({ trunkIds: ["ST_a"], inboundNumbers: ["+15550199"], rule: { dispatchRuleDirect: { roomName: "five" } } }));
    expect(open.ok).toBe(true);
    await service.close();
  });

  test("writes give the store's Results; the dispatcher follows each one", async () => {
    const service = await createDispatchService({ randomId: () => "abcdefghijkm" });
    const created = await service.createInboundTrunk(trunk({ numbers: ["+15550100"] }));
    expect(created).toMatchObject({ ok: true, value: { sipTrunkId: "ST_abcdefghijkm" } });
    const conflict = await service.createInboundTrunk(trunk({ numbers: ["+15550100"] }));
    expect(conflict).toMatchObject({ ok: false, error: { code: "trunk_conflict" } });
    const r = await service.createDispatchRule(rule({ rule: { dispatchRuleDirect: { roomName: "lobby" } } }));
    expect(r.ok).toBe(true);
    expect(service.resolve({ from: "1", to: "+15550100" })).toMatchObject({ result: "accept", roomName: "lobby" });
    expect(service.dispatcher().rules).toHaveLength(1);
    expect(await service.deleteDispatchRule("SDR_abcdefghijkm")).toMatchObject({ ok: true });
    expect(service.resolve({ from: "1", to: "+15550100" })).toMatchObject({ result: "drop" });
    expect(await service.deleteDispatchRule("SDR_abcdefghijkm")).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(service.status().version).toBe(3);
    await service.close();
  });

  test("a seed with Redis is a programmer error", async () => {
    await expect(createDispatchService({ store: { redis: "redis://127.0.0.1:1" }, seed: { trunks: [], rules: [] } })).rejects.toThrow(TypeError);
  });
});

describe("slow clients", () => {
  test("a client that never finishes its headers is disconnected", async () => {
    const service = await createDispatchService();
    const server = createServer(service, { keys: { k: "s" }, headersTimeoutMs: 300, requestTimeoutMs: 300 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // and nothing more
    let answer = "";
    socket.on("data", (d) => (answer += d));
    const closed = await new Promise<boolean>((resolve) => {
      socket.on("close", () => resolve(true));
      setTimeout(() => resolve(false), 5000);
    });
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    server.close();
    await service.close();
  });
});
