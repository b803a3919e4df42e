package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/peakheap"
	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

// BenchmarkDiffCommand10k is what `journey diff OLD NEW` does before it
// writes, on bench/run's diff corpus (two versions of a 10,000-stage
// journey, every 100th stage renamed): each side loaded and linted, then
// compared. peak-heap-MiB is the largest heap seen.
func BenchmarkDiffCommand10k(b *testing.B) {
	dir := b.TempDir()
	old := synth.Journey("synthetic", 10000)
	lines := strings.SplitAfter(string(synth.Journey("synthetic", 10020)), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "    name: Customer step ") && strings.HasSuffix(l, "00\n") {
			lines[i] = strings.TrimSuffix(l, "\n") + " (new)\n"
		}
	}
	paths := [2]string{filepath.Join(dir, "old.journey.yaml"), filepath.Join(dir, "new.journey.yaml")}
	for i, data := range [][]byte{old, []byte(strings.Join(lines, ""))} {
		if err := os.WriteFile(paths[i], data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	side := func(path string) Version {
		sets, err := load.Load(load.Options{Paths: []string{path}, Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		v := Version{Paths: map[*journey.Journey]string{}, Findings: lint.Run(sets, lint.Options{}).Findings}
		for _, s := range sets {
			for _, f := range s.Files {
				if f.Journey != nil {
					v.Journeys = append(v.Journeys, f.Journey)
					v.Paths[f.Journey] = ""
				}
			}
		}
		return v
	}
	b.ReportAllocs()
	b.ResetTimer()
	peak := peakheap.Sample()
	for i := 0; i < b.N; i++ {
		o := side(paths[0])
		n := side(paths[1])
		if r := Compare(o, n); r.Summary.Changes == 0 {
			b.Fatal("no change found")
		}
	}
	b.ReportMetric(peak(), "peak-heap-MiB")
}
