package importer

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mermaidDump runs pkg/render/testdata/journeydump.mjs (Mermaid's own
// parser, installed in .ci/mermaid by .ci/run) on files; it skips the test
// where Node.js or Mermaid is missing, unless JOURNEY_REQUIRE_ENGINES
// names mermaid.
func mermaidDump(t *testing.T, files []string) []string {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", "..", ".ci", "mermaid"))
	script, _ := filepath.Abs(filepath.Join("..", "render", "testdata", "journeydump.mjs"))
	skip := func(msg string) {
		if slices.Contains(strings.Split(os.Getenv("JOURNEY_REQUIRE_ENGINES"), ","), "mermaid") {
			t.Fatalf("%s (JOURNEY_REQUIRE_ENGINES requires mermaid)", msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("Mermaid parser check skipped: node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "mermaid")); err != nil {
		skip("Mermaid parser check skipped: run (cd .ci/mermaid && npm ci) to install Mermaid's parser")
	}
	out, err := exec.Command(node, append([]string{script, dir}, files...)...).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) != len(files) {
		t.Fatalf("journeydump: %v\n%s", err, out)
	}
	return lines
}

// The importer reads a diagram as Mermaid does: for every test input that
// both accept, the same sections, and the same tasks with the same
// section, name, score and actors.
func TestMermaidReadsLikeMermaid(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "mermaid", "*.mmd"))
	lines := mermaidDump(t, files)
	compared := 0
	for i, file := range files {
		var m struct {
			Error    string
			Sections []string
			Tasks    []struct {
				Section, Task string
				Score         float64
				People        []string
			}
		}
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(file)
		err := checkText(file, src)
		var d *mermaidDiagram
		if err == nil {
			d, err = parseMermaid(file, string(src))
		}
		if m.Error != "" || err != nil {
			continue
		}
		compared++
		var sections []string
		type task struct {
			section, name string
			score         float64
			actors        string
		}
		var ours, theirs []task
		for _, s := range d.sections {
			sections = append(sections, s.name)
			for _, t := range s.tasks {
				ours = append(ours, task{s.name, t.name, float64(t.score), strings.Join(t.actors, "|")})
			}
		}
		for _, t := range m.Tasks {
			var people []string
			for _, p := range t.People {
				if p = strings.TrimSpace(p); p != "" && !slices.Contains(people, p) {
					people = append(people, p)
				}
			}
			theirs = append(theirs, task{strings.TrimSpace(t.Section), strings.TrimSpace(strings.TrimPrefix(t.Task, "\u200b")), t.Score, strings.Join(people, "|")})
		}
		for j := range m.Sections {
			m.Sections[j] = strings.TrimSpace(m.Sections[j])
		}
		if !slices.Equal(sections, m.Sections) {
			t.Errorf("%s: sections %q, Mermaid's %q", file, sections, m.Sections)
		}
		if !slices.Equal(ours, theirs) {
			t.Errorf("%s: tasks\n%+v\nMermaid's\n%+v", file, ours, theirs)
		}
	}
	t.Logf("%d inputs compared with Mermaid", compared)
	if compared < 3 {
		t.Errorf("only %d inputs compared", compared)
	}
}
