import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium, startPlayground, type Browser } from "./harness.js";

// The playground in real headless Chromium: built by Vite, served on 127.0.0.1, driven as a
// person would drive it. Every request the page makes must stay on 127.0.0.1, and no pin (nor
// the example trunk's password) may appear anywhere in the page.

const example = readFileSync(new URL("../../examples/dispatch.json", import.meta.url), "utf8");
const SECRETS = ["4321", "8642", "example-only-secret"]; // the example's pin, a wrong pin we type, a password

// `lk sip dispatch list --json` output with one more rule: it collides with SDR_main.
const dispatchList = JSON.stringify({
  items: [
    { sipDispatchRuleId: "SDR_sales", name: "Sales", trunkIds: ["ST_main"], numbers: ["15550199"], rule: { dispatchRuleDirect: { roomName: "sales" } } },
  ],
});

// `lk sip inbound list --json` output with one more trunk.
const inboundList = JSON.stringify({ items: [{ sipTrunkId: "ST_extra", name: "Extra", numbers: ["+15550777"] }] });

let playground: Awaited<ReturnType<typeof startPlayground>>;
let browser: Browser;
const requests: string[] = [];

beforeAll(async () => {
  playground = await startPlayground();
  browser = await launchChromium();
  browser.context.on("request", (request: Request) => requests.push(request.url()));
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: playground.origin });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

async function open(url = playground.origin + "/"): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(url);
  await page.locator("body[data-saved=true]").waitFor();
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

/** The few browser globals the page-side callbacks use (the test type-checks without the DOM lib). */
interface BrowserGlobals {
  navigator: { clipboard: { writeText(text: string): Promise<void> } };
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: string[], name: string, options: { type: string }) => unknown;
}

const errorsOf = (page: Page): string[] => (page as Page & { errors: string[] }).errors;

