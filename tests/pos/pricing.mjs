// Runs the till's money engine (web/pos/src/pricing.ts, transpiled by the workspace's own
// TypeScript) on the cases given as JSON on stdin and writes its answers as JSON to stdout,
// for tests/pos/test_pricing.py to compare with the server's (services/orders/pricing.py).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ts = createRequire(`${root}web/package.json`)("typescript");
const source = readFileSync(`${root}web/pos/src/pricing.ts`, "utf8");
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
const pricing = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`);

const cases = JSON.parse(readFileSync(0, "utf8"));
const answers = cases.map((c) => ({
  priced: pricing.price(c.lines, c.prices_include_tax, c.discount),
  rounding: pricing.cashRounding(c.rounding_amount, c.increment),
  parsed: c.typed.map((text) => pricing.parseAmount(text)),
}));
process.stdout.write(JSON.stringify(answers));
