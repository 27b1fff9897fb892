import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Redis } from "ioredis";
import { SIPDispatchRule, SIPDispatchRuleInfo, SIPInboundTrunkInfo, SIPTrunkInfo } from "@livekit/protocol";
import { parseInboundTrunk } from "sip-dispatch";
import { createDispatchService } from "../src/index.js";
import { failure, startServer, token, type Running } from "./helpers.js";
import { startRedis, type RedisProcess } from "./redis-helpers.js";

// The Redis store against a real redis-server, in LiveKit's layout (livekit/livekit
// pkg/service/redisstore_sip.go): hashes of protobuf binaries keyed by id.

const POLL_MS = 100;
let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.dispose();
});

const until = async (check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

const resolveVia = async (s: Running, to: string, from = "+15550123") => {
  const res = await fetch(`${s.url}/v1/resolve?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${await token({ call: true })}` } });
  return (await res.json()) as { result: string; trunkId?: string; ruleId?: string; roomName?: string };
};

describe("LiveKit's layout", () => {
  test("records written as LiveKit writes them are served; what this server writes is what LiveKit reads", async () => {
    await redis.client.flushall();
    const trunk = new SIPInboundTrunkInfo({ sipTrunkId: "ST_livekit00001", name: "lk", numbers: ["+15550100"] });
    const legacy = new SIPTrunkInfo({ sipTrunkId: "ST_legacy000001", outboundNumber: "+15550200", inboundAddresses: ["192.0.2.1"] });
    // LiveKit's AsInbound drops inboundNumbersRegex: the trunk admits every caller.
    const legacyRegex = new SIPTrunkInfo({ sipTrunkId: "ST_legacyregex1", outboundNumber: "+15550300", inboundNumbersRegex: ["^\\+1999"] });
    const rule = new SIPDispatchRuleInfo({
      sipDispatchRuleId: "SDR_livekit0001",
      trunkIds: ["ST_livekit00001", "ST_legacy000001", "ST_legacyregex1"],
      rule: new SIPDispatchRule({ rule: { case: "dispatchRuleDirect", value: { roomName: "from-livekit", pin: "" } } }),
    });
    await redis.client.hset("sip_inbound_trunk", trunk.sipTrunkId, Buffer.from(trunk.toBinary()));
    await redis.client.hset("sip_trunk", legacy.sipTrunkId, Buffer.from(legacy.toBinary()));
    await redis.client.hset("sip_trunk", legacyRegex.sipTrunkId, Buffer.from(legacyRegex.toBinary()));
    await redis.client.hset("sip_dispatch_rule", rule.sipDispatchRuleId, Buffer.from(rule.toBinary()));
    const s = await startServer({ store: { redis: redis.url }, pollMs: POLL_MS });
    try {
      expect(await resolveVia(s, "+15550100")).toMatchObject({ result: "accept", trunkId: "ST_livekit00001", ruleId: "SDR_livekit0001", roomName: "from-livekit" });
      expect(await fetch(`${s.url}/v1/resolve?from=1&to=%2B15550200&ip=192.0.2.1`, { headers: { authorization: `Bearer ${await token({ call: true })}` } }).then((r) => r.json())).toMatchObject({
        result: "accept",
        trunkId: "ST_legacy000001",
      });
      expect(await resolveVia(s, "+15550300", "+15550123")).toMatchObject({ result: "accept", trunkId: "ST_legacyregex1", roomName: "from-livekit" });
      expect((await s.sip.listSipInboundTrunk()).map((t) => t.sipTrunkId)).toEqual(["ST_legacy000001", "ST_legacyregex1", "ST_livekit00001"]);
      const created = await s.sip.createSipDispatchRule({ type: "individual", roomPrefix: "new" }, { trunkIds: ["ST_other"] });
      const stored = await redis.client.hgetBuffer("sip_dispatch_rule", created.sipDispatchRuleId);
      expect(SIPDispatchRuleInfo.fromBinary(stored!).equals(created)).toBe(true);
    } finally {
      await s.close();
    }
  });

  test("an undecodable record is skipped and reported; the rest serve", async () => {
    await redis.client.flushall();
    const trunk = new SIPInboundTrunkInfo({ sipTrunkId: "ST_good0000001", numbers: ["+15550100"] });
    await redis.client.hset("sip_inbound_trunk", trunk.sipTrunkId, Buffer.from(trunk.toBinary()));
    await redis.client.hset("sip_dispatch_rule", "SDR_broken00001", Buffer.from([0xff, 0xff, 0xff, 0x01]));
    const lines: string[] = [];
    const s = await startServer({ store: { redis: redis.url }, pollMs: POLL_MS, log: (l) => lines.push(l) });
    try {
      expect(await resolveVia(s, "+15550100")).toMatchObject({ result: "drop", trunkId: "ST_good0000001" });
      expect(s.service.status().skipped).toEqual([{ key: "sip_dispatch_rule", id: "SDR_broken00001", reason: expect.stringMatching(/^not a protobuf record/) }]);
      expect(lines.some((l) => l.includes("sip_dispatch_rule/SDR_broken00001"))).toBe(true);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(200);
      expect((await ready.json()).skipped).toEqual([expect.objectContaining({ id: "SDR_broken00001" })]);
      expect(await (await fetch(`${s.url}/metrics`)).text()).toContain("sip_dispatch_records_skipped 1");
    } finally {
      await s.close();
    }
  });
});

