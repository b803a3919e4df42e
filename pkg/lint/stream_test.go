package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/load"
)

// streamCases are directories linted both ways: every rule's goldens, the
// examples, and workspaces made here for what the streaming check must get
// right (hand-offs both ways, duplicate journey ids across files, disable
// comments used only by a workspace finding, severities from the
// configuration).
func streamCases(t *testing.T) []string {
	dirs := []string{"../../examples"}
	rules, _ := filepath.Glob(filepath.Join("testdata", "rules", "*", "*"))
	dirs = append(dirs, rules...)
	ws := t.TempDir()
	files := map[string]string{
		".journey.yaml": "rules:\n  missing-owner: off\n  dead-end: info\n",
		"a.journey.yaml": `journey: a
title: A
phases: [{id: p, name: P}]
stages:
  - {id: start, phase: p, entry: true, next: [{journey: b, to: middle}, {journey: b, to: midle}, {journey: gone, to: x}, {journey: old, to: s}]}
`,
		"b.journey.yaml": `journey: b
title: B
phases: [{id: p, name: P}]
stages:
  - {id: first, phase: p, entry: true, next: [done]}
  - {id: middle, phase: p, next: [done]}
  - {id: done, phase: p, outcome: success}
`,
		"c.journey.yaml": `journey: a # journey-lint: disable=duplicate-id
title: C
phases: [{id: p, name: P}]
stages:
  - {id: s, phase: p, entry: true, next: [t]}  # journey-lint: disable=dead-end
  - {id: t, phase: p}
`,
		"d.journey.yaml": `journey: b
title: D
phases: [{id: p, name: P}]
stages:
  - {id: s, phase: p, next: [t, nowhere]}
  - {id: t, phase: p, outcome: failure}
`,
		"old.journey.yaml":    "journey: old\ntitle: Old\nstatus: retired\nphases: [{id: p, name: P}]\nstages:\n  - {id: s, phase: p, entry: true, outcome: success}\n",
		"broken.journey.yaml": "journey: [\n",
		"e.journey.yaml":      "journey: e\ntitle: E\nphases: [{id: p, name: P}]\nstages:\n  - {id: s, phase: p, entry: true, next: [{journey: e, to: s}]} # journey-lint: disable=nonsense\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(ws, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return append(dirs, ws)
}

// LoadAndRun finds what Load and Run find, byte for byte, whether it holds
// the files (a small workspace) or checks each as it is read.
func TestLoadAndRunMatchesRun(t *testing.T) {
	defer func(b int) { retainBudget = b }(retainBudget)
	for _, dir := range streamCases(t) {
		for _, budget := range []int{0, 300, 4 << 20} {
			retainBudget = budget
			for _, paths := range [][]string{{"."}, nil} {
				o := load.Options{Dir: dir, Paths: paths}
				sets, err := load.Load(o)
				if err != nil {
					t.Fatal(err)
				}
				want := Run(sets, Options{})
				_, got, err := LoadAndRun(o, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s (budget %d, paths %v):\nRun:\n%s\nLoadAndRun:\n%s", dir, budget, paths,
						formatFindings(want.Findings), formatFindings(got.Findings))
				}
			}
		}
	}
}

// The streaming workspace really has the findings it is meant to test.
func TestLoadAndRunCasesHaveWorkspaceFindings(t *testing.T) {
	cases := streamCases(t)
	sets, err := load.Load(load.Options{Dir: cases[len(cases)-1], Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	text := formatFindings(Run(sets, Options{}).Findings)
	for _, want := range []string{"duplicate journey id", "unknown stage \"midle\" in journey \"b\"", "retired", "unknown journey", "names no rule"} {
		if !strings.Contains(text, want) {
			t.Errorf("no finding %q in\n%s", want, text)
		}
	}
}

// FuzzLoadAndRunMatchesRun: whatever two files of one workspace hold,
// checking them as they are read (nothing held) finds what Run finds.
func FuzzLoadAndRunMatchesRun(f *testing.F) {
	f.Add("journey: a\ntitle: A\nphases: [{id: p, name: P}]\nstages:\n  - {id: s, phase: p, entry: true, next: [{journey: b, to: t}]}\n",
		"journey: b\ntitle: B\nphases: [{id: p, name: P}]\nstages:\n  - {id: t, phase: p, outcome: success}\n")
	f.Add("journey: a # journey-lint: disable=duplicate-id\ntitle: A\n", "journey: a\nstatus: retired\n")
	f.Add("journey: [\n", "journey: b\nstages: [{id: x, next: [{journey: a, to: y}]}] # journey-lint: disable=all\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		defer func(n int) { retainBudget = n }(retainBudget)
		retainBudget = 0
		dir := t.TempDir()
		for name, text := range map[string]string{"a.journey.yaml": a, "b.journey.yaml": b} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, paths := range [][]string{{"."}, {"a.journey.yaml"}} {
			o := load.Options{Dir: dir, Paths: paths}
			sets, err := load.Load(o)
			if err != nil {
				t.Fatal(err)
			}
			want := Run(sets, Options{})
			_, got, err := LoadAndRun(o, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("paths %v:\nRun:\n%s\nLoadAndRun:\n%s", paths, formatFindings(want.Findings), formatFindings(got.Findings))
			}
		}
	})
}
