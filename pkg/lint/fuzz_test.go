package lint

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// FuzzLoadLint feeds arbitrary bytes through the loader and every rule.
// Whatever the input, nothing panics and every finding has a message and a
// position inside the file, with its end not before its start.
func FuzzLoadLint(f *testing.F) {
	f.Add(synth.Journey("seed", 12))
	f.Add([]byte("journey: a\ntitle: b\nphases: [{id: p, name: P}]\nstages: [{id: s, name: S, phase: p, entry: true, outcome: success}]\n"))
	f.Add([]byte("a: &a [x, *a]\n"))
	f.Add([]byte("{\"journey\": 1, \"stages\": [[]]}"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("stages:\n  - id: a\n    next: [a, {to: a, journey: b}]\n    reasons: [{id: r, next: a}]\n"))
	if matches, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*", "*.journey.yaml")); len(matches) > 0 {
		for _, m := range matches[:min(3, len(matches))] {
			if data, err := os.ReadFile(m); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := load.ParseJourney("f.journey.yaml", data)
		ds := file.Diagnostics
		if file.Journey != nil {
			ds = append(ds, CheckWorkspace(&journey.Workspace{Journeys: []*journey.Journey{file.Journey}})...)
		}
		lines := 1
		for i, b := range data {
			if b == '\n' || b == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
				lines++
			}
		}
		for _, d := range ds {
			r := d.Range
			if d.Message == "" || !utf8.ValidString(d.Message) && utf8.Valid(data) {
				t.Fatalf("bad message: %+v", d)
			}
			if r.Start.Line < 1 || r.Start.Column < 1 || r.Start.Line > lines {
				t.Fatalf("position outside the file (%d lines): %+v", lines, d)
			}
			if r.End.Line != 0 && r.End.Before(r.Start) {
				t.Fatalf("range ends before it starts: %+v", d)
			}
		}
	})
}