/** A real paste: the text goes on the clipboard and Control+V lands it in the paste box. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => (globalThis as unknown as BrowserGlobals).navigator.clipboard.writeText(t), text);
  await page.locator("#paste").focus();
  await page.keyboard.press("Control+V");
}

/** Drops a file on the configuration panel, as a file manager would. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, t]) => {
      const browser = globalThis as unknown as BrowserGlobals;
      const data = new browser.DataTransfer();
      data.items.add(new browser.File([t], n, { type: "application/json" }));
      return data;
    },
    [name, text] as const,
  );
  await page.locator("#drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
}

async function fillCall(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.locator(`#call-form [name=${name}]`).fill(value);
}

async function decision(page: Page): Promise<{ result: string; outcome: string; room: string | null }> {
  const room = page.getByTestId("room-name");
  return {
    result: await page.getByTestId("result").innerText(),
    outcome: await page.getByTestId("sip-outcome").innerText(),
    room: (await room.count()) > 0 ? await room.innerText() : null,
  };
}

async function expectNoSecrets(page: Page): Promise<void> {
  const html = await page.content();
  const text = await page.locator("body").innerText();
  for (const secret of SECRETS) {
    expect(html).not.toContain(secret);
    expect(text).not.toContain(secret);
  }
}

describe("the playground in headless Chromium", () => {
  test("pasting the bundled example loads it, shown with the pin masked", async () => {
    const page = await open();
    await expect(page.getByTestId("decision").innerText()).resolves.toContain("Paste or drop a configuration");
    await paste(page, example);
    await expect(page.getByTestId("sources").innerText()).resolves.toMatch(/pasted\s+2 trunks, 4 rules/);
    expect(await page.locator("#paste").inputValue()).toBe("");
    await page.locator("#echo-box summary").click();
    const echo = await page.getByTestId("echo").innerText();
    expect(echo).toContain('"pin": "••••"');
    expect(echo).toContain('"authPassword": "••••"');
    expect(await page.getByTestId("diagram").locator(".node").count()).toBe(2 + 4 + 4);
    await expectNoSecrets(page);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  test("resolves calls that accept, with the trace and the path in the diagram", async () => {
    const page = await open();
    await paste(page, example);
    await fillCall(page, { from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7" });
    expect(await decision(page)).toEqual({ result: "Accept", outcome: "join_room", room: "vip-lounge" });
    const rows = page.getByTestId("trace").locator("tbody tr");
    expect(await rows.count()).toBe(2 + 4);
    await expect(rows.first().innerText()).resolves.toMatch(/trunk\s+ST_main[\s\S]*selected\s+selected_specific/);
    const active = await page.getByTestId("diagram").locator(".node.active").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-key")));
    expect(active).toEqual(["ST_main", "rule:0", "room:0"]);
    expect(await page.getByTestId("diagram").locator(".edge.on").count()).toBe(2);

    await fillCall(page, { from: "+15550111" });
    const other = await decision(page);
    expect(other).toMatchObject({ result: "Accept", outcome: "join_room" });
    expect(other.room).toMatch(/^call-_\+15550111_[2-9A-HJ-NP-Za-km-z]{12}$/);
    await expect(page.getByTestId("decision").innerText()).resolves.toContain("SDR_main");

    // The support line hides the caller: the identity is hashed in the browser as Node hashes it.
    await fillCall(page, { from: "+15550100", to: "+15550142", sourceIp: "" });
    const hidden = await decision(page);
    expect(hidden).toMatchObject({ result: "Accept", outcome: "join_room" });
    expect(hidden.room).toMatch(/^support_\+15550142_[2-9A-HJ-NP-Za-km-z]{12}$/);
    const identity = "sip_" + createHash("sha256").update("+15550100").digest("hex").slice(0, 16);
    await expect(page.getByTestId("decision").innerText()).resolves.toContain(identity);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  test("a pin rule asks for the pin, accepts the right one and hangs up on a wrong one; no pin is ever shown", async () => {
    const page = await open();
    await paste(page, example);
    await fillCall(page, { from: "+15550100", to: "+15550123", sourceIp: "203.0.113.7" });
    expect(await decision(page)).toEqual({ result: "Request pin", outcome: "prompt_pin", room: null });
    expect(await page.locator("#call-form [name=pin]").getAttribute("type")).toBe("password");
    await fillCall(page, { pin: "4321" });
    expect(await decision(page)).toEqual({ result: "Accept", outcome: "join_room", room: "board-meeting" });
    await expectNoSecrets(page);
    await fillCall(page, { pin: "8642" });
    expect(await decision(page)).toEqual({ result: "Drop", outcome: "wrong_pin_hangup", room: null });
    await expectNoSecrets(page);
    await fillCall(page, { pin: "", to: "+15550000" });
    expect(await decision(page)).toEqual({ result: "Drop", outcome: "ignore", room: null });
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  test("a dropped `lk sip dispatch list --json` file adds a rule; its lint witness loads into the form", async () => {
    const page = await open();
    await paste(page, example);
    await expect(page.getByTestId("lint-clean").count()).resolves.toBe(1);
    await dropFile(page, "dispatch-list.json", dispatchList);
    await expect(page.getByTestId("sources").innerText()).resolves.toMatch(/dispatch-list\.json\s+0 trunks, 1 rule/);
    const finding = page.locator('[data-testid=finding][data-code="rule-conflict"]');
    await expect(finding.innerText()).resolves.toContain('"SDR_main" and "SDR_sales" collide');
    await finding.getByTestId("load-witness").click();
    expect(await page.locator("#call-form [name=from]").inputValue()).toBe("+18885550000");
    expect(await page.locator("#call-form [name=to]").inputValue()).toBe("15550199");
    expect(await decision(page)).toEqual({ result: "Error", outcome: "reject", room: null });
    await expect(page.getByTestId("decision").innerText()).resolves.toContain("rule_conflict");
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  test("trunks and rules without ids (LiveKit's docs shapes) are named and highlighted", async () => {
    const page = await open();
    const docs = {
      trunks: [{ trunk: { name: "Docs trunk", numbers: ["+15550199"] } }],
      rules: [{ dispatch_rule: { name: "My dispatch rule", rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } } }],
    };
    await paste(page, JSON.stringify(docs));
    await fillCall(page, { from: "+15550100", to: "+15550199" });
    expect(await decision(page)).toMatchObject({ result: "Accept", outcome: "join_room" });
    const text = await page.getByTestId("decision").innerText();
    expect(text).toMatch(/Trunk\s+Docs trunk/);
    expect(text).toMatch(/Rule\s+My dispatch rule/);
    await expect(page.getByTestId("trace").innerText()).resolves.toContain("My dispatch rule");
    const active = await page.getByTestId("diagram").locator(".node.active").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-key")));
    expect(active).toEqual(["Docs trunk", "rule:0", "room:0"]);
    await page.close();
  });

  test("bad input is reported with its path and without the pin", async () => {
    const page = await open();
    await paste(page, JSON.stringify({ rules: [{ rule: { dispatchRuleDirect: { roomName: "x", pin: "4321", roomNam: "y" } } }] }));
    const error = await page.getByTestId("config-error").innerText();
    expect(error).toContain("rules[0].rule.dispatchRuleDirect.roomNam");
    expect(await page.getByTestId("sources").locator("li").count()).toBe(0);
    await expectNoSecrets(page);
    await page.close();
  });

  test("a shared URL reproduces the configuration, the call and the decision", async () => {
    const page = await open();
    await paste(page, example);
    await dropFile(page, "inbound-list.json", inboundList);
    await fillCall(page, { from: "+15550100", to: "+15550123", sourceIp: "203.0.113.7", pin: "4321" });
    await page.locator("#call-form [name=strict]").check();
    await page.locator("body[data-saved=true]").waitFor();
    const url = page.url();
    expect(url).toMatch(/#s=z[A-Za-z0-9_-]+$/);
    const before = await decision(page);
    await page.close();

    const fresh = await launchChromium();
    try {
      fresh.context.on("request", (request: Request) => requests.push(request.url()));
      const again = await fresh.context.newPage();
      await again.goto(url);
      await again.locator("body[data-saved=true]").waitFor();
      expect(before).toEqual({ result: "Accept", outcome: "join_room", room: "board-meeting" });
      expect(await decision(again)).toEqual(before);
      await expect(again.getByTestId("sources").innerText()).resolves.toMatch(/pasted\s+2 trunks, 4 rules[\s\S]*inbound-list\.json\s+1 trunk, 0 rules/);
      expect(await again.locator("#call-form [name=to]").inputValue()).toBe("+15550123");
      expect(await again.locator("#call-form [name=strict]").isChecked()).toBe(true);
      await expectNoSecrets(again);
    } finally {
      await fresh.close();
    }
  });

  test("a damaged link says so and leaves an empty playground", async () => {
    const page = await open(playground.origin + "/#s=zNOT-DEFLATE");
    await expect(page.locator("#notice").innerText()).resolves.toContain("Could not read the link");
    expect(await page.getByTestId("sources").locator("li").count()).toBe(0);
    await page.close();
  });

  test("no request left 127.0.0.1", () => {
    expect(requests.length).toBeGreaterThan(0);
    const outside = requests.filter((url) => !url.startsWith(playground.origin + "/") && !url.startsWith("data:"));
    expect(outside).toEqual([]);
  });
});
