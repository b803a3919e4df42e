// Parses Mermaid files with mermaid's own parser: node parse.mjs FILE...
// Exit 0 when all parse; prints "FILE: error" and exits 1 otherwise.
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const f of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(f, "utf8"));
    console.log(`${f}: ok`);
  } catch (e) {
    failed++;
    console.log(`${f}: ${String(e.message || e).split("\n").slice(0, 4).join(" ")}`);
  }
}
process.exit(failed ? 1 : 0);
