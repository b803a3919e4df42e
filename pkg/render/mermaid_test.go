package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mermaidChecker is .ci/mermaid/parse.mjs: Mermaid's own parser under
// Node.js. .ci/run installs it (npm ci); elsewhere the test is skipped and
// says how to enable it.
func mermaidChecker(t *testing.T) (node, script string) {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", "..", ".ci", "mermaid"))
	script = filepath.Join(dir, "parse.mjs")
	node, err := exec.LookPath("node")
	if err != nil {
		skipMermaid(t, "Mermaid parser check skipped: node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "mermaid")); err != nil {
		skipMermaid(t, "Mermaid parser check skipped: run (cd .ci/mermaid && npm ci) to install Mermaid's parser")
	}
	return node, script
}

// skipMermaid skips a test that needs Mermaid's parser, or fails it when
// .ci/run installed the parser (JOURNEY_REQUIRE_ENGINES names mermaid): in
// CI a missing parser is a broken install, not a reason to pass.
func skipMermaid(t *testing.T, msg string) {
	t.Helper()
	if slices.Contains(strings.Split(os.Getenv("JOURNEY_REQUIRE_ENGINES"), ","), "mermaid") {
		t.Fatalf("%s (JOURNEY_REQUIRE_ENGINES requires mermaid)", msg)
	}
	t.Skip(msg)
}

// Every Mermaid document we write parses with Mermaid itself: the golden
// examples and the journey full of hostile names.
func TestMermaidParsesWithMermaid(t *testing.T) {
	node, script := mermaidChecker(t)
	dir := t.TempDir()
	var files []string
	add := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	for _, path := range goldenJourneys {
		add(filepath.Base(path)+".mmd", Mermaid(mustLoad(t, path), Options{}))
	}
	add("hostile.mmd", Mermaid(hostileJourney(t), Options{}))
	add("broken.mmd", []byte("flowchart LR\n  a --> b[\n"))
	out, err := exec.Command(node, append([]string{script}, files...)...).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(files) {
		t.Fatalf("checker output: %v\n%s", err, out)
	}
	for i, line := range lines {
		broken := strings.HasSuffix(files[i], "broken.mmd")
		ok := strings.HasSuffix(line, ": ok")
		if ok == broken {
			t.Errorf("%s", line)
		}
	}
}
