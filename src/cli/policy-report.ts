// Policy results for machines: JUnit XML, which CI systems show as test reports.

/** One case's result: what differed ([] when it passed). */
export interface CaseReport {
  file: string;
  name: string;
  differences: string[];
}

/** JUnit XML: one <testsuite> per policy file, one <testcase> per case, a <failure> per failing one. */
export function junitReport(reports: readonly CaseReport[]): string {
  const files = [...new Set(reports.map((r) => r.file))];
  const total = reports.length;
  const failures = reports.filter((r) => r.differences.length > 0).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="sip-dispatch test" tests="${total}" failures="${failures}">`];
  for (const file of files) {
    const cases = reports.filter((r) => r.file === file);
    const failed = cases.filter((r) => r.differences.length > 0).length;
    lines.push(`  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">`);
    for (const c of cases) {
      const open = `    <testcase name="${xml(c.name)}" classname="${xml(file)}"`;
      if (c.differences.length === 0) lines.push(`${open}/>`);
      else {
        const message = c.differences.join("; ");
        lines.push(`${open}>`, `      <failure message="${xml(message)}" type="policy">${xml(c.differences.join("\n"))}</failure>`, "    </testcase>");
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

/**
 * Text for XML attributes and content: the five special characters escaped, and characters XML 1.0
 * cannot hold at all (controls other than tab and line breaks, lone surrogates) replaced by U+FFFD.
 */
export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
