package conform_test

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// benchLog writes the 1,000,000-event log of the e-book journey, grouped
// by case (as an export ordered by case id is), once per benchmark.
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

// BenchmarkConform1M replays 1,000,000 events sorted by case.
func BenchmarkConform1M(b *testing.B) {
	path := benchLog(b, "case")
	m := eventgen.Map(b, eventgen.Ebook(b))
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for b.Loop() {
		r, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{})
		if err != nil || r.MappedEvents < 1_000_000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkConform1MUnsorted replays the same events in time order: the
// log is read twice and sorted by case.
func BenchmarkConform1MUnsorted(b *testing.B) {
	path := benchLog(b, "time")
	m := eventgen.Map(b, eventgen.Ebook(b))
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for b.Loop() {
		r, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{})
		if err != nil || r.MappedEvents < 1_000_000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkCSVRead1M is the floor: only reading the same file with
// encoding/csv (reusing the record), nothing else.
func BenchmarkCSVRead1M(b *testing.B) {
	path := benchLog(b, "case")
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(f)
		r.ReuseRecord = true
		n := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		f.Close()
		if n < 1_000_000 {
			b.Fatal(n)
		}
	}
}
