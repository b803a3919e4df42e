package render

import (
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/load"
)

// The Mermaid export never cuts a name, a phase, a reason or a hand-off
// with "…": Mermaid wraps labels itself. Only text past maxTextRunes (a
// size bound, as in the SVG) is cut.
func TestMermaidKeepsLongText(t *testing.T) {
	long := func(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	stage, phase, reason := long("Reads", 30), long("Consideration", 8), long("Too-expensive", 6)
	src := `journey: long
title: Long names
phases: [{id: p, name: ` + phase + `}]
stages:
  - id: a
    name: ` + stage + `
    phase: p
    entry: true
    next: [{to: b, when: ` + long("clicks", 12) + `}, {to: far-away-stage-of-another-journey, journey: another-journey-with-a-long-id}]
  - id: b
    phase: p
    outcome: failure
    reasons: [{id: price, name: ` + reason + `, next: c}]
  - {id: c, phase: p, outcome: exit}
`
	f := load.ParseJourney("long.journey.yaml", []byte(src))
	if f.Journey == nil {
		t.Fatal(f.Diagnostics)
	}
	out, err := Render(f.Journey, "flow", "mermaid", Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if strings.Contains(text, "…") {
		t.Errorf("the Mermaid export cuts text:\n%s", text)
	}
	for _, want := range []string{stage, phase, reason, "far-away-stage-of-another-journey", "another-journey-with-a-long-id"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q is not whole in the export:\n%s", want, text)
		}
	}
}
