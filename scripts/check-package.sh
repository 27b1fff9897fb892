#!/usr/bin/env bash
# Packaging checks on the built package (run after `npm run build`):
#   publint --strict and attw --pack come out clean; the packed tarball installs into a scratch
#   consumer where ESM `import`, CJS `require` (@noble/hashes is ESM-only: the CJS build bundles it) and
#   TypeScript consumers under moduleResolution nodenext and bundler all work.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

npx publint --strict
npx attw --pack .

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tarball=$(npm pack --silent --pack-destination "$scratch" | tail -n 1)
# The playground and its screenshots stay out of the package.
if tar tzf "$scratch/$tarball" | grep -E '^package/(playground|docs)/'; then echo "playground or docs files in the package" >&2; exit 1; fi
cd "$scratch"
cat > package.json <<'JSON'
{ "name": "consumer", "version": "0.0.0", "private": true, "type": "module" }
JSON
npm install --silent --no-audit --no-fund --prefer-offline "./$tarball" "typescript@$(node -p "require('$root/node_modules/typescript/package.json').version")" @types/node@20 >/dev/null

cat > esm.mjs <<'JS'
import { parseDispatchRule, resolveDispatch, compileDispatch } from "sip-dispatch";
const rule = parseDispatchRule({ dispatch_rule: { rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } } });
const call = { from: "+15550100", to: "+15550199" };
const linear = resolveDispatch(call, [], [rule.value]);
const compiled = compileDispatch([], [rule.value]).resolve(call);
if (!/^call-_\+15550100_[2-9A-HJ-NP-Za-km-z]{12}$/.test(linear.roomName) || compiled.result !== "accept") throw new Error("ESM: " + JSON.stringify(linear));
console.log("esm ok", linear.roomName);
JS
cat > cjs.cjs <<'JS'
const { parseDispatchRule, resolveDispatch } = require("sip-dispatch");
const rule = parseDispatchRule({ rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } });
const decision = resolveDispatch({ from: "+15550100", to: "+15550199" }, [], [rule.value]);
if (!/^call-_\+15550100_[2-9A-HJ-NP-Za-km-z]{12}$/.test(decision.roomName)) throw new Error("CJS: " + JSON.stringify(decision));
console.log("cjs ok", decision.roomName);
JS
node esm.mjs
node cjs.cjs

cat > consumer.ts <<'TS'
import { parseDispatchRule, resolveDispatch, type DispatchResolution, type SIPDispatchRuleInfo } from "sip-dispatch";
const parsed = parseDispatchRule({ rule: { dispatchRuleDirect: { roomName: "lobby" } } });
if (!parsed.ok) throw new Error(parsed.error.message);
const rule: SIPDispatchRuleInfo = parsed.value;
const decision: DispatchResolution = resolveDispatch({ from: "+15550100", to: "+15550199" }, [], [rule]);
const room: string = decision.result === "accept" ? decision.roomName : "";
console.log(room);
TS
for mode in "--module nodenext --moduleResolution nodenext" "--module esnext --moduleResolution bundler"; do
  npx tsc --noEmit --strict --skipLibCheck false --types node $mode consumer.ts
  echo "tsc ok: $mode"
done
echo "package checks passed"
