package conform

import (
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

const ebookPath = "../../examples/saas/ebook-nurture.journey.yaml"

// loadJourney loads one journey file.
func loadJourney(tb testing.TB, path string) *journey.Journey {
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

func ebookMap(tb testing.TB) *Map {
	tb.Helper()
	m, err := NewMap(loadJourney(tb, ebookPath))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
