// The README's command-line session is what the command prints: every `$ sip-dispatch …` in a
// console block of its "Command line" section is run with the built bin, in a directory holding
// examples/ and the files the session shows with `$ cat`, and its output and exit status
// (`$ echo $?`) must be the ones written. Only the random call id differs from run to run.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "dist/cli.js");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** A `$ command` of the session, what it printed, and the exit status `$ echo $?` shows after it. */
interface Step {
  command: string;
  output: string;
  exitCode?: number;
}

/** The console blocks of the README's "Command line" section, as steps. */
function session(): Step[] {
  const section = readme.slice(readme.indexOf("\n## Command line\n"), readme.indexOf("\n## ", readme.indexOf("\n## Command line\n") + 5));
  const steps: Step[] = [];
  for (const block of section.matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const part of (block[1] as string).split(/^\$ /m).slice(1)) {
      const [command, ...output] = part.split("\n");
      if (command === "echo $?") (steps[steps.length - 1] as Step).exitCode = Number(output[0]);
      else steps.push({ command: command as string, output: output.join("\n") });
    }
  }
  return steps;
}

/** Files a step reads that the README does not show: its invalid `dispatch.json` (the error example). */
const UNSHOWN: Record<string, string> = { "dispatch.json": "test/fixtures/cli/bad-rule.json" };

const run = (cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    execFile(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });

/** The random part of a run: LiveKit's call id (`SCL_` and 12 characters). */
const steady = (text: string): string => text.replace(/SCL_[A-Za-z0-9]{12}/g, "SCL_<random>");

describe("README command-line session", () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(bin)) throw new Error("dist/cli.js is missing: run `npm run build` first (`npm test` does)");
    dir = mkdtempSync(join(tmpdir(), "sip-dispatch-readme-"));
    cpSync(join(root, "examples"), join(dir, "examples"), { recursive: true });
    for (const [name, fixture] of Object.entries(UNSHOWN)) cpSync(join(root, fixture), join(dir, name));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const steps = session();

  it("has a session to check", () => {
    expect(steps.filter((s) => s.command.startsWith("sip-dispatch ")).length).toBeGreaterThanOrEqual(6);
  });

  it.each(steps.map((step, i) => [i, step.command, step] as const))("step %i: $ %s", async (_, command, step) => {
    const words = command.split(" ");
    if (words[0] === "cat") {
      writeFileSync(join(dir, words[1] as string), step.output);
      return;
    }
    expect(words[0]).toBe("sip-dispatch");
    const result = await run(dir, words.slice(1));
    // An error goes to stderr, and everything else to stdout; the session shows what the terminal showed.
    expect(steady(result.stdout + result.stderr)).toBe(steady(step.output));
    if (step.exitCode !== undefined) expect(result.code).toBe(step.exitCode);
  });
});
