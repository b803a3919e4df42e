// Reads Mermaid user-journey diagrams with Mermaid's own parser and prints,
// per file, one JSON line of what Mermaid understood (title, sections,
// tasks with their section, name, score and actors), or {"error": ...}.
// node journeydump.mjs MERMAID_DIR FILE... (MERMAID_DIR is .ci/mermaid).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const dir = process.argv[2];
const require = createRequire(join(dir, "package.json"));
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import(pathToFileURL(join(dir, "node_modules", "mermaid", "dist", "mermaid.core.mjs")).href);
mermaid.initialize({ startOnLoad: false });
for (const f of process.argv.slice(3)) {
  try {
    const d = await mermaid.mermaidAPI.getDiagramFromText(readFileSync(f, "utf8"));
    const db = d.db;
    console.log(JSON.stringify({
      title: db.getDiagramTitle(),
      sections: db.getSections(),
      tasks: db.getTasks().map((t) => ({ section: t.section, task: t.task, score: t.score, people: t.people })),
    }));
  } catch (e) {
    console.log(JSON.stringify({ error: String(e.message || e).split("\n").slice(0, 3).join(" ") }));
  }
}
