package eventgen

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// Journeys written inline for the tests.

// Synthetic has every kind of edge conform knows: two transitions to the
// same stage, a hand-off into another journey, a transition to a stage
// the journey does not have, a self-loop, a failure reason's follow-up,
// an event listed by two stages, and a stage nothing reaches.
const Synthetic = `journey: synthetic
title: Synthetic
phases: [{id: p, name: P}]
stages:
  - id: start
    name: Start
    phase: p
    entry: true
    events: [signup, signup_mobile, shared]
    next:
      - {to: try, rate: 0.5, when: clicks}
      - {to: try, rate: 0.25, when: replies}
      - {to: other, journey: elsewhere, rate: 0.1}
      - {to: nowhere}
  - id: try
    name: Try
    phase: p
    next:
      - {to: try, rate: 0.2, after: 1h}
      - {to: won, rate: 0.5}
      - lost
  - id: won
    name: Won
    phase: p
    outcome: success
    events: [paid, shared]
  - id: lost
    name: Lost
    phase: p
    outcome: failure
    reasons:
      - {id: price, next: winback}
      - {id: none}
  - id: winback
    name: Win-back
    phase: p
    next: [try]
  - id: never
    name: Never
    phase: p
`

// TwoStages is the smallest journey: a (event a) then b (event b).
const TwoStages = `journey: j
title: J
phases: [{id: p, name: P}]
stages:
  - {id: a, name: A, phase: p, entry: true, next: [b]}
  - {id: b, name: B, phase: p, outcome: success}
`

// Load loads one journey file.
func Load(tb testing.TB, path string) *journey.Journey {
	tb.Helper()
	sets, err := load.Load(load.Options{Paths: []string{path}})
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range sets {
		for _, f := range s.Files {
			if s.Requested[f] && f.Journey != nil {
				return f.Journey
			}
		}
	}
	tb.Fatalf("%s: no journey", path)
	return nil
}

// FromYAML loads a journey written inline.
func FromYAML(tb testing.TB, src string) *journey.Journey {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "j.journey.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		tb.Fatal(err)
	}
	return Load(tb, path)
}

// EbookPath is the e-book journey of examples/saas, the journey of the
// large tests and benchmarks.
var EbookPath = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "saas", "ebook-nurture.journey.yaml")
}()

// Ebook loads the e-book journey (EbookPath).
func Ebook(tb testing.TB) *journey.Journey {
	tb.Helper()
	return Load(tb, EbookPath)
}

// Map is conform.NewMap, failing the test on an error.
func Map(tb testing.TB, j *journey.Journey) *conform.Map {
	tb.Helper()
	m, err := conform.NewMap(j)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// WriteFile generates a log of j into a file of the given name in a
// temporary directory and returns its path and truth.
func WriteFile(tb testing.TB, j *journey.Journey, name string, o Options) (string, *Truth) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	truth, err := Generate(j, f, o)
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, truth
}

// Moves is every move of the report, on the map or off it, with its
// count: what Truth.Moves says the log holds.
func Moves(r *conform.Report) map[[2]string]int64 {
	out := map[[2]string]int64{}
	for _, e := range r.Edges {
		if e.Observed > 0 {
			out[[2]string{e.From, e.To}] = e.Observed
		}
	}
	for _, o := range r.OffMap {
		out[[2]string{o.From, o.To}] = o.Count
	}
	return out
}
