// Test bodies are read as loosely typed JSON: the assertions state their shape.
declare global {
  interface Response {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json<T = any>(): Promise<T>;
  }
}
export {};
