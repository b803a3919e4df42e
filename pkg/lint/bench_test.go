package lint

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/journeykit/journey/internal/peakheap"
	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"gopkg.in/yaml.v3"
)

var (
	benchOnce  sync.Once
	benchDir   string
	benchFiles map[string][]byte
)

// benchWorkspace writes 1,000 files of 50 stages once per test binary.
func benchWorkspace(b *testing.B) (string, map[string][]byte) {
	benchOnce.Do(func() {
		benchFiles = synth.Workspace(1000, 50)
		dir, err := os.MkdirTemp("", "journey-bench-")
		if err != nil {
			b.Fatal(err)
		}
		for name, data := range benchFiles {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		benchDir = dir
	})
	return benchDir, benchFiles
}

// BenchmarkParseYAML is the floor lint is compared with: yaml.v3 parsing
// the same bytes into yaml.Node, one file after another.
func BenchmarkParseYAML(b *testing.B) {
	_, files := benchWorkspace(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, data := range files {
			var n yaml.Node
			if err := yaml.Unmarshal(data, &n); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLint is `journey lint DIR` without printing: read, parse,
// schema, model and every rule, on all cores.
func BenchmarkLint(b *testing.B) {
	dir, _ := benchWorkspace(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sets, err := load.Load(load.Options{Dir: dir, Paths: []string{"."}})
		if err != nil {
			b.Fatal(err)
		}
		if res := Run(sets, Options{}); len(res.Findings) != 0 {
			b.Fatalf("synthetic workspace has findings: %v", res.Findings[0])
		}
	}
}

// BenchmarkLintStream is what `journey lint DIR` runs: LoadAndRun, each
// file checked as it is read. peak-heap-MiB is the largest heap seen
// (sampled every millisecond), against BenchmarkLint's, which holds every
// model at once.
func BenchmarkLintStream(b *testing.B) {
	dir, _ := benchWorkspace(b)
	b.ResetTimer()
	peak := peakheap.Sample()
	for i := 0; i < b.N; i++ {
		_, res, err := LoadAndRun(load.Options{Dir: dir, Paths: []string{"."}}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) != 0 {
			b.Fatalf("synthetic workspace has findings: %v", res.Findings[0])
		}
	}
	b.ReportMetric(peak(), "peak-heap-MiB")
}

// BenchmarkLintHeld is BenchmarkLint with the peak heap reported.
func BenchmarkLintHeld(b *testing.B) {
	dir, _ := benchWorkspace(b)
	b.ResetTimer()
	peak := peakheap.Sample()
	for i := 0; i < b.N; i++ {
		sets, err := load.Load(load.Options{Dir: dir, Paths: []string{"."}})
		if err != nil {
			b.Fatal(err)
		}
		if res := Run(sets, Options{}); len(res.Findings) != 0 {
			b.Fatalf("synthetic workspace has findings: %v", res.Findings[0])
		}
	}
	b.ReportMetric(peak(), "peak-heap-MiB")
}

func lintBytes(tb testing.TB, data []byte) {
	f := load.ParseJourney("big.journey.yaml", data)
	if f.Journey == nil || len(f.Diagnostics) != 0 {
		tb.Fatalf("synthetic journey does not load: %d findings, first %v", len(f.Diagnostics), f.Diagnostics[:min(len(f.Diagnostics), 1)])
	}
	CheckWorkspace(&journey.Workspace{Journeys: []*journey.Journey{f.Journey}})
}

func BenchmarkLintStages1000(b *testing.B) {
	data := synth.Journey("big", 1000)
	for i := 0; i < b.N; i++ {
		lintBytes(b, data)
	}
}

func BenchmarkLintStages10000(b *testing.B) {
	data := synth.Journey("big", 10000)
	for i := 0; i < b.N; i++ {
		lintBytes(b, data)
	}
}

// A journey ten times larger lints with at most 12 times the work: every
// check is linear. Work is counted as allocations and bytes allocated, which
// do not depend on how busy the machine is (a wall-clock ratio made the
// suite fail at random on a loaded 2-core machine); the time is measured by
// BenchmarkLintStages1000 and BenchmarkLintStages10000.
func TestLintScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("lints 11,000 stages")
	}
	work := func(data []byte) (allocs, bytes uint64) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		lintBytes(t, data)
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
	}
	small1k, large10k := synth.Journey("big", 1000), synth.Journey("big", 10000)
	work(small1k) // compile the schemas and warm the caches first
	smallAllocs, smallBytes := work(small1k)
	largeAllocs, largeBytes := work(large10k)
	t.Logf("1,000 stages: %d allocations, %d bytes; 10,000 stages: %d allocations, %d bytes", smallAllocs, smallBytes, largeAllocs, largeBytes)
	if r := float64(largeAllocs) / float64(smallAllocs); r > 12 {
		t.Errorf("10,000 stages make %.1fx the allocations of 1,000 (limit 12x)", r)
	}
	if r := float64(largeBytes) / float64(smallBytes); r > 12 {
		t.Errorf("10,000 stages allocate %.1fx the bytes of 1,000 (limit 12x)", r)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkLintExamples and BenchmarkLintExamplesHeld lint the examples
// (9 files, 150 KB) as `journey lint examples` does now and did before
// LoadAndRun: a small workspace must be no slower.
func BenchmarkLintExamples(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, _, err := LoadAndRun(load.Options{Dir: "../../examples", Paths: []string{"."}}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLintExamplesHeld(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sets, err := load.Load(load.Options{Dir: "../../examples", Paths: []string{"."}})
		if err != nil {
			b.Fatal(err)
		}
		Run(sets, Options{})
	}
}
