// Screenshots of the playground for the README and docs/: the built page in headless Chromium,
// the bundled example loaded, one call per picture. Run: npm run screenshots:playground
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { launchChromium, startPlayground } from "../test/playground/harness.js";

const example = readFileSync(new URL("../examples/dispatch.json", import.meta.url), "utf8");
const shots: { file: string; call: Record<string, string>; extra?: string }[] = [
  { file: "docs/playground.png", call: { from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7" } },
  { file: "docs/playground-pin.png", call: { from: "+15550177", to: "+15550123", sourceIp: "203.0.113.9" } },
];

const playground = await startPlayground();
const browser = await launchChromium({ width: 1280, height: 1000 });
try {
  for (const shot of shots) {
    const page = await browser.context.newPage();
    await page.goto(playground.origin + "/");
    await page.locator("body[data-saved=true]").waitFor();
    await page.locator("#load-example").click();
    await fill(page, shot.call);
    await page.locator("body[data-saved=true]").waitFor();
    await page.screenshot({ path: shot.file, fullPage: false });
    console.log(`wrote ${shot.file}`);
    await page.close();
  }
  void example;
} finally {
  await browser.close();
  await playground.close();
}

async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.locator(`#call-form [name=${name}]`).fill(value);
}
