package attribution_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/attribution"
	"github.com/journeykit/journey/pkg/eventlog"
)

// benchLog writes a 1,000,000-event log of the e-book journey (its stages
// have channels and touchpoints) once per benchmark.
func benchLog(b *testing.B, order string) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "events.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := eventgen.Generate(eventgen.Ebook(b), f, eventgen.Options{Seed: 1, Events: 1_000_000, Order: order}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchAttribute(b *testing.B, order string, opts attribution.Options) {
	path := benchLog(b, order)
	j := eventgen.Ebook(b)
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for b.Loop() {
		r, _, err := attribution.Run(j, eventlog.Source{Path: path}, opts)
		if err != nil || r.MappedEvents < 1_000_000 || len(r.Channels) == 0 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAttribute1M: 1,000,000 events sorted by case, by channel.
func BenchmarkAttribute1M(b *testing.B) { benchAttribute(b, "case", attribution.Options{}) }

// BenchmarkAttribute1MOrder2: the same with pairs of touches as states.
func BenchmarkAttribute1MOrder2(b *testing.B) {
	benchAttribute(b, "case", attribution.Options{Order: 2})
}

// BenchmarkAttribute1MTouchpoint: by touchpoint, order 2.
func BenchmarkAttribute1MTouchpoint(b *testing.B) {
	benchAttribute(b, "case", attribution.Options{By: attribution.ByTouchpoint, Order: 2})
}

// BenchmarkAttribute1MUnsorted: the events in time order (conform reads
// the log again, sorted by case).
func BenchmarkAttribute1MUnsorted(b *testing.B) { benchAttribute(b, "time", attribution.Options{}) }
