import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The npm page shows README.md from the tarball, which has no docs/: every link must be absolute.
describe("README links work from the npm page", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

  it("every link is absolute (https) or an anchor on the page", () => {
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !/^https:\/\//.test(link) && !link.startsWith("#"))).toEqual([]);
  });

  it("links into this repository point at the repository package.json names", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { repository: { url: string } };
    const repo = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
    const own = links.filter((link) => /\/(docs\/[\w.-]+\.md|CHANGELOG\.md|server\/README\.md)(#.*)?$/.test(link));
    expect(own.length).toBeGreaterThan(0);
    for (const link of own) expect(link.startsWith(`${repo}/blob/main/`)).toBe(true);
  });
});
