/** Where the command line writes, and how it ends: the process, or a test's stand-in. */
export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout(line: string): void;
  stderr(line: string): void;
  exit(code: number): void;
  onSignal(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
}

/** Bad usage: exit 2 with this one line. */
export class UsageError extends Error {}
