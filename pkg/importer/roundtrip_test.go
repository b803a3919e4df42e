package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
)

func parse(t *testing.T, name string, data []byte) *journey.Journey {
	t.Helper()
	f := load.ParseJourney(name, data)
	if f.Journey == nil {
		t.Fatalf("%s does not load: %v", name, f.Diagnostics)
	}
	return f.Journey
}

// export -> import -> export gives the same diagram, for every example
// journey, for every imported golden, and for names full of the
// characters Mermaid's journey grammar reserves; the import lints clean.
func TestMermaidRoundTrip(t *testing.T) {
	var paths []string
	for _, glob := range []string{"../../examples/*/*.journey.yaml", "testdata/mermaid/*.journey.yaml", "testdata/csv/*.journey.yaml"} {
		m, _ := filepath.Glob(glob)
		paths = append(paths, m...)
	}
	if len(paths) < 8 {
		t.Fatalf("only %d journeys found", len(paths))
	}
	inputs := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[p] = data
	}
	inputs["reserved-characters"] = []byte(reservedJourney)
	for name, data := range inputs {
		t.Run(filepath.Base(name), func(t *testing.T) {
			first := render.MermaidJourney(parse(t, name, data), render.Options{})
			imported, err := Mermaid(first, Options{File: "exported.mmd"})
			if err != nil {
				t.Fatalf("the export does not import: %v\n%s", err, first)
			}
			checkImported(t, "exported.journey.yaml", imported)
			second := render.MermaidJourney(parse(t, "exported.journey.yaml", imported), render.Options{})
			if !bytes.Equal(first, second) {
				t.Errorf("export -> import -> export changed the diagram:\n%s", golden.FirstDifference(first, second))
			}
		})
	}
}

// The export keeps every stage: one task per stage, in phase order.
func TestMermaidExportKeepsStages(t *testing.T) {
	j := parse(t, "r.journey.yaml", []byte(reservedJourney))
	out, err := Mermaid(render.MermaidJourney(j, render.Options{}), Options{File: "x.mmd"})
	if err != nil {
		t.Fatal(err)
	}
	back := parse(t, "x.journey.yaml", out)
	if len(back.Stages) != len(j.Stages) || len(back.Phases) != len(j.Phases) {
		t.Fatalf("%d stages in %d phases came back, want %d in %d:\n%s", len(back.Stages), len(back.Phases), len(j.Stages), len(j.Phases), out)
	}
	for i, s := range back.Stages {
		if strings.ContainsAny(s.Name, "#:;") {
			t.Errorf("stage %d's name %q kept a reserved character", i, s.Name)
		}
		if want := j.Stages[i].Name; strings.HasPrefix(want, "Journey") && s.Name != want {
			t.Errorf("stage %d: %q came back as %q", i, want, s.Name)
		}
	}
}

// reservedJourney's names hold everything Mermaid's journey grammar
// reserves: ':' ';' '#' ',' "%%", keywords at the start, newlines.
const reservedJourney = `journey: reserved
title: "Title; with # and: colon"
personas:
  - {id: a, name: "Ann, the admin"}
  - {id: b, name: "B: #1; %%"}
phases:
  - {id: p1, name: "Phase: one; #1"}
  - {id: p2, name: "%% not a comment"}
stages:
  - id: s1
    name: "Journey planning"
    phase: p1
    entry: true
    emotion: {a: 2, b: -1}
    next: [s2]
  - id: s2
    name: "title page; section two"
    phase: p1
    personas: [b]
    next: [s3]
  - id: s3
    name: "%%{init}%% and # and ; and : and, comma"
    phase: p2
    emotion: -2
    next: [s4]
  - id: s4
    name: "x%%y"
    phase: p2
    next: [s5]
  - id: s5
    name: "accDescr { multi\nline }"
    phase: p2
    outcome: success
`
