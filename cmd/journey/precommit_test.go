package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The pre-commit hooks pass on the examples: each hook's entry runs on
// every file of examples/ its `files` pattern selects, as pre-commit
// would pass them (paths relative to the repository root). The workspace
// configuration is among them and must be checked as a configuration.
func TestPreCommitHooksPassOnExamples(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID    string `yaml:"id"`
		Entry string `yaml:"entry"`
		Files string `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	for _, h := range hooks {
		pattern := regexp.MustCompile(h.Files)
		var files []string
		err := filepath.WalkDir(filepath.Join(root, "examples"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if rel = filepath.ToSlash(rel); pattern.MatchString(rel) {
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		args := strings.Fields(h.Entry)[1:] // without "journey"
		if h.ID == "journey-fmt" {
			args = []string{"fmt", "--check"} // the same files, without rewriting them
		}
		if h.ID == "journey-lint" && !slices.Contains(files, "examples/.journey.yaml") {
			t.Errorf("%s: the pattern %q does not select examples/.journey.yaml", h.ID, h.Files)
		}
		code, out, errOut := inDir(t, root, append(args, files...)...)
		if code != 0 {
			t.Errorf("hook %s on %d example files: exit %d\n%s%s", h.ID, len(files), code, out, errOut)
		}
	}
}
