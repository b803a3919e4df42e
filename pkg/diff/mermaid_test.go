package diff

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Mermaid graph of the pull-request comment parses with Mermaid itself
// (.ci/mermaid, installed by .ci/run; skipped elsewhere).
func TestMarkdownMermaidParses(t *testing.T) {
	node, err := exec.LookPath("node")
	dir, _ := filepath.Abs(filepath.Join("..", "..", ".ci", "mermaid"))
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "mermaid")); err != nil || statErr != nil {
		t.Skip("Mermaid parser check skipped: run (cd .ci/mermaid && npm ci) with node installed")
	}
	md, err := os.ReadFile(filepath.Join("testdata", "edtech.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```mermaid\n(.*?)```").FindAllStringSubmatch(string(md), -1)
	if len(blocks) == 0 {
		t.Fatal("no Mermaid block in the comment")
	}
	tmp := t.TempDir()
	var files []string
	for i, b := range blocks {
		p := filepath.Join(tmp, "g"+itoa(i)+".mmd")
		os.WriteFile(p, []byte(b[1]), 0o644)
		files = append(files, p)
	}
	out, err := exec.Command(node, append([]string{filepath.Join(dir, "parse.mjs")}, files...)...).CombinedOutput()
	if err != nil || strings.Count(string(out), ": ok") != len(files) {
		t.Fatalf("%v\n%s", err, out)
	}
}
