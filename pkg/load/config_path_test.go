package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oneJourney = "journey: a\ntitle: A\nphases: [{id: p, name: P}]\nstages: [{id: s, name: S, phase: p, entry: true, outcome: success}]\n"

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A .journey.yaml named as a path is a configuration, checked against the
// config schema under its own name, never as a journey.
func TestConfigNamedAsPath(t *testing.T) {
	for _, name := range []string{ConfigName, ConfigNameYML} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{name: "teams: 3\n", "a.journey.yaml": oneJourney})
		sets, err := Load(Options{Paths: []string{name}, Dir: dir})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(sets) != 1 || !sets[0].ConfigRequested || sets[0].Config == nil {
			t.Fatalf("%s: sets %+v", name, sets)
		}
		for f := range sets[0].Requested {
			t.Errorf("%s: %s requested as a journey", name, f.Path)
		}
		ds := sets[0].Config.Diagnostics
		if len(ds) != 1 || ds[0].File != name || ds[0].Range.Start.Line != 1 || ds[0].Range.Start.Column != 8 || !strings.Contains(ds[0].Message, "teams") {
			t.Errorf("%s: findings %+v", name, ds)
		}
	}
}

// .journey.yml is the workspace configuration exactly as .journey.yaml is.
func TestConfigYMLIsDiscovered(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{ConfigNameYML: "journeys: [\"in/*.journey.yaml\"]\n", "in/a.journey.yaml": oneJourney, "out/b.journey.yaml": oneJourney})
	sets, err := Load(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || sets[0].Config == nil || len(sets[0].Files) != 1 || sets[0].Files[0].Path != filepath.Join("in", "a.journey.yaml") {
		t.Fatalf("the globs of .journey.yml were not used: %+v", sets)
	}
}

// Both spellings in one directory: which one counts would be a guess.
func TestBothConfigNamesRefused(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{ConfigName: "", ConfigNameYML: "", "a.journey.yaml": oneJourney})
	_, err := Load(Options{Paths: []string{"a.journey.yaml"}, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "has both .journey.yaml and .journey.yml") {
		t.Errorf("error %v", err)
	}
}

// A `rules:` key that names no rule is a finding at the key, with the
// closest rule id.
func TestConfigUnknownRuleKey(t *testing.T) {
	f := ParseConfig(".journey.yaml", []byte("rules:\n  dead-ends: off\n"))
	if len(f.Diagnostics) != 1 {
		t.Fatalf("findings %+v", f.Diagnostics)
	}
	d := f.Diagnostics[0]
	if d.Range.Start.Line != 2 || d.Range.Start.Column != 3 || d.Range.End.Column != 12 ||
		d.Message != `rules: "dead-ends" is not an allowed key here` ||
		d.Suggestion == nil || d.Suggestion.Text != "dead-end" || d.Suggestion.Range != d.Range {
		t.Errorf("finding %v %q %+v", d.Range, d.Message, d.Suggestion)
	}
}
