// npm run size: the main entry as an application ships it. Bundles the built dist/index.js with
// every dependency for browsers, minifies it, gzips it (level 9), prints what takes the bytes,
// and fails when the gzipped bundle is over the budget. Run after `npm run build`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

/** The budget for the whole core entry, minified and gzipped: 60 kB (60,000 bytes). */
export const BUDGET_BYTES = 60_000;

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = `${root}dist/index.js`;

/** Who a bundled input belongs to: a package (`zod/v4/core`), or our own code. */
function ownerOf(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input);
  if (inPackage === null) return "sip-dispatch (dist)";
  const [, name, rest] = inPackage;
  const folder = /^((?:v4\/)?[^/]+)\//.exec(rest!)?.[1];
  return folder === undefined ? name! : `${name}/${folder}`;
}

function bytesByOwner(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      totals.set(ownerOf(input), (totals.get(ownerOf(input)) ?? 0) + bytesInOutput);
  return [...totals].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]);
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1).padStart(7) + " kB";

async function main(): Promise<void> {
  if (!existsSync(entry)) throw new Error("dist/index.js is missing: run `npm run build` first");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const code = result.outputFiles[0]!.contents;
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log("| minified, by owner | size |\n| --- | ---: |");
  for (const [owner, bytes] of bytesByOwner(result.metafile)) console.log(`| ${owner} | ${kB(bytes)} |`);
  console.log(`| **total, minified** | ${kB(code.length)} |`);
  console.log(`| **total, minified + gzip -9** | ${kB(gzipped)} |`);
  console.log(`\nbudget ${kB(BUDGET_BYTES).trim()} gzipped: ${gzipped <= BUDGET_BYTES ? "within" : "OVER"}`);
  if (gzipped > BUDGET_BYTES) process.exitCode = 1;
}

await main();
