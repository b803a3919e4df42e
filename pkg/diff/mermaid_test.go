package diff

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// mermaidDir is where .ci/run installs Mermaid (npm ci in .ci/mermaid).
// The tests that need it are skipped when it or node is missing.
func mermaidDir(t *testing.T) (node, dir string) {
	t.Helper()
	node, err := exec.LookPath("node")
	dir, _ = filepath.Abs(filepath.Join("..", "..", ".ci", "mermaid"))
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "mermaid")); err != nil || statErr != nil {
		msg := "Mermaid parser check skipped: run (cd .ci/mermaid && npm ci) with node installed"
		if slices.Contains(strings.Split(os.Getenv("JOURNEY_REQUIRE_ENGINES"), ","), "mermaid") {
			t.Fatalf("%s (JOURNEY_REQUIRE_ENGINES requires mermaid)", msg)
		}
		t.Skip(msg)
	}
	return node, dir
}

// mermaidBlocks are the Mermaid graphs of a golden comment.
func mermaidBlocks(t *testing.T, name string) []string {
	t.Helper()
	md, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range regexp.MustCompile("(?s)```mermaid\n(.*?)```").FindAllStringSubmatch(string(md), -1) {
		out = append(out, b[1])
	}
	if len(out) == 0 {
		t.Fatalf("no Mermaid block in %s", name)
	}
	return out
}

// The Mermaid graphs of the pull-request comments parse with Mermaid itself
// (.ci/mermaid, installed by .ci/run; skipped elsewhere).
func TestMarkdownMermaidParses(t *testing.T) {
	node, dir := mermaidDir(t)
	tmp := t.TempDir()
	var files []string
	for _, name := range []string{"edtech.md", "rename.md"} {
		for i, b := range mermaidBlocks(t, name) {
			p := filepath.Join(tmp, strings.TrimSuffix(name, ".md")+itoa(i)+".mmd")
			if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
		}
	}
	out, err := exec.Command(node, append([]string{filepath.Join(dir, "parse.mjs")}, files...)...).CombinedOutput()
	if err != nil || strings.Count(string(out), ": ok") != len(files) {
		t.Fatalf("%v\n%s", err, out)
	}
}

// mermaidVertices parses a flowchart with Mermaid's own parser and prints
// its vertices (id, label, classes) and edges as JSON.
const mermaidVertices = `
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
const diagram = await mermaid.mermaidAPI.getDiagramFromText(readFileSync(process.argv[1], "utf8"));
const vertices = [...diagram.db.getVertices().values()].map(v => ({ id: v.id, text: v.text, classes: v.classes }));
const edges = diagram.db.getEdges().map(e => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke }));
console.log(JSON.stringify({ vertices, edges }));
`

// Acceptance of issue 13: Mermaid's parser, reading the rename comment's
// graph, finds the renamed stage exactly once (with its old id in the
// label), and no edge drawn as removed (dotted).
func TestMermaidRenamedStageOnce(t *testing.T) {
	node, dir := mermaidDir(t)
	blocks := mermaidBlocks(t, "rename.md")
	if len(blocks) != 1 {
		t.Fatalf("%d graphs, want 1", len(blocks))
	}
	p := filepath.Join(t.TempDir(), "rename.mmd")
	if err := os.WriteFile(p, []byte(blocks[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	// -e runs the module with imports resolved from the current directory:
	// .ci/mermaid, where Mermaid is installed.
	cmd := exec.Command(node, "--input-type=module", "-e", mermaidVertices, p)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var g struct {
		Vertices []struct {
			ID, Text string
			Classes  []string
		}
		Edges []struct{ Start, End, Text, Stroke string }
	}
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var renamed []string
	for _, v := range g.Vertices {
		if strings.Contains(v.Text, "Invites the team") {
			renamed = append(renamed, v.ID)
			if !strings.Contains(v.Text, "renamed from invites-team") || len(v.Classes) != 1 || v.Classes[0] != "changed" {
				t.Errorf("renamed stage %s: label %q, classes %v", v.ID, v.Text, v.Classes)
			}
		}
	}
	if len(renamed) != 1 {
		t.Fatalf("Mermaid finds the renamed stage %d times, want once: %+v", len(renamed), g.Vertices)
	}
	touching := 0
	for _, e := range g.Edges {
		if e.Stroke != "normal" {
			t.Errorf("edge %s -> %s is %s, want normal (no edge changed)", e.Start, e.End, e.Stroke)
		}
		if e.Start == renamed[0] || e.End == renamed[0] {
			touching++
		}
	}
	if touching != 3 {
		t.Errorf("%d edges touch the renamed stage, want 3 (one in, two out): %+v", touching, g.Edges)
	}
}