describe("several instances on one Redis", () => {
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    await redis.client.flushall();
    a = await startServer({ store: { redis: redis.url }, pollMs: POLL_MS });
    b = await startServer({ store: { redis: redis.url }, pollMs: POLL_MS });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  test("each sees the other's writes within the poll interval", async () => {
    const trunk = await a.sip.createSipInboundTrunk("shared", ["+15550300"]);
    const rule = await a.sip.createSipDispatchRule({ type: "direct", roomName: "shared-room" }, { trunkIds: [trunk.sipTrunkId] });
    const started = Date.now();
    await until(async () => (await resolveVia(b, "+15550300")).result === "accept");
    expect(Date.now() - started).toBeLessThan(POLL_MS * 10);
    expect(await resolveVia(b, "+15550300")).toMatchObject({ ruleId: rule.sipDispatchRuleId, roomName: "shared-room" });
    await b.sip.deleteSipDispatchRule(rule.sipDispatchRuleId);
    await until(async () => (await resolveVia(a, "+15550300")).result === "drop");
  });

  test("20 concurrent conflicting creates through two instances leave exactly one rule", async () => {
    await redis.client.del("sip_dispatch_rule");
    await Promise.all([a.service.sync(), b.service.sync()]);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? a : b).sip.createSipDispatchRule({ type: "direct", roomName: `room-${i}` }, { trunkIds: ["ST_contested"] }).then(
        () => "created",
        (e: { code: string; message: string }) => `${e.code}: ${e.message.split(" in dispatch rule")[0]}`,
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
    expect(new Set(outcomes.filter((o) => o !== "created"))).toEqual(
      new Set(["invalid_argument: Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists"]),
    );
    expect(await redis.client.hlen("sip_dispatch_rule")).toBe(1);
  });

  test("a write made with redis-cli reaches both dispatchers", async () => {
    const rule = new SIPDispatchRuleInfo({
      sipDispatchRuleId: "SDR_byhand00001",
      trunkIds: ["ST_byhand"],
      rule: new SIPDispatchRule({ rule: { case: "dispatchRuleDirect", value: { roomName: "by-hand", pin: "" } } }),
    });
    const trunk = new SIPInboundTrunkInfo({ sipTrunkId: "ST_byhand", numbers: ["+15550400"] });
    await redis.client.hset("sip_inbound_trunk", trunk.sipTrunkId, Buffer.from(trunk.toBinary()));
    await redis.client.hset("sip_dispatch_rule", rule.sipDispatchRuleId, Buffer.from(rule.toBinary()));
    for (const s of [a, b]) await until(async () => (await resolveVia(s, "+15550400")).roomName === "by-hand");
  });
});

describe("keyspace notifications", () => {
  test("where Redis sends them, changes arrive long before the poll", async () => {
    await redis.client.flushall();
    await redis.client.config("SET", "notify-keyspace-events", "Kh");
    const s = await startServer({ store: { redis: redis.url }, pollMs: 60_000 });
    try {
      const trunk = new SIPInboundTrunkInfo({ sipTrunkId: "ST_notify000001", numbers: ["+15550500"] });
      await redis.client.hset("sip_inbound_trunk", trunk.sipTrunkId, Buffer.from(trunk.toBinary()));
      await until(async () => (await resolveVia(s, "+15550500")).trunkId === "ST_notify000001", 2000);
    } finally {
      await s.close();
      await redis.client.config("SET", "notify-keyspace-events", "");
    }
  });
});

