package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// unknownRefs is repro 02: n stages, each with a transition to an id that
// does not exist but is one or two edits from every other, so every
// candidate is a near miss and no filter rejects it early.
func unknownRefs(n int, prefix string) []byte {
	var b strings.Builder
	b.WriteString("journey: q\ntitle: T\nowner: m\nphases: [{id: p, name: P}]\nstages:\n")
	for i := 0; i < n; i++ {
		entry := ""
		if i == 0 {
			entry = ", entry: true"
		}
		fmt.Fprintf(&b, "- {id: %s-%d, name: S, phase: p%s, outcome: success, next: [%s-x%d]}\n", prefix, i, entry, prefix, i)
	}
	return []byte(b.String())
}

func lintWork(t testing.TB, data []byte) (findings int, work int64) {
	t.Helper()
	f := load.ParseJourney("q.journey.yaml", data)
	if f.Journey == nil {
		t.Fatalf("does not load: %v", f.Diagnostics)
	}
	before := suggestWork.Load()
	for _, d := range CheckWorkspace(&journey.Workspace{Journeys: []*journey.Journey{f.Journey}}) {
		if d.Rule == "unknown-reference" {
			findings++
		}
	}
	return findings, suggestWork.Load() - before
}

// Repro 02: the "did you mean" work of a journey is bounded whatever the
// number of unknown references and the length of the ids, so lint stays
// linear. Before the bound, 1,000 references with 185-character ids cost
// about 10^11 cells of the distance table.
func TestSuggestionWorkIsBounded(t *testing.T) {
	for _, c := range []struct {
		n      int
		prefix string
	}{
		{1000, strings.Repeat("a", 180)}, // 425 KB
		{4000, "stage"},
		{5000, "s"},
	} {
		findings, work := lintWork(t, unknownRefs(c.n, c.prefix))
		t.Logf("%d references to %d-character ids: %d units of suggestion work", c.n, len(c.prefix)+3, work)
		if findings != c.n {
			t.Errorf("%d references: %d unknown-reference findings", c.n, findings)
		}
		if work > suggestJourneyBudget {
			t.Errorf("%d references: %d units of suggestion work, more than the bound %d", c.n, work, suggestJourneyBudget)
		}
		if work < suggestJourneyBudget/2 {
			// The budget is what bounds these inputs: a test that would
			// pass without it proves nothing.
			t.Errorf("%d references: only %d units: the input no longer exercises the bound", c.n, work)
		}
	}
}

// Suggestions still come where they help, and a name mistyped many times
// is looked up once.
func TestSuggestionsKept(t *testing.T) {
	data := []byte(`journey: q
title: T
owner: m
phases: [{id: p, name: P}]
stages:
  - {id: welcome, name: W, phase: p, entry: true, next: [welcom, welcom, welcom, checkout-page]}
  - {id: checkout, name: C, phase: p, outcome: success}
`)
	f := load.ParseJourney("q.journey.yaml", data)
	var got []string
	before := suggestWork.Load()
	for _, d := range CheckWorkspace(&journey.Workspace{Journeys: []*journey.Journey{f.Journey}}) {
		if d.Rule == "unknown-reference" {
			msg := d.Message
			if d.Suggestion != nil {
				msg += " / " + d.Suggestion.Help()
			}
			got = append(got, msg)
		}
	}
	work := suggestWork.Load() - before
	want := []string{
		`unknown stage "welcom" / did you mean "welcome"?`,
		`unknown stage "welcom" / did you mean "welcome"?`,
		`unknown stage "welcom" / did you mean "welcome"?`,
		`unknown stage "checkout-page"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Two lookups of two candidates each, ids of at most 13 code points.
	if work > 2*2*(1+14+11*14) {
		t.Errorf("%d units of work for two lookups: the repeated name was looked up again", work)
	}
}

// BenchmarkUnknownReferences is repro 02 in process: 20,000 unknown
// references (1.5 MB), every rule.
func BenchmarkUnknownReferences(b *testing.B) {
	for _, c := range []struct {
		name, prefix string
		n            int
	}{
		{"20000-short", "stage", 20000},
		{"1000-long", strings.Repeat("a", 180), 1000},
	} {
		data := unknownRefs(c.n, c.prefix)
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				lintWork(b, data)
			}
		})
	}
}
