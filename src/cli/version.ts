import { readFileSync } from "node:fs";

/** The package version, from the package.json next to dist/ (or src/): `--version` and SARIF's driver. */
export function packageVersion(): string {
  try {
    // Our own package.json: it has a version string, or the file is missing (an unusual install).
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