describe("Redis going away", () => {
  test("resolve keeps answering from the last good configuration, writes fail unavailable, /readyz 503; after a restart writes work and changes flow", async () => {
    await redis.client.flushall();
    const a = await startServer({ store: { redis: redis.url }, pollMs: POLL_MS });
    const b = await startServer({ store: { redis: redis.url }, pollMs: POLL_MS });
    try {
      const trunk = await a.sip.createSipInboundTrunk("t", ["+15550600"]);
      await a.sip.createSipDispatchRule({ type: "direct", roomName: "before" }, { trunkIds: [trunk.sipTrunkId] });
      await until(async () => (await resolveVia(b, "+15550600")).roomName === "before");

      await redis.stop();
      await until(async () => (await fetch(`${a.url}/readyz`)).status === 503);
      const ready = await (await fetch(`${a.url}/readyz`)).json();
      expect(ready).toMatchObject({ ready: false, reason: expect.stringMatching(/^stale/) });
      expect(await resolveVia(a, "+15550600")).toMatchObject({ result: "accept", roomName: "before" });
      expect(await resolveVia(b, "+15550600")).toMatchObject({ result: "accept", roomName: "before" });
      const e = await failure(a.sip.createSipDispatchRule({ type: "direct", roomName: "during" }, { trunkIds: ["ST_x"] }));
      expect(e).toMatchObject({ status: 503, code: "unavailable" });

      await redis.restart(); // an empty Redis: the configuration it holds is now empty
      await until(async () => (await fetch(`${a.url}/readyz`)).status === 200, 10_000);
      const again = await a.sip.createSipInboundTrunk("t2", ["+15550700"]);
      await a.sip.createSipDispatchRule({ type: "direct", roomName: "after" }, { trunkIds: [again.sipTrunkId] });
      await until(async () => (await resolveVia(b, "+15550700")).roomName === "after", 10_000);
      expect(await resolveVia(b, "+15550600")).toMatchObject({ result: "drop" });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("a read while a write is in flight", () => {
  test("another writer's rule, read by a sync during this process's trunk write, stays listed after it", async () => {
    await redis.client.flushall();
    // The write's connection is the second copy of `client`: its reads start the sync at the one
    // moment that matters, after the write took its view of the records and before its read answers.
    const client = new Redis(redis.url, { lazyConnect: true });
    const duplicate = client.duplicate.bind(client);
    let copies = 0;
    let beforeWriteRead: (() => void) | undefined;
    client.duplicate = (options) => {
      const copy = duplicate(options);
      if (++copies === 2) {
        const pipeline = copy.pipeline.bind(copy);
        copy.pipeline = (commands) => {
          const started = pipeline(commands);
          const exec = started.exec.bind(started);
          started.exec = (callback) => {
            beforeWriteRead?.();
            beforeWriteRead = undefined;
            return exec(callback);
          };
          return started;
        };
      }
      return copy;
    };
    const service = await createDispatchService({ store: { redis: client }, pollMs: 60_000, log: () => undefined });
    try {
      const rule = new SIPDispatchRuleInfo({ sipDispatchRuleId: "SDR_elsewhere001", trunkIds: ["ST_elsewhere"], rule: new SIPDispatchRule({ rule: { case: "dispatchRuleDirect", value: { roomName: "r", pin: "" } } }) });
      await redis.client.hset("sip_dispatch_rule", rule.sipDispatchRuleId, Buffer.from(rule.toBinary()));
      let synced: Promise<void> | undefined;
      beforeWriteRead = () => (synced = service.sync());
      const trunk = parseInboundTrunk({ name: "t", numbers: ["+15550800"] });
      if (!trunk.ok) throw new Error(trunk.error.message);
      const created = await service.createInboundTrunk(trunk.value);
      expect(created.ok).toBe(true);
      await synced;
      await service.sync();
      expect(service.dispatcher().rules.map((r) => r.sipDispatchRuleId)).toEqual(["SDR_elsewhere001"]);
      expect((await service.listDispatchRules()).map((r) => r.sipDispatchRuleId)).toEqual(["SDR_elsewhere001"]);
    } finally {
      await service.close();
      client.disconnect();
    }
  });
});
