// Every export of the package carries TSDoc: the API reference (`npm run docs`) is generated from
// it, and editors show it on hover. This reads src/index.ts with the TypeScript compiler.
import ts from "typescript";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

function undocumentedExports(): string[] {
  const program = ts.createProgram([entry], { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry)!;
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const documented = symbol.getDocumentationComment(checker).length > 0 || (symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).length > 0);
    if (!documented) missing.push(exported.getName());
  }
  return missing.sort();
}

describe("API reference", () => {
  it("documents every export", () => {
    expect(undocumentedExports()).toEqual([]);
  });
});
